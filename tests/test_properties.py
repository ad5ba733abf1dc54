"""Property tests: on small random books, the SQL figures equal Decimal sums
worked out here in plain Python from the same rows, statements balance, aging
adds up, and import -> export -> import is exact."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from builders import insert_rows, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flare_tui.books import Books
from flare_tui.exporter import export_csv
from flare_tui.importer import import_csv
from flare_tui.periods import custom_period

FIRST_DAY = date(2024, 1, 1)
SPAN = 1100  # days of history the generated rows fall in
CENT = Decimal("0.01")
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@dataclass(frozen=True)
class Row:
    """A generated invoice or payment, in plain Python values."""

    ref: str
    customer: str
    day: date
    amount: Decimal
    due: date | None = None
    invoice: str | None = None


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[list[str], list[Row], list[Row]]:
    """1-3 customers, up to 8 invoices and 10 payments over three years."""
    customers = [f"C{i}" for i in range(draw(st.integers(1, 3)))]
    day = st.integers(0, SPAN).map(lambda n: FIRST_DAY + timedelta(days=n))
    cents = st.integers(1, 300_000).map(lambda n: Decimal(n) * CENT)
    invoices = []
    for i in range(draw(st.integers(0, 8))):
        issued = draw(day)
        invoices.append(
            Row(
                f"INV-{i}",
                draw(st.sampled_from(customers)),
                issued,
                draw(cents),
                due=issued + timedelta(days=draw(st.integers(0, 120))),
            )
        )
    payments = []
    for i in range(draw(st.integers(0, 10))):
        target = draw(st.none() | st.sampled_from(invoices)) if invoices else None
        customer = target.customer if target else draw(st.sampled_from(customers))
        payments.append(
            Row(
                f"P-{i}",
                customer,
                draw(day),
                draw(cents),
                invoice=target.ref if target else None,
            )
        )
    return customers, invoices, payments


def _reset_and_fill(books: Books, customers, invoices, payments) -> None:
    conn = books.db.connection()
    for table in ("payment", "invoice", "customer", "setting"):
        conn.execute(f"DELETE FROM {table}")
    insert_rows(
        books,
        [(code, f"Customer {code}") for code in customers],
        [
            (r.ref, r.customer, r.day.isoformat(), r.due.isoformat(), str(r.amount))
            for r in invoices
        ],
        [
            (r.ref, r.customer, r.day.isoformat(), str(r.amount), r.invoice)
            for r in payments
        ],
    )


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _fiscal_start(day: date, month: int) -> date:
    return date(day.year if day.month >= month else day.year - 1, month, 1)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def _outstanding(invoice: Row, payments: list[Row], day: date) -> Decimal:
    paid = sum(
        (p.amount for p in payments if p.invoice == invoice.ref and p.day <= day),
        Decimal(0),
    )
    return max(invoice.amount - paid, Decimal(0))


def _balance(code: str, invoices: list[Row], payments: list[Row], day: date):
    owed = sum((r.amount for r in invoices if r.customer == code and r.day <= day), 0)
    paid = sum((r.amount for r in payments if r.customer == code and r.day <= day), 0)
    return Decimal(owed) - Decimal(paid)


@FAST
@given(
    ledger=ledgers(),
    as_of_offset=st.integers(0, SPAN + 30),
    start_month=st.integers(1, 12),
)
def test_list_figures_equal_decimal_sums(
    books: Books, ledger, as_of_offset: int, start_month: int
) -> None:
    customers, invoices, payments = ledger
    _reset_and_fill(books, customers, invoices, payments)
    as_of = FIRST_DAY + timedelta(days=as_of_offset)
    this_start = _fiscal_start(as_of, start_month)
    last_start = _shift_year(this_start, -1)
    last_to_date = _shift_year(as_of, -1)
    rows = {r.customer_id: r for r in books.customer_list(as_of, start_month).customers}
    for code in customers:
        mine = [p for p in payments if p.customer == code and p.day <= as_of]
        months = []
        for index in range(12):
            year = this_start.year + (this_start.month - 1 + index) // 12
            month = (this_start.month - 1 + index) % 12 + 1
            months.append(
                sum(
                    (
                        p.amount
                        for p in mine
                        if (p.day.year, p.day.month) == (year, month)
                    ),
                    Decimal(0),
                )
            )
        this_year = sum((p.amount for p in mine if p.day >= this_start), Decimal(0))
        last_year = sum(
            (p.amount for p in mine if last_start <= p.day < this_start), Decimal(0)
        )
        ly_to_date = sum(
            (p.amount for p in mine if last_start <= p.day <= last_to_date),
            Decimal(0),
        )
        open_amounts = [
            _outstanding(i, payments, as_of)
            for i in invoices
            if i.customer == code and i.day <= as_of
        ]
        open_amounts = [a for a in open_amounts if a > 0]
        last_months = []
        for index in range(12):
            year = last_start.year + (last_start.month - 1 + index) // 12
            month = (last_start.month - 1 + index) % 12 + 1
            last_months.append(
                sum(
                    (
                        p.amount
                        for p in mine
                        if (p.day.year, p.day.month) == (year, month)
                    ),
                    Decimal(0),
                )
            )
        detail = books.customer_detail(code, as_of, start_month)
        assert [m.this_year for m in detail.months] == [_cents(m) for m in months]
        assert [m.last_year for m in detail.months] == [_cents(m) for m in last_months]
        assert detail.last_year_to_date == _cents(ly_to_date)
        row = rows[code]
        assert list(row.paid_by_month) == [_cents(m) for m in months]
        assert row.paid_this_year == _cents(this_year)
        assert row.paid_last_year == _cents(last_year)
        assert row.paid_last_year_to_date == _cents(ly_to_date)
        assert row.unpaid_invoices == len(open_amounts)
        assert row.unpaid_total == _cents(sum(open_amounts, Decimal(0)))


@FAST
@given(ledger=ledgers(), as_of_offset=st.integers(0, SPAN + 30))
def test_outstanding_aging_and_balance_equal_decimal_sums(
    books: Books, ledger, as_of_offset: int
) -> None:
    customers, invoices, payments = ledger
    _reset_and_fill(books, customers, invoices, payments)
    as_of = FIRST_DAY + timedelta(days=as_of_offset)
    for code in customers:
        owed = books.receivables(code, as_of)
        expected = {
            i.ref: _outstanding(i, payments, as_of)
            for i in invoices
            if i.customer == code and i.day <= as_of
        }
        expected = {ref: amount for ref, amount in expected.items() if amount > 0}
        got = {i.invoice_number: i.outstanding for i in owed.invoices}
        assert got == {ref: _cents(amount) for ref, amount in expected.items()}
        assert sum(owed.aging.as_tuple()) == owed.total
        assert owed.total == _cents(sum(expected.values(), Decimal(0)))
        overdue = sum(
            (
                _outstanding(i, payments, as_of)
                for i in invoices
                if i.ref in expected and i.due < as_of
            ),
            Decimal(0),
        )
        assert owed.overdue == _cents(overdue)
        detail = books.customer_detail(code, as_of)
        assert detail.balance == _cents(_balance(code, invoices, payments, as_of))


@FAST
@given(
    ledger=ledgers(),
    as_of_offset=st.integers(0, SPAN + 30),
    first=st.integers(-10, SPAN + 60),
    length=st.integers(0, 400),
)
def test_statement_closing_is_opening_plus_invoiced_less_paid(
    books: Books, ledger, as_of_offset: int, first: int, length: int
) -> None:
    customers, invoices, payments = ledger
    _reset_and_fill(books, customers, invoices, payments)
    as_of = FIRST_DAY + timedelta(days=as_of_offset)
    start = FIRST_DAY + timedelta(days=first)
    end = start + timedelta(days=length)
    for code in customers:
        statement = books.statement(code, custom_period(start, end), as_of)
        counted_to = min(end, as_of)
        assert statement.closing_balance == (
            statement.opening_balance + statement.total_invoiced - statement.total_paid
        )
        opening_day = min(start, counted_to + timedelta(days=1)) - timedelta(days=1)
        assert statement.opening_balance == _cents(
            _balance(code, invoices, payments, opening_day)
        )
        assert statement.closing_balance == _cents(
            _balance(code, invoices, payments, counted_to)
        )
        # Each line's running balance follows from the one before.
        running = statement.opening_balance
        for line in statement.lines:
            running += line.debit - line.credit
            assert line.balance == running
            assert start <= line.date <= counted_to
        keys = [(line.date, line.kind != "invoice", line.reference) for line in
                statement.lines]  # fmt: skip
        assert keys == sorted(keys)
        assert sum(statement.aging.as_tuple()) == sum(
            (
                _cents(_outstanding(i, payments, counted_to))
                for i in invoices
                if i.customer == code and i.day <= counted_to
            ),
            0,
        )


NAME_CHARS = st.sampled_from(list("abcXYZ éøü山,\"'=|*&-+@[]<>"))
TEXT = st.text(NAME_CHARS, min_size=1, max_size=12).filter(
    lambda s: s == s.strip() and "  " not in s
)


_PAIRS: dict[Path, tuple[Books, Books]] = {}


def _pair(folder: Path) -> tuple[Books, Books]:
    """Two books for one round-trip test, emptied for each example."""
    if folder not in _PAIRS:
        _PAIRS.clear()
        _PAIRS[folder] = (
            Books.open(folder / "first.sqlite"),
            Books.open(folder / "second.sqlite"),
        )
    for books in _PAIRS[folder]:
        conn = books.db.connection()
        for table in ("payment", "invoice", "customer", "setting"):
            conn.execute(f"DELETE FROM {table}")
    return _PAIRS[folder]


@FAST
@given(
    ledger=ledgers(),
    names=st.lists(TEXT, min_size=3, max_size=3),
    address=st.lists(TEXT, min_size=0, max_size=3),
    short_amounts=st.booleans(),
)
def test_import_export_import_round_trips(
    tmp_path: Path, ledger, names: list[str], address: list[str], short_amounts: bool
) -> None:
    customers, invoices, payments = ledger

    def amount(value: Decimal) -> str:
        # "12.5" and "12" are valid input too; export always writes 2 places.
        text = str(value)
        return text.rstrip("0").rstrip(".") if short_amounts else text

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        root = Path(folder)
        files = {
            "customers": write_csv(
                root / "c.csv",
                ["name", "customer_id", "address"],  # any column order
                [
                    (names[i], code, "\n".join(address))
                    for i, code in enumerate(customers)
                ],
            ),
            "invoices": write_csv(
                root / "i.csv",
                ["invoice_number", "customer_id", "issue_date", "due_date", "amount"],
                [(r.ref, r.customer, r.day, r.due, amount(r.amount)) for r in invoices],
            ),
            "payments": write_csv(
                root / "p.csv",
                ["payment_id", "customer_id", "date", "amount", "invoice_number"],
                [
                    (r.ref, r.customer, r.day, amount(r.amount), r.invoice or "")
                    for r in payments
                ],
            ),
        }
        first, second = _pair(tmp_path)
        import_csv(first.db, **files)
        exported = export_csv(first.db, root / "out1")
        import_csv(second.db, **{p.stem: p for p in exported})
        again = export_csv(second.db, root / "out2")
        for one, two in zip(exported, again, strict=True):
            assert one.read_bytes() == two.read_bytes()
        text = (root / "out1" / "customers.csv").read_text(encoding="utf-8")
        for i, code in enumerate(customers):
            assert second.customer(code).name == names[i]
            assert second.customer(code).address == "\n".join(address)
        assert text.count("\n") >= len(customers) + 1
        day = FIRST_DAY + timedelta(days=SPAN)
        assert first.customer_list(day).customers == second.customer_list(day).customers
