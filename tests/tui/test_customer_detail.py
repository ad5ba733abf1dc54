"""The customer detail: year on year, stepping years, comparison, back."""

from __future__ import annotations

from conftest import make_app, settle, shown
from textual.widgets import Label, Static

from flare_tui.books import Books
from flare_tui.tui.screens.customer_detail import CustomerDetailScreen
from flare_tui.tui.screens.customer_list import CustomerListScreen
from flare_tui.tui.widgets.books_header import BooksHeader
from flare_tui.tui.widgets.year_bars import YearBars


async def _open_emerald(pilot) -> CustomerDetailScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("slash", "e", "m", "e", "r", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerDetailScreen)
    return screen


def _facts(screen: CustomerDetailScreen) -> list[str]:
    """Name, contact and to-date lines, as read on screen."""
    return shown(screen.query_one("#detail-facts", Static)).splitlines()


def _tables(screen: CustomerDetailScreen) -> str:
    """Legend, month table and receivables, as read on screen."""
    return shown(screen.query_one("#detail-tables", Static))


async def test_detail_compares_this_year_with_last(demo_books: Books) -> None:
    app = make_app(demo_books.where, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_emerald(pilot)
        name, contact, to_date = _facts(screen)
        assert name.startswith("Emerald Chiang")
        assert "emerald.chiang@example.com" in contact
        assert "-63.6% to date" in to_date

        bars = screen.query_one(YearBars)
        last_months = [m for m, v in zip(bars.labels, bars.last, strict=True) if v]
        this_months = [m for m, v in zip(bars.labels, bars.this, strict=True) if v]
        assert last_months == ["Jan", "Feb", "Mar", "Apr"]
        assert this_months == ["Jan", "Feb"]
        legend, _, months = _tables(screen).partition("Month by month")
        assert "▒▒ FY 2025" in legend and "██ FY 2026" in legend

        months, _, owed = months.partition("Owed at")
        assert "FY 2025" in months
        lines = months.splitlines()
        jan = next(line for line in lines if line.startswith("Jan"))
        assert jan.split() == ["Jan", "$500.00", "$500.00", "0.0%"]
        to_date = next(line for line in lines if line.startswith("To 3 Dec"))
        assert to_date.split()[-1] == "-63.6%"
        assert "$1,024.00" in owed and "90+" in owed
        invoice = next(line for line in owed.splitlines() if "INV-000007" in line)
        assert invoice.split()[-1] == "$400.00"


async def test_brackets_step_fiscal_years_and_escape_goes_back(
    demo_books: Books,
) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_emerald(pilot)
        header = screen.query_one(BooksHeader)

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "FY 2025" in shown(header.query_one("#header-period", Label))
        assert "FY 2025" in _facts(screen)[2]
        assert screen.detail is not None and screen.detail.this_year_total == 275000

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "FY 2026" in shown(header.query_one("#header-period", Label))
        # There is no later year than the as-of day's: it stays put.
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.years_back == 0

        await pilot.press("escape")
        assert isinstance(app.screen, CustomerListScreen)


async def test_c_toggles_the_comparison(demo_books: Books) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_emerald(pilot)
        await pilot.press("c")
        assert "last year" not in _tables(screen)
        assert "FY 2025" not in _tables(screen)
        assert "to date" not in _facts(screen)[2]
        await pilot.press("c")
        assert "last year" in _tables(screen)


async def test_help_lists_the_keys_of_the_screen(demo_books: Books) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_emerald(pilot)
        await pilot.press("question_mark")
        keys = shown(app.screen.query_one("#help-keys", Static))
        for words in ("Earlier year", "Later year", "Compare on/off", "Back"):
            assert words in keys
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerDetailScreen)


async def test_command_palette_offers_the_screen_actions(demo_books: Books) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Filter", "Sort: by paid", "Open"} <= titles


async def test_next_customer_refills_the_same_screen_from_this_year(
    demo_books: Books,
) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await _open_emerald(pilot)
        await pilot.press("left_square_bracket", "c")
        await settle(pilot)
        assert "FY 2025" in _facts(first)[2]
        await pilot.press("escape", "escape")
        await pilot.press("slash", *"fjord", "enter")
        await settle(pilot)

        assert app.screen is first  # kept, not composed again
        name, _, to_date = _facts(first)
        assert name.startswith("Fjordside Fisheries")
        # A new customer starts on the as-of year, compared with last.
        assert "FY 2026" in to_date and "to date" in to_date
        assert "INV-000007" not in _tables(first)  # Emerald's open invoice
