"""The Flare terminal app. It only wires: screens, keys, workers, errors.

The CLI calls `run_tui`. Screens live in `screens/`, one per module; the
books are only ever asked questions in thread workers.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from datetime import date
from functools import partial

import peewee as pw
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from ..books import Books
from ..db import explain_db_error
from ..errors import FlareError
from .context import BooksContext
from .messages import BooksOpened
from .screens.customer_list import CustomerListScreen
from .screens.dialogs import ErrorDialog, HelpDialog
from .screens.welcome import LoadingScreen, WelcomeScreen
from .stylesheets import stylesheet_paths

log = logging.getLogger(__name__)

#: Customers fetched (by name) for the first screenful, before the full list.
FIRST_PAGE = 60


class FlareApp(App[int]):
    """Customer payments year on year, receivables and aging, by keyboard."""

    TITLE = "Flare"
    CSS_PATH = stylesheet_paths()
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help"),
        Binding("r", "reports", "Reports", id="app.reports"),
        Binding("o", "outbox", "Outbox", id="app.outbox"),
    ]

    def __init__(
        self,
        target: str | None,
        as_of: date,
        fiscal_year_start: int | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.target = target
        self.as_of = as_of
        self.fiscal_year_start_override = fiscal_year_start
        self.demo = demo
        self.context: BooksContext | None = None

    def get_default_screen(self) -> Screen[None]:
        """A header and "Opening the books…" until the first rows arrive."""
        return LoadingScreen()

    def on_mount(self) -> None:
        """Open the books off the UI thread."""
        self.open_books()

    @work(thread=True, exit_on_error=False, group="open")
    def open_books(self) -> None:
        """Open the books, read the settings and a first screenful of rows."""
        books = Books.open(self.target)
        try:
            settings = books.settings()
            start = books.fiscal_year_start(self.fiscal_year_start_override)
            first_page = None
            if not books.is_empty():
                # A screenful by name costs ~40 ms even on a million invoices;
                # the whole list (seconds there) follows in the list's worker.
                names = books.find_customers("", limit=FIRST_PAGE)
                first_page = books.customer_list(
                    self.as_of, start, [c.customer_id for c in names]
                )
        finally:
            books.close()  # this thread's connection; workers open their own
        self.post_message(BooksOpened(books, settings, start, first_page))

    def on_books_opened(self, message: BooksOpened) -> None:
        """Show the list, or the welcome when the books are empty."""
        self.context = BooksContext(
            message.books,
            message.settings,
            self.as_of,
            message.fiscal_year_start,
            self.demo,
        )
        if message.first_page is None:
            self.push_screen(WelcomeScreen(message.books.where))
        else:
            self.push_screen(CustomerListScreen(self.context, message.first_page))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (opening the books); screens use FlareScreen."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_failure(event.worker.error)

    def report_failure(self, error: BaseException) -> None:
        """Every worker's failure ends up here, as a titled dialog."""
        title = getattr(error, "title", "Something went wrong")
        if isinstance(error, FlareError):
            text = str(error)
        elif isinstance(error, (sqlite3.Error, pw.DatabaseError)):
            title = "The books could not be read"
            text = explain_db_error(error, self.target or "the books")
        else:
            log.error("worker failed", exc_info=error)
            text = f"{type(error).__name__}: {error}"
        if self.context is None:
            self.screen.query_one("#loading", Static).update(
                "The books could not be opened. Press q to quit."
            )
            self.return_code_on_quit = 1
        self.push_screen(ErrorDialog(title, text))

    return_code_on_quit = 0

    async def action_quit(self) -> None:
        """Quit; the exit code says whether the books could be opened."""
        self.exit(self.return_code_on_quit, return_code=self.return_code_on_quit)

    def action_help(self) -> None:
        """What this screen is for, and its keys."""
        if not isinstance(self.screen, HelpDialog):
            self.push_screen(HelpDialog(self.screen))

    def action_reports(self) -> None:
        """Open the reports screen (statements), unless it is already open."""
        # Imported here: the PDF and mail modules are not needed at start-up.
        from .screens.reports import ReportsScreen

        if self.context is None or isinstance(
            self.screen, (ModalScreen, ReportsScreen)
        ):
            return
        self.push_screen(ReportsScreen(self.context))

    def action_outbox(self) -> None:
        """Open the outbox (sent statement e-mails), unless it is already open."""
        from .screens.outbox import OutboxScreen

        if self.context is None or isinstance(self.screen, (ModalScreen, OutboxScreen)):
            return
        self.push_screen(OutboxScreen(self.context))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen, not just the app's."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            title = binding.tooltip or binding.description
            if binding.group is not None:
                title = f"{binding.group.description}: {title}"
            yield SystemCommand(
                title,
                f"Key: {binding.key_display or key}",
                partial(self.run_action, binding.action, active.node),
            )


def run_tui(
    target: str | None,
    as_of: date,
    fiscal_year_start: int | None,
    demo: bool = False,
) -> int:
    """Run the app on the books at `target` as of a day; the exit code."""
    app = FlareApp(target, as_of, fiscal_year_start, demo)
    app.run()
    return app.return_code or 0
