"""Every code of the spec's table that a request can cause, produced over HTTP.

Request level: 3, 4, 5, 6, 9, 10, 11, 12, 13, 15, 16, 18, 19, 20 (body over its cap), 21,
200 (unexpected failure), 202 (store unreachable).
Item level: 17, 20, 203, -1300, -1308, -1400, -1403, -1404, -1505, -1506, -1507, -5062,
-5103, -5107.
Codes 7, 8, 14 and 201 cannot arise in a self-hosted server: docs/api.md says why.
Every answer is HTTP 200.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from fake_reader import FRONT_IMAGE, FakeReader
from fastapi.testclient import TestClient
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.app import create_app
from idcard_ocr.settings import Settings
from idcard_ocr.store.blocklist import Blocklist
from idcard_ocr.store.credentials import CredentialStore, IssuedCredential
from idcard_ocr.store.database import Database


def post_json(client: TestClient, header: str | None, body: Any) -> dict[str, Any]:
    headers = {"Authorization": header} if header is not None else {}
    response = client.post("/ocr/idcard", headers=headers, json=body)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def post_images(
    client: TestClient, header: str, images: list[bytes], **fields: str
) -> dict[str, Any]:
    form = {"appid": APPID, "bucket": BUCKET, "card_type": "0", **fields}
    parts: list[tuple[str, tuple[str | None, bytes | str]]] = [
        (name, (None, value)) for name, value in form.items()
    ]
    parts += [(f"image[{i:02d}]", (f"{i}.jpg", image)) for i, image in enumerate(images)]
    response = client.post("/ocr/idcard", headers={"Authorization": header}, files=parts)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def urls(*items: str, card_type: object = 0) -> dict[str, Any]:
    return {"appid": APPID, "bucket": BUCKET, "card_type": card_type, "url_list": list(items)}


def item_codes(answer: dict[str, Any]) -> list[int]:
    return [item["code"] for item in answer["result_list"]]


def assert_request_error(answer: dict[str, Any], code: int) -> None:
    assert set(answer) == {"code", "message"}
    assert answer["code"] == code


# --- request level ---------------------------------------------------------------------------
@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b""])
def test_malformed_json_body_is_3(client: TestClient, signer: Signer, body: bytes) -> None:
    response = client.post("/ocr/idcard", headers={"Authorization": signer.header()}, content=body)
    assert_request_error(response.json(), 3)


def test_malformed_multipart_body_is_3(client: TestClient, signer: Signer) -> None:
    headers = {
        "Authorization": signer.header(),
        "Content-Type": "multipart/form-data; boundary=xyz",
    }
    response = client.post("/ocr/idcard", headers=headers, content=b"--xyz\r\ngarbage")
    assert_request_error(response.json(), 3)


def test_missing_appid_is_3(client: TestClient, signer: Signer) -> None:
    answer = post_json(client, signer.header(), {"bucket": BUCKET, "url_list": ["x"]})
    assert_request_error(answer, 3)


@pytest.mark.parametrize("header", [None, "", "   "])
def test_missing_signature_is_4(client: TestClient, header: str | None) -> None:
    assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 4)


def test_malformed_signatures_are_5(client: TestClient, signer: Signer) -> None:
    short = base64.b64encode(b"x" * 20).decode()
    no_expiry = signer.header(order="a,b,k,t,r")
    for header in ("not base64!", short, no_expiry, signer.header(secret_key="wrong")):
        assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 5)


def test_signature_lifetime_over_90_days_is_5(client: TestClient, signer: Signer) -> None:
    now = int(time.time())
    header = signer.header(t=str(now), e=str(now + 91 * 86400))
    assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 5)


def test_bucket_of_signature_not_the_body_bucket_is_6(client: TestClient, signer: Signer) -> None:
    header = signer.header(b="another")
    assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 6)


def test_expired_signature_is_9(client: TestClient, signer: Signer) -> None:
    now = int(time.time())
    header = signer.header(t=str(now - 7200), e=str(now - 3600))
    assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 9)


def test_stale_single_use_signature_is_9(client: TestClient, signer: Signer) -> None:
    header = signer.header(t=str(int(time.time()) - 3600), e="0")
    assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 9)


def test_unknown_appid_is_10(client: TestClient, signer: Signer) -> None:
    body = {**urls("http://a.test/x.jpg"), "appid": "999"}
    assert_request_error(post_json(client, signer.header(a="999"), body), 10)


def test_unknown_secret_id_is_11(client: TestClient, signer: Signer) -> None:
    header = signer.header(k="AKIDunknown")
    assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 11)


def test_disabled_secret_id_is_11(
    client: TestClient, signer: Signer, database_url: str, credential: IssuedCredential
) -> None:
    CredentialStore(Database.open(database_url), 10).disable(credential.secret_id)
    assert_request_error(post_json(client, signer.header(), urls("http://a.test/x.jpg")), 11)


@pytest.mark.parametrize(
    "body", [b"{not json", b"x" * 30 * 1_048_576], ids=["malformed", "over cap"]
)
def test_signature_is_checked_before_the_body(
    client: TestClient, signer: Signer, body: bytes
) -> None:
    # Who calls is settled before anything about the body: a bad key wins over a bad body.
    headers = {"Authorization": signer.header(k="AKIDunknown")}
    assert_request_error(client.post("/ocr/idcard", headers=headers, content=body).json(), 11)


def test_body_appid_not_the_signature_appid_is_12(client: TestClient, signer: Signer) -> None:
    body = {**urls("http://a.test/x.jpg"), "appid": "1250000001"}
    assert_request_error(post_json(client, signer.header(), body), 12)


def test_secret_id_of_another_app_is_12(
    client: TestClient, signer: Signer, database_url: str
) -> None:
    other = CredentialStore(Database.open(database_url), 10).create("1250000001", "b")
    header = signer.header(k=other.secret_id, secret_key=other.secret_key)
    assert_request_error(post_json(client, header, urls("http://a.test/x.jpg")), 12)


def test_reused_single_use_signature_is_13(
    client: TestClient, signer: Signer, image_server: str
) -> None:
    header = signer.header(e="0")
    first = post_json(client, header, urls(f"{image_server}/front.jpg"))
    assert item_codes(first) == [0]
    assert_request_error(post_json(client, header, urls(f"{image_server}/front.jpg")), 13)


def test_over_the_app_rate_limit_is_15(
    client: TestClient, signer: Signer, database_url: str
) -> None:
    CredentialStore(Database.open(database_url), 10).set_qps(APPID, 1)
    answers = [post_json(client, signer.header(), urls("")) for _ in range(3)]
    assert [answer.get("code") for answer in answers[1:]] == [15, 15]


def test_unregistered_bucket_is_16(client: TestClient, signer: Signer) -> None:
    body = {**urls("http://a.test/x.jpg"), "bucket": "nobucket"}
    assert_request_error(post_json(client, signer.header(b="nobucket"), body), 16)


def test_empty_url_list_and_no_images_are_18(client: TestClient, signer: Signer) -> None:
    assert_request_error(post_json(client, signer.header(), urls()), 18)
    assert_request_error(post_images(client, signer.header(), []), 18)


def test_more_than_20_items_is_19(client: TestClient, signer: Signer) -> None:
    assert_request_error(post_json(client, signer.header(), urls(*["http://a.test/"] * 21)), 19)
    assert_request_error(post_images(client, signer.header(), [FRONT_IMAGE] * 21), 19)


def test_body_over_its_cap_is_20(settings: Settings, signer: Signer) -> None:
    small = settings.model_copy(update={"max_body_bytes": 10_000})
    with TestClient(create_app(small, reader=FakeReader())) as client:
        answer = post_images(client, signer.header(), [b"x" * 20_000])
    assert_request_error(answer, 20)


@pytest.mark.parametrize("card_type", [2, -1, "front", "", True, None, 0.0, [0]])
def test_bad_card_type_is_21(client: TestClient, signer: Signer, card_type: object) -> None:
    answer = post_json(client, signer.header(), urls("http://a.test/", card_type=card_type))
    assert_request_error(answer, 21)


def test_bad_multipart_card_type_is_21(client: TestClient, signer: Signer) -> None:
    assert_request_error(post_images(client, signer.header(), [FRONT_IMAGE], card_type="2"), 21)


def test_unexpected_failure_is_200(
    client: TestClient, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("idcard_ocr.store.usage.UsageLedger.record", broken)
    answer = post_images(client, signer.header(), [FRONT_IMAGE])
    assert_request_error(answer, 200)


def test_unreachable_store_is_202(settings: Settings, signer: Signer, tmp_path: Path) -> None:
    moved = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/gone/store.db"})
    (tmp_path / "gone").mkdir()
    shutil.copy(settings.database_url.removeprefix("sqlite:///"), tmp_path / "gone/store.db")
    with TestClient(create_app(moved, reader=FakeReader())) as client:
        client.app.state.database.engine.dispose()  # type: ignore[attr-defined]
        shutil.rmtree(tmp_path / "gone")
        answer = post_images(client, signer.header(), [FRONT_IMAGE])
        assert client.get("/readyz").status_code == 503
    assert_request_error(answer, 202)


# --- item level ------------------------------------------------------------------------------
def test_empty_url_is_17_for_that_item(
    client: TestClient, signer: Signer, image_server: str
) -> None:
    answer = post_json(client, signer.header(), urls("", f"{image_server}/front.jpg"))
    assert item_codes(answer) == [17, 0]


def test_image_over_1mb_is_20_for_that_item(
    client: TestClient, signer: Signer, image_server: str
) -> None:
    images = [b"x" * 1_048_577, FRONT_IMAGE, b"\xff" * 1_048_576]
    assert item_codes(post_images(client, signer.header(), images)) == [20, 0, 0]
    fetched = urls(f"{image_server}/bytes/1048577", f"{image_server}/bytes/1048576")
    assert item_codes(post_json(client, signer.header(), fetched)) == [20, 0]


def test_item_over_its_time_budget_is_203(settings: Settings, signer: Signer) -> None:
    hurried = settings.model_copy(update={"item_timeout_seconds": 0.2})
    with TestClient(create_app(hurried, reader=FakeReader())) as client:
        answer = post_images(client, signer.header(), [b"SLOW", FRONT_IMAGE])
    assert item_codes(answer) == [203, 0]


@pytest.mark.parametrize(
    ("image", "code"),
    [
        (b"", -1300),
        (b"NOTIMAGE", -1400),
        (b"NOTEXT", -1404),
        (b"FAILS", -5103),
        (b"CRASH", -5103),
        (b"NOTCARD", -5107),
    ],
)
def test_engine_errors_are_item_codes(
    client: TestClient, signer: Signer, image: bytes, code: int
) -> None:
    assert item_codes(post_images(client, signer.header(), [image, FRONT_IMAGE])) == [code, 0]


def test_download_failures_are_item_codes(
    client: TestClient, signer: Signer, image_server: str
) -> None:
    closed_port = _closed_port()
    body = urls(
        f"{image_server}/status/404",
        f"{image_server}/cut",
        "ftp://images.test/a.jpg",
        "http://",
        f"{image_server}/stall",
        f"http://127.0.0.1:{closed_port}/a.jpg",
    )
    codes = item_codes(post_json(client, signer.header(), body))
    assert codes == [-1308, -1403, -1505, -1505, -1506, -1507]


def test_private_address_is_1507_unless_allowed(settings: Settings, signer: Signer) -> None:
    guarded = settings.model_copy(update={"url_fetch_allow_private": False})
    with TestClient(create_app(guarded, reader=FakeReader())) as client:
        body = urls("http://127.0.0.1/a.jpg", "http://169.254.169.254/latest/meta-data/")
        assert item_codes(post_json(client, signer.header(), body)) == [-1507, -1507]


def test_blocked_image_is_5062(
    client: TestClient, signer: Signer, database_url: str, image_server: str
) -> None:
    Blocklist(Database.open(database_url)).add(hashlib.sha256(FRONT_IMAGE).hexdigest())
    assert item_codes(post_images(client, signer.header(), [FRONT_IMAGE])) == [-5062]
    fetched = urls(f"{image_server}/front.jpg", f"{image_server}/back.jpg")
    assert item_codes(post_json(client, signer.header(), fetched)) == [-5062, 0]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_nul_in_a_name_the_store_looks_up_is_refused_before_the_store(
    client: TestClient, signer: Signer
) -> None:
    """PostgreSQL refuses NUL in a query (psycopg DataError), which answered 200 (internal
    error): a NUL in a signed field is 5, in the body's appid or bucket 3, on any store."""
    assert post_json(client, signer.header(a=APPID + "\x00"), urls("http://x/a.jpg"))["code"] == 5
    assert (
        post_json(client, signer.header(order="a,k,e,t,u", u="\x00"), urls("http://x/a.jpg"))[
            "code"
        ]
        == 5
    )
    body = {**urls("http://x/a.jpg"), "bucket": BUCKET + "\x00"}
    assert post_json(client, signer.header(order="a,k,e,t"), body)["code"] == 3
