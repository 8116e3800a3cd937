"""Property tests of the signature parser: whatever the header holds, the answer is a spec
error (4 or 5) or a `Signature` whose every property can be read; headers signed by our own
signer parse back to what was signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import string

from hypothesis import given
from hypothesis import strategies as st

from idcard_ocr.api.signature import REQUIRED_FIELDS, Signature, parse_signature, sign
from idcard_ocr.errors import SignatureInvalid, SignatureMissing

SECRET = "s3cr3t-key"
KEYS = "abketruf"
# Values a client may sign: no `&`, which separates the pairs, and no NUL (refused: 5).
VALUES = st.text(st.characters(blacklist_characters="&\x00", codec="utf-8"), max_size=40)
NUMBERS = st.integers(min_value=0, max_value=10**12).map(str)


def parsed_or_refused(header: str | None) -> Signature | None:
    """The parsed signature with all of its properties read, or None for a 4 or 5."""
    try:
        signature = parse_signature(header)
    except (SignatureMissing, SignatureInvalid):
        return None
    # What the authorizer reads, in the order it reads it: none of it may raise.
    assert isinstance(signature.appid, str) and isinstance(signature.secret_id, str)
    assert isinstance(signature.issued, int) and isinstance(signature.expires, int)
    assert signature.bucket is None or isinstance(signature.bucket, str)
    assert isinstance(signature.matches(SECRET), bool)
    return signature


def signed(plaintext: bytes, secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), plaintext, hashlib.sha1).digest()
    return base64.b64encode(digest + plaintext).decode("ascii")


@st.composite
def field_lists(draw: st.DrawFn) -> list[tuple[str, str]]:
    """The four required fields with valid values, optional ones, in any order."""
    fields = {
        "a": draw(st.text(string.digits, min_size=1, max_size=12)),
        "k": draw(st.text(string.ascii_letters + string.digits, min_size=1, max_size=40)),
        "e": draw(NUMBERS),
        "t": draw(NUMBERS),
    }
    for key in draw(st.sets(st.sampled_from("bruf"))):
        fields[key] = draw(VALUES)
    return draw(st.permutations(list(fields.items())))


@given(st.one_of(st.none(), st.text(), st.binary().map(lambda raw: raw.decode("latin-1"))))
def test_any_header_text_is_a_signature_or_4_or_5(header: str | None) -> None:
    parsed_or_refused(header)


@given(st.binary(max_size=200))
def test_base64_of_any_bytes_is_a_signature_or_5(raw: bytes) -> None:
    parsed_or_refused(base64.b64encode(raw).decode("ascii"))


@given(st.binary(min_size=20, max_size=20), st.binary(max_size=200))
def test_any_plaintext_after_a_digest_is_a_signature_or_5(digest: bytes, plaintext: bytes) -> None:
    parsed_or_refused(base64.b64encode(digest + plaintext).decode("ascii"))


@given(field_lists())
def test_signed_fields_round_trip(fields: list[tuple[str, str]]) -> None:
    signature = parsed_or_refused(sign(SECRET, fields))
    assert signature is not None
    assert dict(signature.fields) == dict(fields)
    assert signature.matches(SECRET)
    assert not signature.matches(SECRET + "x")


@given(
    field_lists(),
    st.sampled_from(REQUIRED_FIELDS),
    st.one_of(
        st.text(max_size=30),
        st.text(string.digits, min_size=1, max_size=30),
        st.integers(min_value=4000, max_value=6000).map("9".__mul__),  # int()'s limit is 4300
        st.sampled_from(["", "-1", "+1", " 1", "1e9", "0x10", "١٢٣", "²", "1_000"]),
    ),
)
def test_a_mutated_field_is_a_signature_or_5(
    fields: list[tuple[str, str]], key: str, value: str
) -> None:
    mutated = [(k, value if k == key else v) for k, v in fields]
    signature = parsed_or_refused(signed("&".join(f"{k}={v}" for k, v in mutated).encode()))
    if signature is not None:
        assert signature.fields[key] == value


@given(
    field_lists(),
    st.sampled_from(["&", "&&", "=", "&=x", "&a=1", "&x", "\r\n"]),
    st.integers(min_value=0, max_value=200),
)
def test_a_spliced_plaintext_is_a_signature_or_5(
    fields: list[tuple[str, str]], splice: str, at: int
) -> None:
    plaintext = "&".join(f"{k}={v}" for k, v in fields)
    at = min(at, len(plaintext))
    parsed_or_refused(signed((plaintext[:at] + splice + plaintext[at:]).encode()))


@given(field_lists(), st.integers(min_value=0, max_value=60), st.binary(min_size=1, max_size=3))
def test_a_changed_byte_never_matches(fields: list[tuple[str, str]], at: int, noise: bytes) -> None:
    raw = bytearray(base64.b64decode(sign(SECRET, fields)))
    at = min(at, len(raw) - 1)
    if raw[at : at + len(noise)] == noise:
        return
    raw[at : at + len(noise)] = noise
    signature = parsed_or_refused(base64.b64encode(bytes(raw)).decode("ascii"))
    assert signature is None or not signature.matches(SECRET)


@given(field_lists(), st.integers(min_value=0, max_value=200))
def test_a_nul_anywhere_in_the_plaintext_is_5(fields: list[tuple[str, str]], at: int) -> None:
    plaintext = "&".join(f"{k}={v}" for k, v in fields)
    at = min(at, len(plaintext))
    assert parsed_or_refused(signed((plaintext[:at] + "\x00" + plaintext[at:]).encode())) is None
