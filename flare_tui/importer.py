"""CSV import: customers, invoices and payments, checked whole, then written
in one transaction — or not at all."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import peewee as pw

from .db import write_transaction
from .errors import FlareError
from .money import AmountError, parse_amount
from .text import clean_text, one_line

#: Columns of each file: (required, optional).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "customers": (("customer_id", "name"), ("email", "phone", "address")),
    "invoices": (
        ("invoice_number", "customer_id", "issue_date", "due_date", "amount"),
        ("description",),
    ),
    "payments": (
        ("payment_id", "customer_id", "date", "amount"),
        ("invoice_number", "method", "reference"),
    ),
}

#: Stop collecting after this many errors; the report says how many more.
MAX_ERRORS = 100

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    """One broken rule: where (file, line, column) and what."""

    file: str
    line: int
    column: int
    column_name: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.column:
            where += f":{self.column}"
        name = f" ({self.column_name})" if self.column_name else ""
        return f"{where}{name}: {self.message}"


class ImportFailed(FlareError):
    """The import found errors; nothing was written."""

    title = "Import failed: nothing was written"

    def __init__(self, errors: list[RowError], more: int = 0) -> None:
        self.errors = errors
        self.more = more
        count = len(errors) + more
        super().__init__(
            f"{count} error{'s' if count != 1 else ''} found; nothing was imported"
        )

    def report(self) -> str:
        """Every error on its own line, then how many more were not listed."""
        lines = [str(e) for e in self.errors]
        if self.more:
            lines.append(f"... and {self.more} more errors")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    """How many rows of each kind were written."""

    customers: int
    invoices: int
    payments: int

    @property
    def total(self) -> int:
        """All rows written."""
        return self.customers + self.invoices + self.payments


@dataclass
class _Errors:
    items: list[RowError] = field(default_factory=list)
    more: int = 0

    def add(self, file: str, line: int, column: int, name: str, msg: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(file, line, column, name, msg))
        else:
            self.more += 1


class _Source:
    """A CSV file read as UTF-8 rows with their starting line numbers."""

    def __init__(self, path: Path, kind: str, errors: _Errors) -> None:
        self.path = path
        self.kind = kind
        self.name = path.name
        self.errors = errors
        self.columns: dict[str, int] = {}
        self.size = 0

    def open(self) -> Iterator[tuple[int, list[str]]] | None:
        """Check the file and its header; yield (line, row) for each record."""
        try:
            data = self.path.read_bytes()
        except OSError as error:
            self.errors.add(self.name, 0, 0, "", f"cannot read: {error.strerror}")
            return None
        self.size = len(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.errors.add(
                self.name,
                line,
                0,
                "",
                "not UTF-8 text (byte "
                f"0x{data[error.start]:02x}); save the file as CSV UTF-8",
            )
            return None
        return self._rows(text)

    def _rows(self, text: str) -> Iterator[tuple[int, list[str]]] | None:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            self.errors.add(self.name, 1, 0, "", "the file is empty: no header row")
            return None
        except csv.Error as error:
            self.errors.add(self.name, 1, 0, "", f"not valid CSV: {error}")
            return None
        if not self._check_header([h.strip() for h in header]):
            return None
        return self._records(reader)

    def _check_header(self, header: list[str]) -> bool:
        required, optional = COLUMNS[self.kind]
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            sep = next(s for s in ";\t|" if s in header[0])
            shown = {";": "semicolons", "\t": "tabs", "|": "pipes"}[sep]
            self.errors.add(
                self.name,
                1,
                0,
                "",
                f"columns are separated by {shown}; Flare reads comma-separated"
                " CSV (UTF-8) only — export the file again with commas",
            )
            return False
        ok = True
        for index, name in enumerate(header, start=1):
            if name in self.columns:
                self.errors.add(self.name, 1, index, name, "column appears twice")
                ok = False
            elif name not in required and name not in optional:
                allowed = ", ".join(required + optional)
                self.errors.add(
                    self.name,
                    1,
                    index,
                    name,
                    f"unknown column; {self.kind} files have: {allowed}",
                )
                ok = False
            self.columns[name] = index - 1
        for name in required:
            if name not in self.columns:
                self.errors.add(self.name, 1, 0, name, "required column is missing")
                ok = False
        return ok

    def _records(self, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
        width = len(self.columns)
        line = reader.line_num + 1  # type: ignore[attr-defined]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.errors.add(self.name, line, 0, "", f"not valid CSV: {error}")
                return
            start = line
            line = reader.line_num + 1  # type: ignore[attr-defined]
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if len(row) != width:
                self.errors.add(
                    self.name,
                    start,
                    0,
                    "",
                    f"has {len(row)} fields, the header has {width}",
                )
                continue
            yield start, row


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
        self.errors = _Errors()
        self.progress = progress
        conn = db.connection()
        self.next_customer = self._next_id(conn, "customer")
        self.next_invoice = self._next_id(conn, "invoice")
        self.next_payment = self._next_id(conn, "payment")
        self.customers: dict[str, int] = dict(
            conn.execute("SELECT customer_id, id FROM customer")
        )
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

    def _tick(self, stage: str, source: _Source, done: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, 0)

    def _get(self, source: _Source, row: list[str], name: str) -> str:
        index = source.columns.get(name)
        return row[index].strip() if index is not None else ""

    def customers_file(self, path: Path) -> None:
        source = _Source(path, "customers", self.errors)
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
                self._tick("customers", source, count)

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
        return cents

    def _date(
        self, file: str, line: int, col: int, name: str, text: str
    ) -> date | None:
        if not text:
            self.errors.add(file, line, col, name, "required")
            return None
        day = _date(text)
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

    def invoices_file(self, path: Path) -> None:
        source = _Source(path, "invoices", self.errors)
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
                self._tick("invoices", source, count)
        clash = self._existing_invoices(list(self.invoices))
        if clash:
            self._report_clashes(path, clash)
        self.new_invoices = parsed

    def _report_clashes(self, path: Path, clash: dict[str, tuple[int, int]]) -> None:
        source = _Source(path, "invoices", _Errors())
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
        source = _Source(path, "payments", self.errors)
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
                self._tick("payments", source, count)
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
        if not clash:
            return
        source = _Source(path, "payments", _Errors())
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

    def write(self) -> ImportResult:
        conn = self.db.connection()
        conn.executemany(
            "INSERT INTO customer (id, customer_id, name, email, phone, address)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            self.new_customers,
        )
        if self.progress:
            self.progress("writing", len(self.new_customers), 0)
        conn.executemany(
            "INSERT INTO invoice (id, invoice_number, customer_id, issue_date,"
            " due_date, amount, description) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.new_invoices,
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
        self._refresh()
        return ImportResult(
            len(self.new_customers), len(self.new_invoices), len(self.new_payments)
        )

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
    with write_transaction(db):
        importer = _Importer(db, progress)
        if customers:
            importer.customers_file(Path(customers))
        if invoices:
            importer.invoices_file(Path(invoices))
        if payments:
            importer.payments_file(Path(payments))
        if importer.errors.items:
            raise ImportFailed(importer.errors.items, importer.errors.more)
        return importer.write()
