"""Fonts: found once, glyphs a face lacks drawn by another, a clear error when none is there,
and every second script's font among the packages the install scripts bring."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, features

from idcard_ocr.synth import fonts
from idcard_ocr.synth.names import RARE_GIVEN
from idcard_ocr.synth.scripts import SCRIPTS, Script, face_for, label_in, script_mask
from idcard_ocr.synth.text import TypeStyle, draw_text


def _ink(faces: tuple[fonts.FontFace, ...], text: str) -> np.ndarray:
    canvas = Image.new("RGB", (400, 60), (255, 255, 255))
    draw_text(canvas, text, 5, 30, TypeStyle(faces, 30, (0, 0, 0)))
    return np.asarray(canvas)


def test_installed_cjk_faces_cover_rare_name_characters() -> None:
    faces = fonts.cjk_faces()
    assert faces
    for char in RARE_GIVEN + "·":
        assert any(fonts.has_glyph(face, char) for face in faces), char


def test_a_glyph_missing_from_the_first_face_is_drawn_by_the_next() -> None:
    number_face = fonts.number_faces()[0]
    cjk = fonts.cjk_faces()[0]
    if fonts.has_glyph(number_face, "燊"):
        pytest.skip("the number face has CJK glyphs itself")
    mixed = _ink((number_face, cjk), "燊")
    missing_box = _ink((number_face,), "燊")
    assert (mixed < 128).sum() > 50
    assert not np.array_equal(mixed, missing_box)


def test_long_lines_are_condensed_to_their_width() -> None:
    canvas = Image.new("RGB", (600, 60), (255, 255, 255))
    style = TypeStyle(fonts.cjk_faces(), 30, (0, 0, 0))
    draw_text(canvas, "阿不都热依木·别克波拉提", 10, 30, style, width=200)
    columns = np.nonzero((np.asarray(canvas)[..., 0] < 128).any(axis=0))[0]
    assert columns.min() >= 10 and columns.max() <= 211


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(fonts, "_installed", lambda: {})
    fonts.cjk_faces.cache_clear()
    yield
    fonts.cjk_faces.cache_clear()


@pytest.mark.usefixtures("no_fonts")
def test_missing_fonts_name_the_debian_packages() -> None:
    with pytest.raises(fonts.FontNotFoundError, match="fonts-noto-cjk"):
        fonts.cjk_faces()


def _font_packages() -> list[str]:
    """The Debian font packages scripts/install.sh lists, which serve.sh and test.sh install."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "install.sh"
    text = script.read_text(encoding="utf-8")
    found = re.search(r"^FONT_PACKAGES=\(([^)]*)\)", text, re.MULTILINE)
    assert found is not None, "scripts/install.sh lists no FONT_PACKAGES=(...)"
    return found.group(1).split()


def test_pillow_shapes_complex_scripts() -> None:
    # Without libraqm, Uyghur, Tibetan and Mongolian would print as unjoined letters.
    assert features.check("raqm")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.name)
def test_each_second_script_has_a_font_from_a_package_the_install_brings(script: Script) -> None:
    """A missing font makes the renderer skip the script silently; this test makes it loud."""
    assert script.package in _font_packages(), f"add {script.package} to scripts/install.sh"
    face = face_for(script)
    assert face is not None, f"no {script.name} font: install the Debian package {script.package}"
    mask = script_mask(label_in(script, "姓名"), script, face, 20, 1000)
    assert (np.asarray(mask) > 128).sum() > 40  # it draws ink, not nothing
