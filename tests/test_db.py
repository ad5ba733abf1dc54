"""Opening the books: a real SQLite file, its settings, schema versioning and
the errors a person gets for a missing, foreign or newer database."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from builders import insert_rows, row_counts

from flare_tui.books import Books
from flare_tui.db import APPLICATION_ID, SCHEMA_VERSION, UPGRADES, resolve_target
from flare_tui.errors import BooksError, InputError


def _pragma(path: Path, name: str) -> object:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_new_books_are_versioned_wal_sqlite(db_path: Path) -> None:
    books = Books.open(db_path)
    assert db_path.exists()
    assert SCHEMA_VERSION == len(UPGRADES) >= 1
    assert _pragma(db_path, "user_version") == SCHEMA_VERSION
    assert _pragma(db_path, "application_id") == APPLICATION_ID
    assert _pragma(db_path, "journal_mode") == "wal"
    conn = books.db.connection()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert books.is_empty()
    books.close()


def test_money_is_stored_as_integer_cents(books: Books) -> None:
    insert_rows(
        books,
        [("C1", "Ada")],
        [("INV-1", "C1", "2026-01-01", "2026-01-31", "4310.48")],
        [("P1", "C1", "2026-01-02", "0.10"), ("P2", "C1", "2026-01-03", "0.20")],
    )
    conn = books.db.connection()
    types = conn.execute(
        "SELECT typeof(amount), amount FROM invoice UNION ALL"
        " SELECT typeof(SUM(amount)), SUM(amount) FROM payment"
    ).fetchall()
    assert types == [("integer", 431_048), ("integer", 30)]


def test_reopening_keeps_the_books(db_path: Path) -> None:
    books = Books.open(db_path)
    insert_rows(books, [("C1", "Ada")])
    books.close()
    again = Books.open(db_path, create=False)
    assert row_counts(again) == (1, 0, 0)
    assert not again.is_empty()
    again.close()


def test_missing_books_without_create_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BooksError, match="no books"):
        Books.open(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    with pytest.raises(BooksError, match="not a Flare database"):
        Books.open(path)
    # And it was not changed.
    assert _pragma(path, "user_version") == 0
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    assert tables == ["notes"]


def test_a_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database, just some words " * 50)
    with pytest.raises(BooksError):
        Books.open(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BooksError, match="folder"):
        Books.open(tmp_path)


def test_books_from_a_newer_flare_are_refused(db_path: Path) -> None:
    Books.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(BooksError, match="newer"):
        Books.open(db_path)


def test_flare_db_environment_and_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "env.sqlite"
    monkeypatch.setenv("FLARE_DB", str(target))
    assert resolve_target(None) == str(target)
    assert resolve_target(tmp_path / "x.sqlite") == str(tmp_path / "x.sqlite")
    books = Books.open(f"sqlite:///{tmp_path / 'url.sqlite'}")
    assert (tmp_path / "url.sqlite").exists()
    books.close()


def test_settings_round_trip_and_validate(books: Books) -> None:
    assert books.settings().fiscal_year_start == 1
    assert books.settings().currency_symbol == "$"
    books.update_settings(fiscal_year_start=4, currency_symbol="€")
    assert books.settings().fiscal_year_start == 4
    assert books.settings().currency_symbol == "€"
    with pytest.raises(InputError):
        books.update_settings(fiscal_year_start=13)
    with pytest.raises(InputError):
        books.update_settings(colour="red")
    assert books.settings().fiscal_year_start == 4


def test_two_books_open_at_once_keep_their_own_settings(tmp_path: Path) -> None:
    first = Books.open(tmp_path / "first.sqlite")
    first.update_settings(fiscal_year_start=4, business_name="First Ltd")
    insert_rows(first, [("C1", "Ada")])
    second = Books.open(tmp_path / "second.sqlite")
    assert second.settings().business_name != "First Ltd"
    assert second.is_empty()
    # The first books still read their own settings and rows.
    assert first.settings().business_name == "First Ltd"
    assert first.settings().fiscal_year_start == 4
    assert not first.is_empty()
    fy = first.customer_list(date(2026, 12, 3)).fiscal_year
    assert fy.label == "FY 2026/27"
    first.close()
    second.close()
