"""Usage metering for the monthly bill: images recognised and failed per app, bucket, month."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from idcard_ocr.store.database import Database
from idcard_ocr.store.schema import usage

_ATTEMPTS = 3


@dataclass(frozen=True)
class UsageLine:
    """One app, bucket, month (UTC, `YYYY-MM`) and side: images recognised, failures by code."""

    appid: str
    bucket: str
    month: str
    side: int
    recognised: int
    failed: Mapping[int, int] = field(default_factory=dict)


class UsageLedger:
    """Counts of served images in the SQL store."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def record(
        self, appid: str, bucket: str, side: int, codes: Iterable[int], when: datetime
    ) -> None:
        """Count the items of one request by result code (0 is recognised)."""
        counts = Counter(codes)
        key = {"appid": appid, "bucket": bucket, "month": month_of(when), "side": side}
        # A concurrent first insert of the same row loses with IntegrityError: retry, it updates.
        for attempt in range(_ATTEMPTS):
            try:
                with self._database.transaction() as connection:
                    for code, count in sorted(counts.items()):
                        _add(connection, {**key, "code": code}, count)
                return
            except IntegrityError:
                if attempt == _ATTEMPTS - 1:
                    raise

    def report(self, month: str | None = None) -> list[UsageLine]:
        """All usage lines, or those of one month, sorted by month, app, bucket and side."""
        query = select(
            usage.c.appid,
            usage.c.bucket,
            usage.c.month,
            usage.c.side,
            usage.c.code,
            usage.c.count.label("images"),
        ).order_by(usage.c.month, usage.c.appid, usage.c.bucket, usage.c.side, usage.c.code)
        if month is not None:
            query = query.where(usage.c.month == month)
        with self._database.transaction() as connection:
            rows = connection.execute(query).all()
        lines: dict[tuple[str, str, str, int], tuple[int, dict[int, int]]] = {}
        for row in rows:
            recognised, failed = lines.get((row.appid, row.bucket, row.month, row.side), (0, {}))
            if row.code == 0:
                recognised += row.images
            else:
                failed[row.code] = row.images
            lines[(row.appid, row.bucket, row.month, row.side)] = (recognised, failed)
        return [UsageLine(*key, recognised, failed) for key, (recognised, failed) in lines.items()]


def month_of(when: datetime) -> str:
    """The billing month of a moment, in UTC."""
    return when.astimezone(UTC).strftime("%Y-%m")


def _add(connection: Connection, key: dict[str, object], count: int) -> None:
    where = [usage.c[name] == value for name, value in key.items()]
    changed = connection.execute(
        update(usage).where(*where).values(count=usage.c.count + count)
    ).rowcount
    if not changed:
        connection.execute(insert(usage).values(**key, count=count))
