"""Plain text tables for people: they fit 80 columns and align wide
(CJK) characters by the columns they take on a terminal."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from ..figures import AGING_BUCKETS, Aging, CustomerDetail, CustomerList
from ..money import change_text, money, plain
from ..statement import Statement
from ..text import one_line


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
