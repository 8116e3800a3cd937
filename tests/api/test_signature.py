"""The signature: any field order, optional fields, the clients' real orders, single use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from fake_reader import FRONT_IMAGE
from fastapi.testclient import TestClient
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.signature import parse_signature, sign
from idcard_ocr.errors import SignatureInvalid, SignatureMissing


def _post(client: TestClient, header: str) -> dict[str, object]:
    parts = [
        ("appid", (None, APPID)),
        ("bucket", (None, BUCKET)),
        ("card_type", (None, "0")),
        ("image[0]", ("1.jpg", FRONT_IMAGE)),
    ]
    response = client.post("/ocr/idcard", headers={"Authorization": header}, files=parts)
    answer: dict[str, object] = response.json()
    return answer


@pytest.mark.parametrize(
    "order",
    [
        "a,b,k,e,t,r,f",  # the Python SDK
        "a,b,k,t,e,r,f",  # the Java SDK
        "a,k,t,r,u,b,e",  # the spec's second example
        "a,k,e,t",  # required fields only
        "t,e,k,a",
    ],
)
def test_any_field_order_is_accepted(client: TestClient, signer: Signer, order: str) -> None:
    answer = _post(client, signer.header(order=order))
    assert "result_list" in answer, answer


def test_long_nonce_and_padding_whitespace_are_accepted(client: TestClient, signer: Signer) -> None:
    header = signer.header(r="98765432109876543210")
    assert "result_list" in _post(client, f"  {header}\t")


def test_single_use_signature_is_accepted_once(client: TestClient, signer: Signer) -> None:
    header = signer.header(e="0", order="a,b,k,t,e,r")
    assert "result_list" in _post(client, header)
    assert _post(client, header) == {
        "code": 13,
        "message": "replay attack: single-use signature already used",
    }


def test_refused_single_use_signature_is_not_burnt(client: TestClient, signer: Signer) -> None:
    header = signer.header(e="0")
    bad = client.post(
        "/ocr/idcard",
        headers={"Authorization": header},
        json={"appid": APPID, "bucket": "nobucket", "url_list": ["x"]},
    )
    assert bad.json()["code"] == 6
    assert "result_list" in _post(client, header)


def test_the_spec_example_header_decodes() -> None:
    header = (
        "FCHXddYbhZEBfTeZ0j8mn9Og16JhPTEwMDAwMzc5Jms9QUtJRGVRZDBrRU1yM2J4ZjhRckJiUkp3Sk5zbTN3V1lE"
        "eHN1JnQ9MTQ2ODQ3NDY2MiZyPTU3MiZ1PTAmYj10ZXN0YnVja2V0JmU9MTQ3MTA2NjY2Mg=="
    )
    signature = parse_signature(header)
    assert signature.appid == "10000379"
    assert signature.bucket == "testbucket"
    assert (signature.issued, signature.expires) == (1468474662, 1471066662)
    assert list(signature.fields) == ["a", "k", "t", "r", "u", "b", "e"]


def test_hmac_is_over_the_plaintext_exactly_as_sent() -> None:
    plaintext = b"a=1&k=AKID&e=2&t=1&r=7&f="
    digest = hmac.new(b"secret", plaintext, hashlib.sha1).digest()
    signature = parse_signature(base64.b64encode(digest + plaintext).decode())
    assert signature.matches("secret")
    assert not signature.matches("Secret")
    assert sign(
        "secret", [("a", "1"), ("k", "AKID"), ("e", "2"), ("t", "1"), ("r", "7"), ("f", "")]
    ) == (base64.b64encode(digest + plaintext).decode())


@pytest.mark.parametrize(
    "plaintext",
    [b"a=1&k=K&e=2", b"a=1&k=K&e=x&t=1", b"a=1&k=&e=2&t=1", b"a=1&a=2&k=K&e=2&t=1", b"junk"],
)
def test_malformed_plaintext_is_5(plaintext: bytes) -> None:
    header = base64.b64encode(b"\0" * 20 + plaintext).decode()
    with pytest.raises(SignatureInvalid):
        parse_signature(header)


def test_empty_header_is_4() -> None:
    with pytest.raises(SignatureMissing):
        parse_signature("")


def test_future_issue_time_is_5(client: TestClient, signer: Signer) -> None:
    now = int(time.time())
    answer = _post(client, signer.header(t=str(now + 3600), e=str(now + 7200)))
    assert answer["code"] == 5


def test_a_time_of_thousands_of_digits_is_5(client: TestClient, signer: Signer) -> None:
    """Found by test_signature_properties: a validly signed `e` past int()'s 4300-digit limit
    was answered 200 (internal error) instead of 5."""
    assert _post(client, signer.header(e="9" * 5000))["code"] == 5
    assert _post(client, signer.header(t="1" * 4301))["code"] == 5
