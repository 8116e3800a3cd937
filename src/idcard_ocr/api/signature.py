"""The legacy `Authorization` signature: Base64(HMAC-SHA1(plaintext) + plaintext).

The plaintext is `k=v` pairs joined by `&` in any order: `a` appid, `k` SecretID, `e` expiry,
`t` issue time are required; `b` bucket, `r` nonce, `u` user and `f` file id are optional.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from idcard_ocr.errors import SignatureInvalid, SignatureMissing

REQUIRED_FIELDS = ("a", "k", "e", "t")
_DIGEST_SIZE = hashlib.sha1().digest_size
# `e` and `t` are Unix times; 19 digits hold any 64-bit time. Longer ones are refused here:
# past 4300 digits `int()` itself raises, which would surface as an internal error.
_MAX_TIME_DIGITS = 19


@dataclass(frozen=True)
class Signature:
    """A parsed, not yet verified, signature."""

    digest: bytes
    plaintext: bytes
    fields: Mapping[str, str]

    @property
    def appid(self) -> str:
        return self.fields["a"]

    @property
    def secret_id(self) -> str:
        return self.fields["k"]

    @property
    def bucket(self) -> str | None:
        return self.fields.get("b")

    @property
    def issued(self) -> int:
        return int(self.fields["t"])

    @property
    def expires(self) -> int:
        """The expiry time; 0 for a single-use signature."""
        return int(self.fields["e"])

    def matches(self, secret_key: str) -> bool:
        """Whether the HMAC was made with `secret_key`, compared in constant time."""
        expected = hmac.new(secret_key.encode(), self.plaintext, hashlib.sha1).digest()
        return hmac.compare_digest(expected, self.digest)


def parse_signature(header: str | None) -> Signature:
    """Decode an `Authorization` header; raises 4 when it is empty and 5 when it is malformed."""
    if header is None or not header.strip():
        raise SignatureMissing()
    try:
        raw = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureInvalid("signature is not base64") from exc
    if len(raw) <= _DIGEST_SIZE:
        raise SignatureInvalid("signature is too short")
    plaintext = raw[_DIGEST_SIZE:]
    return Signature(raw[:_DIGEST_SIZE], plaintext, _fields(plaintext))


def sign(secret_key: str, fields: Sequence[tuple[str, str]]) -> str:
    """The header for `fields`, kept in the given order (clients differ in their order)."""
    plaintext = "&".join(f"{key}={value}" for key, value in fields).encode()
    digest = hmac.new(secret_key.encode(), plaintext, hashlib.sha1).digest()
    return base64.b64encode(digest + plaintext).decode("ascii")


def _fields(plaintext: bytes) -> dict[str, str]:
    try:
        text = plaintext.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SignatureInvalid("signature plaintext is not text") from exc
    if "\x00" in text:
        # No client signs one, and PostgreSQL refuses it in a query: it would surface as 200.
        raise SignatureInvalid("signature plaintext holds a NUL character")
    fields: dict[str, str] = {}
    for pair in text.split("&"):
        key, equals, value = pair.partition("=")
        if not equals or key in fields:
            raise SignatureInvalid("signature plaintext is malformed")
        fields[key] = value
    missing = [key for key in REQUIRED_FIELDS if not fields.get(key)]
    if missing or not (_is_number(fields["e"]) and _is_number(fields["t"])):
        raise SignatureInvalid("signature lacks a required field")
    return fields


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= _MAX_TIME_DIGITS
