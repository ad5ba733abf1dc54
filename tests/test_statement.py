"""The balance-forward statement on hand-built books: opening balance, line
order, running balance, closing balance, aging at the end, future rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from flare_tui.books import Books
from flare_tui.periods import custom_period, resolve_preset

D = date.fromisoformat
AS_OF = D("2026-06-15")

INVOICES = [
    ("INV-A", "C1", "2026-01-10", "2026-02-09", "500.00"),
    ("INV-C", "C1", "2026-03-05", "2026-03-20", "40.00"),
    ("INV-B", "C1", "2026-03-05", "2026-04-04", "300.00"),
    ("INV-D", "C1", "2026-06-20", "2026-07-20", "700.00"),  # after as-of
]
PAYMENTS = [
    ("P-1", "C1", "2026-01-20", "200.00", "INV-A"),
    # Same day as INV-B and INV-C, and its id sorts before theirs: the
    # invoices still come first.
    ("A-2", "C1", "2026-03-05", "100.00", None),
    ("A-1", "C1", "2026-03-05", "10.00", None),
    ("P-3", "C1", "2026-04-02", "300.00", "INV-B"),
    ("P-4", "C1", "2026-06-18", "50.00", "INV-A"),  # after as-of
]


@pytest.fixture
def ledger(make_books: Callable[..., Books]) -> Books:
    """One customer with invoices and payments around a March statement."""
    return make_books([("C1", "Ada"), ("C2", "Quiet")], INVOICES, PAYMENTS)


def _lines(statement) -> list[tuple]:
    return [
        (line.date.isoformat(), line.kind, line.reference, line.debit, line.credit,
         line.balance)
        for line in statement.lines
    ]  # fmt: skip


def test_march_statement(ledger: Books) -> None:
    statement = ledger.statement("C1", custom_period("2026-03-01", "2026-03-31"), AS_OF)
    # Opening: INV-A 500 less P-1 200.
    assert statement.opening_balance == 30_000
    assert _lines(statement) == [
        ("2026-03-05", "invoice", "INV-B", 30_000, 0, 60_000),
        ("2026-03-05", "invoice", "INV-C", 4_000, 0, 64_000),
        ("2026-03-05", "payment", "A-1", 0, 1_000, 63_000),
        ("2026-03-05", "payment", "A-2", 0, 10_000, 53_000),
    ]
    assert statement.total_invoiced == 34_000
    assert statement.total_paid == 11_000
    assert statement.closing_balance == 53_000
    # Aging at 31 March: INV-A 300 is 50 days late, INV-C 40 is 11 days
    # late, INV-B 300 is not yet due (P-3 came in April).
    assert statement.aging.as_dict() == {
        "current": 30_000,
        "1-30": 4_000,
        "31-60": 30_000,
        "61-90": 0,
        "90+": 0,
    }
    assert statement.overdue == 34_000
    status = {line.reference: line.status for line in statement.lines}
    assert status == {"INV-B": "open", "INV-C": "overdue", "A-1": "", "A-2": ""}


def test_closing_equals_the_balance_at_the_end(ledger: Books) -> None:
    for first, last in [
        ("2026-01-01", "2026-01-31"),
        ("2026-01-10", "2026-03-05"),
        ("2026-03-06", "2026-04-30"),
    ]:
        period = custom_period(first, last)
        statement = ledger.statement("C1", period, AS_OF)
        # What the whole history says the customer owed on `last`.
        whole = ledger.statement("C1", custom_period("2000-01-01", last), AS_OF)
        assert whole.opening_balance == 0
        assert statement.closing_balance == whole.closing_balance
        assert statement.closing_balance == (
            statement.opening_balance + statement.total_invoiced - statement.total_paid
        )


def test_statement_status_paid_and_partly_paid(ledger: Books) -> None:
    statement = ledger.statement("C1", custom_period("2026-01-01", "2026-04-30"), AS_OF)
    status = {line.reference: line.status for line in statement.lines}
    assert status["INV-B"] == "paid"
    assert status["INV-A"] == "overdue"  # 300.00 still owed, due in February
    early = ledger.statement("C1", custom_period("2026-01-01", "2026-01-31"), AS_OF)
    assert {line.reference: line.status for line in early.lines}["INV-A"] == (
        "partly paid"
    )


def test_period_ending_after_as_of_counts_up_to_as_of(ledger: Books) -> None:
    period = resolve_preset("this-fiscal-year", AS_OF)
    statement = ledger.statement("C1", period, AS_OF)
    assert statement.period.end == D("2026-12-31")  # the dates it resolved to
    assert statement.end == AS_OF
    references = [line.reference for line in statement.lines]
    assert references == ["INV-A", "P-1", "INV-B", "INV-C", "A-1", "A-2", "P-3"]
    assert "INV-D" not in references and "P-4" not in references
    # 500 + 300 + 40 - 200 - 10 - 100 - 300
    assert statement.closing_balance == 23_000
    # Receivables at as-of: INV-A 300 (126 days late), INV-C 40 (87 days).
    assert statement.aging.days_90_plus == 30_000
    assert statement.aging.days_61_90 == 4_000
    assert statement.aging.total == 34_000


def test_period_wholly_after_as_of_has_no_lines(ledger: Books) -> None:
    statement = ledger.statement("C1", custom_period("2026-07-01", "2026-07-31"), AS_OF)
    assert statement.lines == ()
    assert statement.opening_balance == statement.closing_balance == 23_000


def test_statement_of_a_customer_with_no_activity(ledger: Books) -> None:
    statement = ledger.statement("C2", resolve_preset("all-time", AS_OF), AS_OF)
    assert statement.lines == ()
    assert statement.opening_balance == 0
    assert statement.closing_balance == 0
    assert statement.aging.total == 0


def test_payment_naming_no_invoice_is_a_credit_on_account(ledger: Books) -> None:
    statement = ledger.statement("C1", custom_period("2026-03-05", "2026-03-05"), AS_OF)
    credits = [line for line in statement.lines if line.kind == "payment"]
    assert [c.credit for c in credits] == [1_000, 10_000]
    assert all("account" in c.description for c in credits)


def test_statement_on_demo_books_last_fiscal_year(demo_books: Books) -> None:
    as_of = D("2026-12-03")
    period = resolve_preset("last-fiscal-year", as_of)
    statement = demo_books.statement("C0001", period, as_of)
    assert (period.start, period.end) == (D("2025-01-01"), D("2025-12-31"))
    assert statement.opening_balance == 0
    first = statement.lines[0]
    assert (first.date, first.kind, first.reference, first.debit) == (
        D("2025-01-03"),
        "invoice",
        "INV-000001",
        50_000,
    )
    assert first.balance == 50_000
    assert statement.total_invoiced == 275_000
    assert statement.total_paid == 275_000
    assert statement.closing_balance == 0
    assert statement.aging.total == 0
