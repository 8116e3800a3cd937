"""Find the card in a photo: its four corners, from edges scored against the detected text.

Candidate quadrilaterals come from the card's outline (contours of edges and bright or
distinct regions on a reduced copy of the photo) and from the card's own long printed lines
(the number, the titles of the back), each of which places the whole card: that still finds
a card lying on papers or other cards, whose outline merges with theirs. The text detector's
boxes pick the right candidate: each is judged by where the text falls once the candidate is
flattened to the card, since only the real card puts text where the card's layout prints it.
When nothing fits (glare over an edge, a hand across the card), the card is inferred from the
extent of its text.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from idcard_ocr.card import layout as L
from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.vision import register
from idcard_ocr.vision.geometry import (
    aspect_ratio,
    contains,
    landscape,
    order_clockwise,
)

WORK_SIDE = 640
CARD_ASPECT = CARD_WIDTH_MM / CARD_HEIGHT_MM
# Card text spans about 75-90 % of the card's width and 75 % of its height.
TEXT_TO_CARD = (0.84, 0.78)


# Printed lines that place the whole card from one detected box: (left, right, centre y) mm.
ANCHOR_LINES = (
    (L.NUMBER_X_MM, L.NUMBER_RIGHT_MM, L.NUMBER_Y_MM),
    (L.LABEL_X_MM, L.NUMBER_RIGHT_MM, L.NUMBER_Y_MM),  # the number and its label as one box
    (L.TITLE_COUNTRY.x0, L.TITLE_COUNTRY.x1, L.TITLE_COUNTRY.cy),
    (L.TITLE_CARD.x0, L.TITLE_CARD.x1, L.TITLE_CARD.cy),
)
ANCHOR_BOXES = 4  # the longest text boxes tried as each anchor line
MAX_CANDIDATES = 3
REFINED_CANDIDATES = 5  # the best-fitting outlines registered to the text before ranking
MIN_AREA = 0.03  # of the photo: a card smaller than this is too small to read
# Below this fit (orient's score) the flattened text is nowhere near a card's layout.
MIN_LAYOUT_FIT = 0.05


def find_card(image: np.ndarray, text_quads: np.ndarray) -> list[np.ndarray]:
    """Possible card corners in `image` pixels (clockwise, long edge first), best first.

    The reader tries them in turn: the outlines whose flattened text best fits the card's
    layout, then the card implied by the text.
    """
    if len(text_quads) == 0:
        return []
    scale = min(1.0, WORK_SIDE / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    text = text_quads * scale
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    candidates = [*_outline_candidates(small, gray), *_from_anchors(text)]
    ranked = _rank([q for q in candidates if _score(q, text) > 0.0], text)
    ranked.append(_from_text(text))
    return [landscape(order_clockwise(q / scale)) for q in ranked]


def _rank(candidates: list[np.ndarray], text: np.ndarray) -> list[np.ndarray]:
    """Distinct outlines, best first, by how well the text, flattened with the outline, fits
    where a card prints it; the most promising are first registered to the text."""
    quads = [landscape(order_clockwise(q)) for q in candidates]
    first = sorted(((register.fit(q, text), i) for i, q in enumerate(quads)), reverse=True)
    tried: list[np.ndarray] = []
    refined: list[register.Registered] = []
    for score, i in first:
        if score < MIN_LAYOUT_FIT or len(refined) == REFINED_CANDIDATES:
            break
        if all(_distinct(quads[i], other) for other in tried):
            tried.append(quads[i])
            refined.append(register.refine(quads[i], text))
    # Line ends on their printed places tell a right outline best; the layout fit breaks ties.
    refined.sort(key=lambda r: (r.aligned, r.fit, -cv2.contourArea(r.quad)), reverse=True)
    ranked: list[np.ndarray] = []
    for candidate in refined:
        if all(_distinct(candidate.quad, other) for other in ranked):
            ranked.append(candidate.quad)
    return ranked[:MAX_CANDIDATES]


def _from_anchors(text: np.ndarray) -> Iterator[np.ndarray]:
    """Cards placed by taking one of the longest text boxes for one of the anchor lines.

    A box fixes the card's position, direction and scale (perspective aside), up to which
    end of the box the line starts at, so both ends are tried.
    """
    card = np.array([0, CARD_WIDTH_MM, CARD_WIDTH_MM + 1j * CARD_HEIGHT_MM, 1j * CARD_HEIGHT_MM])
    tops = np.linalg.norm(text[:, 1] - text[:, 0], axis=1)
    sides = np.linalg.norm(text[:, 3] - text[:, 0], axis=1)
    for k in np.argsort(-np.maximum(tops, sides))[:ANCHOR_BOXES]:
        box = text[k] if tops[k] >= sides[k] else np.roll(text[k], -1, axis=0)
        start, end = (box[0] + box[3]) / 2, (box[1] + box[2]) / 2
        for a, b in ((start, end), (end, start)):
            za, zb = complex(*a), complex(*b)
            for x0, x1, y in ANCHOR_LINES:
                wa, wb = complex(x0, y), complex(x1, y)
                placed = za + (zb - za) / (wb - wa) * (card - wa)
                yield np.stack([placed.real, placed.imag], axis=1).astype(np.float32)


def _distinct(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two quads differ by more than a few pixels at some corner."""
    a, b = order_clockwise(a), order_clockwise(b)
    return float(np.abs(a - b).max()) > 6.0


def _outline_candidates(small: np.ndarray, gray: np.ndarray) -> Iterator[np.ndarray]:
    min_area = MIN_AREA * small.shape[0] * small.shape[1]
    for mask in _masks(small, gray):
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            if cv2.contourArea(contour) < min_area:
                continue
            quad = _quad_of(contour)
            if quad is not None:
                yield quad


def _masks(small: np.ndarray, blurred: np.ndarray) -> Iterator[np.ndarray]:
    """Binary maps whose contours may trace the card: edges, and bright or distinct regions."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    median = _median(blurred)
    for low, high in ((0.66 * median, 1.33 * median), (20.0, 60.0)):
        edges = cv2.Canny(blurred, low, high)
        yield cv2.dilate(edges, kernel, iterations=2)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel, iterations=3)
    # Colour distance from the median border colour separates a card from a same-grey table.
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (7, 7), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    d = lab - np.median(border, axis=0)
    # The Euclidean norm over the 3 channels, written out: the same float32 values as
    # `np.linalg.norm(d, axis=2)`, whose reduction over so short an axis took 8 ms a photo.
    distance = np.sqrt(d[..., 0] * d[..., 0] + d[..., 1] * d[..., 1] + d[..., 2] * d[..., 2])
    distinct = (distance > max(18.0, float(np.percentile(distance, 40)))).astype(np.uint8) * 255
    yield cv2.morphologyEx(distinct, cv2.MORPH_OPEN, kernel, iterations=2)


def _median(gray: np.ndarray) -> float:
    """`np.median` of a uint8 image, from its histogram: the same value, without sorting."""
    counts = np.cumsum(np.bincount(gray.ravel(), minlength=256))
    n = int(counts[-1])
    low, high = np.searchsorted(counts, [(n - 1) // 2 + 1, n // 2 + 1])
    return (int(low) + int(high)) / 2


def _quad_of(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.03, 0.045, 0.065):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    box: np.ndarray = cv2.boxPoints(cv2.minAreaRect(hull))
    return box.astype(np.float32)


def _score(quad: np.ndarray, text: np.ndarray) -> float:
    """How card-like `quad` is: its shape, and how much of the text it holds, snugly."""
    aspect = aspect_ratio(order_clockwise(quad))
    if not 1.2 <= aspect <= 2.1:
        return 0.0
    area = cv2.contourArea(quad.reshape(-1, 1, 2))
    centres = text.mean(axis=1)
    inside = contains(quad, centres)
    if inside.sum() < 3:
        return 0.0
    text_area = np.array([cv2.contourArea(q.reshape(-1, 1, 2)) for q in text])
    held = float(text_area[inside].sum() / max(text_area.sum(), 1e-6))
    (_, _), (w, h), _ = cv2.minAreaRect(_clipped(text[inside], quad))
    snug = w * h / max(area, 1e-6)
    if not 0.2 <= snug <= 1.05:
        return 0.0
    shape = 1.0 - min(1.0, abs(np.log(aspect / CARD_ASPECT)))
    return float(held * (0.5 + 0.5 * shape) * (1.0 - abs(snug - 0.6)))


def _clipped(boxes: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The corners of `boxes` within `quad`: a box that reaches past a card's edge (a red
    seal or a toy on the table taken for text beside it) is held only as far as the card."""
    outline = order_clockwise(quad).astype(np.float32)
    points = []
    for box in boxes:
        _, inside = cv2.intersectConvexConvex(box.astype(np.float32), outline)
        points.append(box if inside is None else inside.reshape(-1, 2))
    return np.concatenate(points).astype(np.float32)


def _from_text(text: np.ndarray) -> np.ndarray:
    """The card implied by the extent of its text lines, when its outline was not found."""
    (cx, cy), (w, h), angle = cv2.minAreaRect(text.reshape(-1, 2))
    if w < h:
        w, h, angle = h, w, angle + 90
    size = (w / TEXT_TO_CARD[0], h / TEXT_TO_CARD[1])
    box: np.ndarray = cv2.boxPoints(((cx, cy), size, angle))
    return box.astype(np.float32)
