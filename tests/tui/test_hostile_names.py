"""Customer names that look like markup or carry escape sequences show
literally and never reach the terminal as control sequences."""

from __future__ import annotations

from collections.abc import Callable

from conftest import make_app, settle, shown, table_lines
from textual.widgets import Label, Static

from flare_tui.books import Books
from flare_tui.tui.screens.customer_detail import CustomerDetailScreen

HOSTILE = [
    ("H1", "Weird [/] name"),
    ("H2", "[link=x]click me[/link]"),
    ("H3", "*Acme* | Pipes"),
    ("H4", "[bold red]Loud[/] Ltd"),
    ("H5", "Title\x1b]0;pwned\x07 Grabber"),
    ("H6", "Clip\x1b]52;c;ZXZpbA==\x07board Co"),
    ("H7", "Red\x1b[31m Paint\x9b2J Inc"),
]


async def test_hostile_names_show_literally(
    make_books: Callable[..., Books],
) -> None:
    books = make_books(
        customers=[
            (code, name, "a@b.example", "", "1 [i]Road[/i]\nTown")
            for code, name in HOSTILE
        ],
        invoices=[
            (f"INV-{code}-[b]", code, "2026-01-10", "2026-02-09", "120.00")
            for code, _ in HOSTILE
        ],
        payments=[("P1", "H1", "2026-02-01", "20.00", "INV-H1-[b]")],
    )
    app = make_app(books.where)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lines = "\n".join(table_lines(pilot))
        for text in ("Weird [/] name", "[link=x]click me", "*Acme* | Pipes"):
            assert text in lines
        assert "[bold red]Loud[/] Ltd" in lines
        assert "Title Grabber" in lines and "Clipboard Co" in lines
        assert "Red Paint" in lines and "2J Inc" in lines
        assert not any(ch in lines for ch in "\x1b\x07\x9b")

        for code, _ in HOSTILE:
            await pilot.press("slash", *code.lower(), "enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CustomerDetailScreen)
            texts = [shown(label) for label in screen.query(Label)]
            texts += [shown(static) for static in screen.query(Static)]
            assert not any(ch in t for t in texts for ch in "\x1b\x07\x9b")
            assert "[b]" in shown(screen.query_one("#detail-tables", Static))
            assert "1 [i]Road[/i], Town" in shown(screen.query_one("#detail-facts"))
            await pilot.press("escape", "escape")
