"""Two views' readings of one side: the chosen one is doubted wherever the other differs."""

from __future__ import annotations

from idcard_ocr.card.agreement import completed, reconciled
from idcard_ocr.card.model import CardResult, Field, Side


def front(address: str, birth: str = "1996/11/24") -> CardResult:
    digits = sum(c.isdigit() for c in birth)
    return CardResult(
        Side.FRONT,
        {
            "name": Field("李久熙", (99, 99, 99)),
            "birth": Field(birth, (99,) * digits),
            "address": Field(address, (99,) * len(address)),
        },
    )


def test_readings_that_agree_are_left_as_they_are() -> None:
    reading = front("北京市西城区复兴门外大街999号")
    assert reconciled(reading, front("北京市西城区复兴门外大街999号")) == reading


def test_a_field_both_read_alike_is_as_sure_as_the_surer_reading() -> None:
    # hard #78: one view doubted the name's 霞 (40), the other took the sex from the number.
    one = CardResult(
        Side.FRONT, {"name": Field("赵静霞", (100, 100, 40)), "sex": Field("女", (100,))}
    )
    two = CardResult(
        Side.FRONT, {"name": Field("赵静霞", (100, 100, 97)), "sex": Field("女", (50,))}
    )
    agreed = reconciled(two, one)
    assert agreed.fields["name"].confidence == (100, 100, 97)
    assert agreed.fields["sex"].confidence == (100,)


def test_a_character_one_reading_nearly_rejected_is_not_made_sure_by_the_other() -> None:
    # hard #160: 滨江 read 滨工 by both outlines, the 工 at 92 by one and 15 by the other
    # (which saw 江 as likelier): the surer belief alone was a silent error.
    one = CardResult(Side.FRONT, {"address": Field("滨工村", (99, 92, 100))})
    two = CardResult(Side.FRONT, {"address": Field("滨工村", (100, 15, 100))})
    assert reconciled(one, two).fields["address"].confidence == (100, 53, 100)
    assert reconciled(two, one).fields["address"].confidence == (100, 53, 100)


def test_a_reading_that_lost_its_last_line_is_doubted_at_its_end() -> None:
    # real-dev's three-line address: one outline lost 502室 and looked the surer.
    short = front("北京市西城区复兴门外大街999号院11号楼3单元")
    longer = front("北京市西城区复兴门外大街999号院11号楼3单元502室")
    address = reconciled(short, longer).fields["address"]
    assert address.text == short.fields["address"].text  # nothing is invented
    assert address.confidence[-1] == 50 and min(address.confidence[:-1]) == 99


def test_characters_read_otherwise_are_doubted_and_no_others() -> None:
    address = reconciled(front("北京市海淀区双榆树"), front("北京市海淀区双瑜树")).fields["address"]
    assert address.confidence == (99,) * 7 + (50,) + (99,)


def test_a_character_the_other_read_otherwise_but_doubted_stays_sure() -> None:
    # hard #194: one view read 街道 sure, the other 街遵 with 遵 at 47.
    chosen = front("云南省永善县解放街道和平大道")
    other = CardResult(
        Side.FRONT,
        {"address": Field("云南省永善县解放街遵和平大道", (99,) * 9 + (47,) + (99,) * 4)},
    )
    assert reconciled(chosen, other).fields["address"] == chosen.fields["address"]


def test_a_character_the_other_read_otherwise_at_better_than_even_odds_still_counts() -> None:
    # hard #124: the chosen view read 80号 with the 0 at 92, the other 89号 with the 9 at 55.
    chosen = CardResult(Side.FRONT, {"address": Field("人民巷80号", (99, 99, 99, 99, 92, 99))})
    other = CardResult(Side.FRONT, {"address": Field("人民巷89号", (99, 99, 99, 99, 55, 99))})
    assert reconciled(chosen, other).fields["address"].confidence == (99, 99, 99, 99, 50, 99)


def test_a_gap_beside_a_character_the_other_doubted_casts_no_doubt() -> None:
    # hard #112: the other view read a line short, and doubted its last character for it.
    chosen = front("红旗大道180号解放名都")
    other = CardResult(
        Side.FRONT, {"address": Field("红旗大道180号放名都", (99,) * 7 + (50,) + (99,) * 3)}
    )
    assert reconciled(chosen, other).fields["address"] == chosen.fields["address"]
    sure_gap = CardResult(Side.FRONT, {"address": Field("红旗大道180号放名都", (99,) * 11)})
    assert (
        reconciled(chosen, sure_gap).fields["address"].confidence == (99,) * 8 + (50,) + (99,) * 3
    )


def test_a_date_is_compared_digit_by_digit() -> None:
    birth = reconciled(front("北京", "1996/11/24"), front("北京", "1996/11/21")).fields["birth"]
    assert birth.text == "1996/11/24"
    assert birth.confidence == (99,) * 7 + (50,)


def sure(text: str, least: int = 100) -> Field:
    return Field(text, (100,) * (len(text) - 1) + (least,))


def test_a_field_one_reading_missed_is_taken_from_the_surest_that_read_it() -> None:
    # hard #2: one outline read the name and not the nation, another the other way round.
    chosen = CardResult(Side.FRONT, {"name": Field(""), "nation": sure("彝")})
    others = [{"name": sure("姚林帆")}, {"name": Field("族彝", (46, 40))}]
    whole = completed(chosen, ["name"], others)
    assert whole is not None
    assert whole.fields["name"] == sure("姚林帆")
    assert whole.fields["nation"] == sure("彝")


def test_two_sure_readings_that_differ_leave_the_field_doubted_where_they_differ() -> None:
    chosen = CardResult(Side.FRONT, {"name": Field("")})
    whole = completed(chosen, ["name"], [{"name": sure("韦涵翀")}, {"name": sure("韦涵肿", 95)}])
    assert whole is not None
    assert whole.fields["name"].text == "韦涵翀"
    assert whole.fields["name"].confidence == (100, 100, 50)


def test_fields_others_are_checked_against_are_never_taken_from_another_reading() -> None:
    chosen = CardResult(Side.FRONT, {"birth": Field(""), "id": Field("")})
    assert completed(chosen, ["birth"], [{"birth": Field("1950/12/11", (100,) * 8)}]) is None
    assert completed(chosen, ["id"], [{"id": sure("33050319501211399X")}]) is None


def test_a_field_no_other_reading_has_leaves_the_reading_refused() -> None:
    chosen = CardResult(Side.FRONT, {"name": sure("姚林帆"), "nation": Field("")})
    assert completed(chosen, ["nation"], [{"name": sure("姚林帆")}]) is None
