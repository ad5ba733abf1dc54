"""Writing checked import rows: inserts, indexes built once, settled days."""

from __future__ import annotations

import sqlite3
from contextlib import nullcontext

import peewee as pw

from .bulk import indexes_rebuilt, settled_days, with_settled
from .csvsource import ImportResult, Progress


class ImportWriter:
    """The write half of the importer: its checked rows into the books."""

    db: pw.Database
    progress: Progress | None
    books_have_customers: bool
    books_have_invoices: bool
    books_have_payments: bool
    new_customers: list[tuple]
    new_invoices: list[tuple]
    new_payments: list[tuple]

    def write(self) -> ImportResult:
        """Insert every checked row; the caller holds the transaction."""
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
