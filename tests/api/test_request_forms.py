"""Both request forms as real clients send them: field types, part names, order and echo."""

from __future__ import annotations

from typing import Any

import pytest
from fake_reader import BACK_IMAGE, FRONT_IMAGE
from fastapi.testclient import TestClient
from signing import APPID, BUCKET, Signer


def _multipart(client: TestClient, header: str, parts: list[Any]) -> dict[str, Any]:
    response = client.post("/ocr/idcard", headers={"Authorization": header}, files=parts)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def _fields_as(kind: str, card_type: str = "0") -> list[Any]:
    values = {"appid": APPID, "bucket": BUCKET, "card_type": card_type}
    if kind == "plain":
        return [(name, (None, value)) for name, value in values.items()]
    # The Python SDK: every field a file part whose filename is the field's name.
    return [(name, (name, value.encode())) for name, value in values.items()]


@pytest.mark.parametrize("kind", ["plain", "file"])
def test_fields_may_be_plain_or_file_parts(client: TestClient, signer: Signer, kind: str) -> None:
    parts = [*_fields_as(kind, "1"), ("images[0]", ("images[0]", BACK_IMAGE))]
    answer = _multipart(client, signer.header(), parts)
    assert answer["result_list"][0]["code"] == 0
    assert "authority" in answer["result_list"][0]["data"]


def test_results_follow_dictionary_order_of_part_names(client: TestClient, signer: Signer) -> None:
    names = ["image[2]", "image[10]", "image", "images[0]", "image[1]"]
    parts = _fields_as("plain") + [(name, (f"{name}.jpg", FRONT_IMAGE)) for name in names]
    answer = _multipart(client, signer.header(), parts)
    echoed = [item["filename"] for item in answer["result_list"]]
    assert echoed == ["image.jpg", "image[10].jpg", "image[1].jpg", "image[2].jpg", "images[0].jpg"]


@pytest.mark.parametrize(
    "filename",
    ["", "image _2.jpg ", "身份证 正面.jpg", "/tmp/a%20b/c.jpg", "C:\\scans\\1.jpg"],
)
def test_filename_is_echoed_exactly(client: TestClient, signer: Signer, filename: str) -> None:
    parts = [*_fields_as("plain"), ("image[0]", (filename, FRONT_IMAGE))]
    answer = _multipart(client, signer.header(), parts)
    assert answer["result_list"][0]["filename"] == filename


def test_quoted_filename_is_unescaped_once(client: TestClient, signer: Signer) -> None:
    fields = "".join(
        f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (("appid", APPID), ("bucket", BUCKET))
    )
    image = '--b\r\nContent-Disposition: form-data; name="image"; filename="a\\"b;c.jpg"\r\n\r\n'
    body = fields.encode() + image.encode() + FRONT_IMAGE + b"\r\n--b--\r\n"
    headers = {"Authorization": signer.header(), "Content-Type": "multipart/form-data; boundary=b"}
    answer = client.post("/ocr/idcard", headers=headers, content=body).json()
    assert answer["result_list"][0]["filename"] == 'a"b;c.jpg'


def test_part_without_filename_echoes_empty(client: TestClient, signer: Signer) -> None:
    parts = [*_fields_as("plain"), ("image[0]", (None, FRONT_IMAGE))]
    assert _multipart(client, signer.header(), parts)["result_list"][0]["filename"] == ""


def test_the_spec_multipart_example_shape(client: TestClient, signer: Signer) -> None:
    boundary = "-------------------------acebdf13572468"
    chunks = [
        f'name="appid";\r\n\r\n{APPID}',
        f'name="bucket";\r\n\r\n{BUCKET}',
        'name="card_type";\r\n\r\n1',
    ]
    body = b"".join(
        f"--{boundary}\r\nContent-Disposition: form-data; {chunk}\r\n".encode() for chunk in chunks
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image[0]"; filename="1.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + BACK_IMAGE
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": signer.header(),
        "Content-Type": f"multipart/form-data;boundary={boundary}",
    }
    answer = client.post("/ocr/idcard", headers=headers, content=body).json()
    assert [(i["code"], i["message"], i["filename"]) for i in answer["result_list"]] == [
        (0, "success", "1.jpg")
    ]


@pytest.mark.parametrize(
    ("appid", "card_type", "field"),
    [
        (int(APPID), 0, "name"),
        (APPID, "0", "name"),
        (APPID, 1, "authority"),
        (APPID, "1", "authority"),
        (APPID, None, "name"),
    ],
)
def test_json_field_types(
    client: TestClient,
    signer: Signer,
    image_server: str,
    appid: object,
    card_type: object,
    field: str,
) -> None:
    body: dict[str, Any] = {
        "appid": appid,
        "bucket": BUCKET,
        "url_list": [f"{image_server}/front.jpg"],
    }
    if card_type is not None:
        body["card_type"] = card_type
    answer = client.post(
        "/ocr/idcard", headers={"Authorization": signer.header()}, json=body
    ).json()
    assert field in answer["result_list"][0]["data"]


def test_quoted_json_content_type_of_the_spec(
    client: TestClient, signer: Signer, image_server: str
) -> None:
    headers = {"Authorization": signer.header(), "Content-Type": '"application/json"'}
    url = f"{image_server}/front.jpg"
    body = f'{{"appid":{APPID},"bucket":"{BUCKET}","card_type":0,"url_list":["{url}"]}}'
    answer = client.post("/ocr/idcard", headers=headers, content=body.encode()).json()
    assert answer["result_list"][0]["code"] == 0


def test_urls_echo_exactly_in_request_order(
    client: TestClient, signer: Signer, image_server: str
) -> None:
    sent = [
        f"{image_server}/back.jpg",
        f"{image_server}/front.jpg?x=1",
        "",
        f"{image_server}/redirect/3",
    ]
    body = {"appid": APPID, "bucket": BUCKET, "card_type": 1, "url_list": sent}
    answer = client.post(
        "/ocr/idcard", headers={"Authorization": signer.header()}, json=body
    ).json()
    assert [item["url"] for item in answer["result_list"]] == sent
    assert [item["code"] for item in answer["result_list"]] == [0, 0, 17, 0]
    assert all(item["message"] == "OK" for item in answer["result_list"] if item["code"] == 0)


def test_any_host_header_is_accepted(client: TestClient, signer: Signer) -> None:
    parts = [*_fields_as("plain"), ("image[0]", ("1.jpg", FRONT_IMAGE))]
    headers = {"Authorization": signer.header(), "Host": "service.image.myqcloud.com"}
    answer = client.post("/ocr/idcard", headers=headers, files=parts).json()
    assert answer["result_list"][0]["code"] == 0
