"""The report commands' output for programs: JSON as the contract fixes it
and spreadsheet-safe CSV (tables for people are in tables.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..figures import Aging, CustomerDetail, CustomerList
from ..money import plain
from ..statement import Statement

# -- JSON ----------------------------------------------------------------------


def _pct(value: Decimal | None) -> float | None:
    # JSON numbers: one decimal place, exactly as computed with Decimal.
    return None if value is None else float(value)


def _aging(aging: Aging) -> dict[str, str]:
    return {name: plain(cents) for name, cents in aging.as_dict().items()}


def customers_json(report: CustomerList) -> dict[str, Any]:
    """`flare customers --format json` as CONTRACT.md shows it."""
    fy = report.fiscal_year
    return {
        "as_of": report.as_of.isoformat(),
        "fiscal_year": {"start": fy.start.isoformat(), "end": fy.end.isoformat()},
        "months": list(fy.month_keys),
        "customers": [
            {
                "customer_id": c.customer_id,
                "name": c.name,
                "paid_by_month": [plain(m) for m in c.paid_by_month],
                "paid_this_year": plain(c.paid_this_year),
                "paid_last_year": plain(c.paid_last_year),
                "paid_last_year_to_date": plain(c.paid_last_year_to_date),
                "change_pct": _pct(c.change_pct),
                "unpaid_invoices": c.unpaid_invoices,
                "unpaid_total": plain(c.unpaid_total),
            }
            for c in report.customers
        ],
    }


def detail_json(detail: CustomerDetail) -> dict[str, Any]:
    """`flare customer ID --format json` as CONTRACT.md shows it."""
    owed = detail.receivable
    return {
        "customer_id": detail.customer.customer_id,
        "name": detail.customer.name,
        "as_of": detail.as_of.isoformat(),
        "fiscal_year": {
            "start": detail.fiscal_year.start.isoformat(),
            "end": detail.fiscal_year.end.isoformat(),
        },
        "months": [
            {
                "month": m.month.strftime("%Y-%m"),
                "this_year": plain(m.this_year),
                "last_year": plain(m.last_year),
                "change_pct": _pct(m.change_pct),
            }
            for m in detail.months
        ],
        "this_year_total": plain(detail.this_year_total),
        "last_year_total": plain(detail.last_year_total),
        "last_year_to_date": plain(detail.last_year_to_date),
        "change_pct_to_date": _pct(detail.change_pct_to_date),
        "balance": plain(detail.balance),
        "receivable": {
            "total": plain(owed.total),
            "overdue": plain(owed.overdue),
            "aging": _aging(owed.aging),
            "invoices": [
                {
                    "invoice_number": i.invoice_number,
                    "issue_date": i.issue_date.isoformat(),
                    "due_date": i.due_date.isoformat(),
                    "amount": plain(i.amount),
                    "outstanding": plain(i.outstanding),
                    "days_late": max(i.days_late, 0),
                    "status": i.status,
                }
                for i in owed.invoices
            ],
        },
    }


def statement_json(statement: Statement) -> dict[str, Any]:
    """`flare statement ID --format json` as CONTRACT.md shows it."""
    return {
        "customer_id": statement.customer.customer_id,
        "name": statement.customer.name,
        "from": statement.period.start.isoformat(),
        "to": statement.period.end.isoformat(),
        "preset": statement.period.preset,
        "as_of": statement.as_of.isoformat(),
        "opening_balance": plain(statement.opening_balance),
        "lines": [
            {
                "date": line.date.isoformat(),
                "kind": line.kind,
                "reference": line.reference,
                "description": line.description,
                "debit": plain(line.debit),
                "credit": plain(line.credit),
                "balance": plain(line.balance),
                "status": line.status or None,
            }
            for line in statement.lines
        ],
        "total_invoiced": plain(statement.total_invoiced),
        "total_paid": plain(statement.total_paid),
        "closing_balance": plain(statement.closing_balance),
        "aging": _aging(statement.aging),
    }


def dumps(data: dict[str, Any], pretty: bool = False) -> str:
    """JSON text, UTF-8 names kept readable; indented when `pretty`."""
    if pretty:
        return json.dumps(data, ensure_ascii=False, indent=2)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# -- CSV -----------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise a text cell a spreadsheet would run as a formula.

    Numbers (ints, and money strings made by `plain`) are left as numbers.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            Decimal(value)
        except ArithmeticError:
            return "'" + value
        else:
            return value  # a number such as "-5.00"
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with every text cell made safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def customers_csv(report: CustomerList) -> str:
    """The customer list as CSV, one row per customer."""
    header = ["customer_id", "name", *report.fiscal_year.month_keys]
    header += [
        "paid_this_year",
        "paid_last_year",
        "paid_last_year_to_date",
        "change_pct",
        "unpaid_invoices",
        "unpaid_total",
    ]
    rows = (
        [
            c.customer_id,
            c.name,
            *(plain(m) for m in c.paid_by_month),
            plain(c.paid_this_year),
            plain(c.paid_last_year),
            plain(c.paid_last_year_to_date),
            "" if c.change_pct is None else str(c.change_pct),
            c.unpaid_invoices,
            plain(c.unpaid_total),
        ]
        for c in report.customers
    )
    return csv_text(header, rows)


def detail_csv(detail: CustomerDetail) -> str:
    """The month-by-month comparison as CSV."""
    rows = [
        [
            m.month.strftime("%Y-%m"),
            plain(m.last_year),
            plain(m.this_year),
            "" if m.change_pct is None else str(m.change_pct),
        ]
        for m in detail.months
    ]
    return csv_text(["month", "last_year", "this_year", "change_pct"], rows)


def statement_csv(statement: Statement) -> str:
    """The statement's lines as CSV, opening and closing rows included."""
    start = statement.period.start.isoformat()
    rows: list[list[object]] = [
        [start, "opening", "", "", "", "", plain(statement.opening_balance), ""]
    ]
    rows += [
        [
            line.date.isoformat(),
            line.kind,
            line.reference,
            line.description,
            plain(line.debit),
            plain(line.credit),
            plain(line.balance),
            line.status,
        ]
        for line in statement.lines
    ]
    rows.append(
        [
            statement.end.isoformat(),
            "closing",
            "",
            "",
            plain(statement.total_invoiced),
            plain(statement.total_paid),
            plain(statement.closing_balance),
            "",
        ]
    )
    header = [
        "date",
        "kind",
        "reference",
        "description",
        "debit",
        "credit",
        "balance",
        "status",
    ]
    return csv_text(header, rows)
