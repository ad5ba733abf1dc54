"""Helpers to build books by hand and to write small CSV files in tests."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from flare_tui.books import Books, refresh_settled
from flare_tui.db import write_transaction
from flare_tui.money import parse_amount

#: The as-of day of the demo books in every test that uses them.
DEMO_AS_OF = date(2026, 12, 3)

#: A customer row: (customer_id, name) or (customer_id, name, email, phone,
#: address).
CustomerRow = Sequence[str]
#: An invoice row: (invoice_number, customer_id, issue_date, due_date, amount).
InvoiceRow = tuple[str, str, str, str, str]
#: A payment row: (payment_id, customer_id, date, amount[, invoice_number]).
PaymentRow = Sequence[str | None]


def insert_rows(
    books: Books,
    customers: Iterable[CustomerRow] = (),
    invoices: Iterable[InvoiceRow] = (),
    payments: Iterable[PaymentRow] = (),
) -> None:
    """Write rows straight into the tables, then derive settled_on.

    Amounts are plain text ("100.00") so a test reads like the books it
    describes; dates are YYYY-MM-DD text.
    """
    db = books.db
    with write_transaction(db):
        conn = db.connection()
        for row in customers:
            code, name, *rest = row
            email, phone, address = (list(rest) + ["", "", ""])[:3]
            conn.execute(
                "INSERT INTO customer (customer_id, name, email, phone, address)"
                " VALUES (?, ?, ?, ?, ?)",
                (code, name, email, phone, address),
            )
        for number, customer, issued, due, amount in invoices:
            cursor = conn.execute(
                "INSERT INTO invoice (invoice_number, customer_id, issue_date,"
                " due_date, amount, description)"
                " SELECT ?, id, ?, ?, ?, '' FROM customer WHERE customer_id = ?",
                (number, issued, due, parse_amount(amount), customer),
            )
            assert cursor.rowcount == 1, f"invoice {number}: no customer {customer}"
        for code, customer, day, amount, *rest in payments:
            invoice = rest[0] if rest else None
            cursor = conn.execute(
                "INSERT INTO payment (payment_id, customer_id, date, amount,"
                " invoice_id, method, reference)"
                " SELECT ?, c.id, ?, ?,"
                " (SELECT id FROM invoice WHERE invoice_number = ?), '', ''"
                " FROM customer c WHERE c.customer_id = ?",
                (code, day, parse_amount(amount), invoice, customer),
            )
            assert cursor.rowcount == 1, f"payment {code}: no customer {customer}"
        refresh_settled(db)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> Path:
    """Write a small UTF-8 CSV file (LF line ends) and return its path."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def row_counts(books: Books) -> tuple[int, int, int]:
    """How many customers, invoices and payments the books hold."""
    conn = books.db.connection()
    return tuple(  # type: ignore[return-value]
        conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("customer", "invoice", "payment")
    )


def import_rows(
    books: Books,
    folder: Path,
    customers: Iterable[CustomerRow] = (),
    invoices: Iterable[InvoiceRow] = (),
    payments: Iterable[PaymentRow] = (),
) -> None:
    """Build books through the real CSV import, from the same rows as
    insert_rows (written as customers.csv, invoices.csv, payments.csv)."""
    from flare_tui.importer import import_csv

    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "customers": write_csv(
            folder / "customers.csv",
            ["customer_id", "name", "email", "phone", "address"],
            [(list(row) + ["", "", ""])[:5] for row in customers],
        ),
        "invoices": write_csv(
            folder / "invoices.csv",
            ["invoice_number", "customer_id", "issue_date", "due_date", "amount"],
            invoices,
        ),
        "payments": write_csv(
            folder / "payments.csv",
            ["payment_id", "customer_id", "date", "amount", "invoice_number"],
            [(list(row) + [None])[:5] for row in payments],
        ),
    }
    import_csv(books.db, **files)
