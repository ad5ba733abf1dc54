"""CSV export: the books written back as the three files import reads."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import peewee as pw

from .money import plain

EXPORTS = {
    "customers.csv": (
        ("customer_id", "name", "email", "phone", "address"),
        "SELECT customer_id, name, email, phone, address FROM customer ORDER BY id",
        (),
    ),
    "invoices.csv": (
        (
            "invoice_number",
            "customer_id",
            "issue_date",
            "due_date",
            "amount",
            "description",
        ),
        "SELECT i.invoice_number, c.customer_id, i.issue_date, i.due_date,"
        " i.amount, i.description FROM invoice i JOIN customer c"
        " ON c.id = i.customer_id ORDER BY i.id",
        (4,),
    ),
    "payments.csv": (
        (
            "payment_id",
            "customer_id",
            "date",
            "amount",
            "invoice_number",
            "method",
            "reference",
        ),
        "SELECT p.payment_id, c.customer_id, p.date, p.amount,"
        " COALESCE(i.invoice_number, ''), p.method, p.reference FROM payment p"
        " JOIN customer c ON c.id = p.customer_id"
        " LEFT JOIN invoice i ON i.id = p.invoice_id ORDER BY p.id",
        (3,),
    ),
}


def export_csv(db: pw.Database, folder: str | os.PathLike[str]) -> list[Path]:
    """Write customers.csv, invoices.csv and payments.csv into `folder`.

    The files use the import format (UTF-8, comma-separated, LF line ends),
    so exporting and importing again gives the same books.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, sql, money_columns) in EXPORTS.items():
        path = target / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            cursor = db.execute_sql(sql)
            while rows := cursor.fetchmany(10_000):
                if money_columns:
                    rows = [
                        tuple(
                            plain(v) if i in money_columns else v
                            for i, v in enumerate(row)
                        )
                        for row in rows
                    ]
                writer.writerows(rows)
        written.append(path)
    return written
