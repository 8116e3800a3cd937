"""What the renderer prints: exactly the labels (address forms included), where the card's
geometry says (the nation right after its label), and stamps and second scripts on top that
change no label."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image

from idcard_ocr.card.model import Side
from idcard_ocr.synth import labels_for, render
from idcard_ocr.synth import scripts as scripts_module
from idcard_ocr.synth.identity import Identity, generate_identity
from idcard_ocr.synth.marks import random_stamp
from idcard_ocr.synth.render import CardPrint, render_card
from idcard_ocr.synth.scripts import SCRIPTS, Bilingual
from idcard_ocr.synth.text import TypeStyle
from idcard_ocr.synth.variant import random_variant

PPM = 8.0
Call = tuple[str, float, float, float]  # text, x, y centre, end (px)


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Call]]:
    """Every line the renderer sets, in order, with where it starts and ends."""
    calls: list[Call] = []
    original = render.draw_text

    def record(
        canvas: Image.Image,
        text: str,
        x: float,
        y: float,
        style: TypeStyle,
        width: float | None = None,
        justify: bool = False,
    ) -> float:
        end = original(canvas, text, x, y, style, width, justify)
        calls.append((text, x, y, end))
        return end

    monkeypatch.setattr(render, "draw_text", record)
    yield calls


def _card(seed: int, short_address: bool = False) -> tuple[Identity, CardPrint]:
    """An identity (whose address is printed without a level, if asked) and a clean print."""
    for attempt in range(500):
        rng = random.Random(f"{seed}:{attempt}")
        identity = generate_identity(rng)
        if identity.address.startswith(identity.region.name) != short_address:
            return identity, random_variant(rng, "clean", Side.FRONT).card
    raise LookupError("no such identity in 500 draws")


def _at(calls: list[Call], x_mm: float, *rows_mm: float) -> list[str]:
    """Texts set starting at x_mm and centred on one of the rows, in order."""
    return [
        text
        for text, x, y, _ in calls
        if abs(x - x_mm * PPM) <= 1 and any(abs(y - row * PPM) <= 1 for row in rows_mm)
    ]


@pytest.mark.parametrize("short_address", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_the_front_prints_exactly_its_labels(
    printed: list[Call], seed: int, short_address: bool
) -> None:
    identity, card = _card(seed, short_address)
    render_card(identity, Side.FRONT, card, PPM)
    labels = labels_for(identity, Side.FRONT)
    g = card.geometry.front
    assert "".join(_at(printed, g.address_x, *g.address_y)) == labels["address"]
    assert _at(printed, g.name_x, g.name_y) == [labels["name"]]
    assert _at(printed, g.sex_x, g.sex_y) == [labels["sex"]]
    birth = "".join(text for text, _, y, _ in printed if abs(y - g.birth_y * PPM) <= 1)
    year, month, day = labels["birth"].split("/")
    assert birth == f"出生{year}年{month}月{day}日"
    assert [text for text, *_ in printed if text.isdigit() or text[:17].isdigit()][-1] == (
        labels["id"]
    )
    assert g.number_label in [text for text, *_ in printed]


def test_addresses_without_a_level_are_printed_as_labelled(printed: list[Call]) -> None:
    identity, card = _card(7, short_address=True)
    render_card(identity, Side.FRONT, card, PPM)
    g = card.geometry.front
    address = "".join(_at(printed, g.address_x, *g.address_y))
    assert address == identity.address
    assert not address.startswith(identity.region.name)


@pytest.mark.parametrize("seed", range(6))
def test_the_nation_is_printed_its_gap_after_its_label(printed: list[Call], seed: int) -> None:
    identity, card = _card(seed)
    render_card(identity, Side.FRONT, card, PPM)
    texts = [text for text, *_ in printed]
    label = texts.index("民族")
    nation, x, _, _ = printed[label + 1]
    assert nation == identity.nation
    gap_px = x - printed[label][3]
    assert abs(gap_px - card.geometry.front.nation_gap * PPM) <= 1


def test_the_back_prints_exactly_its_labels(printed: list[Call]) -> None:
    identity, _ = _card(3)
    card = random_variant(random.Random(3), "clean", Side.BACK).card
    render_card(identity, Side.BACK, card, PPM)
    labels = labels_for(identity, Side.BACK)
    texts = [text for text, *_ in printed]
    assert texts[texts.index("签发机关") + 1] == labels["authority"]
    assert texts[texts.index("有效期限") + 1] == labels["valid_date"]


def _difference(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> NDArray[np.bool_]:
    return np.asarray(np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 30)


def test_the_stamp_is_red_and_where_it_was_drawn() -> None:
    identity, card = _card(11)
    stamp = random_stamp(random.Random(5))
    plain = render_card(identity, Side.FRONT, card, PPM)
    stamped = render_card(identity, Side.FRONT, replace(card, stamp=stamp), PPM)
    changed = _difference(plain, stamped)
    ys, xs = np.nonzero(changed)
    assert len(xs) > 200
    assert xs.min() >= (stamp.left - 1) * PPM and xs.max() <= (stamp.left + stamp.width + 1) * PPM
    assert abs(ys.mean() - stamp.centre_y * PPM) <= 1.5 * PPM
    ink = stamped[changed].astype(int)
    assert (ink[:, 0] - ink[:, 2]).mean() > 40  # red over blue (RGB)


@pytest.mark.parametrize("script", [s.name for s in SCRIPTS])
@pytest.mark.parametrize("side", [Side.FRONT, Side.BACK])
def test_second_scripts_are_printed_beside_unchanged_chinese(
    printed: list[Call], script: str, side: Side
) -> None:
    identity, card = _card(13)
    plain = render_card(identity, side, card, PPM)
    chinese = list(printed)
    printed.clear()
    bilingual = replace(card, bilingual=Bilingual(script, script != "zhuang", 99))
    both = render_card(identity, side, bilingual, PPM)
    assert [text for text, *_ in printed] == [text for text, *_ in chinese]
    assert _difference(plain, both).sum() > 150  # the second script's ink


def test_a_script_without_its_font_is_skipped_not_drawn_as_boxes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scripts_module, "first_face", lambda families, probe: None)
    identity, card = _card(17)
    plain = render_card(identity, Side.FRONT, card, PPM)
    bilingual = render_card(
        identity, Side.FRONT, replace(card, bilingual=Bilingual("mongolian", True, 1)), PPM
    )
    assert np.array_equal(plain, bilingual)
    drawn = [random_variant(random.Random(i), "hard", Side.FRONT).card for i in range(300)]
    assert all(card.bilingual is None for card in drawn)
