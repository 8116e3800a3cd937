"""Quadrilaterals and the homography between a photo and the canonical card."""

from __future__ import annotations

import cv2
import numpy as np

from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM


def order_clockwise(points: np.ndarray) -> np.ndarray:
    """Four points ordered clockwise (in image coordinates) starting from the top-left one."""
    # Written with few numpy calls: outlines are ordered thousands of times a photo, and
    # each call on four points costs far more than its arithmetic.
    pts = np.asarray(points, np.float32).reshape(4, 2)
    offsets = pts - pts.sum(axis=0) * np.float32(0.25)  # from the centre (exact: / 4)
    pts = pts[np.argsort(np.arctan2(offsets[:, 1], offsets[:, 0]))]
    start = int(np.argmin(pts.sum(axis=1)))
    ordered: np.ndarray = pts[_NEXT[start : start + 4]]
    return ordered


_NEXT = np.array([0, 1, 2, 3, 0, 1, 2, 3])  # corner indices from any start, in order


def edge_lengths(quad: np.ndarray) -> np.ndarray:
    """The lengths of a quad's edges, each from a corner to the next."""
    sides = quad - quad[_NEXT[1:5]]
    lengths: np.ndarray = np.sqrt((sides * sides).sum(axis=1))
    return lengths


def landscape(quad: np.ndarray) -> np.ndarray:
    """Reorder a clockwise quad so that its first edge is one of the card's long edges."""
    edges = edge_lengths(quad)
    if edges[0] + edges[2] >= edges[1] + edges[3]:
        return quad
    turned: np.ndarray = quad[_NEXT[1:5]]
    return turned


def rotate_corners(quad: np.ndarray, quarter_turns: int) -> np.ndarray:
    """The same quad with its corner naming turned by 90° steps (the card read turned)."""
    return np.roll(quad, -quarter_turns, axis=0)


def card_homography(quad: np.ndarray, px_per_mm: float) -> np.ndarray:
    """Homography from photo pixels to a canonical card of `px_per_mm` (quad: TL, TR, BR, BL)."""
    w, h = CARD_WIDTH_MM * px_per_mm, CARD_HEIGHT_MM * px_per_mm
    target = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix: np.ndarray = cv2.getPerspectiveTransform(np.asarray(quad, np.float32), target)
    return matrix


def warp_card(image: np.ndarray, quad: np.ndarray, px_per_mm: float) -> np.ndarray:
    """The card cut out of the photo and flattened to the canonical size."""
    size = (round(CARD_WIDTH_MM * px_per_mm), round(CARD_HEIGHT_MM * px_per_mm))
    matrix = card_homography(quad, px_per_mm)
    return cv2.warpPerspective(
        image, matrix, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE
    )


def transform(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Apply a homography to points of any leading shape (..., 2)."""
    pts = np.asarray(points, np.float32)
    flat = cv2.perspectiveTransform(pts.reshape(-1, 1, 2), matrix)
    return flat.reshape(pts.shape)


def aspect_ratio(quad: np.ndarray) -> float:
    """Long over short side, averaged over opposite edges."""
    edges = edge_lengths(quad)
    a, b = edges[0] + edges[2], edges[1] + edges[3]
    return float(max(a, b) / max(min(a, b), 1e-6))


def contains(quad: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Which points lie inside the (convex) quad."""
    contour = np.asarray(quad, np.float32).reshape(-1, 1, 2)
    return np.array(
        [cv2.pointPolygonTest(contour, (float(x), float(y)), False) >= 0 for x, y in points],
        dtype=bool,
    )
