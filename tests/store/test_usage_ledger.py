"""Usage per app, bucket, month and side, recognised and failed by code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database
from idcard_ocr.store.usage import UsageLedger, UsageLine, month_of

MARCH = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


def test_counts_accumulate_by_code(database: Database) -> None:
    CredentialStore(database, 7).create("1250000000", "photos")
    ledger = UsageLedger(database)
    ledger.record("1250000000", "photos", 0, [0, 0, -5107, 20], MARCH)
    ledger.record("1250000000", "photos", 0, [0, -5107], MARCH)
    ledger.record("1250000000", "photos", 1, [0], MARCH)
    assert ledger.report("2026-03") == [
        UsageLine("1250000000", "photos", "2026-03", 0, 3, {-5107: 2, 20: 1}),
        UsageLine("1250000000", "photos", "2026-03", 1, 1, {}),
    ]


def test_months_are_separate_and_utc(database: Database) -> None:
    CredentialStore(database, 7).create("1250000000", "photos")
    ledger = UsageLedger(database)
    shanghai = timezone(timedelta(hours=8))
    ledger.record("1250000000", "photos", 0, [0], MARCH)
    ledger.record("1250000000", "photos", 0, [0], datetime(2026, 4, 1, 7, 0, tzinfo=shanghai))
    ledger.record("1250000000", "photos", 0, [0], datetime(2026, 4, 1, 9, 0, tzinfo=shanghai))
    assert [(line.month, line.recognised) for line in ledger.report()] == [
        ("2026-03", 2),
        ("2026-04", 1),
    ]
    assert ledger.report("2026-05") == []
    assert month_of(MARCH) == "2026-03"
