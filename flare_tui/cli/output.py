"""The report commands' output: JSON as the contract fixes it, spreadsheet-safe
CSV, and plain tables that fit 80 columns."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..figures import AGING_BUCKETS, Aging, CustomerDetail, CustomerList
from ..money import change_text, money, plain
from ..statement import Statement
from ..text import one_line

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


# -- tables --------------------------------------------------------------------


def cells(text: str) -> int:
    """Terminal columns a text takes: wide (CJK) characters take two."""
    if text.isascii():
        # Every ASCII character takes one column; a 5,000-line statement
        # spent most of its time measuring its cells one by one.
        return len(text)
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in "WF"
        else 1
        for ch in text
    )


def fit(text: str, width: int) -> str:
    """One line of at most `width` terminal columns, cut with an ellipsis."""
    text = one_line(text)
    if cells(text) <= width:
        return text
    while cells(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(width - cells(text), 0)
    return space + text if right else text + space


def table(
    header: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()
) -> str:
    """A plain text table; columns in `right` are right-aligned."""
    rows = [list(r) for r in rows]
    widths = [cells(h) for h in header]
    for row in rows:
        widths = [max(w, cells(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        out = [
            _pad(c, w, i in right)
            for i, (c, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def customers_table(report: CustomerList, symbol: str, wide: bool = False) -> str:
    """The customer list as a table; 80 columns unless `wide`."""
    fy = report.fiscal_year
    head = f"{fy.label} ({fy.start} to {fy.end}), as of {report.as_of}"
    header = ["ID", "Customer", "Paid FY", "vs LY", "Unpaid", "Unpaid total"]
    months = list(fy.month_labels) if wide else []
    header = header[:2] + months + header[2:]
    name_width = 40 if wide else 24

    def row(c: Any) -> list[str]:
        cells = [c.customer_id, fit(c.name, name_width)]
        if wide:
            cells += [plain(m) if m else "·" for m in c.paid_by_month]
        cells += [
            money(c.paid_this_year, symbol),
            change_text(c.paid_this_year, c.paid_last_year_to_date),
            str(c.unpaid_invoices),
            money(c.unpaid_total, symbol),
        ]
        return cells

    rows = [row(c) for c in report.customers]
    rows.append(row(report.totals))
    right = set(range(2, len(header)))
    return head + "\n\n" + table(header, rows, sorted(right))


def aging_table(aging: Aging, symbol: str) -> str:
    """The five aging buckets and their total."""
    cells = [money(v, symbol) for v in aging.as_tuple()] + [money(aging.total, symbol)]
    header = [f"{b} days" if b != "current" else "Current" for b in AGING_BUCKETS]
    header = [h.replace("90+ days", "90+ days") for h in header] + ["Total"]
    return table(header, [cells], range(len(header)))


def detail_table(detail: CustomerDetail, symbol: str) -> str:
    """One customer's year against last year, then what is owed."""
    c = detail.customer
    fy, last = detail.fiscal_year, detail.last_fiscal_year
    lines = [f"{fit(c.name, 60)}  ({c.customer_id})"]
    contact = " · ".join(one_line(v) for v in (c.email, c.phone) if v)
    if contact:
        lines.append(fit(contact, 78))
    lines.append(f"{fy.label} against {last.label}, counted to {detail.day}")
    lines.append("")
    rows = [
        [
            m.label,
            money(m.last_year, symbol),
            money(m.this_year, symbol),
            change_text(m.this_year, m.last_year),
        ]
        for m in detail.months
    ]
    rows.append(
        [
            "Total",
            money(detail.last_year_total, symbol),
            money(detail.this_year_total, symbol),
            "",
        ]
    )
    rows.append(
        [
            "To date",
            money(detail.last_year_to_date, symbol),
            money(detail.this_year_total, symbol),
            change_text(detail.this_year_total, detail.last_year_to_date),
        ]
    )
    lines.append(table(["Month", last.label, fy.label, "Change"], rows, (1, 2, 3)))
    owed = detail.receivable
    lines += [
        "",
        f"Receivable at {owed.day}: {money(owed.total, symbol)}"
        f"  (overdue {money(owed.overdue, symbol)};"
        f" balance {money(detail.balance, symbol)})",
        "",
        aging_table(owed.aging, symbol),
    ]
    if owed.invoices:
        rows = [
            [
                i.invoice_number,
                str(i.issue_date),
                str(i.due_date),
                str(max(i.days_late, 0)),
                money(i.outstanding, symbol),
                i.status,
            ]
            for i in owed.invoices
        ]
        lines += [
            "",
            table(
                ["Invoice", "Issued", "Due", "Days late", "Outstanding", "Status"],
                rows,
                (3, 4),
            ),
        ]
    return "\n".join(lines)


def statement_table(statement: Statement) -> str:
    """The statement as a table: opening, lines with running balance, closing."""
    symbol = statement.business.currency_symbol
    c = statement.customer
    period = statement.period
    lines = [
        f"Statement for {fit(c.name, 50)} ({c.customer_id})",
        f"Period: {period.label}",
    ]
    if statement.end < period.end:
        lines.append(f"Counted up to {statement.end} (as-of date)")
    lines.append("")
    rows = [
        [
            str(period.start),
            "",
            "Opening balance",
            "",
            "",
            "",
            money(statement.opening_balance, symbol),
        ]
    ]
    for line in statement.lines:
        rows.append(
            [
                str(line.date),
                line.kind,
                fit(line.reference, 14),
                line.status,
                money(line.debit, symbol) if line.debit else "",
                money(line.credit, symbol) if line.credit else "",
                money(line.balance, symbol),
            ]
        )
    rows.append(
        [
            str(statement.end),
            "",
            "Closing balance",
            "",
            money(statement.total_invoiced, symbol),
            money(statement.total_paid, symbol),
            money(statement.closing_balance, symbol),
        ]
    )
    header = ["Date", "Type", "Reference", "Status", "Debit", "Credit", "Balance"]
    lines.append(table(header, rows, (4, 5, 6)))
    lines += ["", f"Aging at {statement.end}:", aging_table(statement.aging, symbol)]
    return "\n".join(lines)
