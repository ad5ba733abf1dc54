"""The customer list, driven by keys on the demo books."""

from __future__ import annotations

from pathlib import Path

from conftest import make_app, settle, table_lines
from textual import events
from textual.widgets import Input

from flare_tui.books import Books
from flare_tui.tui.screens.customer_detail import CustomerDetailScreen
from flare_tui.tui.screens.customer_list import CustomerListScreen
from flare_tui.tui.widgets.customer_table import CustomerTable


def _where(books: Books) -> str:
    return books.where


async def test_filter_finds_emerald_with_her_figures(demo_books: Books) -> None:
    app = make_app(_where(demo_books), demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CustomerListScreen)
        await pilot.press("slash", "e", "m", "e", "r")
        table = app.screen.query_one(CustomerTable)
        assert [row.name for row in table.rows] == ["Emerald Chiang"]
        line = table_lines(pilot)[1]
        assert "Emerald Chiang" in line
        assert "$1,000.00" in line and "-63.6%" in line and "$1,024.00" in line
        assert line.split()[-2] == "3"  # unpaid invoices

        # Escape clears the filter: every customer is back.
        await pilot.press("escape")
        assert app.screen.query_one("#filter", Input).value == ""
        assert len(table.rows) == len(demo_books.customer_list(app.as_of).customers)


async def test_filter_by_id_and_typed_fast(demo_books: Books) -> None:
    app = make_app(_where(demo_books))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # All at once, as a paste or tmux send-keys delivers them.
        for key in ("slash", "c", "0", "0", "0", "1"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await pilot.pause()
        table = app.screen.query_one(CustomerTable)
        assert [row.summary.customer_id for row in table.rows] == ["C0001"]


async def test_sort_keys_order_the_rows(demo_books: Books) -> None:
    app = make_app(_where(demo_books))
    expected = demo_books.customer_list(app.as_of).customers
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)

        await pilot.press("p")
        paid = [row.summary.paid_this_year for row in table.rows]
        assert paid == sorted((c.paid_this_year for c in expected), reverse=True)
        await pilot.press("p")  # again: smallest first
        assert [row.summary.paid_this_year for row in table.rows] == sorted(paid)

        await pilot.press("u")
        unpaid = [row.summary.unpaid_total for row in table.rows]
        assert unpaid == sorted(unpaid, reverse=True)
        await pilot.press("v")
        assert [row.summary.unpaid_total for row in table.rows] == sorted(unpaid)

        await pilot.press("c")
        changes = [row.change for row in table.rows]
        known = [c for c in changes if c is not None]
        assert known == sorted(known, reverse=True)
        # "new" (nothing paid in the same period last year) tops the list.
        assert table.rows[0].change is None and table.rows[0].summary.paid_this_year

        await pilot.press("n")
        names = [row.name.casefold() for row in table.rows]
        assert names == sorted(names)


async def test_cursor_and_enter_open_the_customer_under_it(demo_books: Books) -> None:
    app = make_app(_where(demo_books))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CustomerTable)
        await pilot.press("down", "down")
        chosen = table.current
        assert chosen is not None and table.cursor == 2
        assert table_lines(pilot)[3].startswith("▶ ")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
        assert app.screen.customer_id == chosen.summary.customer_id


async def test_months_window_scrolls_at_80_columns(demo_books: Books) -> None:
    app = make_app(_where(demo_books))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = table_lines(pilot)[0]
        # The as-of month is shown; the money columns stay on screen.
        assert "Dec" in header and "Paid" in header and "Unpaid" in header
        assert "Jan" not in header
        for _ in range(11):
            await pilot.press("left")
        header = table_lines(pilot)[0]
        assert "Jan" in header and "Dec" not in header and "Unpaid" in header


async def test_empty_books_open_on_the_welcome(tmp_path: Path) -> None:
    books = Books.open(tmp_path / "empty.sqlite")
    app = make_app(books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#welcome").content)
        assert "flare import --customers" in text
        assert "flare --demo" in text
        await pilot.press("q")
    assert app.return_code == 0


async def test_books_that_cannot_open_show_a_titled_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(".dialog-title").content
        assert str(title) == "Cannot open the books"
        await pilot.press("escape", "q")
    assert app.return_code == 1
