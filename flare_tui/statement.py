"""The balance-forward customer statement for a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import peewee as pw

from .figures import (
    Aging,
    CustomerInfo,
    OpenInvoice,
    balance,
    customer_info,
    receivables,
)
from .periods import Period
from .settings import BookSettings, load_settings
from .text import clean_text


@dataclass(frozen=True)
class StatementLine:
    """An invoice (debit) or a payment (credit) with the running balance."""

    date: date
    kind: str  # "invoice" or "payment"
    reference: str
    description: str
    debit: int
    credit: int
    balance: int
    status: str = ""  # an invoice's status at the statement's end day
    due_date: date | None = None


@dataclass(frozen=True)
class Statement:
    """What a customer owed at the start, what happened, and what is owed now.

    Nothing after `as_of` counts, so a period that runs past it (this month,
    this fiscal year) is counted up to `end` = min(period end, as-of).
    """

    business: BookSettings
    customer: CustomerInfo
    period: Period
    as_of: date
    end: date
    opening_balance: int
    lines: tuple[StatementLine, ...]
    total_invoiced: int
    total_paid: int
    closing_balance: int
    aging: Aging
    open_invoices: tuple[OpenInvoice, ...]

    @property
    def overdue(self) -> int:
        """Outstanding past its due date at the end day."""
        return self.aging.total - self.aging.current


def invoice_status(amount: int, paid: int, due: date, day: date) -> str:
    """paid, overdue, partly paid or open at `day`."""
    if paid >= amount:
        return "paid"
    if due < day:
        return "overdue"
    return "partly paid" if paid > 0 else "open"


def build_statement(
    db: pw.Database, customer_id: str, period: Period, as_of: date
) -> Statement:
    """The balance-forward statement of a customer for `period`."""
    row_id, info = customer_info(db, customer_id)
    end = min(period.end, as_of)
    start = period.start
    if start > end:
        # The whole period lies after as-of: nothing in it counts yet.
        start = end + timedelta(days=1)
    opening = balance(db, row_id, start - timedelta(days=1))

    params = {"c": row_id, "start": start.isoformat(), "end": end.isoformat()}
    rows = db.execute_sql(
        "SELECT i.issue_date, 0, i.invoice_number, i.description, i.amount, 0,"
        " i.due_date, MIN(i.amount, COALESCE((SELECT SUM(p.amount) FROM payment p"
        "   WHERE p.invoice_id = i.id AND p.date <= :end), 0))"
        " FROM invoice i WHERE i.customer_id = :c"
        " AND i.issue_date >= :start AND i.issue_date <= :end"
        " UNION ALL"
        " SELECT p.date, 1, p.payment_id,"
        " TRIM(COALESCE('for ' || i.invoice_number, 'on account')"
        "   || CASE WHEN p.method != '' THEN ' · ' || p.method ELSE '' END"
        "   || CASE WHEN p.reference != '' THEN ' · ' || p.reference ELSE '' END),"
        " 0, p.amount, NULL, NULL"
        " FROM payment p LEFT JOIN invoice i ON i.id = p.invoice_id"
        " WHERE p.customer_id = :c AND p.date >= :start AND p.date <= :end"
        " ORDER BY 1, 2, 3",
        params,
    ).fetchall()

    running = opening
    lines = []
    for day, kind, ref, description, debit, credit, due, paid in rows:
        running += debit - credit
        status = ""
        due_date = None
        if kind == 0:
            due_date = date.fromisoformat(due)
            status = invoice_status(debit, paid, due_date, end)
        lines.append(
            StatementLine(
                date=date.fromisoformat(day),
                kind="invoice" if kind == 0 else "payment",
                reference=ref,
                description=clean_text(description, multiline=False),
                debit=debit,
                credit=credit,
                balance=running,
                status=status,
                due_date=due_date,
            )
        )
    invoiced = sum(line.debit for line in lines)
    paid_total = sum(line.credit for line in lines)
    owed = receivables(db, row_id, end)
    return Statement(
        business=load_settings(db),
        customer=info,
        period=period,
        as_of=as_of,
        end=end,
        opening_balance=opening,
        lines=tuple(lines),
        total_invoiced=invoiced,
        total_paid=paid_total,
        closing_balance=opening + invoiced - paid_total,
        aging=owed.aging,
        open_invoices=owed.invoices,
    )
