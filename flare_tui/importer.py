"""CSV import: customers, invoices and payments, checked whole, then written
in one transaction — or not at all."""

from __future__ import annotations

import codecs
import gc
import multiprocessing
import os
import pickle
import sys
import time
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

    def start_payments(self, path: Path) -> _PaymentsChild | None:
        """Fork a process that checks a clean payments file on the fast path
        (invoice numbers left unresolved); None where fork is missing."""
        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        # Buffered output would be written twice (once by the child).
        sys.stdout.flush()
        sys.stderr.flush()
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=self._payments_child, args=(path, sender), daemon=True
        )
        child.start()
        sender.close()
        return _PaymentsChild(child, receiver, path)

    def _payments_child(self, path: Path, sender) -> None:  # type: ignore[no-untyped-def]
        # Runs in the forked process: no database, only the file and the
        # customers known at the fork.
        plain = self._plain_text(path, "payments")
        done = None
        if plain is not None:
            done = fastpath.payments(
                *plain, self.customers, None, self.fast_days, self.next_payment
            )
        sender.send_bytes(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
        sender.close()

    def finish_payments(self, pending: _PaymentsChild) -> bool:
        """Take the forked check's rows once the invoices are known; False
        when it had a doubt, and the detailed checks must run."""
        done = pending.result()
        if done is None:
            return False
        rows, codes = done
        if not fastpath.resolve(rows, self.invoices):
            return False
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


class _PaymentsChild:
    """A forked payments check: its result, or an error if it dies."""

    def __init__(self, process, receiver, path: Path) -> None:  # type: ignore[no-untyped-def]
        self.process = process
        self.receiver = receiver
        self.path = path
        # Generous: a loaded machine may be ten times slower than a quiet one.
        self.deadline = time.monotonic() + 120 + path.stat().st_size / 100_000

    def result(self) -> tuple[list[tuple], set[str]] | None:
        """The child's (rows, ids), or None on doubt; ImportFailed if it died
        or took too long."""
        try:
            while not self.receiver.poll(0.5):
                if not self.process.is_alive():
                    self._failed(f"exit code {self.process.exitcode}")
                if time.monotonic() > self.deadline:
                    self._failed("no answer in time")
            data = self.receiver.recv_bytes()
        except (EOFError, OSError):
            self.process.join(10)  # the pipe closes before the exit is seen
            self._failed(f"exit code {self.process.exitcode}")
        self.process.join(10)
        return pickle.loads(data)

    def _failed(self, why: str) -> None:
        raise ImportFailed(
            [
                RowError(
                    self.path.name,
                    0,
                    0,
                    "",
                    f"the process checking this file stopped ({why})",
                )
            ]
        )

    def close(self) -> None:
        """Stop the child if it still runs and release the pipe."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.receiver.close()


def import_csv(
    db: pw.Database,
    customers: str | os.PathLike[str] | None = None,
    invoices: str | os.PathLike[str] | None = None,
    payments: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
) -> ImportResult:
    """Check the files, then write them in one IMMEDIATE transaction.

    Raises ImportFailed with every error (up to MAX_ERRORS) and writes
    nothing if any row breaks a rule. `parallel` checks the payments file in
    a forked process (where fork exists) while the invoices are checked. Off
    by default: on the 2M-row books it lost 4 s when another program held
    one of the two cores (rows pickled back and their invoices resolved cost
    ~2.5 s), and no quiet machine was at hand to show a gain.
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
            pending = None
            if payments and parallel:
                pending = importer.start_payments(Path(payments))
            try:
                if invoices:
                    importer.invoices_file(Path(invoices))
                if pending is not None:
                    if not importer.finish_payments(pending):
                        importer.detailed_payments(Path(payments))  # type: ignore[arg-type]
                elif payments:
                    importer.payments_file(Path(payments))
            finally:
                if pending is not None:
                    pending.close()
            if importer.errors.items:
                raise ImportFailed(importer.errors.items, importer.errors.more)
            result = importer.write()
        if result.total >= 10_000:
            refresh_statistics(db)
        return result
    finally:
        if collecting:
            gc.enable()
