"""schemathesis against our own OpenAPI description, in process (ASGI) on the fake reader:
every generated request, valid or not, is answered below 500, in the shape the description
promises, and `POST /ocr/idcard` answers only the spec's codes.

Two runs of the same operations: one with the `Authorization` header as generated (almost
always refused at the signature), one with a valid signature and the credential's appid and
bucket put in, so that the generated bodies reach the parsers and the pipeline.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fake_reader import FakeReader
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.schemas import OpenApiSchema
from signing import Signer

from idcard_ocr import errors
from idcard_ocr.api.addresses import IPAddress
from idcard_ocr.api.app import create_app
from idcard_ocr.settings import Settings

# The spec's codes: 0 and every code of the exception tree.
SPEC_CODES = {0} | {
    kind.code
    for kind in vars(errors).values()
    if isinstance(kind, type) and issubclass(kind, errors.IdCardOcrError)
}
# A generated request is never the server's fault: no internal error (200-203) may answer it.
INTERNAL_CODES = {errors.PackFailed.code, errors.UnpackFailed.code, errors.ProcessingTimeout.code}
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]
# 2 x 4 operations x this many examples stays well under a minute on 2 shared cores.
EXAMPLES = 60


class LoopbackResolver:
    """Every name resolves to loopback, which the guard refuses: no generated URL leaves."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1")]


@pytest.fixture
def api_schema(database_url: str, credential: Any) -> Iterator[OpenApiSchema]:
    """The description as the app serves it; the app's lifespan, which schemathesis starts
    at the first call and would keep to the end of the session, is ended after the test."""
    fuzz_settings = Settings(
        database_url=database_url,
        url_fetch_allow_private=False,
        fetch_timeout_seconds=1.0,
        fetch_connect_timeout_seconds=1.0,
        recognition_threads=2,
    )
    app = create_app(fuzz_settings, reader=FakeReader(), resolver=LoopbackResolver())
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    shutdown_lifespans()


schema = schemathesis.pytest.from_fixture("api_schema")
fuzzed = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


def assert_spec_answer(case: Any, response: Any) -> None:
    """Below 500, valid against the description; on the endpoint, only the spec's codes."""
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=CHECKS)
    if case.path != "/ocr/idcard":
        return
    body = response.json()
    codes = [body["code"]] if "code" in body else [item["code"] for item in body["result_list"]]
    assert set(codes) <= SPEC_CODES - INTERNAL_CODES, body


@schema.parametrize()
@fuzzed
def test_generated_requests_get_spec_answers(case: Any) -> None:
    assert_spec_answer(case, case.call())


@schema.include(path="/ocr/idcard").parametrize()
@fuzzed
def test_signed_generated_requests_get_spec_answers(case: Any, signer: Signer) -> None:
    case.headers = {**(case.headers or {}), "Authorization": signer.header()}
    if isinstance(case.body, dict):
        case.body = {
            **case.body,
            "appid": signer.credential.appid,
            "bucket": signer.credential.bucket,
        }
    assert_spec_answer(case, case.call())


def test_wrong_method_and_unknown_path_answer_in_the_error_shape(client: TestClient) -> None:
    """Found by the run above: Starlette answered these `{"detail": ...}`. Their HTTP status
    stays (no legacy client sends them), their body takes the one error shape."""
    wrong_method = client.get("/ocr/idcard")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"
    assert wrong_method.json() == {"code": 3, "message": "method not allowed"}
    unknown = client.post("/ocr/idcards")
    assert unknown.status_code == 404
    assert unknown.json() == {"code": 3, "message": "not found"}
