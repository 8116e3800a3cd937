"""Who may call: the signature checked against the store, replay and rate limits.

`authenticate` needs the header alone (app, key, HMAC), so it runs before the body is read: a
caller without a key is refused without its body costing anything. `authorize` checks the
rest once the body has named the appid and bucket. A single-use signature is only claimed once
every other check has passed (rate limit included), so a refused request does not burn it and
may be retried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from idcard_ocr.api.signature import Signature
from idcard_ocr.errors import (
    AppIdMismatch,
    AppNotFound,
    BucketNotFound,
    Mismatch,
    RateLimited,
    Replay,
    SecretIdNotFound,
    SignatureExpired,
    SignatureInvalid,
)
from idcard_ocr.store.credentials import Access
from idcard_ocr.store.ratelimit import RateLimiter
from idcard_ocr.store.replay import ReplayGuard

MAX_LIFETIME_SECONDS = 90 * 24 * 3600


@dataclass(frozen=True)
class SignaturePolicy:
    """Clock tolerances: how far `t` may lie ahead, how long a single-use signature lives."""

    clock_skew_seconds: int
    single_use_window_seconds: int


class Authorizer:
    """Decides whether a signed request for an appid and bucket may be served."""

    def __init__(
        self,
        policy: SignaturePolicy,
        replay_guard: ReplayGuard,
        rate_limiter: RateLimiter,
        clock: Callable[[], float],
    ) -> None:
        self._policy = policy
        self._replay_guard = replay_guard
        self._rate_limiter = rate_limiter
        self._clock = clock

    @staticmethod
    def authenticate(signature: Signature, access: Access) -> None:
        """Raise 10, 11, 12 or 5 unless the signature was made with a key of its app."""
        _check_credentials(signature, access)

    def authorize(self, signature: Signature, access: Access, appid: str, bucket: str) -> None:
        """Raise the spec's error for the first check that fails; return when all pass.

        The credentials are checked again: `access` may come from a later lookup than the one
        `authenticate` saw."""
        qps = _check_credentials(signature, access)
        if signature.appid != appid:
            raise AppIdMismatch("appid of the signature differs from the request")
        if signature.bucket is not None and signature.bucket != bucket:
            raise Mismatch("bucket of the signature differs from the request")
        self._check_times(signature)
        if not access.bucket_known:
            raise BucketNotFound()
        if not self._rate_limiter.admit(appid, qps):
            raise RateLimited()
        self._claim(signature)

    def _check_times(self, signature: Signature) -> None:
        now = int(self._clock())
        if signature.issued > now + self._policy.clock_skew_seconds:
            raise SignatureInvalid("signature issued in the future")
        if signature.expires == 0:
            if now - signature.issued > self._policy.single_use_window_seconds:
                raise SignatureExpired()
            return
        if signature.expires <= signature.issued:
            raise SignatureInvalid("signature expires before it is issued")
        if signature.expires - signature.issued > MAX_LIFETIME_SECONDS:
            raise SignatureInvalid("signature lifetime exceeds 90 days")
        if signature.expires < now:
            raise SignatureExpired()

    def _claim(self, signature: Signature) -> None:
        if signature.expires != 0:
            return
        ttl = self._policy.single_use_window_seconds + self._policy.clock_skew_seconds
        if not self._replay_guard.claim(signature.digest.hex(), ttl):
            raise Replay()


def _check_credentials(signature: Signature, access: Access) -> int:
    """Check app, key and HMAC; return the app's requests-per-second limit."""
    if access.app_qps is None:
        raise AppNotFound()
    if access.key_appid is None:
        raise SecretIdNotFound()
    if access.key_appid != signature.appid:
        raise AppIdMismatch("secretid belongs to another appid")
    if not signature.matches(access.secret_key):
        raise SignatureInvalid("signature does not match")
    return access.app_qps
