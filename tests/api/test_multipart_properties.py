"""Property tests of the multipart form: whatever the parts are called, however they are
ordered, quoted, typed or filled, the request parses into its `image*` items in dictionary
order of their names, or is refused with a request code of the spec (3, 18, 19, 21); over
HTTP every item of a parsed form gets a spec code of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fake_reader import FRONT_IMAGE
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.request import OcrRequest, Upload, parse_request
from idcard_ocr.errors import RequestError

MAX_ITEMS = 20
REQUEST_CODES = {3, 18, 19, 21}
# Item codes the fake reader can give a generated image: read (0), empty (-1300), or one of
# its error markers (none of which a generated image is likely to start with).
ITEM_CODES = {0, -1300, -1400, -1404, -5103, -5107}
# Any text a header line can carry: no CR or LF, which end it, and no NUL.
HEADER_TEXT = st.text(st.characters(blacklist_characters="\r\n\x00", codec="utf-8"), max_size=30)
INDICES = st.one_of(
    st.integers(min_value=-5, max_value=30), st.integers(min_value=10**20, max_value=10**40)
)
NAMES = st.one_of(
    st.sampled_from(["appid", "bucket", "card_type", "image", "images", "Image[0]", "", "x"]),
    INDICES.map("image[{}]".format),
    INDICES.map("images[{}]".format),
    HEADER_TEXT,
    HEADER_TEXT.map("image{}".format),
)


@dataclass(frozen=True)
class FormPart:
    name: str
    filename: str | None
    content_type: str | None
    content: bytes

    def encoded(self, boundary: bytes) -> bytes:
        disposition = f'form-data; name="{quoted(self.name)}"'
        if self.filename is not None:
            disposition += f'; filename="{quoted(self.filename)}"'
        head = f"Content-Disposition: {disposition}\r\n"
        if self.content_type is not None:
            head += f"Content-Type: {self.content_type}\r\n"
        return b"--" + boundary + b"\r\n" + head.encode() + b"\r\n" + self.content + b"\r\n"


def quoted(text: str) -> str:
    """Quoted-string escaping, as browsers and the SDKs do it."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def form(parts: list[FormPart], boundary: bytes = b"hypothesis-boundary-7e3") -> bytes:
    return b"".join(part.encoded(boundary) for part in parts) + b"--" + boundary + b"--\r\n"


def identity(card_type: str = "0") -> list[FormPart]:
    return [
        FormPart("appid", None, None, APPID.encode()),
        FormPart("bucket", "bucket.txt", "text/plain", BUCKET.encode()),
        FormPart("card_type", None, None, card_type.encode()),
    ]


PARTS = st.builds(
    FormPart,
    name=NAMES,
    filename=st.none() | HEADER_TEXT,
    content_type=st.none() | st.sampled_from(["image/jpeg", "application/octet-stream"]),
    content=st.binary(max_size=40) | st.just(FRONT_IMAGE),
)
# The form fields are the test's own: their values are what the signature names.
IMAGE_PARTS = PARTS.filter(lambda part: part.name not in ("appid", "bucket", "card_type"))
FORMS = st.tuples(
    st.lists(PARTS, max_size=25), st.sampled_from(["0", "1", " 1", "2", "", "x"])
).flatmap(lambda drawn: st.permutations(drawn[0] + identity(drawn[1])))


def parsed(body: bytes, content_type: str) -> OcrRequest | None:
    """The request, or None when it was refused with one of the spec's request codes."""
    try:
        return parse_request(body, content_type, MAX_ITEMS)
    except RequestError as refused:
        assert refused.code in REQUEST_CODES, refused
        return None


@given(st.binary(max_size=600), HEADER_TEXT)
@example(b"--\xc4\x80\r\n", "\u0100")  # found: python-multipart raised on a non-Latin-1 boundary
def test_any_body_under_any_boundary_parses_or_is_refused(body: bytes, boundary: str) -> None:
    parsed(body, f"multipart/form-data; boundary={boundary}")


@given(FORMS, st.integers(min_value=0, max_value=400), st.binary(min_size=1, max_size=8))
def test_a_damaged_form_parses_or_is_refused(parts: list[FormPart], at: int, noise: bytes) -> None:
    body = form(parts)
    at = min(at, len(body))
    parsed(body[:at] + noise + body[at:], "multipart/form-data; boundary=hypothesis-boundary-7e3")
    parsed(body[:at], "multipart/form-data; boundary=hypothesis-boundary-7e3")


@given(FORMS)
def test_images_come_back_in_dictionary_order_with_their_filenames(parts: list[FormPart]) -> None:
    request = parsed(form(parts), 'multipart/form-data; boundary="hypothesis-boundary-7e3"')
    refusal = expected_refusal(parts)
    if request is None or refusal is not None:
        assert request is None and refusal is not None
        return
    expected = [Upload(part.filename or "", part.content) for part in images_of(parts)]
    assert list(request.items) == expected


def expected_refusal(parts: list[FormPart]) -> int | None:
    """The request code the decisions give these parts, None when they make a request."""
    fields: dict[str, bytes] = {}
    for part in parts:
        fields.setdefault(part.name, part.content)
    try:
        appid, bucket, card_type = (
            fields.get(name, b"").decode() for name in ("appid", "bucket", "card_type")
        )
    except UnicodeDecodeError:
        return 3
    if not appid.strip() or not bucket.strip() or "\x00" in appid + bucket:
        return 3
    if card_type.strip() not in ("0", "1") and "card_type" in fields:
        return 21
    images = images_of(parts)
    return 18 if not images else 19 if len(images) > MAX_ITEMS else None


def images_of(parts: list[FormPart]) -> list[FormPart]:
    return sorted((part for part in parts if part.name.startswith("image")), key=_name)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(IMAGE_PARTS, max_size=22).flatmap(
        lambda drawn: st.permutations(drawn + identity())
    )
)
def test_every_item_of_a_form_gets_its_own_spec_code(
    client: TestClient, signer: Signer, parts: list[FormPart]
) -> None:
    boundary = b"hypothesis-boundary-7e3"
    response = client.post(
        "/ocr/idcard",
        headers={
            "Authorization": signer.header(),
            "Content-Type": f"multipart/form-data; boundary={boundary.decode()}",
        },
        content=form(parts, boundary),
    )
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    refusal = expected_refusal(parts)
    if refusal is not None:
        assert answer == {"code": refusal, "message": answer["message"]}
        return
    images = images_of(parts)
    results = answer["result_list"]
    assert [item["filename"] for item in results] == [part.filename or "" for part in images]
    assert {item["code"] for item in results} <= ITEM_CODES


def _name(part: FormPart) -> str:
    return part.name
