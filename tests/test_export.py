"""CSV export writes the three import files back; import -> export -> import
gives the same books, byte for byte and figure for figure."""

from __future__ import annotations

import csv
from pathlib import Path

from builders import DEMO_AS_OF, row_counts, write_csv

from flare_tui.books import Books
from flare_tui.exporter import export_csv
from flare_tui.importer import import_csv

TRICKY_CUSTOMERS = [
    ["C1", "Søren & Daughters, \"The\" Best", "s@example.com", "+45 1", "1 Road\nTown"],
    ["C2", "=SUM(A1) Café", "", "", ""],
    ["C3", "山田商店 | *Ltd*", "", "", "Line 1\nLine 2\nLine 3"],
]  # fmt: skip
INVOICES = [
    ["INV-1", "C1", "2026-01-05", "2026-02-04", "100", "Work, with a comma"],
    ["INV-2", "C2", "2026-02-01", "2026-03-01", "50.5", ""],
    ["INV-3", "C3", "2026-02-01", "2026-02-01", "0.01", "Penny"],
]
PAYMENTS = [
    ["P1", "C1", "2026-01-20", "60.00", "INV-1", "card", 'ref "7"'],
    ["P2", "C2", "2026-02-10", "5", "", "", ""],
    ["P3", "C3", "2026-02-11", "1.00", "INV-3", "cash", ""],
]


def _files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    return {
        "customers": write_csv(
            folder / "customers.csv",
            ["customer_id", "name", "email", "phone", "address"],
            TRICKY_CUSTOMERS,
        ),
        "invoices": write_csv(
            folder / "invoices.csv",
            [
                "invoice_number",
                "customer_id",
                "issue_date",
                "due_date",
                "amount",
                "description",
            ],
            INVOICES,
        ),
        "payments": write_csv(
            folder / "payments.csv",
            [
                "payment_id",
                "customer_id",
                "date",
                "amount",
                "invoice_number",
                "method",
                "reference",
            ],
            PAYMENTS,
        ),
    }


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _reimport(paths: list[Path], target: Path) -> Books:
    books = Books.open(target)
    by_name = {p.stem: p for p in paths}
    import_csv(books.db, **by_name)
    return books


def test_export_writes_the_import_format(books: Books, tmp_path: Path) -> None:
    import_csv(books.db, **_files(tmp_path / "in"))
    paths = export_csv(books.db, tmp_path / "out")
    assert sorted(p.name for p in paths) == [
        "customers.csv",
        "invoices.csv",
        "payments.csv",
    ]
    customers = _read(tmp_path / "out" / "customers.csv")
    assert customers[0] == ["customer_id", "name", "email", "phone", "address"]
    assert customers[1:] == TRICKY_CUSTOMERS  # names kept exactly, no escaping
    invoices = _read(tmp_path / "out" / "invoices.csv")
    # Amounts come back with two decimals.
    assert [row[4] for row in invoices[1:]] == ["100.00", "50.50", "0.01"]
    payments = _read(tmp_path / "out" / "payments.csv")
    assert payments[2] == ["P2", "C2", "2026-02-10", "5.00", "", "", ""]
    assert payments[1][6] == 'ref "7"'


def test_import_export_import_is_exact(books: Books, tmp_path: Path) -> None:
    import_csv(books.db, **_files(tmp_path / "in"))
    first = export_csv(books.db, tmp_path / "out1")
    again = _reimport(first, tmp_path / "again.sqlite")
    second = export_csv(again.db, tmp_path / "out2")
    for one, two in zip(sorted(first), sorted(second), strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    assert row_counts(again) == row_counts(books) == (3, 3, 3)
    day = DEMO_AS_OF
    assert again.customer_list(day).customers == books.customer_list(day).customers
    again.close()


def test_demo_books_round_trip(demo_books: Books, tmp_path: Path) -> None:
    first = export_csv(demo_books.db, tmp_path / "out1")
    again = _reimport(first, tmp_path / "again.sqlite")
    second = export_csv(again.db, tmp_path / "out2")
    for one, two in zip(sorted(first), sorted(second), strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    assert row_counts(again) == row_counts(demo_books)
    for customer_id in ("C0001", "C0006", "C0012", "C0099"):
        left = demo_books.customer_detail(customer_id, DEMO_AS_OF)
        right = again.customer_detail(customer_id, DEMO_AS_OF)
        assert left.months == right.months
        assert left.receivable == right.receivable
        assert left.balance == right.balance
    assert (
        again.customer_list(DEMO_AS_OF).customers
        == demo_books.customer_list(DEMO_AS_OF).customers
    )
    again.close()


def test_export_of_empty_books_has_headers_only(books: Books, tmp_path: Path):
    paths = export_csv(books.db, tmp_path / "empty")
    first_column = {path.name: _read(path) for path in paths}
    assert first_column["customers.csv"][0][0] == "customer_id"
    assert first_column["invoices.csv"][0][0] == "invoice_number"
    assert first_column["payments.csv"][0][0] == "payment_id"
    assert all(len(rows) == 1 for rows in first_column.values())
