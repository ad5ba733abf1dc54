"""CSV import: customers, invoices and payments, checked whole, then written
in one transaction — or not at all."""

from __future__ import annotations

import codecs
import gc
import os
from datetime import date
from pathlib import Path

import peewee as pw

from . import fastpath
from .bulk import (
    bulk_settings,
    refresh_statistics,
)
from .csvsource import (
    MAX_ERRORS,
    CsvSource,
    ErrorList,
    ImportFailed,
    ImportResult,
    Progress,
    RowError,
)
from .db import write_transaction
from .import_checks import MAX_AMOUNT, DetailedChecks
from .import_write import ImportWriter
from .text import clean_text, one_line

__all__ = [
    "MAX_AMOUNT",
    "MAX_ERRORS",
    "ImportFailed",
    "ImportResult",
    "RowError",
    "import_csv",
]


class _Importer(DetailedChecks, ImportWriter):
    def __init__(self, db: pw.Database, progress: Progress | None) -> None:
        self.db = db
        self.errors = ErrorList()
        self.progress = progress
        conn = db.connection()
        self.next_customer = self._next_id(conn, "customer")
        self.next_invoice = self._next_id(conn, "invoice")
        self.next_payment = self._next_id(conn, "payment")
        self.customers: dict[str, int] = dict(
            conn.execute("SELECT customer_id, id FROM customer")
        )
        self.books_have_customers = bool(self.customers)
        # Parsed dates by their text: a book has a few thousand distinct days.
        self.days: dict[str, date | None] = {}
        self.fast_days: dict[str, str] = {}
        self.new_customers: list[tuple] = []
        self.new_invoices: list[tuple] = []
        self.new_payments: list[tuple] = []
        self.invoices: dict[str, tuple[int, int]] = {}
        self.books_have_invoices = bool(
            conn.execute("SELECT 1 FROM invoice LIMIT 1").fetchone()
        )
        self.books_have_payments = bool(
            conn.execute("SELECT 1 FROM payment LIMIT 1").fetchone()
        )

    @staticmethod
    def _next_id(conn, table: str) -> int:  # type: ignore[no-untyped-def]
        return conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[
            0
        ]

    def customers_file(self, path: Path) -> None:
        source = CsvSource(path, "customers", self.errors)
        rows = source.open()
        if rows is None:
            return
        col = source.columns
        file = source.name
        existing = set(self.customers)
        for count, (line, row) in enumerate(rows, start=1):
            code = one_line(self._get(source, row, "customer_id"))
            name = one_line(self._get(source, row, "name"))
            bad = False
            if not code:
                self.errors.add(
                    file, line, col["customer_id"] + 1, "customer_id", "required"
                )
                bad = True
            elif code in self.customers:
                where = "the books" if code in existing else "this file"
                self.errors.add(
                    file,
                    line,
                    col["customer_id"] + 1,
                    "customer_id",
                    f"{code!r} is already in {where}; ids must be unique",
                )
                bad = True
            if not name:
                self.errors.add(file, line, col["name"] + 1, "name", "required")
                bad = True
            if bad:
                continue
            address = ""
            if "address" in col:
                address = clean_text(row[col["address"]]).strip()
            row_id = self.next_customer
            self.next_customer += 1
            self.customers[code] = row_id
            self.new_customers.append(
                (
                    row_id,
                    code,
                    name,
                    one_line(self._get(source, row, "email")),
                    one_line(self._get(source, row, "phone")),
                    address,
                )
            )
            if count % 50_000 == 0:
                self._tick("customers", count)

    def _plain_text(self, path: Path, kind: str) -> tuple[str, dict[str, int]] | None:
        """The file's text and columns when the fast path may try it."""
        source = CsvSource(path, kind, ErrorList())
        loaded = source.load()
        if loaded is None:
            return None
        data, text = loaded
        if not fastpath.is_plain(data.removeprefix(codecs.BOM_UTF8)):
            return None
        return (text, source.columns) if source.header_ok(text) else None

    def _fast_invoices(self, path: Path) -> bool:
        plain = self._plain_text(path, "invoices")
        if plain is None:
            return False
        done = fastpath.invoices(
            *plain, self.customers, self.fast_days, self.next_invoice
        )
        if done is None or self._existing_invoices(list(done[1])):
            return False
        self.new_invoices, self.invoices = done
        self.next_invoice += len(self.new_invoices)
        self._tick("invoices", len(self.new_invoices))
        return True

    def _fast_payments(self, path: Path) -> bool:
        plain = self._plain_text(path, "payments")
        if plain is None:
            return False
        done = fastpath.payments(
            *plain, self.customers, self.invoices, self.fast_days, self.next_payment
        )
        if done is None:
            return False
        rows, codes = done
        if self.books_have_payments and self._payment_clash(codes):
            return False
        self.new_payments = rows
        self.next_payment += len(rows)
        self._tick("payments", len(rows))
        return True

    def invoices_file(self, path: Path) -> None:
        """Check and parse an invoices file: whole and fast when it is clean."""
        if not self._fast_invoices(path):
            self.detailed_invoices(path)

    def payments_file(self, path: Path) -> None:
        """Check and parse a payments file: whole and fast when it is clean."""
        if not self._fast_payments(path):
            self.detailed_payments(path)


# TODO: 91,000 rows/s on the 2M-row benchmark books, short of 100,000: the
# per-row checks in Python, the inserts and the index builds take a third
# each (BENCHMARKS.md, Books); a forked check of payments measured slower.
def import_csv(
    db: pw.Database,
    customers: str | os.PathLike[str] | None = None,
    invoices: str | os.PathLike[str] | None = None,
    payments: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the files, then write them in one IMMEDIATE transaction.

    Raises ImportFailed with every error (up to MAX_ERRORS) and writes
    nothing if any row breaks a rule.
    """
    if not (customers or invoices or payments):
        raise ImportFailed(
            [RowError("import", 0, 0, "", "name at least one file to import")]
        )
    # A million parsed rows are a million new containers: the cyclic garbage
    # collector would walk them all again and again (a third of the time),
    # and they hold no cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with bulk_settings(db), write_transaction(db):
            importer = _Importer(db, progress)
            if customers:
                importer.customers_file(Path(customers))
            if invoices:
                importer.invoices_file(Path(invoices))
            if payments:
                importer.payments_file(Path(payments))
            if importer.errors.items:
                raise ImportFailed(importer.errors.items, importer.errors.more)
            result = importer.write()
        if result.total >= 10_000:
            refresh_statistics(db)
        return result
    finally:
        if collecting:
            gc.enable()
