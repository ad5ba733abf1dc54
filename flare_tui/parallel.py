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

    Both answers come from the same state of the books: if another
    connection commits while they run, they are asked again, together, in
    one read transaction. Inside a transaction both run here.
    """
    path = _file_of(db)
    # Inside a transaction only this connection sees its uncommitted rows.
    if path is None or db.in_transaction():
        return _one_after_the_other(db, first, second)
    before = _data_version(db)
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
    if _data_version(db) != before:
        # Someone committed meanwhile: the two answers may not match.
        return _one_after_the_other(db, first, second)
    return rows, outcome["rows"]


def _data_version(db: pw.Database) -> int:
    # Changes whenever another connection commits to the file.
    return int(db.execute_sql("PRAGMA data_version").fetchone()[0])


def _one_after_the_other(
    db: pw.Database, first: Query, second: Query
) -> tuple[list, list]:
    with db.atomic():  # one snapshot for both (a read transaction)
        return (
            db.execute_sql(*first).fetchall(),
            db.execute_sql(*second).fetchall(),
        )
