"""The demo books: the seed example of the contract, and books that give
every figure, month and aging bucket something to show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from builders import DEMO_AS_OF, insert_rows, row_counts

from flare_tui.books import Books
from flare_tui.demo import build_demo
from flare_tui.errors import BooksError
from flare_tui.money import plain


def test_seed_example_list_row(demo_books: Books) -> None:
    rows = {c.customer_id: c for c in demo_books.customer_list(DEMO_AS_OF).customers}
    emerald = rows["C0001"]
    assert emerald.name == "Emerald Chiang"
    assert plain(emerald.paid_this_year) == "1000.00"
    assert plain(emerald.paid_last_year) == "2750.00"
    assert plain(emerald.paid_last_year_to_date) == "2750.00"
    assert emerald.paid_by_month[:3] == (50_000, 50_000, 0)
    assert sum(emerald.paid_by_month) == emerald.paid_this_year
    assert emerald.unpaid_invoices == 3
    assert plain(emerald.unpaid_total) == "1024.00"
    assert emerald.change_pct == Decimal("-63.6")


def test_seed_example_detail(demo_books: Books) -> None:
    detail = demo_books.customer_detail("C0001", DEMO_AS_OF)
    # Last year: paid in January, February, March and April only.
    paid_last = [m.label for m in detail.months if m.last_year]
    assert paid_last == ["Jan", "Feb", "Mar", "Apr"]
    assert detail.last_year_total == 275_000
    assert detail.this_year_total == 100_000
    assert detail.change_pct_to_date == Decimal("-63.6")
    assert detail.months[0].change_pct == Decimal("0.0")  # 500 against 500
    aging = detail.receivable.aging.as_dict()
    assert aging == {
        "current": 0,
        "1-30": 0,
        "31-60": 30_000,
        "61-90": 0,
        "90+": 72_400,
    }
    assert detail.receivable.overdue == 102_400


@pytest.mark.parametrize(
    "today", ["2026-03-01", "2026-06-30", "2027-02-25", "2028-02-29"]
)
def test_seed_example_holds_whatever_today_is(tmp_path: Path, today: str) -> None:
    day = date.fromisoformat(today)
    books = Books.open(tmp_path / "demo.sqlite")
    build_demo(books.db, day)
    emerald = books.customer_list(day, customer_ids=["C0001"]).customers[0]
    assert (emerald.paid_this_year, emerald.paid_last_year) == (100_000, 275_000)
    assert (emerald.unpaid_invoices, emerald.unpaid_total) == (3, 102_400)
    aging = books.receivables("C0001", day).aging
    assert (aging.days_31_60, aging.days_90_plus) == (30_000, 72_400)
    books.close()


@pytest.mark.parametrize("today", ["2027-01-10", "2026-12-03", "2026-02-01"])
def test_demo_holds_nothing_after_today(tmp_path: Path, today: str) -> None:
    books = Books.open(tmp_path / "demo.sqlite")
    build_demo(books.db, date.fromisoformat(today))
    conn = books.db.connection()
    future = conn.execute(
        "SELECT (SELECT COUNT(*) FROM invoice WHERE issue_date > :d)"
        " + (SELECT COUNT(*) FROM payment WHERE date > :d)",
        {"d": today},
    ).fetchone()[0]
    assert future == 0
    backwards = conn.execute(
        "SELECT COUNT(*) FROM invoice WHERE due_date < issue_date"
    ).fetchone()[0]
    assert backwards == 0
    # Emerald's unpaid invoices keep their ages even early in the year.
    aging = books.receivables("C0001", date.fromisoformat(today)).aging
    assert (aging.days_31_60, aging.days_90_plus) == (30_000, 72_400)
    books.close()


def test_demo_books_have_every_kind_of_customer(demo_books: Books) -> None:
    listing = demo_books.customer_list(DEMO_AS_OF)
    rows = listing.customers
    assert 35 <= len(rows) <= 50
    # Growing and declining against last year, new and lapsed customers.
    changes = [r.change_pct for r in rows]
    assert any(c is not None and c > 0 for c in changes)
    assert any(c is not None and c < 0 for c in changes)
    assert any(r.paid_last_year_to_date == 0 and r.paid_this_year > 0 for r in rows)
    assert any(r.paid_last_year > 0 and r.paid_this_year == 0 for r in rows)
    # A customer with no activity at all.
    assert any(
        r.paid_last_year == r.paid_this_year == r.unpaid_invoices == 0 for r in rows
    )
    # Names with accents and symbols, kept exactly.
    names = {r.name for r in rows}
    assert any(not name.isascii() for name in names)
    assert any("&" in name or "|" in name for name in names)
    # Every fiscal month of this year has money in it up to as-of.
    assert all(total > 0 for total in listing.totals.paid_by_month)


def test_demo_books_have_every_aging_bucket_partials_and_credit(
    demo_books: Books,
) -> None:
    buckets = dict.fromkeys(("current", "1-30", "31-60", "61-90", "90+"), 0)
    partly_paid = 0
    credit = 0
    for row in demo_books.customer_list(DEMO_AS_OF).customers:
        owed = demo_books.receivables(row.customer_id, DEMO_AS_OF)
        for name, cents in owed.aging.as_dict().items():
            buckets[name] += cents
        partly_paid += sum(1 for i in owed.invoices if 0 < i.paid < i.amount)
        detail = demo_books.customer_detail(row.customer_id, DEMO_AS_OF)
        credit += detail.balance < detail.receivable.total
    assert all(cents > 0 for cents in buckets.values()), buckets
    assert partly_paid > 0
    assert credit > 0
    conn = demo_books.db.connection()
    on_account = conn.execute(
        "SELECT COUNT(*) FROM payment WHERE invoice_id IS NULL"
    ).fetchone()[0]
    assert on_account > 0


def test_demo_refuses_books_that_hold_anything(books: Books) -> None:
    insert_rows(books, [("C1", "Mine")])
    with pytest.raises(BooksError):
        build_demo(books.db, DEMO_AS_OF)
    assert row_counts(books) == (1, 0, 0)
    assert books.customer("C1").name == "Mine"


def test_demo_is_the_same_every_time(tmp_path: Path) -> None:
    figures = []
    for name in ("a.sqlite", "b.sqlite"):
        books = Books.open(tmp_path / name)
        build_demo(books.db, DEMO_AS_OF)
        figures.append(books.customer_list(DEMO_AS_OF))
        books.close()
    assert figures[0].customers == figures[1].customers
