"""The outbox screen: a send with the server down is reported, listed as
failed, and one retry after the server is back delivers exactly one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_app, settle, shown
from smtp_server import SENDER, SmtpServer
from test_reports import choose_preset, open_reports
from textual.widgets import Label, Static

from flare_tui.books import Books
from flare_tui.outbox import Outbox
from flare_tui.tui.screens.dialogs import ErrorDialog
from flare_tui.tui.screens.outbox import EntryDialog, OutboxScreen
from flare_tui.tui.screens.reports import ReportsScreen
from flare_tui.tui.widgets.outbox_table import OutboxTable


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


def table_rows(screen: OutboxScreen) -> list[str]:
    """The lines the outbox list draws: header, then one per send."""
    table = screen.query_one(OutboxTable)
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


async def test_failed_send_is_listed_then_retried_once(
    demo_books: Books, smtp_env: SmtpServer
) -> None:
    smtp_env.stop()
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot, "emer")
        await choose_preset(pilot, "this-fiscal-year")
        await pilot.press("e", "y")
        await settle(pilot)

        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.title_text == "The e-mail was not sent"
        assert "could not reach the mail server" in dialog.text
        assert "kept in the outbox as failed" in dialog.text
        await pilot.press("escape", "o")
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        rows = table_rows(screen)
        assert rows[0].split()[:3] == ["When", "Status", "Customer"]
        assert "▶" in rows[1] and "failed" in rows[1] and "Emerald" in rows[1]
        panel = shown(screen.query_one("#outbox-entry", Static))
        assert "Error: could not reach the mail server" in panel
        assert "1 failed" in shown(screen.query_one("#outbox-title", Label))

        smtp_env.start()
        await pilot.press("t")
        await settle(pilot)
        assert len(smtp_env.received) == 1
        assert "sent" in table_rows(screen)[1]
        (entry,) = Outbox(demo_books.db).entries()
        assert entry.status == "sent" and entry.attempts == 2
        assert smtp_env.received[0].message["Message-ID"] == entry.message_id

        # A sent entry is not sent again, however often t is pressed.
        await pilot.press("t")
        await settle(pilot)
        assert len(smtp_env.received) == 1

        await pilot.press("escape")
        assert isinstance(app.screen, ReportsScreen)


async def test_enter_shows_every_detail_of_a_send(
    demo_books: Books, smtp_env: SmtpServer
) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reports(pilot, "emer")
        await choose_preset(pilot, "last-month")
        await pilot.press("e", "y")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, EntryDialog)
        facts = shown(dialog.query_one("#entry-facts", Static))
        (entry,) = Outbox(demo_books.db).entries()
        assert entry.message_id in facts
        assert "2026-11-01 to 2026-11-30" in facts
        assert "250 OK" in facts and "emerald.chiang@example.com" in facts
        await pilot.press("escape")
        assert isinstance(app.screen, OutboxScreen)


async def test_empty_outbox_says_so(demo_books: Books) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutboxScreen)
        assert "Nothing has been e-mailed yet." in table_rows(screen)[1]
        # Nothing to retry: t is greyed out and does nothing.
        await pilot.press("t")
        assert isinstance(app.screen, OutboxScreen)
