"""The `flare` command line on the demo books and on hand-built books: the
JSON of CONTRACT.md, spreadsheet-safe CSV, 80-column tables, one-line errors
and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from builders import row_counts, write_csv

from flare_tui.books import Books
from flare_tui.cli import main

AS_OF = ["--as-of", "2026-12-03"]


@pytest.fixture(autouse=True)
def _quiet_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Logs and user folders go to the test's own folder, never the real home.
    monkeypatch.setenv("FLARE_LOG", str(tmp_path / "flare.log"))
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("FLARE_DB", raising=False)


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Demo books written by `flare demo` as of 2026-12-03."""
    path = str(tmp_path / "demo.sqlite")
    assert main(["demo", "--db", path, *AS_OF]) == 0
    capsys.readouterr()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `flare argv...` in this process: (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors and --help
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _width(line: str) -> int:
    # Display cells: wide (CJK) characters take two.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_customers_json_seed_example(capsys, demo_db: str) -> None:
    code, out, _ = run(capsys, "customers", "--db", demo_db, *AS_OF, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2026-12-03"
    assert data["fiscal_year"] == {"start": "2026-01-01", "end": "2026-12-31"}
    emerald = next(c for c in data["customers"] if c["customer_id"] == "C0001")
    assert emerald["name"] == "Emerald Chiang"
    assert emerald["paid_by_month"] == ["500.00", "500.00"] + ["0.00"] * 10
    assert emerald["paid_this_year"] == "1000.00"
    assert emerald["paid_last_year"] == "2750.00"
    assert emerald["paid_last_year_to_date"] == "2750.00"
    assert emerald["unpaid_invoices"] == 3
    assert emerald["unpaid_total"] == "1024.00"
    dormant = next(c for c in data["customers"] if c["customer_id"] == "C0099")
    assert dormant["paid_this_year"] == "0.00"
    assert dormant.get("change_pct", None) is None


def test_customer_json_seed_example(capsys, demo_db: str) -> None:
    code, out, _ = run(
        capsys, "customer", "C0001", "--db", demo_db, *AS_OF, "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["customer_id"] == "C0001"
    assert len(data["months"]) == 12
    assert data["months"][0] == {
        **data["months"][0],
        "month": "2026-01",
        "this_year": "500.00",
        "last_year": "500.00",
        "change_pct": 0.0,
    }
    assert data["months"][2]["change_pct"] == -100.0  # March: 0 against 800
    assert data["months"][5]["change_pct"] is None  # June: nothing either year
    assert data["this_year_total"] == "1000.00"
    assert data["last_year_total"] == "2750.00"
    assert data["last_year_to_date"] == "2750.00"
    assert data["change_pct_to_date"] == -63.6
    receivable = data["receivable"]
    assert receivable["total"] == "1024.00"
    assert receivable["overdue"] == "1024.00"
    assert receivable["aging"] == {
        "current": "0.00",
        "1-30": "0.00",
        "31-60": "300.00",
        "61-90": "0.00",
        "90+": "724.00",
    }


def test_statement_json_seed_example(capsys, demo_db: str) -> None:
    code, out, _ = run(
        capsys,
        "statement",
        "C0001",
        "--preset",
        "last-fiscal-year",
        "--db",
        demo_db,
        *AS_OF,
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-12-31")
    assert data["opening_balance"] == "0.00"
    first = data["lines"][0]
    assert {k: first[k] for k in ("date", "kind", "reference", "debit", "credit")} == {
        "date": "2025-01-03",
        "kind": "invoice",
        "reference": "INV-000001",
        "debit": "500.00",
        "credit": "0.00",
    }
    assert first["balance"] == "500.00"
    assert data["total_invoiced"] == "2750.00"
    assert data["total_paid"] == "2750.00"
    assert data["closing_balance"] == "0.00"
    assert set(data["aging"].values()) == {"0.00"}


def test_last_year_zero_is_null_in_json_never_infinite(capsys, demo_db: str):
    # C0019 is a new customer: paid this year, nothing the year before.
    for customer_id, expected in (("C0019", None), ("C0099", None)):
        code, out, _ = run(
            capsys, "customer", customer_id, "--db", demo_db, *AS_OF,
            "--format", "json",
        )  # fmt: skip
        assert code == 0
        assert "Infinity" not in out and "NaN" not in out
        data = json.loads(out)
        assert data["last_year_to_date"] == "0.00"
        assert data["change_pct_to_date"] is expected
    assert data["receivable"]["total"] == "0.00"  # C0099 has no activity
    code, out, _ = run(capsys, "customers", "--db", demo_db, *AS_OF, "--format", "json")
    assert "Infinity" not in out and "NaN" not in out


def test_custom_statement_and_fiscal_year_override(capsys, demo_db: str) -> None:
    code, out, _ = run(
        capsys, "statement", "C0001", "--from", "2025-02-01", "--to", "2025-02-28",
        "--db", demo_db, *AS_OF, "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    # Opening: INV-000001 500.00 issued 3 Jan, paid 20 Jan.
    assert data["opening_balance"] == "0.00"
    assert [line["reference"] for line in data["lines"]][0] == "INV-000002"
    assert data["closing_balance"] == "0.00"
    code, out, _ = run(
        capsys, "customers", "--db", demo_db, *AS_OF, "--fiscal-year-start", "4",
        "--format", "json",
    )  # fmt: skip
    fy = json.loads(out)["fiscal_year"]
    assert fy == {"start": "2026-04-01", "end": "2027-03-31"}


def test_csv_is_safe_for_spreadsheets_and_numbers_stay_numbers(
    capsys, demo_db: str
) -> None:
    code, out, _ = run(capsys, "customers", "--db", demo_db, *AS_OF, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    header = rows[0]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_id["C0019"]["name"] == "'=SUM(A1) Consulting"
    emerald = by_id["C0001"]
    assert emerald["paid_this_year"] == "1000.00"
    assert emerald["unpaid_total"] == "1024.00"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
            if cell.startswith("-"):
                float(cell)  # only negative numbers may start with "-"


def test_statement_csv_negative_balance_stays_a_number(
    capsys, books: Books, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(folder / "c.csv", ["customer_id", "name"], [["C1", "-Minus Co"]])
    write_csv(
        folder / "p.csv",
        ["payment_id", "customer_id", "date", "amount"],
        [["P1", "C1", "2026-01-05", "12.50"]],
    )
    code, _, err = run(
        capsys, "import", "--db", str(db_path), "--customers", str(folder / "c.csv"),
        "--payments", str(folder / "p.csv"),
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(
        capsys, "statement", "C1", "--preset", "this-fiscal-year", "--db",
        str(db_path), *AS_OF, "--format", "csv",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[-1]["balance"] == "-12.50"
    code, out, _ = run(
        capsys, "customers", "--db", str(db_path), *AS_OF, "--format", "csv"
    )
    assert list(csv.DictReader(io.StringIO(out)))[0]["name"] == "'-Minus Co"


@pytest.mark.parametrize(
    "argv",
    [
        ["customers"],
        ["customers", "--fiscal-year-start", "4"],
        ["customer", "C0001"],
        ["customer", "C0008"],
        ["statement", "C0001", "--preset", "all-time"],
        ["statement", "C0008", "--preset", "last-fiscal-year"],
    ],
)
def test_tables_fit_80_columns(capsys, demo_db: str, argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv, "--db", demo_db, *AS_OF)
    assert code == 0
    assert out.strip()
    too_wide = [line for line in out.splitlines() if _width(line) > 80]
    assert too_wide == []


def test_customers_table_shows_the_seed_row(capsys, demo_db: str) -> None:
    _, out, _ = run(capsys, "customers", "--db", demo_db, *AS_OF)
    emerald = next(line for line in out.splitlines() if "Emerald Chiang" in line)
    assert "$1,000.00" in emerald and "$1,024.00" in emerald
    assert "-63.6%" in emerald
    assert emerald.split()[-2] == "3"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["customer", "C4040"], "C4040"),
        (["statement", "C0001", "--from", "2026-03-02", "--to", "2026-03-01"], "after"),
        (["statement", "C0001", "--from", "2026-02-30", "--to", "2026-03-01"], "date"),
        (["statement", "C0001", "--from", "2026-02-01"], "--to"),
        (["customers", "--fiscal-year-start", "13"], "1 to 12"),
        (["customers", "--as-of", "2026-02-30"], "YYYY-MM-DD"),
        (["statement", "C0001", "--preset", "next-year"], "next-year"),
    ],
)
def test_user_errors_are_short_and_exit_non_zero(
    capsys, demo_db: str, argv: list[str], words: str
) -> None:
    code, out, err = run(capsys, *argv, "--db", demo_db)
    assert code != 0
    assert "Traceback" not in err
    assert words in err
    assert out == ""
    # Our own errors are one line; argparse adds its usage lines above.
    if code == 1:
        assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["missing", "folder", "foreign", "garbage"])
def test_bad_databases_are_one_line_errors(capsys, tmp_path: Path, kind: str):
    import sqlite3

    target = tmp_path / "books.sqlite"
    if kind == "folder":
        target.mkdir()
    elif kind == "foreign":
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE other (x)")
    elif kind == "garbage":
        target.write_bytes(b"\x00\x01not sqlite at all" * 100)
    code, out, err = run(capsys, "customers", "--db", str(target), *AS_OF)
    assert code == 1
    assert out == ""
    assert err.startswith("flare: error: ")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    if kind == "missing":
        assert not target.exists()


def test_import_errors_exit_1_and_write_nothing(
    capsys, demo_db: str, tmp_path: Path
) -> None:
    before = row_counts(Books.open(demo_db))
    path = write_csv(
        tmp_path / "invoices.csv",
        ["invoice_number", "customer_id", "issue_date", "due_date", "amount"],
        [
            ["N-1", "C0001", "2026-01-01", "2026-01-31", "10.00"],
            ["N-2", "C0001", "2026-02-30", "2026-03-31", "$5"],
        ],
    )
    code, out, err = run(capsys, "import", "--db", demo_db, "--invoices", str(path))
    assert code == 1
    assert "invoices.csv:3:3 (issue_date)" in err
    assert "invoices.csv:3:5 (amount)" in err
    assert "Traceback" not in err
    assert row_counts(Books.open(demo_db)) == before


def test_import_then_export_from_the_command_line(
    capsys, tmp_path: Path, demo_db: str
) -> None:
    out_dir = tmp_path / "export"
    code, out, _ = run(capsys, "export", str(out_dir), "--db", demo_db)
    assert code == 0
    assert (out_dir / "customers.csv").exists()
    fresh = str(tmp_path / "fresh.sqlite")
    code, out, err = run(
        capsys, "import", "--db", fresh,
        "--customers", str(out_dir / "customers.csv"),
        "--invoices", str(out_dir / "invoices.csv"),
        "--payments", str(out_dir / "payments.csv"),
    )  # fmt: skip
    assert code == 0, err
    assert row_counts(Books.open(fresh)) == row_counts(Books.open(demo_db))
    _, left, _ = run(capsys, "customers", "--db", demo_db, *AS_OF, "--format", "json")
    _, right, _ = run(capsys, "customers", "--db", fresh, *AS_OF, "--format", "json")
    assert json.loads(left)["customers"] == json.loads(right)["customers"]


def test_demo_refuses_books_that_hold_anything(capsys, demo_db: str) -> None:
    before = row_counts(Books.open(demo_db))
    code, _, err = run(capsys, "demo", "--db", demo_db, *AS_OF)
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert row_counts(Books.open(demo_db)) == before


def test_help_explains_every_command(capsys) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("import", "export", "demo", "customers", "customer", "statement"):
        assert command in out
    code, out, _ = run(capsys, "statement", "--help")
    assert code == 0
    for word in ("--preset", "--from", "--to", "--format", "last-fiscal-year"):
        assert word in out


def test_python_m_flare_tui_runs_the_command_line(tmp_path: Path) -> None:
    env = dict(os.environ, FLARE_DB=str(tmp_path / "env.sqlite"))
    env["FLARE_LOG"] = str(tmp_path / "flare.log")
    demo = subprocess.run(
        [sys.executable, "-m", "flare_tui", "demo", *AS_OF],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    listing = subprocess.run(
        [sys.executable, "-m", "flare_tui", "customers", *AS_OF, "--format", "json"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)["customers"]
    assert any(r["name"] == "Emerald Chiang" for r in rows)


def test_locked_books_are_a_one_line_error(
    capsys, demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import flare_tui.db

    # Another program holds the write lock; do not wait the full 5 s for it.
    monkeypatch.setitem(flare_tui.db.PRAGMAS, "busy_timeout", 50)
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name"], [["N1", "New"]])
    other = sqlite3.connect(demo_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run(
            capsys, "import", "--db", demo_db, "--customers", str(path)
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1
    assert "locked" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
