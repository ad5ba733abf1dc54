"""Shared fixtures: fresh books in a temporary SQLite file, hand-built books
from small lists of rows, and the demo books at a fixed as-of day."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from builders import DEMO_AS_OF, CustomerRow, InvoiceRow, PaymentRow, insert_rows
from smtp_server import mail_env, mail_settings, smtp_server  # noqa: F401 - fixtures

from flare_tui.books import Books
from flare_tui.demo import build_demo


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's books live: a fresh SQLite file in tmp_path."""
    return tmp_path / "books.sqlite"


@pytest.fixture
def books(db_path: Path) -> Iterable[Books]:
    """Empty books in a fresh SQLite file."""
    opened = Books.open(db_path)
    yield opened
    opened.close()


@pytest.fixture
def make_books(books: Books) -> Callable[..., Books]:
    """Build books by hand: make_books(customers=[...], invoices=[...], ...)."""

    def build(
        customers: Iterable[CustomerRow] = (),
        invoices: Iterable[InvoiceRow] = (),
        payments: Iterable[PaymentRow] = (),
    ) -> Books:
        insert_rows(books, customers, invoices, payments)
        return books

    return build


@pytest.fixture
def demo_books(tmp_path: Path) -> Iterable[Books]:
    """The demo books, built as if today were DEMO_AS_OF."""
    opened = Books.open(tmp_path / "demo.sqlite")
    build_demo(opened.db, DEMO_AS_OF)
    yield opened
    opened.close()
