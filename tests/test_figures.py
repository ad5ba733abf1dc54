"""The customer list, the customer detail and receivables on hand-built books.

Every expected figure below is worked out by hand from the rows in the test,
following CONTRACT.md: cash basis per month, credit on account, unpaid and
outstanding, balance, % change, aging, future rows ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from builders import import_rows

from flare_tui.books import Books
from flare_tui.errors import UnknownCustomer
from flare_tui.money import change_text

D = date.fromisoformat
AS_OF = D("2026-06-15")  # the middle of a month

CUSTOMERS = [
    ("C1", "Ada Lovelace"),
    ("C2", "Bea Idle"),  # no activity at all
    ("C3", "Cy New"),  # pays for the first time this year
    ("C4", "Dee Gone"),  # paid last year only
]
INVOICES = [
    ("INV-1", "C1", "2025-03-10", "2025-04-09", "300.00"),
    ("INV-2", "C1", "2026-01-05", "2026-02-04", "1000.00"),
    ("INV-3", "C1", "2026-05-01", "2026-05-31", "250.00"),
    ("INV-4", "C1", "2026-06-16", "2026-07-16", "999.00"),  # after as-of
]
PAYMENTS = [
    ("P1", "C1", "2025-03-20", "300.00", "INV-1"),
    ("P2", "C1", "2025-06-20", "200.00", None),  # on account, after LYTD day
    ("P3", "C1", "2025-06-15", "50.00", None),  # on account, on the LYTD day
    ("P4", "C1", "2026-02-01", "400.00", "INV-2"),  # partial payment
    ("P5", "C1", "2026-05-10", "300.00", "INV-3"),  # overpays by 50.00
    ("P6", "C1", "2026-06-20", "100.00", "INV-2"),  # after as-of
    ("P7", "C1", "2026-06-15", "10.00", None),  # on the as-of day
    ("P8", "C3", "2026-03-03", "75.00"),
    ("P9", "C4", "2025-02-02", "80.00"),
]


@pytest.fixture
def ledger(make_books: Callable[..., Books]) -> Books:
    """Four customers exercising partial, over- and unapplied payments."""
    return make_books(CUSTOMERS, INVOICES, PAYMENTS)


def test_import_gives_the_same_figures_as_direct_inserts(
    ledger: Books, tmp_path: Path
) -> None:
    imported = Books.open(tmp_path / "imported.sqlite")
    import_rows(imported, tmp_path / "csv", CUSTOMERS, INVOICES, PAYMENTS)
    for day in (AS_OF, D("2026-06-20"), D("2025-12-31")):
        assert (
            imported.customer_list(day).customers == ledger.customer_list(day).customers
        )
        assert imported.customer_detail("C1", day) == ledger.customer_detail("C1", day)
    imported.close()


def _rows(books: Books, as_of: date = AS_OF, start: int | None = None) -> dict:
    listing = books.customer_list(as_of, start)
    return {row.customer_id: row for row in listing.customers}


def test_list_paid_per_month_is_cash_basis_up_to_as_of(ledger: Books) -> None:
    ada = _rows(ledger)["C1"]
    # Feb: 400 applied; May: 300 (250 settles INV-3, 50 is credit); Jun: the
    # 10.00 on the as-of day counts, the 100.00 on 20 June does not.
    expected = [0, 40_000, 0, 0, 30_000, 1_000, 0, 0, 0, 0, 0, 0]
    assert list(ada.paid_by_month) == expected
    assert ada.paid_this_year == 71_000
    # Last fiscal year in full: 300 + 200 + 50.
    assert ada.paid_last_year == 55_000
    # Same period last year: 2025-01-01 .. 2025-06-15 (P3 on the day counts).
    assert ada.paid_last_year_to_date == 35_000
    assert ada.change_pct == Decimal("102.9")  # (710 - 350) / 350


def test_partial_and_overpayment_unpaid_figures(ledger: Books) -> None:
    ada = _rows(ledger)["C1"]
    # INV-2: 1000 - 400 = 600 outstanding (P6 is in the future). INV-3 is
    # settled by its overpayment; INV-1 is paid; INV-4 is not yet issued.
    assert ada.unpaid_invoices == 1
    assert ada.unpaid_total == 60_000


def test_balance_is_lower_than_unpaid_when_there_is_credit(ledger: Books) -> None:
    detail = ledger.customer_detail("C1", AS_OF)
    # Invoices to as-of 300 + 1000 + 250; payments 300+200+50+400+300+10.
    assert detail.balance == 155_000 - 126_000
    assert detail.receivable.total == 60_000
    assert detail.balance < detail.receivable.total


def test_credit_can_make_the_balance_negative(make_books) -> None:
    books = make_books(
        [("C1", "Ada")],
        [("INV-1", "C1", "2026-01-05", "2026-02-04", "100.00")],
        [
            ("P1", "C1", "2026-01-10", "150.00", "INV-1"),
            ("P2", "C1", "2026-02-01", "5"),
        ],
    )
    detail = books.customer_detail("C1", AS_OF)
    assert detail.balance == -5_500
    assert detail.receivable.total == 0
    assert _rows(books)["C1"].unpaid_invoices == 0


def test_customer_with_no_activity_shows_zeros_and_a_dash(ledger: Books) -> None:
    bea = _rows(ledger)["C2"]
    assert bea.paid_by_month == (0,) * 12
    assert (bea.paid_this_year, bea.paid_last_year, bea.paid_last_year_to_date) == (
        0,
        0,
        0,
    )
    assert (bea.unpaid_invoices, bea.unpaid_total) == (0, 0)
    assert bea.change_pct is None
    assert change_text(bea.paid_this_year, bea.paid_last_year_to_date) == "—"
    detail = ledger.customer_detail("C2", AS_OF)
    assert detail.balance == 0
    assert all(m.change_pct is None for m in detail.months)


def test_last_year_zero_is_new_not_infinite(ledger: Books) -> None:
    cy = _rows(ledger)["C3"]
    assert cy.paid_this_year == 7_500 and cy.paid_last_year_to_date == 0
    assert cy.change_pct is None
    assert change_text(cy.paid_this_year, cy.paid_last_year_to_date) == "new"
    dee = _rows(ledger)["C4"]
    assert dee.change_pct == Decimal("-100.0")


def test_list_order_and_totals(ledger: Books) -> None:
    listing = ledger.customer_list(AS_OF)
    assert [c.name for c in listing.customers] == [
        "Ada Lovelace",
        "Bea Idle",
        "Cy New",
        "Dee Gone",
    ]
    assert listing.totals.paid_this_year == 71_000 + 7_500
    assert listing.totals.paid_last_year == 55_000 + 8_000
    assert listing.totals.unpaid_total == 60_000
    assert listing.totals.paid_by_month[2] == 7_500  # March: Cy's 75.00
    assert listing.fiscal_year.start == D("2026-01-01")


def test_future_rows_count_nowhere(ledger: Books) -> None:
    # On the day after as-of, INV-4 is issued and P6 paid: the figures move.
    # On as-of they must not (checked above); here the day after.
    later = _rows(ledger, D("2026-06-20"))["C1"]
    assert later.paid_this_year == 71_000 + 10_000
    # INV-2: 1000 - 400 - 100 = 500; INV-4: 999 unpaid.
    assert later.unpaid_invoices == 2
    assert later.unpaid_total == 50_000 + 99_900
    numbers = [i.invoice_number for i in ledger.receivables("C1", AS_OF).invoices]
    assert numbers == ["INV-2"]
    detail = ledger.customer_detail("C1", AS_OF)
    assert detail.months[5].this_year == 1_000  # June, without the 20th


def test_detail_compares_month_by_month(ledger: Books) -> None:
    detail = ledger.customer_detail("C1", AS_OF)
    this = [m.this_year for m in detail.months]
    last = [m.last_year for m in detail.months]
    assert this == [0, 40_000, 0, 0, 30_000, 1_000, 0, 0, 0, 0, 0, 0]
    # Each month of last year in full (June: 200 + 50).
    assert last == [0, 0, 30_000, 0, 0, 25_000, 0, 0, 0, 0, 0, 0]
    assert [m.label for m in detail.months][:3] == ["Jan", "Feb", "Mar"]
    assert detail.months[1].change_pct is None  # Feb: last year zero
    assert detail.months[2].change_pct == Decimal("-100.0")
    assert detail.months[5].change_pct == Decimal("-96.0")  # (10 - 250) / 250
    assert detail.this_year_total == 71_000
    assert detail.last_year_total == 55_000
    assert detail.last_year_to_date == 35_000
    assert detail.change_pct_to_date == Decimal("102.9")
    assert detail.receivable.overdue == 60_000
    assert detail.receivable.aging.days_90_plus == 60_000  # 131 days late


def test_april_fiscal_year_list_and_detail(make_books) -> None:
    books = make_books(
        [("C1", "Ada")],
        [],
        [
            ("P1", "C1", "2026-04-01", "100.00"),  # first day of FY 2026/27
            ("P2", "C1", "2026-03-31", "50.00"),  # last day of FY 2025/26
            ("P3", "C1", "2027-01-15", "25.00"),  # the as-of day
            ("P4", "C1", "2027-01-16", "999.00"),  # after as-of
            ("P5", "C1", "2025-04-01", "200.00"),  # first day of last year
            ("P6", "C1", "2026-01-15", "30.00"),  # last year, on the LYTD day
            ("P7", "C1", "2026-01-16", "40.00"),  # last year, after it
            ("P8", "C1", "2025-03-31", "70.00"),  # two fiscal years ago
        ],
    )
    as_of = D("2027-01-15")
    listing = books.customer_list(as_of, 4)
    assert listing.fiscal_year.label == "FY 2026/27"
    assert listing.fiscal_year.month_labels[0] == "Apr"
    ada = listing.customers[0]
    assert ada.paid_by_month == (10_000, 0, 0, 0, 0, 0, 0, 0, 0, 2_500, 0, 0)
    assert ada.paid_this_year == 12_500
    assert ada.paid_last_year == 20_000 + 3_000 + 4_000 + 5_000
    assert ada.paid_last_year_to_date == 23_000
    assert ada.change_pct == Decimal("-45.7")  # (125 - 230) / 230
    detail = books.customer_detail("C1", as_of, 4)
    assert [m.label for m in detail.months][0] == "Apr"
    assert [m.label for m in detail.months][-1] == "Mar"
    assert detail.months[-1].last_year == 5_000  # Mar 2026
    assert detail.months[0].last_year == 20_000  # Apr 2025
    assert detail.last_year_to_date == 23_000
    # The stored setting is used when no override is given.
    books.update_settings(fiscal_year_start=4)
    assert books.customer_list(as_of).customers[0].paid_this_year == 12_500
    assert books.customer_list(as_of, 1).customers[0].paid_this_year == 2_500


def test_29_february_same_period_last_year(make_books) -> None:
    books = make_books(
        [("C1", "Ada")],
        [],
        [
            ("P1", "C1", "2027-02-28", "10.00"),  # the mapped day: counts
            ("P2", "C1", "2027-03-01", "20.00"),  # after it: last year only
            ("P3", "C1", "2028-02-29", "5.00"),
            ("P4", "C1", "2027-01-01", "1.00"),
        ],
    )
    ada = books.customer_list(D("2028-02-29")).customers[0]
    assert ada.paid_last_year_to_date == 1_100
    assert ada.paid_last_year == 3_100
    assert ada.paid_this_year == 500
    assert ada.paid_by_month[1] == 500
    detail = books.customer_detail("C1", D("2028-02-29"))
    assert detail.last_year_to_date == 1_100


def test_aging_buckets_at_their_edges(make_books) -> None:
    # One invoice per edge, each amount a different power of two so the
    # bucket sums show exactly which invoices landed where.
    edges = {0: 1, 1: 2, 30: 4, 31: 8, 60: 16, 61: 32, 90: 64, 91: 128}
    invoices = []
    for days, dollars in edges.items():
        due = date.fromordinal(AS_OF.toordinal() - days)
        issued = date.fromordinal(due.toordinal() - 10)
        invoices.append(
            (f"E{days:03d}", "C1", issued.isoformat(), due.isoformat(), f"{dollars}")
        )
    # Not yet due, and not yet issued.
    invoices.append(("F1", "C1", "2026-06-14", "2026-06-20", "256"))
    invoices.append(("F2", "C1", "2026-06-16", "2026-06-16", "512"))
    books = make_books([("C1", "Ada")], invoices, [])
    owed = books.receivables("C1", AS_OF)
    assert owed.aging.as_dict() == {
        "current": 25_700,
        "1-30": 600,
        "31-60": 2_400,
        "61-90": 9_600,
        "90+": 12_800,
    }
    assert owed.total == 51_100
    assert owed.overdue == 51_100 - 25_700
    late = {i.invoice_number: i.days_late for i in owed.invoices}
    assert late["E031"] == 31 and late["E000"] == 0
    assert "F2" not in late
    status = {i.invoice_number: i.status for i in owed.invoices}
    assert status["E000"] == "open" and status["E001"] == "overdue"


def test_aging_uses_outstanding_not_invoice_amount(make_books) -> None:
    books = make_books(
        [("C1", "Ada")],
        [("INV-1", "C1", "2026-01-01", "2026-05-01", "100.00")],
        [("P1", "C1", "2026-05-01", "40.00", "INV-1")],
    )
    owed = books.receivables("C1", AS_OF)
    assert owed.aging.days_31_60 == 6_000  # 45 days late
    assert owed.invoices[0].paid == 4_000
    assert owed.total == 6_000


def test_unknown_customer_is_named(ledger: Books) -> None:
    with pytest.raises(UnknownCustomer, match="C404"):
        ledger.customer_detail("C404", AS_OF)
    with pytest.raises(UnknownCustomer):
        ledger.receivables("C404", AS_OF)


def test_find_customers_matches_text_literally(make_books) -> None:
    books = make_books(
        [
            ("C1", "Ada_Lovelace"),
            ("C2", "Adam Smith"),
            ("C3", "100% Cotton"),
            ("X9", "Zoë Ölund"),
        ]
    )
    assert [c.customer_id for c in books.find_customers("ada")] == ["C1", "C2"]
    assert [c.customer_id for c in books.find_customers("_")] == ["C1"]
    assert [c.customer_id for c in books.find_customers("%")] == ["C3"]
    assert [c.customer_id for c in books.find_customers("x9")] == ["X9"]
    assert len(books.find_customers("")) == 4
    assert len(books.find_customers("", limit=2)) == 2
