"""Where each field's value is on a rectified card: crops in mm, from its detected rows.

Rows are matched to the printed rows in order (name, sex and nation, birth, up to three
address lines; the number at the bottom). Values are not cut at fixed offsets of one
template: real cards place them a few millimetres apart from card to card (the nation
right after its label on most), so a crop runs from where its label or value may start
to where the detected text of its row ends. Crops of the number, the nation and the back's
values take in their printed label, which the domain strips and counts as evidence that
this is the side asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from idcard_ocr.card import layout as L
from idcard_ocr.card.nations import EXTRA_NATIONS, NATIONS
from idcard_ocr.vision.lines import Line, Row, group_rows

DIGITS = "0123456789"
ALPHABETS = {
    "sex": "男女",
    "nation": "".join(sorted(set("".join(NATIONS + EXTRA_NATIONS)) | set("民族"))),
    "birth": DIGITS + "年月日",
    "id": DIGITS + "X公民身份证号码",
    "valid_date": DIGITS + ".-长期有效限",
}
# Digit runs are read from crops widened this much: at the recogniser's 48 px height a
# number's narrow digits get too few CTC frames, and a doubled digit ("00") with no blank
# frame between collapses into one.
STRETCH = {"id": 1.3, "valid_date": 1.3}
LEAD_MM = 2.0  # how far before a value's printed start its crop begins
TAIL_MM = 0.6  # how far past the end of its row's detected text a crop runs
# The sex is one character at the value column; the nation's label follows it within a
# few mm on every card (its value sits 6-10 mm further on, by card), so the nation crop
# starts here and takes in the label 民族.
SEX_SPAN_MM = 5.5
# Cards print their values in one column, a few mm apart from card to card. Where the name,
# birth and address boxes (apart from their labels) start together further right than the
# layout's column, the sex is printed there too and its crop starts there: cut at the
# layout's column, a sex printed 5 mm further on was missed (hard set, 200 cards: two fronts
# whose sex the number stood in for at 50). The nation's label is placed apart from the
# values, and its crop stays put: moved with them, it cut off a 民族 printed at its usual
# place, and a front was taken for another document. Starts within this spread of each
# other; a column moved this much at least and at most.
VALUE_COLUMN_SPREAD_MM = 2.0
VALUE_COLUMN_SHIFT_MM = (1.0, 8.0)
# Address lines after the first start at the value column: a box there that barely
# reaches it is a stamp (样证) or a mark in the label column, not the address.
CONTINUATION_MIN_REACH_MM = 2.5
LABEL_COLUMN_WIDTH_MM = 5.0  # a box starting this far right of the label column is a value
# How far into the portrait's usual place an address line may run: cards that print more
# characters a line, or start their values further right, reach a few mm past it.
PORTRAIT_OVERLAP_MM = 5.0
# Boxes much taller than the card's rows of ideographs are a stamp or a picture; much
# shorter, a second script's line (bilingual cards).
TALL_LINE = 1.5
SHORT_LINE = 0.5
# A line this long is a row, however tall its box: the number on a card flattened a little
# askew spans two rows' heights.
LONG_LINE_MM = 30.0
# Of the label column's rows, one this much smaller than the others is a second script's.
SECOND_SCRIPT = 0.6
STAMP_HEIGHT, STAMP_WIDTH_MM = 1.25, 15.0
# A row starting this close to the label column's median start is a labelled row.
LABEL_COLUMN_MM = 3.0
# A row without a label whose centre is this close to a labelled row's is the same row.
SAME_ROW_MM = 2.0
FRONT_ROWS_Y = (L.NAME_Y_MM, L.SEX_Y_MM, L.BIRTH_Y_MM, *L.ADDRESS_Y_MM)
# The labels that start the name, sex, birth and first address rows, top to bottom.
FRONT_LABELS = ("姓名", "性别", "出生", "住址")
# A label's box ends within this many mm of the column's start (it may run on into its
# value when the detector joins them: the label's text is read from this much of it).
LABEL_SPAN_MM = 9.0
# A box whose centre is within this share of the taller box's height of a label's centre
# shares its baseline; a second script's line over or under a value is a row's height off.
SAME_BASELINE = 0.45
# Of a line's characters, at least this share must be ideographs or digits for the line
# to be Chinese (a second script read by the Chinese model comes out as letters or signs).
CHINESE_SHARE = 0.5

# A bilingual card's label column holds at most the four labels, their second script's
# lines, and a stamp or two: more boxes there are a page of text, not read for labels.
MAX_COLUMN_BOXES = 12
# A back whose one row under the title sits this near the validity's place (mm, the back's
# frame puts its last row there) had its authority row go unseen.
UNSEEN_ROW_MM = 1.0

# What the recogniser reads in each crop: its sure characters as text.
ReadText = Callable[[Sequence["Crop"]], list[str]]


@dataclass(frozen=True)
class Frame:
    """An axis-wise linear map from where lines were found to where the layout prints them.

    It absorbs a card outline found a little too large or small or shifted (a finger on an
    edge, a card inferred from its text), so crops are cut where the text really is.
    """

    ax: float = 1.0
    bx: float = 0.0
    ay: float = 1.0
    by: float = 0.0

    def to_layout(self, line: Line) -> Line:
        return Line(
            self.ax * line.x0 + self.bx,
            self.ay * line.y0 + self.by,
            self.ax * line.x1 + self.bx,
            self.ay * line.y1 + self.by,
        )

    def to_found(self, crop: Crop) -> Crop:
        return replace(
            crop,
            x0=(crop.x0 - self.bx) / self.ax,
            y0=(crop.y0 - self.by) / self.ay,
            x1=(crop.x1 - self.bx) / self.ax,
            y1=(crop.y1 - self.by) / self.ay,
        )


def _fit(found: tuple[float, float], printed: tuple[float, float]) -> tuple[float, float] | None:
    """Scale and offset taking two found coordinates to their printed ones, if plausible."""
    span = found[1] - found[0]
    if abs(span) < 1e-6:
        return None
    scale = (printed[1] - printed[0]) / span
    if not 0.8 <= scale <= 1.25:
        return None
    return scale, printed[0] - scale * found[0]


@dataclass(frozen=True)
class Crop:
    """One region to recognise, in mm on the canonical card, and what it belongs to."""

    field: str
    x0: float
    y0: float
    x1: float
    y1: float
    # Whether the crop ends where its row's detected text does (TAIL_MM after it), not cut
    # short at the portrait.
    ends_text: bool = True

    @property
    def alphabet(self) -> str | None:
        return ALPHABETS.get(self.field)

    @property
    def stretch(self) -> float:
        """How much wider than it is the crop is read (`STRETCH`)."""
        return STRETCH.get(self.field, 1.0)

    @property
    def value_x(self) -> float:
        """Where the value's print starts (mm): a value's crop begins LEAD_MM before it."""
        return self.x0 + LEAD_MM

    def at(self, share: float) -> float:
        """The x (mm) this share of the crop's width along (a character's centre, read)."""
        return self.x0 + share * (self.x1 - self.x0)

    def grown(self, mm: float) -> Crop:
        """The same crop with `mm` more on every side."""
        return replace(self, x0=self.x0 - mm, y0=self.y0 - mm, x1=self.x1 + mm, y1=self.y1 + mm)

    def pixels(self, px_per_mm: float, shape: tuple[int, ...]) -> tuple[slice, slice]:
        h, w = shape[:2]
        # Clamped inside the card, so that a crop found beyond its edge is a sliver, not empty.
        y0 = min(h - 1, max(0, round(self.y0 * px_per_mm)))
        x0 = min(w - 1, max(0, round(self.x0 * px_per_mm)))
        y1, x1 = min(h, round(self.y1 * px_per_mm)), min(w, round(self.x1 * px_per_mm))
        return slice(y0, max(y1, y0 + 1)), slice(x0, max(x1, x0 + 1))


def _value(field: str, row: Row, start: float, end: float | None = None) -> Crop | None:
    """The crop of a value printed from `start` mm to the row's end (or `end`)."""
    stop = row.x1 + TAIL_MM if end is None else end
    if stop - start < 1.5:
        return None
    return Crop(field, start - LEAD_MM, row.y0, stop, row.y1)


def _column_offset(rows: list[Row], label_x: float) -> float:
    """How far right of its printed place the label column was found (mm)."""
    starts = [row.x0 - label_x for row in rows if abs(row.x0 - label_x) < 3.5]
    return float(np.median(starts)) if starts else 0.0


def front_frame(lines: list[Line]) -> Frame:
    """The frame that puts the number row and the label column where the layout has them."""
    rows = group_rows(lines)
    bottom = [r for r in rows if r.cy > 35.0 and r.width > 30.0]
    tall = 0.75 * float(np.median([r.y1 - r.y0 for r in rows])) if rows else 0.0
    top = [r for r in rows if r.cy < 20.0 and r.x0 < 20.0 and r.y1 - r.y0 >= tall]
    if not bottom or not top:
        return Frame()
    number, name = bottom[-1], top[0]
    fy = _fit((name.cy, number.cy), (L.NAME_Y_MM, L.NUMBER_Y_MM))
    starts = [r.x0 for r in rows if r.x0 < 14.0 and r.cy < number.cy - 3]
    fx = None
    if starts:
        column = float(np.median(starts))
        fx = _fit((column, number.x1), (L.LABEL_X_MM, L.NUMBER_RIGHT_MM))
        fx = fx or (1.0, L.LABEL_X_MM - column)
    return Frame(*(fx or (1.0, 0.0)), *(fy or (1.0, 0.0)))


def front_crops(lines: list[Line], read: ReadText | None = None) -> list[Crop]:
    """The value crops of a front, in found mm, or [] when its rows do not fit the layout.

    `read`, when given, reads text from crops; it is asked only when the label column shows
    more rows than the four labels (a bilingual card's second script, a stamp), to tell
    which rows the labels start.
    """
    return _in_frame(lines, front_frame, _front_crops, read)


def _front_crops(lines: list[Line], read: ReadText | None = None) -> list[Crop]:
    portrait = L.PORTRAIT
    text = [ln for ln in lines if not (ln.x0 > portrait.x0 - 1 and ln.cy < portrait.y1)]
    rows = group_rows(text)
    bottom = [r for r in rows if abs(r.cy - L.NUMBER_Y_MM) < 5 and r.x1 > L.NUMBER_RIGHT_MM - 20]
    if not bottom:
        return []
    number = min(bottom, key=lambda r: abs(r.cy - L.NUMBER_Y_MM))
    upper = [r for r in rows if 3.0 < r.cy < number.cy - 5.0]
    slots = None
    if read is not None and _crowded(upper):
        slots = _by_read_labels([ln for r in upper for ln in r.lines], read)
    slots = slots or _by_labels(upper) or _assign(upper, number.cy - L.NUMBER_Y_MM)
    dx = _column_offset([r for i, r in slots.items() if i <= 3], L.LABEL_X_MM)
    value_x = L.VALUE_X_MM + dx
    crops = [_value("id", number, L.NUMBER_LABEL_X_MM + dx)]
    if 0 in slots:
        crops.append(_value("name", slots[0], value_x))
    if 1 in slots:
        sex_x = _value_column(slots, L.LABEL_X_MM + dx + LABEL_COLUMN_WIDTH_MM, value_x)
        crops.append(_value("sex", slots[1], sex_x, sex_x + SEX_SPAN_MM))
        # A one-character nation (汉) may escape the detector: leave room for it regardless.
        nation_end = max(slots[1].x1 + TAIL_MM, L.NATION_VALUE_X_MM + dx + 3 * L.VALUE_SIZE_MM)
        crops.append(_value("nation", slots[1], value_x + SEX_SPAN_MM + LEAD_MM, nation_end))
    if 2 in slots:
        crops.append(_value("birth", slots[2], value_x))
    for i in (3, 4, 5):
        row = slots.get(i) if i == 3 else _continuation(slots.get(i), dx)
        if row is not None:
            bound = L.PORTRAIT.x0 + dx + PORTRAIT_OVERLAP_MM
            # A line after the first starts where its own box does, if that is further left.
            start = value_x if i == 3 else min(value_x, row.x0 + LEAD_MM - 0.6)
            crop = _value("address", row, start, min(row.x1 + TAIL_MM, bound))
            if crop is not None:
                crops.append(replace(crop, ends_text=row.x1 + TAIL_MM <= bound))
    return [c for c in crops if c is not None]


def _value_column(slots: dict[int, Row], clear: float, value_x: float) -> float:
    """Where this card prints its values (mm): where the boxes of the name, the birth and
    the address's first line that start clear of the label column (`clear`) begin, when at
    least two do, together, further right than `value_x`; `value_x` otherwise. A row whose
    label and value are one box tells nothing."""
    firsts = (
        min((ln.x0 for ln in slots[i].lines if ln.x0 >= clear), default=None)
        for i in (0, 2, 3)
        if i in slots
    )
    starts = sorted(x for x in firsts if x is not None)
    if len(starts) < 2 or starts[-1] - starts[0] > VALUE_COLUMN_SPREAD_MM:
        return value_x
    column = float(np.median(starts))
    low, high = VALUE_COLUMN_SHIFT_MM
    return column if low <= column - value_x <= high else value_x


def _printed(lines: list[Line]) -> list[Line]:
    """The boxes of the card's Chinese rows: none much taller (a stamp, a vertical script's
    column) or much shorter (a second script's line above a label or value, as bilingual
    cards print) than the rows of ideographs, which are the taller part of the boxes."""
    if not lines:
        return lines
    rows = [ln.height for ln in lines if ln.width < LONG_LINE_MM] or [ln.height for ln in lines]
    typical = float(np.percentile(rows, 75))
    return [
        ln
        for ln in lines
        if SHORT_LINE * typical <= ln.height
        and (ln.height <= TALL_LINE * typical or ln.width >= LONG_LINE_MM)
    ]


def _by_labels(rows: list[Row]) -> dict[int, Row] | None:
    """Rows matched to the printed rows by their order down the label column.

    The four labels 姓名, 性别, 出生, 住址 start the name, sex, birth and first address rows
    on every card, however far apart a card prints them; rows without a label beside one
    of them belong to it, and those below the address's first line continue it. None when
    the label column does not show exactly four rows.
    """
    found = _label_column(rows)
    if found is None:
        return None
    labelled = found[1]
    if len(labelled) > 4:  # a second script's lines beside the labels are smaller
        typical = float(np.median([r.y1 - r.y0 for r in labelled]))
        labelled = [r for r in labelled if r.y1 - r.y0 >= SECOND_SCRIPT * typical]
    if len(labelled) > 4:
        typical = float(np.median([r.y1 - r.y0 for r in labelled]))
        labelled = [r for r in labelled if not _stamp_like(r, typical)]
    if len(labelled) < 4:
        return None
    labelled = labelled[:4]  # below the address's first line: a stamp, or its next line
    slots = dict(enumerate(labelled))
    following: list[Row] = []
    height = float(np.median([r.y1 - r.y0 for r in labelled]))
    for row in (r for r in rows if r not in labelled):
        if row.y1 - row.y0 < SECOND_SCRIPT * height and row.cy < labelled[3].cy + SAME_ROW_MM:
            continue  # a second script's line over a value (below, a short address line)
        if _stamp_like(row, height):
            continue
        near = min(range(4), key=lambda i: abs(labelled[i].cy - row.cy))
        if abs(labelled[near].cy - row.cy) < SAME_ROW_MM:
            slots[near] = Row(slots[near].lines + row.lines)
        elif row.cy > labelled[3].cy:
            following.append(row)
    for i, row in zip((4, 5), following, strict=False):
        slots[i] = row
    return slots


def _label_column(rows: list[Row]) -> tuple[float, list[Row]] | None:
    """Where the label column starts (mm) and the rows that start there."""
    starts = [r.x0 for r in rows if r.x0 < L.VALUE_X_MM - 2]
    if not starts:
        return None
    column = float(np.median(starts))
    return column, [r for r in rows if abs(r.x0 - column) < LABEL_COLUMN_MM]


def _crowded(rows: list[Row]) -> bool:
    """Whether the label column starts more rows than the four labels."""
    found = _label_column(rows)
    return found is not None and len(found[1]) > 4


def _by_read_labels(lines: list[Line], read: ReadText) -> dict[int, Row] | None:
    """Rows matched to the printed rows by the labels read in the label column.

    The boxes in the label column are read first, for their label (the first
    `LABEL_SPAN_MM` of each); only when the four labels read there, in order, are the other
    boxes read, to tell Chinese lines from a second script's. A Chinese box joins the label
    whose baseline it shares; those below the address's label, on no label's baseline,
    continue the address. None unless the four labels were read (a page of text, say).
    """
    column_boxes = [ln for ln in lines if ln.x0 < L.VALUE_X_MM - 2]
    if not column_boxes:
        return None
    column = float(np.median([ln.x0 for ln in column_boxes]))
    in_column = [ln for ln in lines if abs(ln.x0 - column) < LABEL_COLUMN_MM]
    if len(in_column) > MAX_COLUMN_BOXES:
        return None  # no card's label column holds so many lines: not a front
    texts = read(
        [
            Crop("label", ln.x0 - 0.5, ln.y0, min(ln.x1, column + LABEL_SPAN_MM) + 0.3, ln.y1)
            for ln in in_column
        ]
    )
    labels: dict[int, Line] = {}
    for ln, text in zip(in_column, texts, strict=True):
        index = _label_index(text)
        if index is not None and index not in labels:
            labels[index] = ln
    if len(labels) < 4 or any(labels[i].cy >= labels[i + 1].cy for i in range(3)):
        return None
    # The column's other boxes are a second script's labels unless they run on into a value.
    others = [
        ln
        for ln in lines
        if ln not in labels.values() and (ln not in in_column or ln.x1 >= column + LABEL_SPAN_MM)
    ]
    texts = read([Crop("text", ln.x0 - 0.5, ln.y0, ln.x1 + 0.5, ln.y1) for ln in others])
    members: dict[int, list[Line]] = {i: [labels[i]] for i in range(4)}
    following: list[Line] = []
    for ln, text in zip(others, texts, strict=True):
        if not _chinese(text):
            continue
        near = min(range(4), key=lambda i: abs(labels[i].cy - ln.cy))
        if abs(labels[near].cy - ln.cy) < SAME_BASELINE * max(labels[near].height, ln.height):
            members[near].append(ln)
        elif ln.cy > labels[3].cy:
            following.append(ln)
    slots = {i: Row(tuple(sorted(m, key=lambda b: b.x0))) for i, m in members.items()}
    for i, row in zip((4, 5), group_rows(following), strict=False):
        slots[i] = row
    return slots


def _label_index(text: str) -> int | None:
    """Which of the four labels a label box reads as: one or two of its characters, and
    no more than three ideographs in all (else it is a value, not a label)."""
    ideographs = {c for c in text if _ideograph(c)}
    if not ideographs or len([c for c in text if _ideograph(c)]) > 3:
        return None
    hits = [i for i, label in enumerate(FRONT_LABELS) if ideographs & set(label)]
    return hits[0] if len(hits) == 1 else None


def _chinese(text: str) -> bool:
    """Whether a line reads as Chinese: mostly ideographs and digits."""
    chars = [c for c in text if not c.isspace()]
    han = sum(_ideograph(c) or c.isdigit() for c in chars)
    return bool(chars) and han >= CHINESE_SHARE * len(chars)


def _ideograph(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _stamp_like(row: Row, height: float) -> bool:
    """A short box taller than the rows around it: a stamp (样证) in the label column."""
    tall = row.y1 - row.y0 > STAMP_HEIGHT * height
    return tall and row.width < STAMP_WIDTH_MM and row.x0 < L.VALUE_X_MM - LEAD_MM


def _continuation(row: Row | None, dx: float) -> Row | None:
    """An address line after the first: its boxes that start clear of the label column (a
    last line may be one character) or reach well into the value column."""
    if row is None:
        return None
    reach = L.VALUE_X_MM + dx + CONTINUATION_MIN_REACH_MM
    clear = L.LABEL_X_MM + dx + LABEL_COLUMN_WIDTH_MM
    kept = tuple(ln for ln in row.lines if ln.x0 >= clear or ln.x1 >= reach)
    return Row(kept) if kept else None


def _assign(rows: list[Row], dy: float) -> dict[int, Row]:
    """Match rows to printed rows by height, shifted by the offset the number row showed."""
    slots: dict[int, Row] = {}
    for row in rows:
        distances = [abs(row.cy - dy - y) for y in FRONT_ROWS_Y]
        slot = int(np.argmin(distances))
        if distances[slot] > 2.6:
            continue
        if slot in slots:
            slots[slot] = Row(slots[slot].lines + row.lines)
        else:
            slots[slot] = row
    return slots


def back_frame(lines: list[Line]) -> Frame:
    """The frame that puts the title and the validity row where the layout has them."""
    rows = group_rows(lines)
    titles = [r for r in rows if r.cy < 16.0 and r.x0 > 22.0]
    bottom = [r for r in rows if r.cy > 38.0 and r.x0 < 28.0]
    if not titles or not bottom:
        return Frame()
    title, validity = titles[0], bottom[-1]
    fy = _fit((title.cy, validity.cy), (L.TITLE_COUNTRY.cy, L.VALIDITY_Y_MM))
    starts = [r.x0 for r in bottom]
    fx = (1.0, L.BACK_LABEL_X_MM - float(np.median(starts)))
    return Frame(*fx, *(fy or (1.0, 0.0)))


def _authority_above(validity: Row) -> Row:
    """Where the authority is printed, one row above the validity: a `仅供…使用` line written
    across it can merge the two into a box the detector drops, while the validity row below
    is found. Its reading is held to the contract like any other (it must name a bureau)."""
    up = L.VALIDITY_Y_MM - L.AUTHORITY_Y_MM
    box = Line(L.BACK_VALUE_X_MM, validity.y0 - up, L.BACK_VALUE_RIGHT_MM, validity.y1 - up)
    return Row((box,))


def back_crops(lines: list[Line], read: ReadText | None = None) -> list[Crop]:
    """The value crops of a back, in found mm, or [] when its rows do not fit the layout.

    `read`, when given, reads text from crops; it is asked only when more than two rows
    sit where the authority and the validity are printed, to drop a second script's.
    """
    return _in_frame(lines, back_frame, _back_crops, read)


def _in_frame(
    lines: list[Line],
    frame_of: Callable[[list[Line]], Frame],
    crops_of: Callable[[list[Line], ReadText | None], list[Crop]],
    read: ReadText | None,
) -> list[Crop]:
    """The crops `crops_of` cuts from the printed lines put in their layout frame, mapped
    back to found mm (`read`, too, is given crops in the frame and reads them where found)."""
    printed = _printed(lines)
    frame = frame_of(printed)
    layout = [frame.to_layout(ln) for ln in printed]
    if read is None:
        return [frame.to_found(c) for c in crops_of(layout, None)]
    found = read

    def read_here(crops: Sequence[Crop]) -> list[str]:
        return found([frame.to_found(c) for c in crops])

    return [frame.to_found(c) for c in crops_of(layout, read_here)]


def _back_crops(lines: list[Line], read: ReadText | None = None) -> list[Crop]:
    rows = [r for r in group_rows(lines) if r.cy > 33.0 and r.x1 > L.BACK_VALUE_X_MM + 2]
    if len(rows) > 2 and read is not None:
        texts = read([Crop("text", r.x0 - 0.5, r.y0, r.x1 + 0.5, r.y1) for r in rows])
        rows = [r for r, text in zip(rows, texts, strict=True) if _chinese(text)]
    unseen = len(rows) == 1 and abs(rows[0].cy - L.VALIDITY_Y_MM) < UNSEEN_ROW_MM
    if unseen:
        rows = [_authority_above(rows[0]), rows[0]]
    if len(rows) < 2:
        return []
    authority, validity = rows[-2], rows[-1]
    dx = _column_offset([authority, validity], L.BACK_LABEL_X_MM)
    # An unseen authority row is cut from its value's column: the line across it crosses
    # its label too, which then reads as characters no label match removes.
    authority_x = L.BACK_VALUE_X_MM if unseen else L.BACK_LABEL_X_MM
    crops = [
        _value("authority", authority, authority_x + dx),
        _value("valid_date", validity, L.BACK_LABEL_X_MM + dx),
    ]
    return [c for c in crops if c is not None]
