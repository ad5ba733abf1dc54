"""The detailed import checks: every cell of a file, each error named by
file, line and column. The fast path (fastpath.py) hands a file over to
these whenever it has a doubt."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import peewee as pw

from .csvsource import CsvSource, ErrorList, Progress
from .money import AmountError, parse_amount, plain
from .text import one_line

#: The largest amount one row may carry (9,999,999,999.99), in cents.
MAX_AMOUNT = 10**12 - 1


def _date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class DetailedChecks:
    """Row-by-row checks of invoices and payments, with their messages."""

    db: pw.Database
    errors: ErrorList
    progress: Progress | None
    customers: dict[str, int]
    days: dict[str, date | None]
    invoices: dict[str, tuple[int, int]]
    new_invoices: list[tuple]
    new_payments: list[tuple]
    next_invoice: int
    next_payment: int
    books_have_invoices: bool
    books_have_payments: bool

    def _tick(self, stage: str, done: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, 0)

    def _get(self, source: CsvSource, row: list[str], name: str) -> str:
        index = source.columns.get(name)
        return row[index].strip() if index is not None else ""

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

    def detailed_invoices(self, path: Path) -> None:
        """Check every cell of an invoices file, naming each error."""
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

    def detailed_payments(self, path: Path) -> None:
        """Check every cell of a payments file, naming each error."""
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
