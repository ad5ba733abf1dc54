"""A query that fails in a screen's worker opens a titled error dialog,
whichever screen started it, and the screen stops saying it is loading."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import make_app, settle, shown

from flare_tui.books import Books
from flare_tui.errors import UnknownCustomer
from flare_tui.tui.screens.customer_detail import CustomerDetailScreen
from flare_tui.tui.screens.customer_list import CustomerListScreen
from flare_tui.tui.screens.dialogs import ErrorDialog


async def _open_emerald_failing(pilot) -> ErrorDialog:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("slash", "e", "m", "e", "r", "enter")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ErrorDialog)
    return dialog


async def test_detail_of_unknown_customer_shows_titled_dialog(
    demo_books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(self: Books, customer_id: str, *args: object, **kw: object) -> None:
        raise UnknownCustomer(customer_id)

    monkeypatch.setattr(Books, "customer_detail", gone)
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_emerald_failing(pilot)
        assert dialog.title_text == "Unknown customer"
        assert "no customer with id 'C0001'" in dialog.text

        # The detail opens only with its figures: back on the list.
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerListScreen)


async def test_detail_on_locked_books_shows_titled_dialog(
    demo_books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: Books, *args: object, **kw: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Books, "customer_detail", locked)
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_emerald_failing(pilot)
        assert dialog.title_text == "The books could not be read"
        assert "locked by another program" in dialog.text


async def test_year_that_fails_to_load_keeps_the_year_shown(
    demo_books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "e", "m", "e", "r", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)

        def locked(self: Books, *args: object, **kw: object) -> None:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(Books, "customer_detail", locked)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert "locked by another program" in dialog.text

        await pilot.press("escape")
        assert app.screen is screen
        facts = screen.query_one("#detail-facts")
        assert "FY 2026" in shown(facts)  # type: ignore[arg-type]
        # Still on this year: ] says so rather than stepping "forward".
        assert screen.years_back == 0


async def test_whole_list_failing_shows_titled_dialog(
    demo_books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_page = Books.customer_list

    def locked_after_first_page(
        self: Books,
        as_of: object,
        start: int | None = None,
        customer_ids: object = None,
    ) -> object:
        # The first screenful (by id) arrives; the whole list does not.
        if customer_ids is None:
            raise sqlite3.OperationalError("database is locked")
        return first_page(self, as_of, start, customer_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(Books, "customer_list", locked_after_first_page)
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.title_text == "The books could not be read"
        assert "locked by another program" in dialog.text

        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, CustomerListScreen)
        status = shown(screen.query_one("#list-status"))
        assert "failed to load" in status and "loading every" not in status
