"""The JSON the legacy clients read: one shape for request errors, one for processed items."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from idcard_ocr.api.request import Item, UrlItem
from idcard_ocr.errors import IdCardOcrError

# The spec's examples answer "OK" for URL items and "success" for uploaded files.
URL_SUCCESS = "OK"
FILE_SUCCESS = "success"


@dataclass(frozen=True)
class ItemResult:
    """The answer for one image or URL: its code, message and (on success) its data."""

    item: Item
    code: int
    message: str
    data: Mapping[str, object] = field(default_factory=dict)


def success(item: Item, data: Mapping[str, object]) -> ItemResult:
    message = URL_SUCCESS if isinstance(item, UrlItem) else FILE_SUCCESS
    return ItemResult(item, 0, message, data)


def failure(item: Item, error: IdCardOcrError) -> ItemResult:
    return ItemResult(item, error.code, error.message)


def error_body(error: IdCardOcrError) -> dict[str, object]:
    """A request-level error: `code` and `message` and nothing else."""
    return {"code": error.code, "message": error.message}


def result_list_body(results: list[ItemResult]) -> dict[str, object]:
    return {"result_list": [_item_body(result) for result in results]}


def _item_body(result: ItemResult) -> dict[str, object]:
    body: dict[str, object] = {"code": result.code, "message": result.message}
    if isinstance(result.item, UrlItem):
        body["url"] = result.item.url
    else:
        body["filename"] = result.item.filename
    body["data"] = dict(result.data) if result.code == 0 else {}
    return body
