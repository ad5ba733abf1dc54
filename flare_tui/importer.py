"""CSV import: customers, invoices and payments, checked whole, then written
in one transaction — or not at all."""

from __future__ import annotations

import codecs
import gc
import os
import sqlite3
from contextlib import nullcontext
from datetime import date
from pathlib import Path

import peewee as pw

from . import fastpath
from .bulk import (
    bulk_settings,
    indexes_rebuilt,
    refresh_statistics,
    settled_days,
    with_settled,
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
from .money import AmountError, parse_amount, plain
from .text import clean_text, one_line

__all__ = ["MAX_ERRORS", "ImportFailed", "ImportResult", "RowError", "import_csv"]

#: The largest amount one row may carry (9,999,999,999.99), in cents.
MAX_AMOUNT = 10**12 - 1


def _date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Importer:
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

    def _tick(self, stage: str, done: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, 0)

    def _get(self, source: CsvSource, row: list[str], name: str) -> str:
        index = source.columns.get(name)
        return row[index].strip() if index is not None else ""

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

    def _check_customer(self, file: str, line: int, col: int, code: str) -> int | None:
        if not code:
            self.errors.add(file, line, col, "customer_id", "required")
            return None
        row_id = self.customers.get(code)
        if row_id is None:
            self.errors.add(
                file,
                line,
                col,
                "customer_id",
                f"no customer {code!r} in the books or this import",
            )
        return row_id

    def _amount(self, file: str, line: int, col: int, text: str) -> int | None:
        if not text:
            self.errors.add(file, line, col, "amount", "required")
            return None
        try:
            cents = parse_amount(text)
        except AmountError as error:
            self.errors.add(file, line, col, "amount", str(error))
            return None
        if cents <= 0:
            self.errors.add(file, line, col, "amount", "must be above 0")
            return None
        if cents > MAX_AMOUNT:
            # Keeps every sum inside SQLite's 64-bit integers.
            self.errors.add(
                file, line, col, "amount", f"must be at most {plain(MAX_AMOUNT)}"
            )
            return None
        return cents

    def _date(
        self, file: str, line: int, col: int, name: str, text: str
    ) -> date | None:
        if not text:
            self.errors.add(file, line, col, name, "required")
            return None
        try:
            day = self.days[text]
        except KeyError:
            day = self.days[text] = _date(text)
        if day is None:
            self.errors.add(
                file, line, col, name, f"{text!r} is not a date; use YYYY-MM-DD"
            )
        return day

    def _existing_invoices(self, numbers: list[str]) -> dict[str, tuple[int, int]]:
        """Invoices already in the books, looked up in chunks."""
        found: dict[str, tuple[int, int]] = {}
        if not self.books_have_invoices:
            return found
        conn = self.db.connection()
        for start in range(0, len(numbers), 900):
            chunk = numbers[start : start + 900]
            marks = ",".join("?" * len(chunk))
            for number, row_id, customer in conn.execute(
                "SELECT invoice_number, id, customer_id FROM invoice"
                f" WHERE invoice_number IN ({marks})",
                chunk,
            ):
                found[number] = (row_id, customer)
        return found

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
        if not self.invoices and self._fast_invoices(path):
            return
        source = CsvSource(path, "invoices", self.errors)
        rows = source.open()
        if rows is None:
            return
        col = source.columns
        file = source.name
        has_description = "description" in col
        c_number, c_customer = col["invoice_number"], col["customer_id"]
        c_issue, c_due, c_amount = col["issue_date"], col["due_date"], col["amount"]
        parsed = []
        for count, (line, row) in enumerate(rows, start=1):
            number = one_line(row[c_number])
            customer = self._check_customer(
                file, line, c_customer + 1, row[c_customer].strip()
            )
            issued = self._date(
                file, line, c_issue + 1, "issue_date", row[c_issue].strip()
            )
            due = self._date(file, line, c_due + 1, "due_date", row[c_due].strip())
            amount = self._amount(file, line, c_amount + 1, row[c_amount].strip())
            if not number:
                self.errors.add(file, line, c_number + 1, "invoice_number", "required")
                continue
            if number in self.invoices:
                self.errors.add(
                    file,
                    line,
                    c_number + 1,
                    "invoice_number",
                    f"{number!r} appears twice in this file",
                )
                continue
            if issued and due and due < issued:
                self.errors.add(
                    file,
                    line,
                    c_due + 1,
                    "due_date",
                    f"due date {due} is before issue date {issued}",
                )
                continue
            row_id = self.next_invoice
            self.next_invoice += 1
            self.invoices[number] = (row_id, customer or 0)
            if customer and issued and due and amount:
                description = (
                    one_line(row[col["description"]]) if has_description else ""
                )
                parsed.append(
                    (
                        row_id,
                        number,
                        customer,
                        issued.isoformat(),
                        due.isoformat(),
                        amount,
                        description,
                    )
                )
            if count % 50_000 == 0:
                self._tick("invoices", count)
        clash = self._existing_invoices(list(self.invoices))
        if clash:
            self._report_clashes(path, clash)
        self.new_invoices = parsed

    def _report_clashes(self, path: Path, clash: dict[str, tuple[int, int]]) -> None:
        source = CsvSource(path, "invoices", ErrorList())
        rows = source.open() or iter(())
        column = source.columns.get("invoice_number", 0)
        for line, row in rows:
            number = one_line(row[column])
            if number in clash:
                self.errors.add(
                    path.name,
                    line,
                    column + 1,
                    "invoice_number",
                    f"{number!r} is already in the books",
                )
                self.invoices[number] = clash[number]

    def payments_file(self, path: Path) -> None:
        if not self.new_payments and self._fast_payments(path):
            return
        source = CsvSource(path, "payments", self.errors)
        rows = source.open()
        if rows is None:
            return
        col = source.columns
        file = source.name
        c_id, c_customer = col["payment_id"], col["customer_id"]
        c_date, c_amount = col["date"], col["amount"]
        c_invoice = col.get("invoice_number")
        seen: set[str] = set()
        pending: list[tuple[int, list]] = []
        missing: set[str] = set()
        for count, (line, row) in enumerate(rows, start=1):
            code = one_line(row[c_id])
            customer = self._check_customer(
                file, line, c_customer + 1, row[c_customer].strip()
            )
            day = self._date(file, line, c_date + 1, "date", row[c_date].strip())
            amount = self._amount(file, line, c_amount + 1, row[c_amount].strip())
            number = one_line(row[c_invoice]) if c_invoice is not None else ""
            if not code:
                self.errors.add(file, line, c_id + 1, "payment_id", "required")
                continue
            if code in seen:
                self.errors.add(
                    file,
                    line,
                    c_id + 1,
                    "payment_id",
                    f"{code!r} appears twice in this file",
                )
                continue
            seen.add(code)
            if number and number not in self.invoices:
                missing.add(number)
            if customer and day and amount:
                pending.append(
                    (
                        line,
                        [
                            code,
                            customer,
                            day.isoformat(),
                            amount,
                            number,
                            one_line(self._get(source, row, "method")),
                            one_line(self._get(source, row, "reference")),
                        ],
                    )
                )
            if count % 50_000 == 0:
                self._tick("payments", count)
        if self.books_have_payments:
            self._check_existing_payments(file, c_id, seen, path)
        known = self._existing_invoices(sorted(missing))
        for line, values in pending:
            number = values[4]
            invoice_row = None
            if number:
                target = self.invoices.get(number) or known.get(number)
                if target is None:
                    self.errors.add(
                        file,
                        line,
                        (c_invoice or 0) + 1,
                        "invoice_number",
                        f"no invoice {number!r} in the books or this import",
                    )
                    continue
                if target[1] != values[1]:
                    self.errors.add(
                        file,
                        line,
                        (c_invoice or 0) + 1,
                        "invoice_number",
                        f"invoice {number!r} belongs to another customer",
                    )
                    continue
                invoice_row = target[0]
            row_id = self.next_payment
            self.next_payment += 1
            self.new_payments.append(
                (
                    row_id,
                    values[0],
                    values[1],
                    values[2],
                    values[3],
                    invoice_row,
                    values[5],
                    values[6],
                )
            )

    def _check_existing_payments(
        self, file: str, column: int, codes: set[str], path: Path
    ) -> None:
        clash = self._payment_clash(codes)
        if not clash:
            return
        source = CsvSource(path, "payments", ErrorList())
        for line, row in source.open() or iter(()):
            code = one_line(row[column])
            if code in clash:
                self.errors.add(
                    file,
                    line,
                    column + 1,
                    "payment_id",
                    f"{code!r} is already in the books",
                )

    def _payment_clash(self, codes: set[str]) -> set[str]:
        """Payment ids among `codes` that the books already hold."""
        conn = self.db.connection()
        ordered = sorted(codes)
        clash: set[str] = set()
        for start in range(0, len(ordered), 900):
            chunk = ordered[start : start + 900]
            marks = ",".join("?" * len(chunk))
            clash.update(
                r[0]
                for r in conn.execute(
                    f"SELECT payment_id FROM payment WHERE payment_id IN ({marks})",
                    chunk,
                )
            )
        return clash

    def write(self) -> ImportResult:
        conn = self.db.connection()
        # Tables empty before this import get their indexes built once at
        # the end, which is several times faster than row by row (SQLite).
        empty = [
            table
            for table, had_rows in (
                ("customer", self.books_have_customers),
                ("invoice", self.books_have_invoices),
                ("payment", self.books_have_payments),
            )
            if not had_rows
        ]
        if not isinstance(self.db, pw.SqliteDatabase):
            empty = []
        with indexes_rebuilt(conn, empty) if empty else nullcontext():
            self._insert(conn)
        return ImportResult(
            len(self.new_customers), len(self.new_invoices), len(self.new_payments)
        )

    def _insert(self, conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO customer (id, customer_id, name, email, phone, address)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            self.new_customers,
        )
        if self.progress:
            self.progress("writing", len(self.new_customers), 0)
        if self.books_have_invoices:
            conn.executemany(
                "INSERT INTO invoice (id, invoice_number, customer_id, issue_date,"
                " due_date, amount, description) VALUES (?, ?, ?, ?, ?, ?, ?)",
                self.new_invoices,
            )
        else:
            # Every payment applied to these invoices is in this import, so
            # settled_on is known now: no UPDATE over the invoices afterwards.
            settled = settled_days(
                {row[0]: row[5] for row in self.new_invoices},
                ((row[5], row[3], row[4]) for row in self.new_payments),
            )
            conn.executemany(
                "INSERT INTO invoice (id, invoice_number, customer_id, issue_date,"
                " due_date, amount, description, settled_on)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                with_settled(self.new_invoices, settled),
            )
        if self.progress:
            self.progress("writing", len(self.new_invoices), 0)
        conn.executemany(
            "INSERT INTO payment (id, payment_id, customer_id, date, amount,"
            " invoice_id, method, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.new_payments,
        )
        if self.progress:
            self.progress("writing", len(self.new_payments), 0)
        if self.books_have_invoices:
            self._refresh()

    def _refresh(self) -> None:
        from .books import refresh_settled

        if not self.new_invoices and not self.new_payments:
            return
        if not self.books_have_invoices:
            refresh_settled(self.db)
            return
        first_invoice = self.new_invoices[0][0] if self.new_invoices else None
        first_payment = self.new_payments[0][0] if self.new_payments else None
        parts = []
        if first_invoice is not None:
            parts.append(f"SELECT id FROM invoice WHERE id >= {int(first_invoice)}")
        if first_payment is not None:
            parts.append(
                "SELECT invoice_id FROM payment WHERE invoice_id IS NOT NULL"
                f" AND id >= {int(first_payment)}"
            )
        refresh_settled(self.db, " UNION ".join(parts))


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
