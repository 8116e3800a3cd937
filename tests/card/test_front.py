"""The portrait side's field rules: what is kept as read, what the number may supply (at most
50), and which corrections the evidence allows."""

from __future__ import annotations

from datetime import date

import pytest

from idcard_ocr.card.correction import DICTIONARY_CONFIDENCE
from idcard_ocr.card.front import (
    address,
    birth,
    dot_unseen,
    front_fields,
    id_number,
    name,
    nation,
    sex,
    wrapped_address,
)
from idcard_ocr.card.idnumber import check_char
from idcard_ocr.card.model import Field
from idcard_ocr.card.reading import Char, text_of

TODAY = date(2026, 1, 1)
TRADITIONAL = {"漢": "汉", "維": "维", "爾": "尔", "悅": "悦"}
CLASSIC = "11010519491231002X"  # a woman born 1949-12-31


def simplify(char: str) -> str:
    return TRADITIONAL.get(char, char)


def read(text: str, prob: float = 0.99) -> list[Char]:
    return [Char(c, prob, ((c, prob),)) for c in text]


def seen(char: str, prob: float, *alternatives: tuple[str, float]) -> Char:
    return Char(char, prob, ((char, prob), *alternatives))


def with_check(first17: str) -> str:
    return first17 + check_char(first17)


# --- name ------------------------------------------------------------------------------------
def test_name_drops_latin_junk_and_prints_its_dots_as_the_card_does() -> None:
    field = name(read("阿依古丽.买买提:A"), simplify)
    assert field.text == "阿依古丽·买买提"


def test_a_name_read_as_one_character_is_doubted() -> None:
    # A motion-blurred 李四 read 李 at 99, and at more blur 驷: a character was lost.
    assert name(read("李"), simplify).confidence == (50,)
    assert name(read("李四"), simplify).confidence == (99, 99)


def test_a_name_character_read_where_a_rare_name_character_had_belief_is_doubted() -> None:
    # The hard set's 姜芳赟, read 姜芳赞 at 98 with 赟 at 0.021 among the alternatives; the
    # photo set's, scaled to a demo photo's size (the card 371 px wide), with 赟 at 0.002.
    read_as = name([*read("姜芳"), seen("赞", 0.98, ("赟", 0.021))], simplify)
    assert (read_as.text, read_as.confidence) == ("姜芳赞", (99, 99, 50))
    small = name([*read("姜芳"), seen("赞", 0.98, ("资", 0.013), ("赟", 0.002))], simplify)
    assert small.confidence == (99, 99, 50)
    barely = name([*read("姜芳"), seen("赞", 0.99, ("赟", 0.0005))], simplify)
    assert barely.confidence == (99, 99, 99)
    rare = name([*read("姜芳"), seen("赟", 0.9, ("赞", 0.09))], simplify)
    assert rare.confidence == (99, 99, 90)


def test_name_simplifies_only_where_the_recogniser_saw_the_simplified_form() -> None:
    field = name([*read("王"), seen("悅", 0.6, ("悦", 0.35))], simplify)
    assert (field.text, field.confidence) == ("王悦", (99, 35))
    assert name([*read("王"), seen("悅", 0.6)], simplify).text == "王悅"


# --- nation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("chars", "text"),
    [
        (read("汉"), "汉"),
        (read("汉族"), "汉"),  # a trailing 族 is the word, not the name
        (read("满族"), "满"),
        ([*read("维吾"), seen("尕", 0.6)], "维吾尔"),
        ([*read("柯尔克"), seen("孑", 0.5)], "柯尔克孜"),
        (read("哈萨"), "哈萨克"),  # the crop cut the last character off
        ([seen("士", 0.6), *read("家")], "土家"),
        ([*read("塔吉克"), seen("克", 0.5)], "塔吉克"),
        ([seen("土", 0.6), seen("豕", 0.5)], "土家"),  # a misread, likelier than a stray
    ],
)
def test_nation_near_misses_snap_where_only_doubted_characters_change(
    chars: list[Char], text: str
) -> None:
    assert nation(chars, simplify).text == text


def test_a_snapped_nation_character_carries_the_evidence() -> None:
    field = nation([*read("维吾"), seen("尕", 0.6, ("尔", 0.3))], simplify)
    assert (field.text, field.confidence) == ("维吾尔", (99, 99, 30))
    field = nation([*read("维吾"), seen("尕", 0.6)], simplify)
    assert field.confidence == (99, 99, round(DICTIONARY_CONFIDENCE * 100))


def test_traditional_forms_fold_with_the_evidence_for_them() -> None:
    assert nation([seen("漢", 0.6, ("汉", 0.3))], simplify).confidence == (30,)
    field = nation([seen("維", 0.6), seen("吾", 0.95), seen("爾", 0.7)], simplify)
    assert field.text == "维吾尔"
    # Read surely and never considered simplified, it stays, and is no nation.
    assert nation([seen("漢", 0.95)], simplify).text == "漢"
    assert nation([seen("漢", 0.95, ("汉", 0.04))], simplify).confidence == (4,)


def test_kyo_han_is_no_nation_unless_a_correction_is_supported() -> None:
    field = nation(read("京汉"), simplify)
    assert field.text == "京汉"
    assert max(field.confidence) < 90  # no nation reads so: disputed
    assert nation([seen("京", 0.6), seen("汉", 0.6)], simplify).text == "京汉"  # a tie
    # 汉 read surely and 京 doubted: only dropping 京 keeps what was read surely.
    assert nation([seen("京", 0.4), *read("汉")], simplify).text == "汉"


def test_a_one_character_misread_needs_the_recognisers_evidence() -> None:
    assert nation([seen("汊", 0.6)], simplify).text == "汊"
    assert nation([seen("汊", 0.6, ("汉", 0.3))], simplify).text == "汉"


def test_a_nation_after_its_label_read_without_its_zu_is_the_nation() -> None:
    # A real specimen under glare: 民族汉 read 民汉, the 族 lost; no nation begins with 民.
    found = nation(read("民汉", 1.0), simplify)
    assert (found.text, found.confidence) == ("汉", (100,))
    assert nation(read("民旅汉"), simplify).text == "民旅汉"  # no nation after it: as read


def test_nothing_read_is_no_nation() -> None:
    assert nation([], simplify).text == ""


# --- sex -------------------------------------------------------------------------------------
def test_the_read_sex_is_kept() -> None:
    assert sex(read("女"), read(CLASSIC)).text == "女"
    assert sex([seen("男", 0.6)], []).confidence == (60,)


def test_a_doubted_sex_a_valid_number_confirms_is_believed_as_its_digit() -> None:
    assert sex([seen("女", 0.6)], read(CLASSIC)).confidence == (99,)
    fails_check = "110105194912310021"
    assert sex([seen("女", 0.6)], read(fails_check)).confidence == (60,)


def test_a_confident_read_that_disagrees_with_the_number_stays_but_is_doubted() -> None:
    field = sex(read("男"), read(CLASSIC))
    assert field.text == "男" and field.confidence == (50,)  # never silently wrong


def test_a_doubted_read_that_disagrees_takes_the_numbers_sex_at_most_50() -> None:
    field = sex([seen("男", 0.6)], read(CLASSIC))
    assert field.text == "女" and field.confidence[0] <= 50


def test_an_unread_sex_takes_the_numbers_at_most_50() -> None:
    assert sex([], read(CLASSIC)).text == "女"
    assert sex([], read(CLASSIC)).confidence[0] <= 50
    unsure = [*read(CLASSIC[:16]), seen("2", 0.3), *read("X")]
    assert sex([], unsure).confidence == (30,)
    assert sex([], read("1101051949")).text == ""


# --- birth -----------------------------------------------------------------------------------
def test_a_real_birth_that_agrees_with_the_number_is_kept() -> None:
    field = birth(read("1949年12月31日"), read(CLASSIC), today=TODAY)
    assert (field.text, field.confidence) == ("1949/12/31", (99,) * 8)


def test_the_issues_month_43_takes_the_numbers_date() -> None:
    number = with_check("11010519670430002")
    field = birth(read("1967年43月0日", 1.0), read(number), today=TODAY)
    assert field.text == "1967/4/30"
    # 1967 and the month's 4 and the day's 0 were read so; the day's 3 was not.
    assert field.confidence == (100, 100, 100, 100, 100, 50, 100)


def test_an_unsure_birth_that_disagrees_takes_the_numbers_date() -> None:
    reading = [*read("1949年12月3", 0.8), seen("0", 0.6, ("1", 0.3)), *read("日")]
    field = birth(reading, read(CLASSIC, 0.95), today=TODAY)
    assert field.text == "1949/12/31"
    # The digits read as the valid number has them are confirmed by it; the last was not read.
    assert field.confidence == (95, 95, 95, 95, 95, 95, 95, 50)
    fails_check = read("110105194912310021", 0.95)
    assert birth(reading, fails_check, today=TODAY).confidence == (80,) * 7 + (50,)


def test_a_doubted_birth_a_valid_number_confirms_is_believed_as_its_digits() -> None:
    field = birth(read("1949年12月31日", 0.7), read(CLASSIC), today=TODAY)
    assert (field.text, field.confidence) == ("1949/12/31", (99,) * 8)
    fails_check = read("110105194912310021")
    assert birth(read("1949年12月31日", 0.7), fails_check, today=TODAY).confidence == (70,) * 8


def test_a_confident_birth_that_disagrees_stays_with_the_differing_digits_doubted() -> None:
    field = birth(read("1949年12月30日"), read(CLASSIC), today=TODAY)
    assert (field.text, field.confidence) == ("1949/12/30", (99,) * 7 + (50,))
    # The hard set's 1988 read as 1938 at 96-100, beside a number that says 1988.
    number = with_check("41132219880520095")
    field = birth(read("1938年5月20日", 1.0), read(number), today=TODAY)
    assert (field.text, field.confidence) == ("1938/5/20", (100, 100, 50, 100, 100, 100, 100))


def test_an_unread_birth_takes_the_numbers_at_most_50() -> None:
    field = birth([], read(CLASSIC), today=TODAY)
    assert (field.text, field.confidence) == ("1949/12/31", (50,) * 8)


def test_digits_without_year_month_and_day_are_aligned_to_the_numbers() -> None:
    field = birth(read("194912"), read(CLASSIC), today=TODAY)
    assert field.text == "1949/12/31"
    assert field.confidence == (99, 99, 99, 99, 99, 99, 50, 50)


def test_a_birth_out_of_range_without_a_usable_number_stays_as_read() -> None:
    field = birth(read("1654年12月20日"), read("11204416541220243X"), today=TODAY)
    assert field.text == "1654/12/20"


def test_a_birth_after_today_takes_the_numbers() -> None:
    field = birth(read("2049年12月31日"), read(CLASSIC), today=TODAY)
    assert field.text == "1949/12/31"
    assert field.confidence[:4] == (50, 50, 99, 99)


def test_eight_digits_alone_are_year_month_and_day() -> None:
    field = birth(read("19491231"), read(CLASSIC), today=TODAY)
    assert (field.text, field.confidence) == ("1949/12/31", (99,) * 8)


def test_a_month_read_with_its_zero_is_written_without() -> None:
    number = with_check("11010519670430002")
    field = birth(read("1967年04月30日"), read(number), today=TODAY)
    assert (field.text, len(field.confidence)) == ("1967/4/30", 7)


def test_nothing_read_and_no_number_is_no_birth() -> None:
    assert birth([], [], today=TODAY).text == ""


# --- the number ------------------------------------------------------------------------------
def test_a_number_that_fails_its_check_stays_as_printed() -> None:
    chars = id_number(read("11204416541220243X"), today=TODAY)
    assert "".join(c.char for c in chars) == "11204416541220243X"


def test_a_repaired_digit_carries_its_alternatives_probability() -> None:
    reading = read(CLASSIC)
    reading[9] = seen("2", 0.55, ("9", 0.40))
    chars = id_number(reading, today=TODAY)
    assert "".join(c.char for c in chars) == CLASSIC
    assert chars[9].prob == 0.40


def test_one_doubted_character_of_a_number_that_passes_its_check_is_confirmed() -> None:
    # The hard set's 460204194111168931, its 16th digit read at 0.81 and the rest at 1.0.
    reading = read(CLASSIC)
    reading[15] = seen(CLASSIC[15], 0.81, ("8", 0.1))
    chars = id_number(reading, today=TODAY)
    assert "".join(c.char for c in chars) == CLASSIC
    assert [round(c.prob, 2) for c in chars] == [0.99] * 18


def test_a_number_with_two_doubts_or_failing_its_check_is_not_confirmed() -> None:
    two = read(CLASSIC)
    two[3], two[15] = seen(CLASSIC[3], 0.7), seen(CLASSIC[15], 0.81)
    assert [c.prob for c in id_number(two, today=TODAY)][3::12] == [0.7, 0.81]
    fails = read("110105194912310021")
    fails[15] = seen("0", 0.81)
    assert id_number(fails, today=TODAY)[15].prob <= 0.81


def test_a_number_failing_its_check_doubts_the_digit_it_was_least_sure_of() -> None:
    # A blurred real demo card, 11204416541220243X, read 11284416541228243X: two 0s read as
    # 8 at 0.95 and 0.92, the rest sure. As printed, nothing it was less sure of than 90.
    reading = read("11284416541228243X", 0.999)
    reading[3], reading[13] = seen("8", 0.95, ("0", 0.04)), seen("8", 0.92, ("0", 0.07))
    chars = id_number(reading, today=TODAY)
    assert "".join(c.char for c in chars) == "11284416541228243X"  # as printed, not repaired
    assert chars[13].prob < 0.9 <= chars[3].prob < 0.95  # the least sure is doubted
    assert all(c.prob > 0.99 for i, c in enumerate(chars) if i not in (3, 13))


def test_a_demo_number_read_sure_stays_sure_though_it_fails_its_check() -> None:
    chars = id_number(read("11204416541220243X", 0.999), today=TODAY)
    assert all(c.prob >= 0.99 for c in chars)
    one = read("11204416541220243X", 0.999)
    one[5] = seen("1", 0.95)  # one digit a little less sure: still sure
    assert id_number(one, today=TODAY)[5].prob >= 0.9


def test_stray_characters_beyond_18_go_only_where_doubted() -> None:
    stray = [seen("1", 0.4), *read(CLASSIC)]
    assert "".join(c.char for c in id_number(stray, today=TODAY)) == CLASSIC
    sure_stray = [*read("1"), *read(CLASSIC)]
    assert "".join(c.char for c in id_number(sure_stray, today=TODAY)) == "1" + CLASSIC


def test_other_characters_are_not_part_of_the_number() -> None:
    chars = id_number(read("号码" + CLASSIC), today=TODAY)
    assert "".join(c.char for c in chars) == CLASSIC


def test_a_name_dot_is_believed_as_every_dot_seen_there() -> None:
    field = name([*read("阿布拉"), seen("·", 0.87, ("・", 0.13)), *read("阿不都")], simplify)
    assert (field.text, field.confidence[3]) == ("阿布拉·阿不都", 100)


# --- a photocopy's 仅供…使用 line ------------------------------------------------------------
def test_pieces_of_a_photocopys_overlay_read_into_the_address_are_doubted() -> None:
    # The photo set's 青年街道人民大道 crossed by 仅供办理开户业务使用, read at 94-100.
    reading = read("河南省南阳市方城县青年办街道人民大道业务使", 0.98)
    field = address(reading, simplify, "411322200901200957")
    assert field.text == text_of(reading)  # the text stays as read: nothing is invented
    assert field.confidence[-3:] == (50, 50, 50)
    assert min(field.confidence[:-3]) >= 90


def test_an_overlay_lines_start_read_after_the_address_is_left_out() -> None:
    # The hard set's …振兴村委会 with 仅供贷 (仅供…使用 over its end) read after it.
    reading = [
        *read("吉林省延边朝鲜族自治州延吉市翠竹镇振兴村委会"),
        *read("仅供", 0.5),
        *read("贷"),
    ]
    field = address(reading, simplify, "222401199001011234")
    assert field.text == "吉林省延边朝鲜族自治州延吉市翠竹镇振兴村委会"


@pytest.mark.parametrize("tail", ["仅供13组", "仅供村委员会", "仅供办理开户业务使用"])
def test_a_tail_after_the_overlay_that_may_be_the_addresses_is_kept(tail: str) -> None:
    # Digits, an address's own words or a long tail may be its next line, read after the line.
    reading = read("吉林省延吉市翠竹镇振兴" + tail)
    assert address(reading, simplify, "222401199001011234").text == text_of(reading)


def test_an_address_without_an_overlay_keeps_its_confidence() -> None:
    field = address(read("北京市东城区景山前街4号"), simplify, CLASSIC)
    assert min(field.confidence) == 99


def test_an_address_that_ends_in_a_digit_has_lost_its_end_and_says_so() -> None:
    # The hard set's …翠竹路377号16栋, whose one-character last line (栋) was not found.
    field = address(read("江苏省南通市崇川区文化街道翠竹路377号16"), simplify, CLASSIC)
    assert field.text == "江苏省南通市崇川区文化街道翠竹路377号16"
    assert field.confidence[-1] == 50 and min(field.confidence[:-1]) == 99


@pytest.mark.parametrize("stray", ["上", "止", "址"])
def test_a_character_before_the_province_is_the_labels_rest_and_is_left_out(stray: str) -> None:
    # The clean set's 上山东省泰安市…: the 止 of 住址 read as 上, at 100.
    field = address(read(stray + "山东省泰安市东平县胜利镇1组", 1.0), simplify, CLASSIC)
    assert field.text == "山东省泰安市东平县胜利镇1组"


@pytest.mark.parametrize(
    "printed",
    ["湖北京山市新市街道", "上海市徐汇区田林路", "北京市海淀区", "广西壮族自治区南宁市"],
)
def test_an_address_that_begins_with_its_province_keeps_its_start(printed: str) -> None:
    # 湖北 and 京山市: the short form of one province before the full name of another.
    assert address(read(printed, 1.0), simplify, CLASSIC).text == printed


def test_a_dash_between_a_names_characters_is_its_dot_and_junk_elsewhere() -> None:
    field = name([*read("平措"), seen("-", 0.92), *read("达瓦")], simplify)
    assert (field.text, field.confidence) == ("平措·达瓦", (99, 99, 92, 99, 99))
    assert name([seen("-", 0.9), *read("刘薇"), seen("-", 0.8)], simplify).text == "刘薇"


def test_a_tibetan_name_read_without_its_dot_is_doubted_inside() -> None:
    # hard #12: 次旺·达瓦 read 次旺达瓦 at 100 by both recognisers.
    doubted_name = dot_unseen(Field("次旺达瓦", (100, 100, 100, 100)), "藏")
    assert doubted_name == Field("次旺达瓦", (100, 50, 50, 100))
    uyghur = dot_unseen(Field("买买提吐尔逊", (100,) * 6), "维吾尔")
    assert uyghur.confidence == (100, 50, 50, 50, 50, 100)


@pytest.mark.parametrize(
    ("text", "nation"),
    [("次旺·达瓦", "藏"), ("欧阳小明", "汉"), ("扎西", "藏"), ("买买提·吐尔逊", "维吾尔")],
)
def test_names_with_their_dot_or_of_other_nations_are_left_as_read(text: str, nation: str) -> None:
    field = Field(text, (100,) * len(text))
    assert dot_unseen(field, nation) == field


def test_the_name_is_doubted_by_the_nation_read_on_the_same_front() -> None:
    values = {
        "name": read("尼玛顿珠"),
        "sex": read("男"),
        "nation": read("藏"),
        "birth": read("1949年12月31日"),
        "address": read("西藏自治区拉萨市城关区"),
        "id": read("110105194912310010"),
    }
    fields = front_fields(values, simplify, today=TODAY)
    assert fields["name"].text == "尼玛顿珠" and min(fields["name"].confidence) == 50


# --- an address's lines ----------------------------------------------------------------------
def test_a_line_that_wrapped_short_lost_its_end_and_says_so() -> None:
    # The hard set's 安徽省安庆市迎江区朝阳 / 街道, its first crop ending before 阳, at 100.
    joined = wrapped_address([read("安徽省安庆市迎江区朝", 1.0), read("街道", 1.0)])
    assert text_of(joined) == "安徽省安庆市迎江区朝街道"
    assert [round(c.prob, 2) for c in joined] == [1.0] * 9 + [0.5] + [1.0] * 2


@pytest.mark.parametrize("first", ["安徽省安庆市迎江区朝阳", "湖北省武汉市洪山区珞喻路12号"])
def test_full_lines_and_the_last_line_keep_their_belief(first: str) -> None:
    joined = wrapped_address([read(first, 1.0), read("街道", 1.0)])
    assert min(c.prob for c in joined) == 1.0
    assert min(c.prob for c in wrapped_address([read("北京市东城区景山前街4号", 1.0)])) == 1.0
