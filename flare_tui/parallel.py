"""Two read-only queries at once, for the figures that need two big passes.

SQLite runs a query on one core; the customer list needs two independent
passes (payments and unpaid invoices). On a SQLite file the second runs on a
connection of its own in a thread (sqlite3 lets go of the GIL while SQLite
works), so a two-core machine answers in the time of the longer one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import peewee as pw

Query = tuple[str, Sequence[Any] | Mapping[str, Any]]


def _file_of(db: pw.Database) -> str | None:
    """The SQLite file behind `db`, or None (another database, in memory)."""
    if not isinstance(db, pw.SqliteDatabase):
        return None
    name = str(db.database or "")
    if name in ("", ":memory:") or name.startswith("file:"):
        return None
    return name


def fetch_both(db: pw.Database, first: Query, second: Query) -> tuple[list, list]:
    """All rows of two read-only queries, the second in a thread when it helps.

    Each query sees the books as committed when it starts, as two queries
    one after the other would; inside a transaction both run here.
    """
    path = _file_of(db)
    # Inside a transaction only this connection sees its uncommitted rows.
    if path is None or db.in_transaction():
        return (
            db.execute_sql(*first).fetchall(),
            db.execute_sql(*second).fetchall(),
        )
    outcome: dict[str, Any] = {}

    def run_second() -> None:
        try:
            conn = sqlite3.connect(path, timeout=5.0)
            try:
                outcome["rows"] = conn.execute(*second).fetchall()
            finally:
                conn.close()
        except Exception as error:  # noqa: BLE001 - raised again below
            outcome["error"] = error

    worker = threading.Thread(target=run_second, name="flare-figures", daemon=True)
    worker.start()
    try:
        rows = db.execute_sql(*first).fetchall()
    finally:
        worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return rows, outcome["rows"]
