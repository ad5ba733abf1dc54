"""The reports screen driven by keys on the demo books: pick a customer by
typing, a preset or a custom range, read the statement, save the PDF and
e-mail it to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pymupdf
import pytest
from conftest import make_app, settle, shown
from smtp_server import SENDER, SmtpServer
from textual.pilot import Pilot
from textual.widgets import Label, Static

from flare_tui.books import Books
from flare_tui.outbox import Outbox
from flare_tui.periods import PRESETS
from flare_tui.tui.screens.confirm import ConfirmSend
from flare_tui.tui.screens.customer_detail import CustomerDetailScreen
from flare_tui.tui.screens.dialogs import ErrorDialog
from flare_tui.tui.screens.reports import ReportsScreen
from flare_tui.tui.widgets.statement_view import StatementView

EMERALD_EMAIL = "emerald.chiang@example.com"


def view_lines(screen: ReportsScreen) -> list[str]:
    """The statement lines on screen now, as a person reads them."""
    view = screen.query_one(StatementView)
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


def all_view_lines(screen: ReportsScreen) -> list[str]:
    """Every line of the statement, scrolling through it."""
    view = screen.query_one(StatementView)
    return [view._cells(row).rstrip() for row in view.rows]


async def open_reports(pilot: Pilot[object], text: str) -> ReportsScreen:
    """From the list, r and a customer picked by typing `text`."""
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    await pilot.press(*text)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def choose_preset(pilot: Pilot[object], preset: str) -> None:
    """In the period list: to the top, down to the preset, Enter."""
    await pilot.press("home", *["down"] * PRESETS.index(preset), "enter")
    await settle(pilot)


async def test_last_fiscal_year_statement_of_emerald(demo_books: Books) -> None:
    app = make_app(demo_books.where, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, "emer")
        await choose_preset(pilot, "last-fiscal-year")

        blocks = shown(screen.query_one("#statement-blocks", Static))
        assert "Emerald Chiang (C0001)" in blocks
        assert "last-fiscal-year (2025-01-01 to 2025-12-31)" in blocks
        assert "Northwind Studio Supplies" in blocks

        lines = view_lines(screen)
        assert lines[0].split()[:3] == ["Date", "Reference", "Status"]
        assert lines[1].split() == ["2025-01-01", "Opening", "balance", "$0.00"]
        first = lines[2].split()
        assert first[:4] == ["2025-01-03", "INV-000001", "paid", "$500.00"]

        await pilot.press("end")
        await pilot.pause()
        bottom = "\n".join(view_lines(screen))
        assert "Closing balance" in bottom and "90+" in bottom
        closing = next(x for x in view_lines(screen) if "Closing balance" in x)
        assert closing.split() == ["2025-12-31", "Closing", "balance", "$0.00"]
        totals = next(x for x in all_view_lines(screen) if "Totals" in x)
        assert totals.split() == ["Totals", "$2,750.00", "$2,750.00"]


async def test_this_year_shows_open_and_overdue_invoices(demo_books: Books) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, "emer")
        await choose_preset(pilot, "this-fiscal-year")
        blocks = shown(screen.query_one("#statement-blocks", Static))
        assert "counted up to 2026-12-03" in blocks
        assert "closing $1,024.00" in blocks
        lines = all_view_lines(screen)
        statuses = {line.split()[1]: line.split()[2] for line in lines[1:-10]}
        assert "overdue" in statuses.values()
        assert "$1,024.00" in next(x for x in lines if "Closing balance" in x)

        # d changes the period, c the customer; the other one is kept.
        await pilot.press("d")
        await choose_preset(pilot, "all-time")
        assert "all-time (up to 2026-12-03)" in shown(
            screen.query_one("#statement-blocks", Static)
        )
        await pilot.press("c", *"fjord")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        blocks = shown(screen.query_one("#statement-blocks", Static))
        assert "Fjordside Fisheries" in blocks and "all-time" in blocks


async def test_custom_range_is_checked_next_to_the_fields(demo_books: Books) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, "emer")
        await pilot.press("end", "enter")  # "custom range", the last choice
        error_to = screen.query_one("#custom-to-error", Label)
        error_from = screen.query_one("#custom-from-error", Label)

        await pilot.press("ctrl+u", *"2026-13-01", "enter")
        assert "not a date" in shown(error_from)
        await pilot.press("ctrl+u", *"2026-05-01", "enter")
        assert shown(error_from) == ""

        await pilot.press("ctrl+u", *"2026-04-01", "enter")
        await settle(pilot)
        assert "before from (2026-05-01)" in shown(error_to)
        assert screen.statement is None  # nothing shown, nothing crashed

        await pilot.press("ctrl+u", *"2026-06-30", "enter")
        await settle(pilot)
        assert screen.statement is not None
        blocks = shown(screen.query_one("#statement-blocks", Static))
        assert "For  2026-05-01 to 2026-06-30" in blocks


async def test_p_saves_the_pdf_in_the_exports_folder(
    demo_books: Books, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports = tmp_path / "exports"
    monkeypatch.setenv("FLARE_EXPORTS", str(exports))
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot, "emer")
        await choose_preset(pilot, "last-fiscal-year")
        await pilot.press("p")
        await settle(pilot)

        (pdf,) = exports.glob("*.pdf")
        assert "Emerald" in pdf.name and "2025-01-01_2025-12-31" in pdf.name
        with pymupdf.open(pdf) as doc:
            text = "".join(page.get_text() for page in doc)
        assert "Emerald Chiang" in text and "INV-000001" in text
        messages = [n.message for n in app._notifications]
        assert any(str(pdf) in m for m in messages)


@pytest.fixture
def smtp_env(
    smtp_server: SmtpServer, mail_env: Path, monkeypatch: pytest.MonkeyPatch
) -> SmtpServer:
    """The app's mail settings point at the test server, no login."""
    monkeypatch.setenv("FLARE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FLARE_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("FLARE_SMTP_SECURITY", "none")
    monkeypatch.setenv("FLARE_SMTP_FROM", SENDER)
    monkeypatch.setenv("FLARE_SMTP_TIMEOUT", "5")
    return smtp_server


async def open_emerald_detail(pilot: Pilot[object]) -> None:
    """The customer list, /emer, Enter twice: Emerald's detail."""
    await settle(pilot)
    await pilot.press("slash", *"emer", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CustomerDetailScreen)


async def test_e_on_the_detail_confirms_then_sends_once(
    demo_books: Books, smtp_env: SmtpServer
) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_emerald_detail(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmSend)
        facts = shown(dialog.query_one("#confirm-facts", Static))
        assert EMERALD_EMAIL in facts and "this-fiscal-year" in facts
        assert smtp_env.received == []  # nothing before the answer

        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        assert len(smtp_env.received) == 1
        message = smtp_env.received[0].message
        assert message["To"] == EMERALD_EMAIL
        assert "2026-01-01 to 2026-12-03" in message["Subject"]
        (entry,) = Outbox(demo_books.db).entries()
        assert entry.status == "sent" and entry.recipient == EMERALD_EMAIL
        assert message["Message-ID"] == entry.message_id


async def test_n_sends_nothing(demo_books: Books, smtp_env: SmtpServer) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot, "emer")
        await choose_preset(pilot, "this-month")
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmSend)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        assert smtp_env.received == []
        assert Outbox(demo_books.db).entries() == ()


async def test_s_on_the_detail_opens_this_fiscal_year(demo_books: Books) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_emerald_detail(pilot)
        await pilot.press("left_square_bracket")  # the detail shows FY 2025
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        blocks = shown(screen.query_one("#statement-blocks", Static))
        assert "last-fiscal-year (2025-01-01 to 2025-12-31)" in blocks
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerDetailScreen)


async def test_missing_mail_settings_are_explained(
    demo_books: Books, mail_env: Path
) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot, "emer")
        await choose_preset(pilot, "this-month")
        await pilot.press("e", "y")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert app.screen.title_text == "E-mail settings"
        assert "FLARE_SMTP_HOST" in app.screen.text
        assert Outbox(demo_books.db).entries() == ()


def test_reports_snapshot(snap_compare, demo_books: Books) -> None:  # noqa: ANN001
    async def statement(pilot: Pilot[object]) -> None:
        await open_reports(pilot, "emer")
        await choose_preset(pilot, "this-fiscal-year")

    app = make_app(demo_books.where, demo=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=statement)


async def test_a_5000_line_statement_pages_without_skipping(
    make_books: Callable[..., Books],
) -> None:
    start = date(2025, 1, 1)
    invoices = [
        (
            f"INV-{i:06d}",
            "B1",
            (start + timedelta(days=i % 600)).isoformat(),
            (start + timedelta(days=i % 600 + 30)).isoformat(),
            "100.00",
        )
        for i in range(2500)
    ]
    payments = [
        (
            f"PAY-{i:06d}",
            "B1",
            (start + timedelta(days=i % 600 + 5)).isoformat(),
            "60.00",
        )
        for i in range(2500)
    ]
    books = make_books(
        customers=[("B1", "Big Buyer Ltd", "big@example.com", "", "")],
        invoices=invoices,
        payments=payments,
    )
    app = make_app(books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, "big")
        await choose_preset(pilot, "all-time")
        assert screen.statement is not None and len(screen.statement.lines) == 5000

        before = view_lines(screen)
        await pilot.press("pagedown")
        after = view_lines(screen)
        # The header stays; the first row of the new page follows the last
        # row of the old one.
        assert after[0] == before[0]
        rows = all_view_lines(screen)
        assert after[1] == rows[rows.index(before[-1]) + 1]

        await pilot.press("end")
        await pilot.pause()
        bottom = view_lines(screen)
        assert bottom[-1].split()[0] == "90+"  # the last line is reached
        closing = next(x for x in bottom if "Closing balance" in x)
        assert closing.split()[-1] == "$100,000.00"  # 2,500 x (100 - 60)


async def test_hostile_names_show_literally(make_books: Callable[..., Books]) -> None:
    name = "Weird [/] name\x1b]0;pwned\x07 *Acme* | Pipes"
    books = make_books(
        customers=[("H1", name, "h@example.com", "", "[b]Road[/b]")],
        invoices=[("[red]INV[/]", "H1", "2026-11-01", "2026-11-30", "10.00")],
    )
    app = make_app(books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot, "weird")
        await choose_preset(pilot, "this-fiscal-year")
        blocks = shown(screen.query_one("#statement-blocks", Static))
        assert "Weird [/] name" in blocks and "\x1b" not in blocks
        assert "*Acme* | Pipes" in blocks and "[b]Road[/b]" in blocks
        assert any("[red]INV[/]" in line for line in view_lines(screen))
