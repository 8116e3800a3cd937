"""The body of `POST /ocr/idcard`, JSON (`url_list`) or multipart (`image*` parts), as one type."""

from __future__ import annotations

import json
from dataclasses import dataclass

from idcard_ocr.api.multipart import Part, parse_multipart
from idcard_ocr.card.model import Side
from idcard_ocr.errors import BadRequest, InvalidParameter, NoImages, TooManyImages

_FIELDS = ("appid", "bucket", "card_type")
_CARD_TYPES = {0: Side.FRONT, 1: Side.BACK, "0": Side.FRONT, "1": Side.BACK}


@dataclass(frozen=True)
class Upload:
    """An uploaded image and the filename to echo (empty when the part had none)."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class UrlItem:
    """An image to fetch, echoed exactly as sent."""

    url: str


Item = Upload | UrlItem


@dataclass(frozen=True)
class OcrRequest:
    appid: str
    bucket: str
    side: Side
    items: tuple[Item, ...]


def parse_request(body: bytes, content_type: str, max_items: int) -> OcrRequest:
    """Parse either form; raises 3 (malformed), 21 (bad card_type or url_list), 18, 19."""
    if "multipart/form-data" in content_type.lower():
        return _from_multipart(parse_multipart(body, content_type), max_items)
    return _from_json(body, max_items)


def _from_json(body: bytes, max_items: int) -> OcrRequest:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise BadRequest("body is not valid JSON") from exc
    if not isinstance(document, dict):
        raise BadRequest("body is not a JSON object")
    appid, bucket = _identity(document.get("appid"), document.get("bucket"))
    side = _side(document.get("card_type", 0))
    urls = document.get("url_list")
    if urls is not None and not isinstance(urls, list):
        raise InvalidParameter("url_list is not a list")
    if any(not isinstance(url, str) for url in urls or []):
        raise InvalidParameter("url_list holds a non-string")
    items = tuple(UrlItem(url) for url in urls or [])
    return OcrRequest(appid, bucket, side, _counted(items, max_items))


def _from_multipart(parts: list[Part], max_items: int) -> OcrRequest:
    fields: dict[str, str] = {}
    for part in parts:
        if part.name in _FIELDS and part.name not in fields:
            fields[part.name] = _field_text(part.content)
    appid, bucket = _identity(fields.get("appid"), fields.get("bucket"))
    side = _side(fields.get("card_type", "0"))
    images = sorted((part for part in parts if part.name.startswith("image")), key=_name)
    items = tuple(Upload(part.filename or "", part.content) for part in images)
    return OcrRequest(appid, bucket, side, _counted(items, max_items))


def _identity(appid: object, bucket: object) -> tuple[str, str]:
    if isinstance(appid, int) and not isinstance(appid, bool):
        appid = str(appid)
    if not isinstance(appid, str) or not appid.strip():
        raise BadRequest("appid is missing")
    if not isinstance(bucket, str) or not bucket.strip():
        raise BadRequest("bucket is missing")
    if "\x00" in appid + bucket:
        # PostgreSQL refuses NUL in a query, which would surface as an internal error (200).
        raise BadRequest("appid or bucket holds a NUL character")
    return appid.strip(), bucket.strip()


def _side(card_type: object) -> Side:
    if isinstance(card_type, bool) or not isinstance(card_type, int | str):
        raise InvalidParameter("card_type must be 0 or 1")
    key = card_type.strip() if isinstance(card_type, str) else card_type
    side = _CARD_TYPES.get(key)
    if side is None:
        raise InvalidParameter("card_type must be 0 or 1")
    return side


def _counted(items: tuple[Item, ...], max_items: int) -> tuple[Item, ...]:
    if not items:
        raise NoImages()
    if len(items) > max_items:
        raise TooManyImages()
    return items


def _field_text(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("form field is not UTF-8 text") from exc


def _name(part: Part) -> str:
    return part.name
