"""The OpenAPI description of `POST /ocr/idcard`: the two request bodies, the signature header
and the two answers, as the legacy spec and its decisions define them.

FastAPI cannot derive any of it, since the route reads its body itself (streamed, capped and
paced), so it is written out here and kept honest by the schemathesis test in tests/api.
"""

from __future__ import annotations

from typing import Any

_CARD_TYPE: dict[str, Any] = {
    "enum": [0, 1, "0", "1"],
    "default": 0,
    "description": "0 the side with the photo, 1 the side with the national emblem",
}
_IMAGE_PART: dict[str, Any] = {
    "type": "string",
    "format": "binary",
    "description": "JPEG, PNG, BMP, WebP or GIF (first frame), at most 1 MiB",
}
_CONFIDENCES: dict[str, Any] = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0, "maximum": 100},
}
_FRONT_FIELDS = ("name", "sex", "nation", "birth", "address", "id")
_BACK_FIELDS = ("authority", "valid_date")

REQUEST_ERROR: dict[str, Any] = {
    "type": "object",
    "description": "A request-level error: the whole request failed, no item was served",
    "required": ["code", "message"],
    "additionalProperties": False,
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
}


def _card_data(fields: tuple[str, ...]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name in fields:
        properties[name] = {"type": "string"}
        properties[f"{name}_confidence_all"] = _CONFIDENCES
    return {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


_EMPTY: dict[str, Any] = {"type": "object", "maxProperties": 0}
_ITEM: dict[str, Any] = {
    "type": "object",
    "description": "One image or URL: `url` for a URL item, `filename` for an uploaded file; "
    "`data` is `{}` unless `code` is 0",
    "required": ["code", "message", "data"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "url": {"type": "string"},
        "filename": {"type": "string"},
        "data": {"anyOf": [_card_data(_FRONT_FIELDS), _card_data(_BACK_FIELDS), _EMPTY]},
    },
    "oneOf": [{"required": ["url"]}, {"required": ["filename"]}],
}
RESULT_LIST: dict[str, Any] = {
    "type": "object",
    "description": "A processed request: one item per image or URL",
    "required": ["result_list"],
    "additionalProperties": False,
    "properties": {"result_list": {"type": "array", "minItems": 1, "items": _ITEM}},
}

OCR_IDCARD: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["appid", "bucket", "url_list"],
                    "properties": {
                        "appid": {"type": ["string", "integer"]},
                        "bucket": {"type": "string"},
                        "card_type": _CARD_TYPE,
                        "url_list": {
                            "type": "array",
                            "items": {"type": "string"},
                            "minItems": 1,
                            "maxItems": 20,
                            "description": "http(s) URLs of the images, at most 20",
                        },
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "description": "Fields as plain or file parts; every part whose name "
                    "starts with `image` is an image, answered in dictionary order of the "
                    "part names, echoing its `filename`; at most 20 images",
                    "required": ["appid", "bucket", "image[0]"],
                    "properties": {
                        "appid": {"type": "string"},
                        "bucket": {"type": "string"},
                        "card_type": {"type": "string", "enum": ["0", "1"], "default": "0"},
                        "image[0]": _IMAGE_PART,
                    },
                    "patternProperties": {"^image": _IMAGE_PART},
                }
            },
        },
    },
    "parameters": [
        {
            "name": "Authorization",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "Base64(HMAC-SHA1(plaintext) + plaintext), no scheme word; the "
            "plaintext is `a=..&k=..&e=..&t=..` with optional `b`, `r`, `u`, `f`",
        }
    ],
    "responses": {
        "200": {
            "description": "Every answer is HTTP 200 (the legacy clients read no other): a "
            "request-level error, or one result per item",
            "content": {"application/json": {"schema": {"oneOf": [REQUEST_ERROR, RESULT_LIST]}}},
        }
    },
}

_READINESS: dict[str, Any] = {
    "type": "object",
    "required": ["models_loaded", "store_reachable"],
    "additionalProperties": False,
    "properties": {
        "models_loaded": {"type": "boolean"},
        "store_reachable": {"type": "boolean"},
        "redis_reachable": {"type": "boolean", "description": "only when REDIS_URL is set"},
    },
}
READYZ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Ready", "content": {"application/json": {"schema": _READINESS}}},
    503: {
        "description": "Not ready: the engine is loading, or the store or Redis does not answer",
        "content": {"application/json": {"schema": _READINESS}},
    },
}
