"""Per-picture variation: drawn deterministically, at the rates real cards and photos show it
(counted on the drawn parameters, not on pixels), and kept apart by difficulty."""

from __future__ import annotations

from collections import Counter

import pytest

from idcard_ocr.card import layout as L
from idcard_ocr.card.model import Side
from idcard_ocr.synth import DIFFICULTIES, Difficulty, Variant, render_sample, variant_for
from idcard_ocr.synth.effects import PhotoEffects
from idcard_ocr.synth.geometry import NUMBER_LABELS
from idcard_ocr.synth.scripts import SCRIPT_NAMES, script_named

SEED = 20251
N = 400  # per difficulty; sides alternate, so 200 fronts and 200 backs


@pytest.fixture(scope="module")
def drawn() -> dict[Difficulty, list[Variant]]:
    return {d: [variant_for(SEED, i, d) for i in range(N)] for d in DIFFICULTIES}


def _fronts(drawn: dict[Difficulty, list[Variant]], *difficulties: Difficulty) -> list[Variant]:
    return [v for d in difficulties for v in drawn[d][0::2]]


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def test_the_variant_is_deterministic_and_is_what_the_sample_shows() -> None:
    assert variant_for(3, 5, "hard") == variant_for(3, 5, "hard")
    assert render_sample(3, 5, "hard").variant == variant_for(3, 5, "hard")
    assert render_sample(3, 4, "clean", Side.BACK).variant == variant_for(3, 4, "clean", Side.BACK)
    assert variant_for(3, 6, "hard").card.geometry != variant_for(3, 5, "hard").card.geometry


def test_front_geometry_varies_within_what_real_cards_show(
    drawn: dict[Difficulty, list[Variant]],
) -> None:
    fronts = [
        v.card.geometry.front for v in _fronts(drawn, *DIFFICULTIES) if v.card.bilingual is None
    ]
    for g in fronts:
        assert 5.0 <= g.label_x <= 7.0
        assert 9.2 <= g.name_y <= 10.2
        assert 5.8 <= g.sex_y - g.name_y <= 7.1 and 5.8 <= g.birth_y - g.sex_y <= 7.1
        assert 27.5 <= g.address_y[0] <= 31.0
        assert 4.2 <= g.address_y[1] - g.address_y[0] <= 4.9
        assert 46.3 <= g.number_y <= 48.2
        assert 25.0 <= g.nation_label_x <= 29.0
        for x in (g.name_x, g.sex_x, g.birth_x, g.address_x):
            assert 15.0 <= x <= 19.5
        assert g.label_cap <= g.value_cap
    for values in (
        [g.name_x for g in fronts],
        [g.address_x for g in fronts],
        [g.birth_y for g in fronts],
    ):
        assert max(values) - min(values) >= 1.5  # millimetres, not a fixed template
    # Not the reader's template: rows and the nation value sit elsewhere on most cards.
    assert _share([abs(g.sex_y - L.SEX_Y_MM) > 0.3 for g in fronts]) > 0.7


def test_the_nation_mostly_follows_its_label_closely(
    drawn: dict[Difficulty, list[Variant]],
) -> None:
    gaps = [v.card.geometry.front.nation_gap for v in _fronts(drawn, *DIFFICULTIES)]
    near = [0.5 <= gap <= 2.5 for gap in gaps]
    assert 0.72 <= _share(near) <= 0.88
    assert all(3.0 <= gap <= 7.0 for gap, close in zip(gaps, near, strict=True) if not close)


def test_some_cards_print_the_number_label_with_zheng(
    drawn: dict[Difficulty, list[Variant]],
) -> None:
    labels = [v.card.geometry.front.number_label for v in _fronts(drawn, *DIFFICULTIES)]
    assert set(labels) == set(NUMBER_LABELS)
    assert 0.09 <= _share([label == "公民身份证号码" for label in labels]) <= 0.21


def test_specimen_stamps_on_a_tenth_of_photo_and_hard_fronts_only(
    drawn: dict[Difficulty, list[Variant]],
) -> None:
    stamps = [v.card.stamp for v in _fronts(drawn, "photo", "hard")]
    assert 0.06 <= _share([stamp is not None for stamp in stamps]) <= 0.15
    for stamp in stamps:
        if stamp is not None:
            assert stamp.text == "样证"
            assert stamp.left >= 6.0 and stamp.left + stamp.width <= 20.5
            assert 37.5 <= stamp.centre_y <= 41.5
            assert stamp.color[0] > 150 > stamp.color[2]  # red
    assert all(v.card.stamp is None for v in drawn["clean"])
    assert all(v.card.stamp is None for d in ("photo", "hard") for v in drawn[d][1::2])  # backs


def test_bilingual_cards_on_a_few_photo_and_hard_pictures_of_both_sides(
    drawn: dict[Difficulty, list[Variant]],
) -> None:
    pictures = drawn["photo"] + drawn["hard"]
    bilingual = [i for i, v in enumerate(pictures) if v.card.bilingual is not None]
    assert 0.03 <= len(bilingual) / len(pictures) <= 0.10
    assert {i % 2 for i in bilingual} == {0, 1}  # fronts and backs
    assert all(v.card.bilingual is None for v in drawn["clean"])


def test_every_second_script_is_drawn() -> None:
    scripts = Counter(
        v.card.bilingual.script
        for i in range(1500)
        if (v := variant_for(SEED, i, "photo")).card.bilingual is not None
    )
    assert set(scripts) == set(SCRIPT_NAMES)


def test_vertical_scripts_move_the_front_right_for_their_columns() -> None:
    for i in range(3000):
        variant = variant_for(SEED, i, "hard", Side.FRONT)
        bilingual = variant.card.bilingual
        if bilingual is not None and script_named(bilingual.script).vertical:
            assert variant.card.geometry.front.label_x >= 7.8
            return
    pytest.fail("no Mongolian front in 3000 draws")


def test_photo_effects_mostly_on_hard_lightly_on_photo_never_on_clean(
    drawn: dict[Difficulty, list[Variant]],
) -> None:
    assert all(v.effects == PhotoEffects() for v in drawn["clean"])
    expected = {  # difficulty: (photocopy, low light, motion blur, moiré, recompression)
        "photo": ((0.0, 0.08), (0.01, 0.1), (0.01, 0.1), (0.0, 0.07), (0.05, 0.16)),
        "hard": ((0.13, 0.27), (0.09, 0.22), (0.09, 0.22), (0.07, 0.18), (0.27, 0.43)),
    }
    for difficulty, bounds in expected.items():
        effects = [v.effects for v in drawn[difficulty]]
        shares = (
            _share([e.photocopy for e in effects]),
            _share([e.low_light for e in effects]),
            _share([e.motion_blur_mm > 0 for e in effects]),
            _share([e.moire for e in effects]),
            _share([e.recompressions > 0 for e in effects]),
        )
        for share, (low, high) in zip(shares, bounds, strict=True):
            assert low <= share <= high, (difficulty, shares)
        for e in effects:
            main = (e.photocopy, e.low_light, e.motion_blur_mm > 0, e.moire)
            assert sum(main) <= 1  # stacked, they would leave nothing to read
            assert e.overlay is None or e.photocopy


def test_photocopies_often_carry_a_line_saying_what_they_are_for() -> None:
    effects = [variant_for(SEED, i, "hard").effects for i in range(1000)]
    copies = [e for e in effects if e.photocopy]
    overlays = [e.overlay for e in copies if e.overlay is not None]
    assert 0.45 <= len(overlays) / len(copies) <= 0.75
    assert {o.color for o in overlays} == {(110, 110, 110), (30, 30, 30), (40, 40, 215)}
    assert all(o.text.startswith("仅供") and o.text.endswith("使用") for o in overlays)
    assert any("办理" in o.text and "业务" in o.text for o in overlays)
    assert any(o.angle != 0 for o in overlays) and any(o.angle == 0 for o in overlays)
