"""Where things are printed on the card, in millimetres from the top-left corner.

Both the renderer and the reader use these figures: the renderer prints there, the reader
looks there after rectifying the card. They follow the real second-generation card
(ISO ID-1, 85.6 x 54 mm); a real card is printed within about 1 mm of them, so the reader
treats every box as a neighbourhood, never as an exact crop.
"""

from __future__ import annotations

from dataclasses import dataclass

CARD_WIDTH_MM = 85.6
CARD_HEIGHT_MM = 54.0
CORNER_RADIUS_MM = 3.18


@dataclass(frozen=True)
class Box:
    """An axis-aligned box on the card, in mm."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def scaled(self, px_per_mm: float) -> tuple[int, int, int, int]:
        """The box in pixels of a card rendered at `px_per_mm`."""
        return (
            round(self.x0 * px_per_mm),
            round(self.y0 * px_per_mm),
            round(self.x1 * px_per_mm),
            round(self.y1 * px_per_mm),
        )


# Type sizes (cap height of CJK glyphs, mm).
LABEL_SIZE_MM = 2.6
VALUE_SIZE_MM = 3.2
NUMBER_SIZE_MM = 3.4

# --- front (人像面) --------------------------------------------------------------------------
# Label column and value column; each row is given by its text's vertical centre.
LABEL_X_MM = 6.0
VALUE_X_MM = 16.5
NAME_Y_MM = 9.5
SEX_Y_MM = 15.5
NATION_LABEL_X_MM = 28.0
NATION_VALUE_X_MM = 38.0
BIRTH_Y_MM = 21.5
# Birth is printed `1995 年 5 月 13 日`: the x of each part's left edge.
BIRTH_YEAR_X_MM = 16.5
BIRTH_NIAN_X_MM = 25.5
BIRTH_MONTH_X_MM = 30.0
BIRTH_YUE_X_MM = 34.5
BIRTH_DAY_X_MM = 38.5
BIRTH_RI_X_MM = 43.0
ADDRESS_Y_MM = (27.5, 32.3, 37.1)
ADDRESS_CHARS_PER_LINE = 11
ADDRESS_RIGHT_MM = 51.5
NUMBER_LABEL_X_MM = 6.0
NUMBER_Y_MM = 47.0
NUMBER_X_MM = 28.5
NUMBER_RIGHT_MM = 80.5
PORTRAIT = Box(54.0, 6.0, 80.5, 40.0)

# --- back (国徽面) ---------------------------------------------------------------------------
EMBLEM = Box(6.0, 4.5, 21.5, 21.0)
TITLE_COUNTRY = Box(30.0, 8.0, 78.0, 13.0)  # 中华人民共和国
TITLE_CARD = Box(27.0, 16.5, 79.0, 24.5)  # 居民身份证
BACK_LABEL_X_MM = 16.0
BACK_VALUE_X_MM = 31.0
AUTHORITY_Y_MM = 41.5
VALIDITY_Y_MM = 47.5
BACK_VALUE_RIGHT_MM = 82.0

LABELS_FRONT = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
LABELS_BACK = ("签发机关", "有效期限")
