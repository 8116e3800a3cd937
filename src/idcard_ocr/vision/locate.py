"""Find the card in a photo: its four corners, from edges scored against the detected text.

Candidate quadrilaterals come from the card's outline (edges and bright regions on a reduced
copy of the photo); the text detector's boxes pick the right one, since a card is the outline
that holds the text. When no outline survives (glare over an edge, a hand across the card),
the card is inferred from the extent of its text.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.vision.geometry import aspect_ratio, contains, landscape, order_clockwise

WORK_SIDE = 640
CARD_ASPECT = CARD_WIDTH_MM / CARD_HEIGHT_MM
# Card text spans about 75-90 % of the card's width and 75 % of its height.
TEXT_TO_CARD = (0.84, 0.78)


MAX_CANDIDATES = 3


def find_card(image: np.ndarray, text_quads: np.ndarray) -> list[np.ndarray]:
    """Possible card corners in `image` pixels (clockwise, long edge first), best first.

    The reader tries them in turn: the best outlines, then the card implied by the text.
    """
    if len(text_quads) == 0:
        return []
    scale = min(1.0, WORK_SIDE / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    text = text_quads * scale
    scored = [(q, s) for q in _outline_candidates(small) if (s := _score(q, text)) > 0.0]
    ranked = _rank(scored)
    ranked.append(_from_text(text))
    return [landscape(order_clockwise(q / scale)) for q in ranked]


def _rank(scored: list[tuple[np.ndarray, float]]) -> list[np.ndarray]:
    """Distinct outlines, best first; of those that hold the text about as well as the best,
    the tightest comes first (the photo's frame or a sheet under the card holds it too)."""
    if not scored:
        return []
    top = max(s for _, s in scored)
    near = sorted(
        (q for q, s in scored if s >= 0.85 * top),
        key=lambda q: cv2.contourArea(q.reshape(-1, 1, 2)),
    )
    rest = [q for q, _ in sorted(scored, key=lambda item: -item[1])]
    ranked: list[np.ndarray] = []
    for quad in near + rest:
        if all(_distinct(quad, other) for other in ranked):
            ranked.append(quad)
        if len(ranked) == MAX_CANDIDATES:
            break
    return ranked


def _distinct(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two quads differ by more than a few pixels at some corner."""
    a, b = order_clockwise(a), order_clockwise(b)
    return float(np.abs(a - b).max()) > 6.0


def _outline_candidates(small: np.ndarray) -> Iterator[np.ndarray]:
    min_area = 0.03 * small.shape[0] * small.shape[1]
    for mask in _masks(small):
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            if cv2.contourArea(contour) < min_area:
                continue
            quad = _quad_of(contour)
            if quad is not None:
                yield quad


def _masks(small: np.ndarray) -> Iterator[np.ndarray]:
    """Binary maps whose contours may trace the card: edges, and bright or distinct regions."""
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    median = float(np.median(blurred))
    for low, high in ((0.66 * median, 1.33 * median), (20.0, 60.0)):
        edges = cv2.Canny(blurred, low, high)
        yield cv2.dilate(edges, kernel, iterations=2)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel, iterations=3)
    # Colour distance from the median border colour separates a card from a same-grey table.
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (7, 7), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    distinct = (distance > max(18.0, float(np.percentile(distance, 40)))).astype(np.uint8) * 255
    yield cv2.morphologyEx(distinct, cv2.MORPH_OPEN, kernel, iterations=2)


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
    (_, _), (w, h), _ = cv2.minAreaRect(text[inside].reshape(-1, 2))
    snug = w * h / max(area, 1e-6)
    if not 0.2 <= snug <= 1.05:
        return 0.0
    shape = 1.0 - min(1.0, abs(np.log(aspect / CARD_ASPECT)))
    return float(held * (0.5 + 0.5 * shape) * (1.0 - abs(snug - 0.6)))


def _from_text(text: np.ndarray) -> np.ndarray:
    """The card implied by the extent of its text lines, when its outline was not found."""
    (cx, cy), (w, h), angle = cv2.minAreaRect(text.reshape(-1, 2))
    if w < h:
        w, h, angle = h, w, angle + 90
    size = (w / TEXT_TO_CARD[0], h / TEXT_TO_CARD[1])
    box: np.ndarray = cv2.boxPoints(((cx, cy), size, angle))
    return box.astype(np.float32)
