"""The one image decoder of the project: bytes in, upright BGR pixels out, or a spec error."""

from __future__ import annotations

import io
import warnings

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from idcard_ocr.errors import EmptyImage, InvalidImage

# An ID-card photo needs far less than this; a larger header is a decompression bomb, refused
# before a single pixel is decoded (a 1 MB PNG can otherwise expand to gigabytes).
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "BMP", "WEBP", "GIF")
# The longest side the pipeline gets. The card is read rectified at 1370 x 864 px, so a photo
# larger than this only costs memory and time: a 36-megapixel photo cost one read 600 MB and
# 4 s before it was scaled down here (a card a third of the photo's width still keeps its
# 16 px/mm). JPEGs are scaled while decoding (DCT scaling), never decoded whole; the rest are
# reduced by a whole factor (a box filter, fast), so the longest side lands between half of
# this and this.
MAX_SIDE = 4096
# Modes of 16-bit greyscale (PNG): Pillow's conversion to RGB clips them at 255, not scales.
_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def decode(data: bytes, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Decode JPEG, PNG, BMP, WebP or GIF (first frame), applying EXIF orientation."""
    if not data:
        raise EmptyImage()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > max_pixels:
                raise InvalidImage(f"image of {width}x{height} pixels is too large to decode")
            image.seek(0)
            _scale_while_decoding(image)
            image.load()
            upright = ImageOps.exif_transpose(_reduced(image))
            rgb = np.asarray(_eight_bit(upright).convert("RGB"))
    except InvalidImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise InvalidImage("not a decodable image") from exc
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombWarning) as exc:
        raise InvalidImage("image data is corrupt or truncated") from exc
    if min(rgb.shape[:2]) < 16:
        raise InvalidImage("image is too small to hold an ID card")
    bgr: np.ndarray = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)  # 5 ms less than numpy's copy
    return bgr


def _scale_while_decoding(image: Image.Image) -> None:
    """Let the JPEG decoder do what `_reduced` would, as far as DCT scaling can."""
    factor = _factor(image)
    if image.format == "JPEG" and factor > 1:
        width, height = image.size
        image.draft(image.mode, (-(-width // factor), -(-height // factor)))


def _reduced(image: Image.Image) -> Image.Image:
    """The image reduced by the smallest whole factor that brings it within `MAX_SIDE`."""
    factor = _factor(image)
    return image.reduce(factor) if factor > 1 else image


def _factor(image: Image.Image) -> int:
    """The smallest whole factor that brings the longest side within `MAX_SIDE`."""
    return -(-max(image.size) // MAX_SIDE)


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit greyscale scaled down to 8 bits; any other mode as it is (Pillow reads 16-bit
    colour PNGs as 8-bit RGB itself). Without this a 16-bit scan decodes as a white page."""
    if image.mode not in _SIXTEEN_BIT:
        return image
    levels = np.clip(np.asarray(image, dtype=np.uint32), 0, 65535) >> 8
    return Image.fromarray(levels.astype(np.uint8))
