"""CSV import: good files land whole; every broken rule is named by
file:line:column and nothing at all is written."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from builders import row_counts, write_csv

from flare_tui.books import Books
from flare_tui.importer import MAX_ERRORS, ImportFailed, import_csv

AS_OF = date(2026, 6, 15)

HEADERS = {
    "customers": ["customer_id", "name", "email", "phone", "address"],
    "invoices": [
        "invoice_number",
        "customer_id",
        "issue_date",
        "due_date",
        "amount",
        "description",
    ],
    "payments": [
        "payment_id",
        "customer_id",
        "date",
        "amount",
        "invoice_number",
        "method",
        "reference",
    ],
}
# C1's address spans two lines, so C2's row starts on line 4.
GOOD = {
    "customers": [
        ["C1", "Søren & Daughters", "s@example.com", "+45 1", "1 Road\nTown"],
        ["C2", "=SUM(A1) Café", "", "", ""],
    ],
    "invoices": [
        ["INV-1", "C1", "2026-01-05", "2026-02-04", "100.00", "Work"],
        ["INV-2", "C2", "2026-02-01", "2026-03-01", "50.5", ""],
    ],
    "payments": [
        ["P1", "C1", "2026-01-20", "60.00", "INV-1", "card", "r1"],
        ["P2", "C2", "2026-02-10", "5", "", "", ""],
    ],
}
# Books that exist before each bad import: B1 with one invoice and payment.
BASE = {
    "customers": [["B1", "Base Ltd", "", "", ""]],
    "invoices": [["BINV-1", "B1", "2026-01-01", "2026-01-31", "70.00", ""]],
    "payments": [["BP1", "B1", "2026-01-10", "20.00", "BINV-1", "", ""]],
}


def _write_all(
    folder: Path, tables: dict, headers: dict | None = None
) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    headers = headers or HEADERS
    return {
        kind: write_csv(folder / f"{kind}.csv", headers[kind], rows)
        for kind, rows in tables.items()
    }


def _import(books: Books, paths: dict[str, Path]):
    return import_csv(books.db, **paths)


def _snapshot(books: Books) -> tuple:
    listing = books.customer_list(AS_OF)
    return (
        row_counts(books),
        listing.totals.paid_this_year,
        listing.totals.unpaid_total,
        [(c.customer_id, c.name) for c in listing.customers],
    )


@pytest.fixture
def base_books(books: Books, tmp_path: Path) -> Books:
    """Books holding BASE, imported through the real importer."""
    _import(books, _write_all(tmp_path / "base", BASE))
    return books


def test_good_files_import_whole(books: Books, tmp_path: Path) -> None:
    result = _import(books, _write_all(tmp_path / "in", GOOD))
    assert (result.customers, result.invoices, result.payments) == (2, 2, 2)
    assert row_counts(books) == (2, 2, 2)
    søren = books.customer("C1")
    assert søren.name == "Søren & Daughters"
    assert søren.address == "1 Road\nTown"
    assert books.customer("C2").name == "=SUM(A1) Café"
    rows = {c.customer_id: c for c in books.customer_list(AS_OF).customers}
    # INV-1: 100 - 60 = 40 outstanding; INV-2 50.50 with 5.00 on account.
    assert (rows["C1"].unpaid_invoices, rows["C1"].unpaid_total) == (1, 4_000)
    assert (rows["C2"].unpaid_invoices, rows["C2"].unpaid_total) == (1, 5_050)
    assert rows["C2"].paid_this_year == 500
    assert books.customer_detail("C2", AS_OF).balance == 4_550


def test_later_import_can_pay_invoices_already_in_the_books(
    base_books: Books, tmp_path: Path
) -> None:
    assert base_books.customer_list(AS_OF).customers[0].unpaid_total == 5_000
    payments = {"payments": [["BP2", "B1", "2026-02-01", "50.00", "BINV-1", "", ""]]}
    _import(base_books, _write_all(tmp_path / "more", payments))
    row = base_books.customer_list(AS_OF).customers[0]
    assert (row.unpaid_invoices, row.unpaid_total) == (0, 0)
    # Before the second payment's day the invoice was still partly open.
    early = base_books.customer_list(date(2026, 1, 31)).customers[0]
    assert (early.unpaid_invoices, early.unpaid_total) == (1, 5_000)


def test_byte_order_mark_and_crlf_are_accepted(books: Books, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    text = 'customer_id,name,address\r\nC1,Zoë,"1 Road\r\nTown"\r\nC2,Bob,\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = import_csv(books.db, customers=path)
    assert result.customers == 2
    assert books.customer("C1").name == "Zoë"
    assert books.customer("C1").address == "1 Road\nTown"
    assert books.customer("C2").name == "Bob"


def _mutate(kind: str, row: int, column: str, value: str) -> Callable[[dict], None]:
    def change(tables: dict) -> None:
        tables[kind][row][HEADERS[kind].index(column)] = value

    return change


# (case id, change to GOOD, file, line, column number, column name, words)
BAD_ROWS = [
    ("cust-id-empty", _mutate("customers", 1, "customer_id", ""),
     "customers.csv", 4, 1, "customer_id", "required"),
    ("cust-id-dup-file", _mutate("customers", 1, "customer_id", "C1"),
     "customers.csv", 4, 1, "customer_id", "this file"),
    ("cust-id-dup-books", _mutate("customers", 1, "customer_id", "B1"),
     "customers.csv", 4, 1, "customer_id", "in the books"),
    ("cust-name-empty", _mutate("customers", 1, "name", " "),
     "customers.csv", 4, 2, "name", "required"),
    ("inv-number-empty", _mutate("invoices", 1, "invoice_number", ""),
     "invoices.csv", 3, 1, "invoice_number", "required"),
    ("inv-number-dup-file", _mutate("invoices", 1, "invoice_number", "INV-1"),
     "invoices.csv", 3, 1, "invoice_number", "twice"),
    ("inv-number-dup-books", _mutate("invoices", 1, "invoice_number", "BINV-1"),
     "invoices.csv", 3, 1, "invoice_number", "in the books"),
    ("inv-customer-empty", _mutate("invoices", 1, "customer_id", ""),
     "invoices.csv", 3, 2, "customer_id", "required"),
    ("inv-customer-unknown", _mutate("invoices", 1, "customer_id", "C9"),
     "invoices.csv", 3, 2, "customer_id", "no customer"),
    ("inv-issue-feb-30", _mutate("invoices", 1, "issue_date", "2026-02-30"),
     "invoices.csv", 3, 3, "issue_date", "not a date"),
    ("inv-issue-empty", _mutate("invoices", 1, "issue_date", ""),
     "invoices.csv", 3, 3, "issue_date", "required"),
    ("inv-due-slashes", _mutate("invoices", 1, "due_date", "2026/03/01"),
     "invoices.csv", 3, 4, "due_date", "not a date"),
    ("inv-due-before-issue", _mutate("invoices", 1, "due_date", "2026-01-31"),
     "invoices.csv", 3, 4, "due_date", "before"),
    ("inv-amount-3-places", _mutate("invoices", 1, "amount", "50.505"),
     "invoices.csv", 3, 5, "amount", "2 decimal"),
    ("inv-amount-symbol", _mutate("invoices", 1, "amount", "$50.50"),
     "invoices.csv", 3, 5, "amount", "not an amount"),
    ("inv-amount-zero", _mutate("invoices", 1, "amount", "0.00"),
     "invoices.csv", 3, 5, "amount", "above 0"),
    ("inv-amount-negative", _mutate("invoices", 1, "amount", "-50.50"),
     "invoices.csv", 3, 5, "amount", "not an amount"),
    ("inv-amount-empty", _mutate("invoices", 1, "amount", ""),
     "invoices.csv", 3, 5, "amount", "required"),
    ("inv-amount-too-large", _mutate("invoices", 1, "amount", "1" + "0" * 20),
     "invoices.csv", 3, 5, "amount", "at most 9999999999.99"),
    ("pay-amount-too-large", _mutate("payments", 1, "amount", "10000000000.00"),
     "payments.csv", 3, 4, "amount", "at most"),
    ("pay-id-empty", _mutate("payments", 1, "payment_id", ""),
     "payments.csv", 3, 1, "payment_id", "required"),
    ("pay-id-dup-file", _mutate("payments", 1, "payment_id", "P1"),
     "payments.csv", 3, 1, "payment_id", "twice"),
    ("pay-id-dup-books", _mutate("payments", 1, "payment_id", "BP1"),
     "payments.csv", 3, 1, "payment_id", "in the books"),
    ("pay-customer-unknown", _mutate("payments", 1, "customer_id", "C9"),
     "payments.csv", 3, 2, "customer_id", "no customer"),
    ("pay-customer-empty", _mutate("payments", 1, "customer_id", ""),
     "payments.csv", 3, 2, "customer_id", "required"),
    ("pay-date-month-13", _mutate("payments", 1, "date", "2026-13-01"),
     "payments.csv", 3, 3, "date", "not a date"),
    ("pay-date-empty", _mutate("payments", 1, "date", ""),
     "payments.csv", 3, 3, "date", "required"),
    ("pay-amount-grouped", _mutate("payments", 1, "amount", "1,000.00"),
     "payments.csv", 3, 4, "amount", "not an amount"),
    ("pay-amount-zero", _mutate("payments", 1, "amount", "0"),
     "payments.csv", 3, 4, "amount", "above 0"),
    ("pay-invoice-other-customer", _mutate("payments", 1, "invoice_number", "INV-1"),
     "payments.csv", 3, 5, "invoice_number", "another customer"),
    ("pay-invoice-other-in-books", _mutate("payments", 1, "invoice_number", "BINV-1"),
     "payments.csv", 3, 5, "invoice_number", "another customer"),
    ("pay-invoice-unknown", _mutate("payments", 1, "invoice_number", "INV-404"),
     "payments.csv", 3, 5, "invoice_number", "no invoice"),
]  # fmt: skip


def _assert_named(
    failure: ImportFailed, file: str, line: int, column: int, name: str, words: str
) -> None:
    where = f"{file}:{line}:{column}" if column else f"{file}:{line}"
    report = failure.report()
    matching = [
        str(e)
        for e in failure.errors
        if str(e).startswith(where + " ") and f"({name})" in str(e)
    ]
    assert matching, f"no error at {where} ({name}) in:\n{report}"
    assert any(words.lower() in m.lower() for m in matching), report


@pytest.mark.parametrize(
    ("change", "file", "line", "column", "name", "words"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_row_is_named_and_nothing_is_written(
    base_books: Books,
    tmp_path: Path,
    change: Callable[[dict], None],
    file: str,
    line: int,
    column: int,
    name: str,
    words: str,
) -> None:
    before = _snapshot(base_books)
    tables = copy.deepcopy(GOOD)
    change(tables)
    with pytest.raises(ImportFailed) as failure:
        _import(base_books, _write_all(tmp_path / "bad", tables))
    _assert_named(failure.value, file, line, column, name, words)
    assert _snapshot(base_books) == before


# (case id, kind, header, file, line, column, column name, words)
BAD_HEADERS = [
    ("unknown-column", "customers", HEADERS["customers"] + ["fax"],
     "customers.csv", 1, 6, "fax", "unknown column"),
    ("unknown-invoice-column", "invoices", HEADERS["invoices"] + ["vat"],
     "invoices.csv", 1, 7, "vat", "unknown column"),
    ("missing-name", "customers", ["customer_id", "email", "phone", "address"],
     "customers.csv", 1, 0, "name", "missing"),
    ("missing-due", "invoices",
     ["invoice_number", "customer_id", "issue_date", "amount"],
     "invoices.csv", 1, 0, "due_date", "missing"),
    ("missing-date", "payments", ["payment_id", "customer_id", "amount"],
     "payments.csv", 1, 0, "date", "missing"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "header", "file", "line", "column", "name", "words"),
    [case[1:] for case in BAD_HEADERS],
    ids=[case[0] for case in BAD_HEADERS],
)
def test_bad_header_is_named_and_nothing_is_written(
    base_books: Books,
    tmp_path: Path,
    kind: str,
    header: list[str],
    file: str,
    line: int,
    column: int,
    name: str,
    words: str,
) -> None:
    before = _snapshot(base_books)
    width = len(header)
    rows = [["X"] * width]
    path = write_csv(tmp_path / f"{kind}.csv", header, rows)
    with pytest.raises(ImportFailed) as failure:
        import_csv(base_books.db, **{kind: path})
    _assert_named(failure.value, file, line, column, name, words)
    assert _snapshot(base_books) == before


def test_row_with_the_wrong_number_of_fields(base_books: Books, tmp_path: Path):
    before = _snapshot(base_books)
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,name\nC1,Ada\nC2,Bob,extra\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_csv(base_books.db, customers=path)
    assert [str(e) for e in failure.value.errors][0].startswith("customers.csv:3")
    assert "fields" in failure.value.report()
    assert _snapshot(base_books) == before


def test_semicolon_file_is_refused_with_a_clear_message(
    base_books: Books, tmp_path: Path
) -> None:
    before = _snapshot(base_books)
    path = tmp_path / "customers.csv"
    path.write_text("customer_id;name\nC1;Ada\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_csv(base_books.db, customers=path)
    message = failure.value.report()
    assert message.startswith("customers.csv:1")
    assert "semicolon" in message and "comma" in message
    assert _snapshot(base_books) == before


def test_latin1_file_is_refused_naming_the_line(
    base_books: Books, tmp_path: Path
) -> None:
    before = _snapshot(base_books)
    path = tmp_path / "customers.csv"
    path.write_bytes("customer_id,name\nC1,Ada\nC2,Zoë\n".encode("latin-1"))
    with pytest.raises(ImportFailed) as failure:
        import_csv(base_books.db, customers=path)
    message = failure.value.report()
    assert message.startswith("customers.csv:3")
    assert "UTF-8" in message
    assert _snapshot(base_books) == before


def test_every_error_of_every_file_in_one_report(
    base_books: Books, tmp_path: Path
) -> None:
    before = _snapshot(base_books)
    tables = copy.deepcopy(GOOD)
    _mutate("customers", 0, "name", "")(tables)
    _mutate("invoices", 0, "amount", "1.001")(tables)
    _mutate("invoices", 1, "issue_date", "2026-02-29")(tables)  # not a leap year
    _mutate("payments", 0, "date", "yesterday")(tables)
    with pytest.raises(ImportFailed) as failure:
        _import(base_books, _write_all(tmp_path / "bad", tables))
    where = [str(e).split(" ")[0] for e in failure.value.errors]
    assert "customers.csv:2:2" in where
    assert "invoices.csv:2:5" in where
    assert "invoices.csv:3:3" in where
    assert "payments.csv:2:3" in where
    assert _snapshot(base_books) == before


def test_error_report_stops_at_a_limit_and_counts_the_rest(
    books: Books, tmp_path: Path
) -> None:
    extra = 20
    rows = [[f"C{i}", ""] for i in range(MAX_ERRORS + extra)]
    path = write_csv(tmp_path / "customers.csv", ["customer_id", "name"], rows)
    with pytest.raises(ImportFailed) as failure:
        import_csv(books.db, customers=path)
    assert len(failure.value.errors) == MAX_ERRORS
    assert failure.value.more == extra
    assert f"{extra} more" in failure.value.report()
    assert str(MAX_ERRORS + extra) in str(failure.value)
    assert row_counts(books) == (0, 0, 0)


def test_no_file_named_is_an_error(books: Books) -> None:
    with pytest.raises(ImportFailed):
        import_csv(books.db)


def test_missing_file_is_an_error(books: Books, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_csv(books.db, customers=tmp_path / "nope.csv")
    assert "nope.csv" in failure.value.report()


def test_largest_amount_is_accepted_and_adds_up_exactly(
    books: Books, tmp_path: Path
) -> None:
    tables = copy.deepcopy(GOOD)
    _mutate("invoices", 0, "amount", "9999999999.99")(tables)
    _mutate("invoices", 1, "customer_id", "C1")(tables)
    _mutate("invoices", 1, "amount", "9999999999.99")(tables)
    _mutate("payments", 1, "customer_id", "C1")(tables)
    _import(books, _write_all(tmp_path / "big", tables))
    row = books.customer_list(AS_OF, customer_ids=["C1"]).customers[0]
    # Two invoices of 9,999,999,999.99 less 60.00 applied to the first.
    assert row.unpaid_total == 2 * 999_999_999_999 - 6_000


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        (b"customer_id,name,name\nC1,A,B\n", "customers.csv:1:3", "twice"),
        (b"", "customers.csv:1", "empty"),
        (b'customer_id,name\nC1,"Ada\n', "customers.csv:2", "CSV"),
        # A blank line is skipped but still counted.
        (b"customer_id,name\nC1,A\n\nC1,B\n", "customers.csv:4:1", "this file"),
        # A CRLF file whose first record spans three lines.
        (
            b'customer_id,name,address\r\nC1,A,"x\r\ny\r\nz"\r\nC2,,\r\n',
            "customers.csv:5:2",
            "required",
        ),
    ],
    ids=["duplicate-column", "empty-file", "open-quote", "blank-line", "crlf-lines"],
)
def test_malformed_files_are_named(
    base_books: Books, tmp_path: Path, content: bytes, where: str, words: str
) -> None:
    before = _snapshot(base_books)
    path = tmp_path / "customers.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as failure:
        import_csv(base_books.db, customers=path)
    matching = [str(e) for e in failure.value.errors if str(e).startswith(where)]
    assert matching, failure.value.report()
    assert any(words in m for m in matching), failure.value.report()
    assert _snapshot(base_books) == before
