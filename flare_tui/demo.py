"""Demo books: about forty customers over three fiscal years, built around
today so every figure, month and aging bucket has something in it."""

from __future__ import annotations

import random
from datetime import date, timedelta

import peewee as pw

from .db import holds_books, write_transaction
from .errors import BooksError
from .periods import add_months, fiscal_year
from .settings import save_settings

DEMO_SETTINGS = {
    "business_name": "Northwind Studio Supplies",
    "business_address": "12 Harbour Lane\nPort Ellis, PE1 4AB",
    "business_email": "accounts@northwind.example",
    "currency_symbol": "$",
    "fiscal_year_start": 1,
    "paper_size": "A4",
}

# (name, pattern). Patterns: steady, growing, declining, lapsed, new, seasonal.
CUSTOMERS = (
    ("Brightwater Dental", "steady"),
    ("Café Müller GmbH", "growing"),
    ("Søren & Daughters", "declining"),
    ("Łódź Logistics Sp. z o.o.", "steady"),
    ("Zoë O'Brien Design", "new"),
    ("Acme | Pipes *Ltd*", "seasonal"),
    ("山田商店", "steady"),
    ("Ñandú Imports", "lapsed"),
    ("Dvořák Music Studio", "growing"),
    ("François Léger Architecte", "declining"),
    ("Smith & Jones (UK) Ltd.", "steady"),
    ("<b>Bold</b> Marketing", "seasonal"),
    ("Harbourview Hotel", "seasonal"),
    ("Greenleaf Organics", "growing"),
    ("Kowalski Carpentry", "lapsed"),
    ("Mountain Peak Outfitters", "seasonal"),
    ("Östergård Bakery", "steady"),
    ("=SUM(A1) Consulting", "new"),
    ("Riverside Veterinary", "steady"),
    ("Ana Souza Fotografia", "declining"),
    ("Blue Door Bistro", "growing"),
    ("Weird [/] Name Co.", "steady"),
    ("Château Beaumont", "seasonal"),
    ("Tasman Freight", "steady"),
    ("Pixel & Ink Printers", "growing"),
    ("Mehta Family Pharmacy", "steady"),
    ("Old Mill Antiques", "lapsed"),
    ("Nakamura Robotics", "new"),
    ("Sunrise Yoga Collective", "declining"),
    ("Hügel Bergsport", "seasonal"),
    ("Oakridge Primary School", "steady"),
    ("Li Wei Trading", "growing"),
    ("Prairie Wind Farms", "seasonal"),
    ("Ruiz & Ortega Abogados", "steady"),
    ("The Little Print Shop", "declining"),
    ("Fjordside Fisheries", "seasonal"),
    ("Quantum Leap Tutoring", "new"),
    ("Ivy Lane Florist", "steady"),
    ("Van der Berg Bouw", "growing"),
)

SEASON = (0.7, 0.7, 0.9, 1.0, 1.2, 1.5, 1.6, 1.4, 1.1, 0.9, 0.8, 1.2)


class _Writer:
    def __init__(self) -> None:
        self.customers: list[tuple] = []
        self.invoices: list[tuple] = []
        self.payments: list[tuple] = []

    def customer(self, code: str, name: str, email: str, address: str) -> int:
        row_id = len(self.customers) + 1
        phone = f"+1 555 01{row_id:02d}"
        self.customers.append((row_id, code, name, email, phone, address))
        return row_id

    def invoice(
        self, number: str, customer: int, issued: date, due: date, cents: int, text: str
    ) -> int:
        row_id = len(self.invoices) + 1
        self.invoices.append(
            (row_id, number, customer, issued.isoformat(), due.isoformat(), cents, text)
        )
        return row_id

    def payment(
        self, customer: int, day: date, cents: int, invoice: int | None, method: str
    ) -> None:
        row_id = len(self.payments) + 1
        code = f"PAY-{row_id:06d}"
        self.payments.append(
            (row_id, code, customer, day.isoformat(), cents, invoice, method, "")
        )


def _emerald(w: _Writer, today: date, start_month: int) -> None:
    """The seed example: Emerald Chiang, exactly as the contract tells it."""
    # TODO: before the second month of a fiscal year the seed cannot hold
    # (her "this year" payments would lie after today); rows after today are
    # skipped rather than shifted, so the example is exact from then on.
    this_fy = fiscal_year(today, start_month)
    last_fy = this_fy.previous()
    me = w.customer(
        "C0001",
        "Emerald Chiang",
        "emerald.chiang@example.com",
        "Emerald Chiang Interiors\n88 Jade Street\nPort Ellis, PE2 9CX",
    )
    number = 0

    def bill(issued: date, cents: int, paid_on: date | None) -> None:
        nonlocal number
        number += 1
        if issued > today or (paid_on is not None and paid_on > today):
            return  # early in the fiscal year: that part is still to come
        row = w.invoice(
            f"INV-{number:06d}",
            me,
            issued,
            issued + timedelta(days=30),
            cents,
            "Interior styling services",
        )
        if paid_on is not None:
            w.payment(me, paid_on, cents, row, "bank transfer")

    # Last fiscal year: paid in its first four months, $2,750.00 in all.
    for month, cents in zip(range(4), (50_000, 75_000, 80_000, 70_000), strict=True):
        first = add_months(last_fy.start, month)
        bill(first + timedelta(days=2), cents, first + timedelta(days=19))
    # This fiscal year: $500.00 in each of its first two months.
    for month in range(2):
        first = add_months(this_fy.start, month)
        bill(first + timedelta(days=2), 50_000, first + timedelta(days=19))
    # Three unpaid invoices, $1,024.00: two over 90 days late, one 31-60.
    for days_late, cents in ((150, 40_000), (120, 32_400), (44, 30_000)):
        due = today - timedelta(days=days_late)
        # Issued 30 days before its due date, so the days late are exact
        # (a clamp to the fiscal year start made them "current" in January).
        bill(due - timedelta(days=30), cents, None)


def _customer_history(
    w: _Writer,
    rng: random.Random,
    row: int,
    pattern: str,
    start: date,
    today: date,
    this_fy_start: date,
    numbers: list[int],
) -> None:
    base = rng.randint(20, 160) * 1000  # cents
    reliability = rng.choice((0.99, 0.97, 0.95, 0.9))
    lapsed_from = add_months(this_fy_start, -rng.randint(1, 6))
    new_from = add_months(this_fy_start, rng.randint(0, 3))
    month = start
    index = 0
    while month <= today:
        index += 1
        skip = (
            (pattern == "lapsed" and month >= lapsed_from)
            or (pattern == "new" and month < new_from)
            or rng.random() < 0.12
        )
        if skip:
            month = add_months(month, 1)
            continue
        factor = 1.0
        if pattern == "growing":
            factor = 0.6 + index * 0.04
        elif pattern == "declining":
            factor = max(0.2, 1.6 - index * 0.04)
        elif pattern == "seasonal":
            factor = SEASON[month.month - 1] ** 2
        cents = int(base * factor * rng.uniform(0.7, 1.3)) // 100 * 100 + rng.choice(
            (0, 0, 50, 99)
        )
        issued = month + timedelta(days=rng.randint(0, 27))
        if issued > today:
            break
        due = issued + timedelta(days=rng.choice((14, 30, 30, 45)))
        numbers[0] += 1
        invoice = w.invoice(
            f"INV-{numbers[0]:06d}",
            row,
            issued,
            due,
            cents,
            rng.choice(("Monthly supplies", "Materials", "Consulting", "Repairs")),
        )
        _pay(w, rng, row, invoice, issued, due, cents, today, reliability)
        month = add_months(month, 1)


def _pay(
    w: _Writer,
    rng: random.Random,
    row: int,
    invoice: int,
    issued: date,
    due: date,
    cents: int,
    today: date,
    reliability: float,
) -> None:
    roll = rng.random()
    paid_on = due + timedelta(days=rng.randint(-12, 25))
    paid_on = max(paid_on, issued)
    if roll > reliability:
        return  # never paid: ages through every bucket
    if paid_on > today:
        return  # not paid yet
    method = rng.choice(("bank transfer", "card", "cheque"))
    if roll > reliability - 0.06:
        part = cents // 2 // 100 * 100
        w.payment(row, paid_on, part, invoice, method)  # partly paid
        return
    if roll < 0.03:
        # Overpaid: the excess becomes credit on account.
        w.payment(row, paid_on, cents + 2_500, invoice, method)
        return
    w.payment(row, paid_on, cents, invoice, method)


def build_demo(db: pw.Database, today: date, seed: int = 2026) -> None:
    """Write the demo books into an empty database."""
    if holds_books(db):
        raise BooksError(
            "these books already hold customers, invoices or payments; demo books"
            " go only into an empty database (use --db to choose another)"
        )
    rng = random.Random(seed)
    start_month = int(DEMO_SETTINGS["fiscal_year_start"])
    this_fy = fiscal_year(today, start_month)
    start = this_fy.previous().previous().start
    w = _Writer()
    _emerald(w, today, start_month)
    numbers = [1000]
    for index, (name, pattern) in enumerate(CUSTOMERS, start=2):
        slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
        email = f"accounts@{slug[:16] or 'firm'}{index}.example" if index % 7 else ""
        address = f"{index} Market Street\nPort Ellis, PE{index % 9 + 1} {index}XY"
        row = w.customer(f"C{index:04d}", name, email, address)
        _customer_history(w, rng, row, pattern, start, today, this_fy.start, numbers)
        if index % 6 == 0:
            # Money on account, naming no invoice.
            day = today - timedelta(days=rng.randint(5, 200))
            w.payment(row, day, rng.randint(5, 40) * 1000, None, "bank transfer")
    # One customer with no activity at all.
    w.customer("C0099", "Dormant Holdings", "", "")
    _write(db, w)


def _write(db: pw.Database, w: _Writer) -> None:
    from .books import refresh_settled

    with write_transaction(db):
        conn = db.connection()
        conn.executemany(
            "INSERT INTO customer (id, customer_id, name, email, phone, address)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            w.customers,
        )
        conn.executemany(
            "INSERT INTO invoice (id, invoice_number, customer_id, issue_date,"
            " due_date, amount, description) VALUES (?, ?, ?, ?, ?, ?, ?)",
            w.invoices,
        )
        conn.executemany(
            "INSERT INTO payment (id, payment_id, customer_id, date, amount,"
            " invoice_id, method, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            w.payments,
        )
        refresh_settled(db)
        save_settings(db, **DEMO_SETTINGS)
