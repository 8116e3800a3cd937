"""The one exception tree of idcard-ocr; every error the legacy spec names is a class with its code.

    IdCardOcrError(code, message)
    ├── RequestError            request-level errors: the whole request fails (3-21)
    │   ├── BadRequest 3, SignatureMissing 4, SignatureInvalid 5, Mismatch 6,
    │   ├── SignatureExpired 9, AppNotFound 10, SecretIdNotFound 11, AppIdMismatch 12,
    │   ├── Replay 13, RateLimited 15 (and its ServerBusy), BucketNotFound 16,
    │   └── NoImages 18, TooManyImages 19, InvalidParameter 21
    ├── ItemError               errors of one image or URL of a batch; the others go on
    │   ├── EmptyUrl 17, ImageTooLarge 20
    │   ├── EmptyImage -1300, UrlDownloadFailed -1308, InvalidImage -1400,
    │   ├── DownloadCutShort -1403, NoTextFound -1404, MalformedUrl -1505,
    │   ├── DownloadTimeout -1506, UrlUnreachable -1507, ImageBlocked -5062,
    │   └── RecognitionFailed -5103, NotAnIdCard -5107
    └── InternalError           200-203: packing, unpacking, backend unreachable, timeout

The API turns any of them into `{"code": N, "message": "..."}` in one place. Messages never
carry field values, image bytes or secrets.
"""

from __future__ import annotations

from typing import ClassVar


class IdCardOcrError(Exception):
    """Base of every error with a legacy-spec code."""

    code: ClassVar[int] = 200
    default_message: ClassVar[str] = "internal error"

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"


class RequestError(IdCardOcrError):
    """An error that fails the whole request."""


class ItemError(IdCardOcrError):
    """An error of one item (image or URL); the other items of the batch are still served."""


class InternalError(IdCardOcrError):
    """Internal failures, codes 200-203."""


# --- request level ---------------------------------------------------------------------------
class BadRequest(RequestError):
    code = 3
    default_message = "bad request"


class SignatureMissing(RequestError):
    code = 4
    default_message = "signature is empty"


class SignatureInvalid(RequestError):
    code = 5
    default_message = "signature is invalid"


class Mismatch(RequestError):
    code = 6
    default_message = "appid/bucket/url mismatch"


class SignatureExpired(RequestError):
    code = 9
    default_message = "signature expired"


class AppNotFound(RequestError):
    code = 10
    default_message = "appid does not exist"


class SecretIdNotFound(RequestError):
    code = 11
    default_message = "secretid does not exist"


class AppIdMismatch(RequestError):
    code = 12
    default_message = "appid mismatch"


class Replay(RequestError):
    code = 13
    default_message = "replay attack: single-use signature already used"


class RateLimited(RequestError):
    code = 15
    default_message = "too many requests, rate limit exceeded"


class ServerBusy(RateLimited):
    """15 because the server is full (admission control), not because the app's rate limit
    was reached: the same answer on the wire, counted apart in the metrics.

    `retry_after` is the server's guess, in seconds, of when such a request would be
    admitted; the answer carries it as a `Retry-After` header.
    """

    default_message = "server busy"

    def __init__(self, message: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BucketNotFound(RequestError):
    code = 16
    default_message = "bucket does not exist"


class NoImages(RequestError):
    code = 18
    default_message = "no image or url"


class TooManyImages(RequestError):
    code = 19
    default_message = "too many images: at most 20 urls or files per request"


class InvalidParameter(RequestError):
    code = 21
    default_message = "invalid parameter"


# --- item level ------------------------------------------------------------------------------
class EmptyUrl(ItemError):
    code = 17
    default_message = "url is empty"


class ImageTooLarge(ItemError):
    code = 20
    default_message = "image too large: at most 1MB per image"


class EmptyImage(ItemError):
    code = -1300
    default_message = "image is empty"


class UrlDownloadFailed(ItemError):
    code = -1308
    default_message = "url image download failed"


class InvalidImage(ItemError):
    code = -1400
    default_message = "invalid image format"


class DownloadCutShort(ItemError):
    code = -1403
    default_message = "image download failed: body cut short"


class NoTextFound(ItemError):
    code = -1404
    default_message = "image cannot be recognized: no text found"


class MalformedUrl(ItemError):
    code = -1505
    default_message = "malformed url"


class DownloadTimeout(ItemError):
    code = -1506
    default_message = "image download timed out"


class UrlUnreachable(ItemError):
    code = -1507
    default_message = "cannot reach the image server of the url"


class ImageBlocked(ItemError):
    code = -5062
    default_message = "image has been blocked"


class RecognitionFailed(ItemError):
    code = -5103
    default_message = "OCR recognition failed"


class NotAnIdCard(ItemError):
    code = -5107
    default_message = "image is not an ID card"


# --- internal --------------------------------------------------------------------------------
class PackFailed(InternalError):
    code = 200
    default_message = "internal packing failed"


class UnpackFailed(InternalError):
    code = 201
    default_message = "internal unpacking failed"


class BackendUnavailable(InternalError):
    code = 202
    default_message = "internal connection failed"


class ProcessingTimeout(InternalError):
    code = 203
    default_message = "internal processing timeout"
