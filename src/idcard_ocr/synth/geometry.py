"""Where one card prints its items, in mm from its top-left corner, drawn per card.

Real cards differ from each other by millimetres: rows sit higher or lower, values start
further right, the nation follows its label closely, labels are larger or smaller. The
ranges here are measured on real cards and public specimen photos, not taken from the
reader's `card.layout`, so rendered sets can show where the reader's idea of the card is
wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from idcard_ocr.card.layout import Box

NUMBER_LABELS = ("公民身份号码", "公民身份证号码")
# Share of fronts whose number label reads 公民身份证号码, as some real cards print it.
LONG_NUMBER_LABEL_SHARE = 0.15
# Share of fronts whose nation value follows its label closely (0.5-2.5 mm), as on real cards.
NEAR_NATION_SHARE = 0.8
NEAR_NATION_GAP_MM = (0.5, 2.5)
WIDE_NATION_GAP_MM = (3.0, 7.0)
# Share of fronts wrapping the address after 12 characters instead of 11.
WIDE_ADDRESS_SHARE = 0.15
# Rows of a bilingual card stay this far apart, for the second script's line between them.
BILINGUAL_ROW_PITCH_MM = 6.4
# Advance of an ideograph per mm of its ink height, in the heiti faces cards are printed in.
EM_PER_CAP = 1.12
# Real cards leave about 3-4 mm between a label's end and its value; never less than this.
MIN_VALUE_GAP_MM = 2.0
# How far right a vertical second script's columns push a bilingual front (mm).
COLUMN_ROOM_MM = 2.8


@dataclass(frozen=True)
class FrontGeometry:
    """The portrait side: rows (vertical centres), columns (left edges), type sizes (cap
    heights of ideographs), all in mm. Gaps are measured from the end of the text before."""

    label_x: float
    label_cap: float
    label_pair_tracking: float  # extra em between the two characters of 姓名, 性别, ...
    value_cap: float
    name_y: float
    sex_y: float
    birth_y: float
    address_y: tuple[float, float, float]
    number_y: float
    name_x: float
    sex_x: float
    birth_x: float
    address_x: float
    nation_label_x: float
    nation_gap: float  # from the end of the 民族 label to the nation value
    birth_gaps: tuple[float, float, float, float, float]  # after 1995, 年, 5, 月, 13
    address_chars: int  # characters per address line
    address_pitch: float  # mm per address character (narrower than the type: condensed)
    number_label: str
    number_x: float
    number_width: float  # the number is spread over this width
    number_cap: float
    portrait: Box


@dataclass(frozen=True)
class BackGeometry:
    """The emblem side: emblem, titles, and the two labelled rows, in mm."""

    emblem: Box
    title_country: Box  # 中华人民共和国
    title_card: Box  # 居民身份证
    label_x: float
    label_cap: float
    value_cap: float
    value_gap: float  # from the end of a label to its value
    authority_y: float
    validity_y: float


@dataclass(frozen=True)
class CardGeometry:
    """Both sides of one card's print."""

    front: FrontGeometry
    back: BackGeometry


def random_geometry(rng: random.Random) -> CardGeometry:
    """A card's print geometry, every figure drawn within what real cards show."""
    label_cap = rng.uniform(2.3, 2.9)
    value_cap = rng.uniform(max(label_cap, 2.8), 3.35)
    return CardGeometry(
        _front(rng, label_cap, value_cap), _back(rng, rng.uniform(2.4, 3.0), value_cap)
    )


def _front(rng: random.Random, label_cap: float, value_cap: float) -> FrontGeometry:
    pitch = rng.uniform(6.1, 6.8)
    name_y = rng.uniform(9.2, 10.2)
    sex_y = name_y + pitch + rng.uniform(-0.25, 0.25)
    birth_y = sex_y + pitch + rng.uniform(-0.25, 0.25)
    first_line = max(rng.uniform(27.8, 30.0), birth_y + 5.6)
    line_pitch = rng.uniform(4.2, 4.9)
    label_x, pair = rng.uniform(5.0, 7.0), rng.uniform(0.3, 0.75)
    label_end = label_x + label_cap * EM_PER_CAP * (2 + pair)
    value_x = max(rng.uniform(15.8, 18.0), label_end + MIN_VALUE_GAP_MM + 0.5)

    def jitter() -> float:
        return max(value_x + rng.uniform(-0.7, 0.9), label_end + MIN_VALUE_GAP_MM)

    near = rng.random() < NEAR_NATION_SHARE
    dx, dy = rng.uniform(-1.0, 1.0), rng.uniform(-0.8, 0.8)
    return FrontGeometry(
        label_x=label_x,
        label_cap=label_cap,
        label_pair_tracking=pair,
        value_cap=value_cap,
        name_y=name_y,
        sex_y=sex_y,
        birth_y=birth_y,
        address_y=(first_line, first_line + line_pitch, first_line + 2 * line_pitch),
        number_y=rng.uniform(46.3, 48.2),
        name_x=jitter(),
        sex_x=jitter(),
        birth_x=jitter(),
        address_x=jitter(),
        nation_label_x=rng.uniform(25.0, 29.0),
        nation_gap=rng.uniform(*(NEAR_NATION_GAP_MM if near else WIDE_NATION_GAP_MM)),
        birth_gaps=(
            rng.uniform(0.8, 3.0),
            rng.uniform(0.2, 1.5),
            rng.uniform(0.4, 2.0),
            rng.uniform(0.2, 1.5),
            rng.uniform(0.4, 2.0),
        ),
        address_chars=12 if rng.random() < WIDE_ADDRESS_SHARE else 11,
        address_pitch=rng.uniform(3.1, 3.45),
        number_label=NUMBER_LABELS[rng.random() < LONG_NUMBER_LABEL_SHARE],
        number_x=rng.uniform(27.5, 31.0),
        number_width=rng.uniform(42.0, 50.0),
        number_cap=rng.uniform(2.9, 3.5),
        portrait=Box(54.0 + dx, 6.0 + dy, 80.5 + dx, 40.0 + dy),
    )


def _back(rng: random.Random, label_cap: float, value_cap: float) -> BackGeometry:
    def moved(box: Box, dx: float, dy: float) -> Box:
        return Box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)

    titles_dx, titles_dy = rng.uniform(-1.0, 1.0), rng.uniform(-0.7, 0.7)
    authority_y = rng.uniform(39.5, 42.5)
    return BackGeometry(
        emblem=moved(Box(6.0, 4.5, 21.5, 21.0), rng.uniform(-1.0, 1.0), rng.uniform(-0.8, 0.8)),
        title_country=moved(Box(30.0, 8.0, 78.0, 13.0), titles_dx, titles_dy),
        title_card=moved(Box(27.0, 16.5, 79.0, 24.5), titles_dx, titles_dy),
        label_x=rng.uniform(15.5, 21.5),
        label_cap=label_cap,
        value_cap=value_cap,
        value_gap=rng.uniform(2.0, 5.0),
        authority_y=authority_y,
        validity_y=min(authority_y + rng.uniform(5.5, 7.5), 49.5),
    )


def for_second_script(geometry: CardGeometry, vertical: bool) -> CardGeometry:
    """The geometry of a bilingual card: rows far enough apart for a line of the second
    script between them, or (vertical scripts) everything moved right for a column left of
    each label."""
    front, back = geometry.front, geometry.back
    if vertical:
        front = replace(
            front,
            label_x=front.label_x + COLUMN_ROOM_MM,
            name_x=front.name_x + COLUMN_ROOM_MM,
            sex_x=front.sex_x + COLUMN_ROOM_MM,
            birth_x=front.birth_x + COLUMN_ROOM_MM,
            address_x=front.address_x + COLUMN_ROOM_MM,
            nation_label_x=front.nation_label_x + COLUMN_ROOM_MM,
        )
    else:
        first_line = max(front.address_y[0], front.birth_y + BILINGUAL_ROW_PITCH_MM)
        pitch = front.address_y[1] - front.address_y[0]
        front = replace(front, address_y=(first_line, first_line + pitch, first_line + 2 * pitch))
    validity_y = min(max(back.validity_y, back.authority_y + BILINGUAL_ROW_PITCH_MM), 50.0)
    return CardGeometry(front, replace(back, validity_y=validity_y))
