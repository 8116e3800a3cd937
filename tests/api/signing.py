"""Signed headers for the HTTP tests, with the field order and values a test picks."""

from __future__ import annotations

import time
from dataclasses import dataclass

from idcard_ocr.api.signature import sign
from idcard_ocr.store.credentials import IssuedCredential

APPID = "1250000000"
BUCKET = "photos"


@dataclass
class Signer:
    """Builds `Authorization` headers, field order and values chosen by the test."""

    credential: IssuedCredential

    def header(
        self, order: str = "a,b,k,e,t,r,f", secret_key: str | None = None, **values: str
    ) -> str:
        now = int(time.time())
        fields = {
            "a": self.credential.appid,
            "b": self.credential.bucket,
            "k": self.credential.secret_id,
            "e": str(now + 600),
            "t": str(now),
            "r": "1234567890",
            "u": "0",
            "f": "",
            **values,
        }
        return sign(
            secret_key or self.credential.secret_key, [(k, fields[k]) for k in order.split(",")]
        )
