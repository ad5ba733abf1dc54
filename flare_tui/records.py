"""The figures' plain values: frozen dataclasses, money in integer cents.

These cross every boundary — from the queries to the screens, the command
line and the documents — so they hold no database handles and no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import change_pct
from .periods import FiscalYear

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


@dataclass(frozen=True)
class CustomerInfo:
    """Who a customer is: id, name and contact details."""

    customer_id: str
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class CustomerSummary:
    """One row of the customer list."""

    customer_id: str
    name: str
    paid_by_month: tuple[int, ...]  # 12 fiscal months, cents
    paid_this_year: int
    paid_last_year: int
    paid_last_year_to_date: int
    unpaid_invoices: int
    unpaid_total: int
    email: str = ""

    @property
    def change_pct(self) -> Decimal | None:
        """Paid this year against the same period last year, in %."""
        return change_pct(self.paid_this_year, self.paid_last_year_to_date)


@dataclass(frozen=True)
class CustomerList:
    """The customer list of a day: a row per customer and the book's totals."""

    as_of: date
    fiscal_year: FiscalYear
    customers: tuple[CustomerSummary, ...]
    totals: CustomerSummary


def bucket_of(days_late: int) -> str:
    """The aging bucket of an invoice that is `days_late` days past due."""
    if days_late <= 0:
        return "current"
    if days_late <= 30:
        return "1-30"
    if days_late <= 60:
        return "31-60"
    if days_late <= 90:
        return "61-90"
    return "90+"


@dataclass(frozen=True)
class Aging:
    """Outstanding money by days past due; the buckets add up to the total."""

    current: int = 0
    days_1_30: int = 0
    days_31_60: int = 0
    days_61_90: int = 0
    days_90_plus: int = 0

    @property
    def total(self) -> int:
        """All outstanding money."""
        return sum(self.as_tuple())

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        """The buckets in order: current, 1-30, 31-60, 61-90, 90+."""
        return (
            self.current,
            self.days_1_30,
            self.days_31_60,
            self.days_61_90,
            self.days_90_plus,
        )

    def as_dict(self) -> dict[str, int]:
        """The buckets keyed by their names as in the JSON output."""
        return dict(zip(AGING_BUCKETS, self.as_tuple(), strict=True))

    @classmethod
    def from_invoices(cls, invoices: Sequence[OpenInvoice]) -> Aging:
        """Aging of a set of outstanding invoices."""
        totals = dict.fromkeys(AGING_BUCKETS, 0)
        for invoice in invoices:
            totals[invoice.bucket] += invoice.outstanding
        return cls(*totals.values())


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with money still owed on it at a given day."""

    invoice_number: str
    issue_date: date
    due_date: date
    amount: int
    paid: int
    outstanding: int
    days_late: int  # day - due date; 0 or less means not yet due
    description: str = ""

    @property
    def bucket(self) -> str:
        """Its aging bucket."""
        return bucket_of(self.days_late)

    @property
    def status(self) -> str:
        """overdue, partly paid or open."""
        if self.days_late > 0:
            return "overdue"
        return "partly paid" if self.paid > 0 else "open"


@dataclass(frozen=True)
class Receivables:
    """What a customer still owes on invoices at a day, and how late."""

    day: date
    invoices: tuple[OpenInvoice, ...]
    aging: Aging

    @property
    def total(self) -> int:
        """Unpaid total: the sum of outstanding."""
        return self.aging.total

    @property
    def overdue(self) -> int:
        """Outstanding on invoices whose due date is before the day."""
        return self.total - self.aging.current


@dataclass(frozen=True)
class MonthComparison:
    """One fiscal month: paid this year against the same month last year."""

    month: date  # first day of the month in the year shown
    label: str
    this_year: int
    last_year: int

    @property
    def change_pct(self) -> Decimal | None:
        """% change from last year; None when last year is zero."""
        return change_pct(self.this_year, self.last_year)


@dataclass(frozen=True)
class CustomerDetail:
    """One customer's fiscal year against the year before, and receivables."""

    customer: CustomerInfo
    as_of: date
    fiscal_year: FiscalYear
    last_fiscal_year: FiscalYear
    day: date  # the last day counted in the year shown (as-of or year end)
    months: tuple[MonthComparison, ...]
    this_year_total: int
    last_year_total: int
    last_year_to_date: int
    receivable: Receivables
    balance: int

    @property
    def change_pct_to_date(self) -> Decimal | None:
        """This year to date against the same period last year, in %."""
        return change_pct(self.this_year_total, self.last_year_to_date)
