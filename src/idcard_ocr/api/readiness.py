"""What `/readyz` checks: the engine is loaded and the store answers."""

from __future__ import annotations

from anyio import to_thread

from idcard_ocr.store.database import Database


class Readiness:
    def __init__(self, database: Database) -> None:
        self._database = database
        self.models_loaded = False

    async def report(self) -> dict[str, bool]:
        store = await to_thread.run_sync(self._database.ping)
        return {"models_loaded": self.models_loaded, "store_reachable": store}
