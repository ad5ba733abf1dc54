"""Helpers that make a large import into empty books fast.

Building an index once over sorted data is several times cheaper than
updating it row by row, and an invoice's settled_on can be worked out from
the rows in hand instead of by an UPDATE over every invoice afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import peewee as pw

#: Page cache while importing, in KiB (negative: SQLite's unit for KiB).
IMPORT_CACHE_KIB = 256 * 1024


@contextmanager
def bulk_settings(db: pw.Database) -> Iterator[None]:
    """A bigger page cache, a helper thread for SQLite's sorter (index
    builds) and no foreign-key checks while importing; the connection's
    settings come back after.

    Foreign keys can only be switched outside a transaction, so this wraps
    the import's. Skipping them is safe: the importer resolves every
    customer and invoice it refers to inside that IMMEDIATE transaction (it
    holds the write lock, so none can vanish), and the checks cost a third
    of the inserts' time.
    """
    if not isinstance(db, pw.SqliteDatabase):
        yield
        return
    conn = db.connection()
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    threads = conn.execute("PRAGMA threads").fetchone()[0]
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    conn.execute("PRAGMA threads = 2")
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        conn.execute(f"PRAGMA threads = {int(threads)}")
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")


def refresh_statistics(db: pw.Database) -> None:
    """Let SQLite's planner know the tables' shapes after a large import.

    With statistics it reads the customer list's payments in customer order
    instead of sorting them. A full ANALYZE (~0.5 s per million invoices):
    the quick sampled one (analysis_limit) misjudged how many invoices are
    open and sent the unpaid query over every invoice, 8x slower.
    """
    if isinstance(db, pw.SqliteDatabase):
        db.connection().execute("ANALYZE")


@contextmanager
def indexes_rebuilt(conn: sqlite3.Connection, tables: Iterable[str]) -> Iterator[None]:
    """Drop the indexes of `tables` for the block, then build them again.

    Meant for tables that are empty when the block starts, inside the
    import's transaction: if anything fails, the rollback brings the indexes
    back. A unique index that no longer holds fails to build, so uniqueness
    is still enforced.
    """
    names = list(tables)
    marks = ",".join("?" * len(names))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        f" AND sql IS NOT NULL AND tbl_name IN ({marks})",
        names,
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def settled_days(
    amounts: dict[int, int], payments: Iterable[tuple[int | None, str, int]]
) -> dict[int, str]:
    """The day each invoice was settled, from all payments applied to it.

    `amounts` maps invoice row id to its amount; `payments` are (invoice row
    id or None, ISO date, cents). An invoice is settled on the first day on
    which the payments applied to it, that day's included, add up to its
    amount — the rule books.refresh_settled applies in SQL.
    """
    applied: dict[int, list[tuple[str, int]]] = {}
    for invoice, day, cents in payments:
        if invoice is not None:
            applied.setdefault(invoice, []).append((day, cents))
    settled: dict[int, str] = {}
    for invoice, rows in applied.items():
        if len(rows) > 1:
            rows.sort()
        owed = amounts[invoice]
        paid = 0
        for day, cents in rows:
            paid += cents
            if paid >= owed:
                # Later payments of the same day only add to it: the day is
                # the same whichever of them crossed the line.
                settled[invoice] = day
                break
    return settled


def with_settled(invoices: Sequence[tuple], settled: dict[int, str]) -> Iterator[tuple]:
    """Invoice rows (row id first) with their settled_on day appended."""
    get = settled.get
    for row in invoices:
        yield (*row, get(row[0]))
