"""Register the card's printed layout to its detected text: a card outline, corrected.

An outline that is a little off (a card placed from one text line, a merged contour, a
perspective the outline misjudged) still puts most text lines near their printed rows. The
ends of those lines whose printed position is fixed (where the labels start, the ends of the
number and of the titles) are matched to it, and the homography through those matches gives
the corrected card; a few rounds settle it, as in point-set registration (ICP).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from idcard_ocr.card import layout as L
from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.card.model import Side
from idcard_ocr.vision import orient
from idcard_ocr.vision.geometry import card_homography, transform
from idcard_ocr.vision.lines import MAX_LINE_HEIGHT_MM, lines_from_quads


@dataclass(frozen=True)
class Anchor:
    """A line end the card prints at a fixed place: its x and its row's centre, in mm, as
    the detector's box reaches (boxes are padded about 0.5 mm around the ink)."""

    end: str  # "start" or "end" of the line, left to right on the upright card
    x: float
    y: float  # the row's centre, which the line is matched by
    # A corner of the box instead of its end's middle: (0 top or 1 bottom, its y).
    corner: tuple[int, float] | None = None
    reach: float = 5.0  # how far (mm, along the row) an end may be and still be taken for it

    @property
    def at(self) -> tuple[float, float]:
        return (self.x, self.y if self.corner is None else self.corner[1])


def _row_starts(x: float, rows: tuple[float, ...]) -> tuple[Anchor, ...]:
    return tuple(Anchor("start", x, y) for y in rows)


FRONT_ROWS_Y = (L.NAME_Y_MM, L.SEX_Y_MM, L.BIRTH_Y_MM, L.ADDRESS_Y_MM[0])
ANCHORS = {
    Side.FRONT: (
        *_row_starts(L.LABEL_X_MM - 0.5, FRONT_ROWS_Y),  # a label, or a label and its value
        *_row_starts(L.VALUE_X_MM - 0.6, (*FRONT_ROWS_Y, *L.ADDRESS_Y_MM[1:])),
        Anchor("start", L.NATION_LABEL_X_MM - 0.4, L.SEX_Y_MM),
        Anchor("start", L.LABEL_X_MM - 0.5, L.NUMBER_Y_MM),
        Anchor("start", L.NUMBER_X_MM - 0.3, L.NUMBER_Y_MM),
        # The number's right end is the only fixed place on the front's right half: its box's
        # two corners there (the box spans 44.7-49.2 mm) let a perspective be fitted.
        # Nothing else ends near there, so it is sought further afield.
        Anchor("end", L.NUMBER_RIGHT_MM - 0.1, L.NUMBER_Y_MM, (0, L.NUMBER_Y_MM - 2.3), 14.0),
        Anchor("end", L.NUMBER_RIGHT_MM - 0.1, L.NUMBER_Y_MM, (1, L.NUMBER_Y_MM + 2.2), 14.0),
    ),
    Side.BACK: (
        # The titles are the only text of the back's upper half: sought further afield.
        Anchor("start", L.TITLE_COUNTRY.x0 - 0.3, L.TITLE_COUNTRY.cy - 0.2, reach=9.0),
        Anchor("end", L.TITLE_COUNTRY.x1 + 0.2, L.TITLE_COUNTRY.cy - 0.2, reach=9.0),
        Anchor("start", L.TITLE_CARD.x0 - 0.6, L.TITLE_CARD.cy - 0.1, reach=9.0),
        Anchor("end", L.TITLE_CARD.x1 + 0.5, L.TITLE_CARD.cy - 0.1, reach=9.0),
        *_row_starts(L.BACK_LABEL_X_MM - 0.4, (L.AUTHORITY_Y_MM, L.VALIDITY_Y_MM)),
        *_row_starts(L.BACK_VALUE_X_MM - 0.5, (L.AUTHORITY_Y_MM, L.VALIDITY_Y_MM)),
    ),
}
# How far a line's centre may be from an anchor's row to be taken for it (the nearest one is).
MATCH_Y_MM = 2.9  # less than half the 6 mm between the front's rows
RANSAC_MM = 1.2
ALIGNED_MM = 1.5
ROUNDS = 3
MAX_MOVE = 0.1  # of the outline's diagonal: how far registration may move a corner
MIN_FOR_PERSPECTIVE = 6
CARD = np.array(
    [[0, 0], [CARD_WIDTH_MM, 0], [CARD_WIDTH_MM, CARD_HEIGHT_MM], [0, CARD_HEIGHT_MM]],
    np.float32,
)


@dataclass(frozen=True)
class Registered:
    """An outline registered to the text, and how well the text then sits on the layout."""

    quad: np.ndarray
    fit: float  # orient's score of the best (side, turn)
    aligned: int  # line ends within ALIGNED_MM of their printed place
    error: float  # their median distance from it, mm


def refine(quad: np.ndarray, text: np.ndarray) -> Registered:
    """The outline registered to the text.

    `quad` is the card's corners (TL, TR, BR, BL) and `text` the detected text quads (N, 4, 2),
    both in photo pixels. A registered outline replaces the given one only when more line ends
    land on their printed places, or as many land closer.
    """
    best = _Placement.of(quad, text)
    reach = MAX_MOVE * float(np.linalg.norm(quad[2] - quad[0]))
    for _ in range(ROUNDS):
        moved = best.registered()
        if moved is None or float(np.abs(moved - quad).max()) > reach:
            # Registration corrects an outline a little off; one that would move a corner
            # further has matched the anchors to rows a card printed elsewhere than the
            # layout (real cards differ by millimetres) and would skew the card.
            break
        placement = _Placement.of(moved, text)
        if placement.alignment >= best.alignment:
            break
        best = placement
    aligned, error = best.alignment
    return Registered(best.quad, best.hypothesis.score, -aligned, error)


def fit(quad: np.ndarray, text: np.ndarray) -> float:
    """How well the text lands on the card's printed rows once `quad` is flattened to it."""
    return _flattened(quad, text)[1].score


def _flattened(quad: np.ndarray, text: np.ndarray) -> tuple[np.ndarray, orient.Hypothesis]:
    """The text in mm on the card `quad` outlines, and the best (side, turn) for it."""
    in_mm = transform(card_homography(quad, 1.0), text)
    return in_mm, orient.rank(lines_from_quads(in_mm, 1.0))[0]


@dataclass(frozen=True)
class _Placement:
    """One outline with its text flattened, turned upright, and matched to the anchors once,
    for both judging the outline and registering it."""

    quad: np.ndarray
    hypothesis: orient.Hypothesis
    photo: np.ndarray  # matched line ends in the photo
    printed: np.ndarray  # where the card prints them, mm
    found: np.ndarray  # where the outline puts them, mm

    @classmethod
    def of(cls, quad: np.ndarray, text: np.ndarray) -> _Placement:
        in_mm, hypothesis = _flattened(quad, text)
        if hypothesis.turned:
            in_mm = np.array([CARD_WIDTH_MM, CARD_HEIGHT_MM], np.float32) - in_mm
        pairs = list(_pairs(in_mm, ANCHORS[hypothesis.side]))
        photo = [text[k][corners].mean(axis=0) for k, corners, _ in pairs]
        printed = [anchor.at for _, _, anchor in pairs]
        found = [in_mm[k][corners].mean(axis=0) for k, corners, _ in pairs]
        return cls(quad, hypothesis, _points(photo), _points(printed), _points(found))

    @property
    def alignment(self) -> tuple[int, float]:
        """(minus the line ends within `ALIGNED_MM` of their anchors, their median distance
        in mm): lower is better. Counting only close ends keeps an outline that fits the card
        well from being traded for one that merely brings more ends roughly near an anchor."""
        distances = np.linalg.norm(self.found - self.printed, axis=1)
        close = distances[distances <= ALIGNED_MM]
        if len(close) == 0:
            return 0, 0.0
        return -len(close), float(np.median(close))

    def registered(self) -> np.ndarray | None:
        """The outline the matched ends imply, in the corner order of `quad`."""
        matrix = _map(self.photo, self.printed)
        if matrix is None:
            return None
        corners = transform(np.linalg.inv(matrix), CARD)
        if not cv2.isContourConvex(corners.reshape(-1, 1, 2)):
            return None
        if self.hypothesis.turned:
            corners = np.roll(corners, 2, axis=0)
        return corners


def _points(points: list[np.ndarray] | list[tuple[float, float]]) -> np.ndarray:
    return np.array(points, np.float32).reshape(-1, 2)


def _map(found: np.ndarray, printed: np.ndarray) -> np.ndarray | None:
    """The photo-to-card homography the matched ends support, as general as they allow.

    Four points fit any homography, however wrong, so a perspective needs many ends spread
    over both halves of the card; fewer, or ends bunched in one column, give an affine map,
    and a few a similarity (position, turn and scale only).
    """
    if len(found) < 2 or np.ptp(printed, axis=0).max() < 10:
        return None
    left = int((printed[:, 0] < CARD_WIDTH_MM * 0.4).sum())
    right = int((printed[:, 0] > CARD_WIDTH_MM * 0.6).sum())
    spread = np.ptp(printed[:, 0]) >= 20 and np.ptp(printed[:, 1]) >= 10
    if len(found) >= MIN_FOR_PERSPECTIVE and min(left, right) >= 2:
        matrix, inliers = cv2.findHomography(found, printed, cv2.RANSAC, RANSAC_MM)
    else:
        estimate = (
            cv2.estimateAffine2D if spread and len(found) >= 4 else cv2.estimateAffinePartial2D
        )
        affine, inliers = estimate(found, printed, None, cv2.RANSAC, RANSAC_MM)
        matrix = None if affine is None else np.vstack([affine, [0.0, 0.0, 1.0]])
    if matrix is None or int(inliers.sum()) < min(len(found), 3):
        return None
    if abs(np.linalg.det(matrix)) < 1e-9:  # every end mapped onto one line or point
        return None
    return np.asarray(matrix, np.float64)


def _pairs(
    in_mm: np.ndarray, anchors: tuple[Anchor, ...]
) -> Iterator[tuple[int, np.ndarray, Anchor]]:
    """(text box, the corners that make its end, the anchor) for line ends near anchors."""
    for k, card in enumerate(in_mm):
        if float(np.ptp(card[:, 1])) > MAX_LINE_HEIGHT_MM:
            continue
        order = np.argsort(card[:, 0])
        cy = float(card[:, 1].mean())
        for end, corners in (("start", order[:2]), ("end", order[2:])):
            x = float(card[corners, 0].mean())
            near = [
                (abs(x - a.x) / a.reach + abs(cy - a.y) / MATCH_Y_MM, i)
                for i, a in enumerate(anchors)
                if a.end == end and abs(x - a.x) <= a.reach and abs(cy - a.y) <= MATCH_Y_MM
            ]
            if not near:
                continue
            best = min(near)[0]
            for score, i in near:
                if score == best:  # an end and its corners share a score: all are taken
                    yield k, _corners(card, corners, anchors[i]), anchors[i]


def _corners(card: np.ndarray, ends: np.ndarray, anchor: Anchor) -> np.ndarray:
    """The corners whose mean is the anchor's point: both of the end, or its top or bottom."""
    if anchor.corner is None:
        return ends
    by_height = ends[np.argsort(card[ends, 1])]
    return by_height[anchor.corner[0] : anchor.corner[0] + 1]
