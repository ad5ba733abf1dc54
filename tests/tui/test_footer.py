"""At 80 columns the footer of every screen shows all of its keys: none is
cut off or scrolled out of sight."""

from __future__ import annotations

from conftest import make_app, settle
from textual.pilot import Pilot
from textual.widgets import Footer

from flare_tui.books import Books
from flare_tui.tui.screens.customer_detail import CustomerDetailScreen
from flare_tui.tui.screens.outbox import OutboxScreen
from flare_tui.tui.screens.reports import ReportsScreen


async def footer_words(pilot: Pilot[object]) -> str:
    """The footer as read on screen; fails if any key lies past column 80."""
    await pilot.pause()  # the footer recomposes after the bindings change
    footer = pilot.app.screen.query_one(Footer)
    palette = footer.query_one(".-command-palette")
    assert palette.region.right <= 80
    words = []
    for item in footer.query("FooterKey, FooterLabel"):
        if item is palette:
            continue
        assert item.region.width > 0, f"{item!r} has no room"
        # Not hidden under the palette key docked at the right edge.
        assert item.region.right <= palette.region.x, f"{item!r} is cut off"
        # The words the item draws (FooterKey is not public API: no isinstance).
        words.append(str(item.render()).strip())
    return " ".join(words)


async def test_every_screen_shows_all_its_keys_at_80_columns(
    demo_books: Books,
) -> None:
    app = make_app(demo_books.where)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        on_list = await footer_words(pilot)
        for words in ("⏎ Open", "/ Filter", "Sort", "q Quit", "? Help"):
            assert words in on_list
        assert "r Reports" in on_list and "o Outbox" in on_list

        await pilot.press("slash")
        typing = await footer_words(pilot)
        assert "esc Clear" in typing and "⏎ Open" in typing, typing

        await pilot.press("e", "m", "e", "r", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetailScreen)
        on_detail = await footer_words(pilot)
        for words in ("esc Back", "Year", "c Compare", "s Statement", "e Mail"):
            assert words in on_detail
        assert "q Quit" in on_detail and "o Outbox" in on_detail

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        on_reports = await footer_words(pilot)
        for words in ("c Customer", "d Period", "p PDF", "e Mail", "o Outbox"):
            assert words in on_reports
        assert "q Quit" in on_reports and "? Help" in on_reports

        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)
        on_outbox = await footer_words(pilot)
        assert "t Retry" in on_outbox and "q Quit" in on_outbox
        assert "o Outbox" not in on_outbox  # already here
