"""The customer list: every customer's year at a glance, filtered and sorted."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static
from textual.worker import Worker

from ...figures import CustomerList
from ..listing import SORTS, ListRow, build_rows, filtered, sorted_rows
from ..messages import DetailLoaded, ListLoaded
from ..widgets.books_header import BooksHeader
from ..widgets.customer_table import CustomerTable
from ..widgets.keys_footer import KeysFooter
from .base import FlareScreen

if TYPE_CHECKING:
    from ..context import BooksContext

SORT = Binding.Group("Sort", compact=True)
#: The name the one customer detail screen is installed under.
DETAIL_SCREEN = "customer-detail"


class FilterBox(Input):
    """The filter box; while it has focus the footer shows how to leave it."""

    BINDINGS = [
        Binding("enter", "submit", "Open", key_display="⏎", id="customers.done"),
        Binding("escape", "screen.clear_filter", "Clear", id="customers.clear"),
    ]


class CustomerListScreen(FlareScreen[None]):
    """One row per customer: months, paid this year, change and unpaid."""

    HELP = (
        "One row per customer: paid in each fiscal month, paid this year, the"
        " change against the same period last year, and what is unpaid.\n"
        "Months that do not fit scroll with ← and →. Press / to filter by name"
        " or id as you type, Enter on a customer to open it."
    )
    # `r` stays free here: it will open the reports screen.
    BINDINGS = [
        # priority: handled as the key arrives, so the keys typed straight
        # after it (a paste, tmux send-keys "/emer") already go to the box.
        Binding("slash", "filter", "Filter", priority=True, id="customers.filter"),
        Binding("n", "sort('name')", "by name", group=SORT, id="customers.sort_name"),
        Binding("p", "sort('paid')", "by paid", group=SORT, id="customers.sort_paid"),
        Binding(
            "c", "sort('change')", "by change", group=SORT, id="customers.sort_change"
        ),
        Binding(
            "u", "sort('unpaid')", "by unpaid", group=SORT, id="customers.sort_unpaid"
        ),
        Binding("v", "reverse", "Reverse sort", group=SORT, id="customers.reverse"),
        # The table has the focus: Escape still clears, but the footer has
        # no room for it (FilterBox shows it while typing).
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, context: BooksContext, first_page: CustomerList) -> None:
        super().__init__()
        self.context = context
        self.listing = first_page
        self.all_rows: list[ListRow] = build_rows(first_page.customers)
        self.complete = False
        self.load_failed = False
        self.sort = "name"
        self.reverse = False
        # All rows in the current order; a filter keystroke only scans it.
        self.ordered: list[ListRow] | None = None
        # The last filter and its rows: typing one more letter narrows them
        # instead of scanning all 20,000 customers again.
        self.last_filter: tuple[str, list[ListRow]] = ("", [])

    def compose(self) -> ComposeResult:
        """Header, filter box, the table, a status line and the keys."""
        yield BooksHeader()
        yield FilterBox(placeholder="/ to filter by name or id", id="filter")
        yield CustomerTable(id="customers")
        yield Static(id="list-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Show the first screenful now; fetch the whole list in a worker."""
        table = self.query_one(CustomerTable)
        fy = self.context.fiscal_year
        # The window of months ends at the as-of month: the freshest figures.
        table.set_month_end(fy.months.index(self.context.as_of.replace(day=1)) + 1)
        self.refresh_rows()
        table.focus()
        self.load_all()

    @work(thread=True, exit_on_error=False, group="customer-list")
    def load_all(self) -> None:
        """Every customer's figures; posts ListLoaded."""
        books = self.context.books
        with books.db.connection_context():
            listing = books.customer_list(
                self.context.as_of, self.context.fiscal_year_start
            )
        self.post_message(ListLoaded(listing, build_rows(listing.customers), True))
        # Warm up: plotext takes ~0.5 s to import; do it here, off the UI
        # thread, so the first Enter opens the detail at once.
        import flare_tui.tui.screens.customer_detail  # noqa: F401

    def on_list_loaded(self, message: ListLoaded) -> None:
        """The whole list has arrived: show it in the current filter and sort."""
        self.listing, self.all_rows = message.customers, message.rows
        self.complete = message.complete
        self.ordered = None
        self.refresh_rows()
        if message.complete:
            # 20,000 customers are a million objects that never form cycles;
            # left to the cyclic collector, each full pass over them stalls
            # the UI thread ~60 ms, a keystroke at random. Frozen objects are
            # still freed by reference counting when the list goes.
            gc.freeze()

    def worker_failed(self, worker: Worker[object]) -> None:
        """The whole list did not arrive: say so instead of "loading…"."""
        if worker.group == "customer-list":
            self.load_failed = True
            self.refresh_rows()

    # -- filter and sort -----------------------------------------------------

    def refresh_rows(self) -> None:
        """Apply the filter and sort to the rows held, keeping the cursor."""
        table = self.query_one(CustomerTable)
        keep = table.current.summary.customer_id if table.current else None
        text = self.query_one("#filter", Input).value
        if self.ordered is None:
            self.ordered = sorted_rows(self.all_rows, self.sort, self.reverse)
            self.last_filter = ("", self.ordered)
        needle, narrowed = self.last_filter
        base = narrowed if needle and text.startswith(needle) else self.ordered
        rows = filtered(base, text)
        self.last_filter = (text, rows)
        count = len(self.listing.customers)
        if self.complete:
            label = f"Total, {count:,} customers"
        else:
            label = f"Total of {count:,} so far"
        table.show(
            rows,
            self.listing.totals,
            label,
            self.listing.fiscal_year.month_labels,
            self.context.symbol,
            keep,
        )
        self.show_status(len(rows), text)

    def show_status(self, shown: int, text: str) -> None:
        """Say what is shown: count, order and filter, in words."""
        label, largest_first = SORTS[self.sort]
        direction = "largest first" if largest_first != self.reverse else "A to Z"
        if self.sort == "name" and self.reverse:
            direction = "Z to A"
        elif self.reverse:
            direction = "smallest first"
        status = Text(f" {shown:,} shown · by {label}, {direction}", end="")
        if text.strip():
            status.append(" · filter: ")
            status.append(text.strip(), "bold")  # user text, as Text
        if self.load_failed:
            status.append(" · only the first customers: the rest failed to load")
        elif not self.complete:
            status.append(" · loading every customer…")
        # A one-line status never changes size: skip the layout pass (~40 ms
        # of a filter keystroke on a busy machine).
        self.query_one("#list-status", Static).update(status, layout=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        """/ typed inside the filter box is just a character."""
        if action == "filter":
            return not isinstance(self.focused, Input)
        return True

    def action_filter(self) -> None:
        """Type into the filter box."""
        # Focus at once, not later: keys typed right after / (a paste, or
        # tmux send-keys) must land in the box, not in the table.
        self.set_focus(self.query_one("#filter", Input))

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        """Filter as the user types."""
        self.refresh_rows()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        """Enter keeps the filter and opens the customer it found.

        `/emer` Enter is how a bookkeeper jumps to a customer; the table
        keeps the focus, so Escape on the detail comes back to the matches.
        """
        table = self.query_one(CustomerTable)
        table.focus()
        table.action_open()

    def action_clear_filter(self) -> None:
        """Escape clears the filter and goes back to the table."""
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.query_one(CustomerTable).focus()

    def action_sort(self, sort: str) -> None:
        """Sort by a column; the same key again reverses the order."""
        self.reverse = not self.reverse if sort == self.sort else False
        self.sort = sort
        self.ordered = None
        self.refresh_rows()

    def action_reverse(self) -> None:
        """Reverse the order of the current sort."""
        self.reverse = not self.reverse
        self.ordered = None
        self.refresh_rows()

    # -- opening a customer --------------------------------------------------

    @on(CustomerTable.Opened)
    def open_customer(self, message: CustomerTable.Opened) -> None:
        """Enter on a row: fetch the customer, then show the detail."""
        self.fetch_detail(message.customer_id)

    @work(thread=True, exit_on_error=False, exclusive=True, group="open-detail")
    def fetch_detail(self, customer_id: str) -> None:
        """One customer's figures for the detail screen; posts DetailLoaded."""
        books, context = self.context.books, self.context
        with books.db.connection_context():
            detail = books.customer_detail(
                customer_id, context.as_of, context.fiscal_year_start
            )
        self.post_message(DetailLoaded(detail, 0))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        """Show the detail with its figures already in: one frame, no
        "Loading…" flash (the query takes milliseconds)."""
        if not self.is_current:
            return  # the user went elsewhere meanwhile
        # Imported here: plotext costs ~0.3 s of start-up the list never needs.
        from .customer_detail import CustomerDetailScreen

        app = self.app
        if app.is_screen_installed(DETAIL_SCREEN):
            screen = app.get_screen(DETAIL_SCREEN, CustomerDetailScreen)
            screen.show_customer(message.detail)
        else:
            # Installed, so going back keeps it mounted for the next customer.
            screen = CustomerDetailScreen(self.context, message.detail)
            app.install_screen(screen, DETAIL_SCREEN)
        app.push_screen(screen)
