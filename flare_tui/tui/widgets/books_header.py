"""The header of every screen: business, fiscal year shown and as-of day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from ..formatting import day_text, safe

if TYPE_CHECKING:
    from ..context import BooksContext


class BooksHeader(Horizontal):
    """One line: the business name, the fiscal year and as-of, DEMO if so.

    The business name is user text, so it goes in as a Text (never markup).
    """

    def compose(self) -> ComposeResult:
        """The three parts of the line."""
        yield Label(id="header-business")
        yield Label(id="header-period")
        yield Label(id="header-demo")

    def on_mount(self) -> None:
        """Fill in from the app's books, once they are open."""
        context: BooksContext | None = getattr(self.app, "context", None)
        if context is not None:
            self.show_books(context)

    def show_books(self, context: BooksContext, fiscal_year: str = "") -> None:
        """Show the books of `context`; `fiscal_year` overrides the year shown."""
        self.show(
            context.settings.business_name,
            fiscal_year or context.fiscal_year.label,
            context.as_of,
            context.demo,
        )

    def show(
        self, business: str, fiscal_year: str, as_of: date, demo: bool = False
    ) -> None:
        """Fill the header in."""
        self.query_one("#header-business", Label).update(
            safe(business or "Flare", "bold")
        )
        period = Text(f"{fiscal_year} · as of {day_text(as_of)}")
        self.query_one("#header-period", Label).update(period)
        # DEMO in words, not just a colour, so NO_COLOR users see it too.
        self.query_one("#header-demo", Label).update(
            Text(" DEMO BOOKS ", style="bold reverse") if demo else Text("")
        )
