"""The first screen of empty books: how to fill them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, VerticalScroll
from textual.widgets import Static

from ..widgets.books_header import BooksHeader
from ..widgets.keys_footer import KeysFooter
from .base import FlareScreen

WELCOME = """\
Welcome to Flare.

These books are empty: there is no customer, invoice or payment yet.

Import your own from CSV files (UTF-8, with a header row):

    flare import --customers customers.csv \\
                 --invoices invoices.csv --payments payments.csv

or look around in demo books first:

    flare --demo          (opens throwaway demo books)
    flare demo --db F     (writes demo books to the file F)

Then run flare again. Press q to quit, ? for help."""


class WelcomeScreen(FlareScreen[None]):
    """Says how to import customers, invoices and payments, or try the demo."""

    HELP = "These books are empty. Quit with q and import CSV files or try --demo."

    def __init__(self, where: str = "") -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        """Header, the welcome text, the keys."""
        yield BooksHeader()
        with VerticalScroll(id="welcome-body"), Center():
            text = Text(WELCOME)
            if self.where:
                text.append("\n\nBooks: ")
                text.append(self.where)  # a path: plain Text, not markup
            yield Static(text, id="welcome")
        yield KeysFooter()


class LoadingScreen(FlareScreen[None]):
    """Shown for the moment it takes to open the books."""

    def compose(self) -> ComposeResult:
        """Header, a line of text, the keys."""
        yield BooksHeader()
        yield Static(Text("Opening the books…"), id="loading")
        yield KeysFooter()
