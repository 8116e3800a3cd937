"""The decoder: formats, EXIF orientation, and the spec's codes for bad input."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from idcard_ocr.errors import EmptyImage, InvalidImage
from idcard_ocr.vision.decode import decode


def _encoded(fmt: str, size: tuple[int, int] = (64, 40), **params: object) -> bytes:
    image = Image.new("RGB", size, (200, 30, 10))
    image.putpixel((0, 0), (0, 255, 0))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "BMP", "WEBP", "GIF"])
def test_decodes_every_accepted_format_to_bgr(fmt: str) -> None:
    pixels = decode(_encoded(fmt))
    assert pixels.shape == (40, 64, 3)
    assert pixels.dtype == np.uint8
    red = pixels[20, 32]
    assert red[2] > 150 and red[0] < 80  # BGR order: red lands in the last channel


def test_applies_exif_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    pixels = decode(_encoded("JPEG", exif=exif.tobytes()))
    assert pixels.shape == (64, 40, 3)


def test_zero_bytes_is_empty_image() -> None:
    with pytest.raises(EmptyImage) as caught:
        decode(b"")
    assert caught.value.code == -1300


def test_garbage_is_invalid_image() -> None:
    with pytest.raises(InvalidImage) as caught:
        decode(b"this is not an image at all" * 10)
    assert caught.value.code == -1400


def test_truncated_jpeg_is_invalid_image() -> None:
    data = _encoded("JPEG", size=(400, 300), quality=95)
    with pytest.raises(InvalidImage):
        decode(data[: len(data) // 2])


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * (width * 3)
    idat = zlib.compress(row * 4, 9)  # only a few rows: the bytes stay small
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = _png_header_only(60_000, 60_000)  # 3.6 gigapixels claimed by a few KB
    assert len(bomb) < 1_048_576
    with pytest.raises(InvalidImage) as caught:
        decode(bomb)
    assert "too large" in caught.value.message or "decodable" in caught.value.message
