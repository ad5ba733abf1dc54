"""A large import into empty books takes a faster path (indexes built at the
end, settled_on worked out in Python); it must leave the same books as the
slow path."""

from __future__ import annotations

import csv
import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from builders import write_csv

from flare_tui import fastpath
from flare_tui.books import Books, refresh_settled
from flare_tui.importer import import_csv

START = date(2026, 1, 1)


def _files(folder: Path, seed: int) -> dict[str, Path]:
    """Random books with the awkward cases: several payments on one day,
    partial and over-payments, payments on account, unpaid invoices."""
    rng = random.Random(seed)
    folder.mkdir()
    customers = [(f"C{n}", f"Customer {n}") for n in range(5)]
    invoices, payments = [], []
    for n in range(300):
        issued = START + timedelta(days=rng.randrange(60))
        cents = rng.randrange(100, 10_000)
        invoices.append(
            (f"I{n}", f"C{n % 5}", issued, issued + timedelta(30), cents / 100)
        )
        left = cents
        for _ in range(rng.randrange(4)):
            part = rng.choice((left, left // 2 + 1, left + 50, rng.randrange(1, 99)))
            day = issued + timedelta(days=rng.choice((0, 0, 1, 5, 40)))
            payments.append((f"C{n % 5}", day, part / 100, f"I{n}"))
            left = max(1, left - part)
    for _ in range(40):
        day = START + timedelta(days=rng.randrange(90))
        payments.append((f"C{rng.randrange(5)}", day, 12.34, ""))
    rows = [(f"P{n}", *p) for n, p in enumerate(rng.sample(payments, len(payments)))]
    return {
        "customers": write_csv(
            folder / "customers.csv", ("customer_id", "name"), customers
        ),
        "invoices": write_csv(
            folder / "invoices.csv",
            ("invoice_number", "customer_id", "issue_date", "due_date", "amount"),
            [
                (a, b, c.isoformat(), d.isoformat(), f"{e:.2f}")
                for a, b, c, d, e in invoices
            ],
        ),
        "payments": write_csv(
            folder / "payments.csv",
            ("payment_id", "customer_id", "date", "amount", "invoice_number"),
            [(a, b, c.isoformat(), f"{d:.2f}", e) for a, b, c, d, e in rows],
        ),
    }


def _settled(books: Books) -> list[tuple[str, str | None]]:
    return books.db.execute_sql(
        "SELECT invoice_number, settled_on FROM invoice ORDER BY invoice_number"
    ).fetchall()


def _indexes(books: Books) -> set[str]:
    return {
        row[0]
        for row in books.db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }


def test_bulk_settled_on_matches_the_sql_rule(books: Books, tmp_path: Path) -> None:
    import_csv(books.db, **_files(tmp_path / "in", seed=7))
    imported = _settled(books)
    with books.db.atomic():
        refresh_settled(books.db)
    assert _settled(books) == imported
    # The sample has settled and unsettled invoices, or it proves nothing.
    assert {day is None for _, day in imported} == {True, False}


def test_bulk_and_row_by_row_imports_give_the_same_books(tmp_path: Path) -> None:
    files = _files(tmp_path / "in", seed=11)
    bulk = Books.open(tmp_path / "bulk.sqlite")
    import_csv(bulk.db, **files)

    # Books that already hold an invoice take the row-by-row path.
    slow = Books.open(tmp_path / "slow.sqlite")
    first = write_csv(
        tmp_path / "first.csv",
        ("invoice_number", "customer_id", "issue_date", "due_date", "amount"),
        [("I-first", "CX", "2025-12-01", "2025-12-31", "1.00")],
    )
    someone = write_csv(
        tmp_path / "someone.csv", ("customer_id", "name"), [("CX", "Someone")]
    )
    import_csv(slow.db, customers=someone, invoices=first)
    import_csv(slow.db, **files)

    assert _settled(bulk) == [r for r in _settled(slow) if r[0] != "I-first"]
    assert _indexes(bulk) == _indexes(slow)
    as_of = date(2026, 3, 1)
    others = [
        row for row in slow.customer_list(as_of).customers if row.customer_id != "CX"
    ]
    assert list(bulk.customer_list(as_of).customers) == others


def test_customer_list_inside_a_transaction_sees_its_own_rows(
    books: Books, tmp_path: Path
) -> None:
    import_csv(books.db, **_files(tmp_path / "in", seed=3))
    as_of = date(2026, 3, 1)
    before = books.customer_list(as_of).totals
    with books.db.atomic():
        books.db.execute_sql(
            "INSERT INTO payment (payment_id, customer_id, date, amount, method,"
            " reference) SELECT 'P-new', id, '2026-02-01', 500, '', ''"
            " FROM customer LIMIT 1"
        )
        books.db.execute_sql(
            "INSERT INTO invoice (invoice_number, customer_id, issue_date,"
            " due_date, amount, description) SELECT 'I-new', id, '2026-02-01',"
            " '2026-02-02', 700, '' FROM customer LIMIT 1"
        )
        during = books.customer_list(as_of).totals
    assert during.paid_this_year == before.paid_this_year + 500
    assert during.unpaid_total == before.unpaid_total + 700


def _dump(books: Books) -> dict[str, list[tuple]]:
    return {
        table: books.db.execute_sql(f"SELECT * FROM {table} ORDER BY id").fetchall()
        for table in ("customer", "invoice", "payment")
    }


def test_fast_and_detailed_checks_write_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(tmp_path / "in", seed=5)
    outcomes: list[bool] = []
    for name in ("invoices", "payments"):
        check = getattr(fastpath, name)

        def spy(*args, _check=check):  # type: ignore[no-untyped-def]
            done = _check(*args)
            outcomes.append(done is not None)
            return done

        monkeypatch.setattr(fastpath, name, spy)
    fast = Books.open(tmp_path / "fast.sqlite")
    import_csv(fast.db, **files)
    assert outcomes == [True, True]

    # Quotes around every cell send the files through the detailed checks.
    quoted = {}
    for kind, path in files.items():
        quoted[kind] = tmp_path / f"quoted-{kind}.csv"
        with path.open(newline="") as source, quoted[kind].open("w") as out:
            csv.writer(out, quoting=csv.QUOTE_ALL).writerows(csv.reader(source))
    detailed = Books.open(tmp_path / "detailed.sqlite")
    import_csv(detailed.db, **quoted)
    assert outcomes == [True, True]
    assert _dump(fast) == _dump(detailed)
    assert len(_dump(fast)["payment"]) > 300


def test_foreign_keys_hold_and_are_back_on_after_an_import(
    books: Books, tmp_path: Path
) -> None:
    import_csv(books.db, **_files(tmp_path / "in", seed=13))
    conn = books.db.connection()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO payment (payment_id, customer_id, date, amount, method,"
            " reference) VALUES ('P-x', 999999, '2026-01-01', 1, '', '')"
        )
