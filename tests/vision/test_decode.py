"""The decoder: formats, EXIF orientation, and the spec's codes for bad input."""

from __future__ import annotations

import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from idcard_ocr.errors import EmptyImage, InvalidImage
from idcard_ocr.vision.decode import MAX_SIDE, decode


def _encoded(
    fmt: str, size: tuple[int, int] = (64, 40), mode: str = "RGB", **params: object
) -> bytes:
    image = Image.new("RGB", size, (200, 30, 10))
    image.putpixel((0, 0), (0, 255, 0))
    buffer = io.BytesIO()
    image.convert(mode).save(buffer, fmt, **params)
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


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    """Found by the hostile-input corpus: Pillow's RGB conversion clipped every 16-bit level
    above 255, so a 16-bit greyscale scan decoded as a white page."""
    levels = np.array([[0x0000, 0x4000, 0x8080, 0xFFFF]], dtype=np.uint16).repeat(16, axis=0)
    buffer = io.BytesIO()
    Image.fromarray(levels.repeat(8, axis=1)).save(buffer, "PNG")
    assert Image.open(io.BytesIO(buffer.getvalue())).mode.startswith("I")
    pixels = decode(buffer.getvalue())
    assert pixels.shape == (16, 32, 3)
    assert [int(pixels[0, 8 * i, 0]) for i in range(4)] == [0, 0x40, 0x80, 0xFF]


def test_sixteen_bit_colour_png_keeps_its_colours() -> None:
    colour = np.zeros((20, 30, 3), dtype=np.uint16)
    colour[..., 0] = 0xC8C8  # BGR for OpenCV: blue 200
    colour[..., 2] = 0x1E1E  # red 30
    encoded = cv2.imencode(".png", colour)[1].tobytes()
    pixels = decode(encoded)
    assert tuple(int(v) for v in pixels[10, 15]) == (200, 0, 30)


def test_cmyk_jpeg_decodes_to_its_colours() -> None:
    data = _encoded("JPEG", mode="CMYK", quality=95)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    red = decode(data)[20, 32]
    assert red[2] > 150 and red[0] < 80


def test_animated_gif_decodes_its_first_frame() -> None:
    frames = [Image.new("RGB", (40, 30), colour) for colour in ((250, 0, 0), (0, 0, 250))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    first = decode(buffer.getvalue())[15, 20]
    assert first[2] > 200 and first[0] < 50


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"><text>x</text></svg>',
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40,
        _png_header_only(100, 100)[:40],
    ],
    ids=["svg", "pdf", "random-behind-jpeg-header", "truncated-png"],
)
def test_other_bytes_are_invalid_image(data: bytes) -> None:
    with pytest.raises(InvalidImage):
        decode(data)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_photo_past_the_longest_side_is_reduced_while_decoding(fmt: str) -> None:
    """Found by the hostile-input corpus: a 36-megapixel photo of 0.5 MB cost one read 600 MB
    and 4 s; the pipeline needs no more than `MAX_SIDE`."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display: must survive the reduction
    pixels = decode(_encoded(fmt, size=(6000, 3000), exif=exif.tobytes()))
    assert pixels.shape == (6000 // 2, 3000 // 2, 3)  # turned upright
    red = pixels[100, 100]
    assert red[2] > 150 and red[0] < 80


def test_a_photo_within_the_longest_side_keeps_its_size() -> None:
    assert decode(_encoded("JPEG", size=(MAX_SIDE, 1000))).shape == (1000, MAX_SIDE, 3)
