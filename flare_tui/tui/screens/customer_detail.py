"""One customer: this fiscal year against last, month by month, and what
is still owed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from ...figures import CustomerDetail
from ...money import change_text, money
from ..formatting import address_line, day_text, safe
from ..messages import DetailLoaded
from ..widgets.books_header import BooksHeader
from ..widgets.detail_tables import month_table, receivables_view
from ..widgets.keys_footer import KeysFooter
from ..widgets.year_bars import YearBars, legend
from .base import FlareScreen

if TYPE_CHECKING:
    from ..context import BooksContext

YEARS = Binding.Group("Year", compact=True)


class CustomerDetailScreen(FlareScreen[None]):
    """A customer's fiscal year beside the year before, and its receivables."""

    HELP = (
        "The customer's fiscal year month by month beside the year before: bars"
        " (▒ last year, █ this year), a month table and year to date against"
        " the same period last year. Below: what is owed at the as-of day, by"
        " age, and the open invoices. [ and ] step a fiscal year back and"
        " forward; c hides or shows last year; s shows the statement of the"
        " fiscal year shown, e e-mails it; ↑ ↓ scroll; Escape goes back."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding(
            "left_square_bracket",
            "year(1)",
            "Earlier year",
            group=YEARS,
            id="detail.previous_year",
        ),
        Binding(
            "right_square_bracket",
            "year(-1)",
            "Later year",
            group=YEARS,
            id="detail.next_year",
        ),
        # One-word descriptions: every key fits the footer at 80 columns;
        # the help and the palette show the longer tooltip.
        Binding(
            "c", "compare", "Compare", tooltip="Compare on/off", id="detail.compare"
        ),
        Binding(
            "s",
            "statement",
            "Statement",
            tooltip="Statement of the fiscal year shown",
            id="detail.statement",
        ),
        Binding(
            "e",
            "statement(True)",
            "Mail",
            tooltip="E-mail the statement",
            id="detail.email",
        ),
        # s opens the same reports screen, on this customer: r stays a key
        # but leaves the footer, which has no room for both at 80 columns.
        Binding("r", "app.reports", "Reports", show=False, id="detail.reports"),
    ]

    def __init__(self, context: BooksContext, detail: CustomerDetail) -> None:
        super().__init__()
        self.context = context
        self.detail = detail
        self.customer_id = detail.customer.customer_id
        # The fiscal year asked for (0: the as-of day's) and the one shown.
        self.years_back = 0
        self.shown_years_back = 0
        self.compare = True

    def compose(self) -> ComposeResult:
        """Header, a scrolling body (facts, bars, tables), the keys."""
        # Three widgets in the body, not one per fact: mounting and laying
        # out each widget is most of the cost of opening the screen.
        yield BooksHeader()
        with VerticalScroll(id="detail-body"):
            yield Static(id="detail-facts")
            yield YearBars(id="detail-bars")
            yield Static(id="detail-tables")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Show the figures the list fetched; the body scrolls by keys."""
        self.show_detail()
        self.query_one("#detail-body").focus()

    def show_customer(self, detail: CustomerDetail) -> None:
        """Show another customer on this (already mounted) screen.

        The list keeps one detail screen and refills it: composing and
        styling a new screen for every customer costs more than the query.
        """
        self.detail = detail
        self.customer_id = detail.customer.customer_id
        self.years_back = self.shown_years_back = 0
        self.compare = True
        self.show_detail()
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#detail-body").focus()

    @work(thread=True, exit_on_error=False, exclusive=True, group="detail")
    def load(self, years_back: int) -> None:
        """One fiscal year of the customer; posts DetailLoaded."""
        books, context = self.context.books, self.context
        with books.db.connection_context():
            detail = books.customer_detail(
                self.customer_id,
                context.as_of,
                context.fiscal_year_start,
                years_back=years_back,
            )
        self.post_message(DetailLoaded(detail, years_back))

    def worker_failed(self, worker: Worker[object]) -> None:
        """The year asked for did not arrive: the one shown stays current."""
        self.years_back = self.shown_years_back

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        """Show the figures that arrived (unless the user has moved on)."""
        if (
            message.years_back != self.years_back
            or message.detail.customer.customer_id != self.customer_id
        ):
            return
        self.detail = message.detail
        self.shown_years_back = message.years_back
        self.show_detail()

    def show_detail(self) -> None:
        """Fill every part of the body from the figures held."""
        detail, symbol = self.detail, self.context.symbol
        fy, last = detail.fiscal_year, detail.last_fiscal_year
        self.query_one(BooksHeader).show_books(self.context, fy.label)
        self.query_one("#detail-facts", Static).update(self.facts())

        bars = self.query_one(YearBars)
        bars.show(
            [m.label for m in detail.months],
            [m.last_year for m in detail.months],
            [m.this_year for m in detail.months],
            self.compare,
        )
        tables = legend(last.label, fy.label, self.compare, bars.primary)
        tables.append("\n\n")
        tables.append_text(month_table(detail, symbol, self.compare))
        tables.append("\n")
        tables.append_text(receivables_view(detail.receivable, symbol))
        self.query_one("#detail-tables", Static).update(tables)

    def facts(self) -> Text:
        """Name and id, contact details, and this year to date against last."""
        detail, symbol = self.detail, self.context.symbol
        info, fy, last = detail.customer, detail.fiscal_year, detail.last_fiscal_year
        # Each part appended as its own Text: a style given to the whole
        # Text would spread to every line.
        text = Text(end="")
        text.append_text(safe(info.name, "bold"))
        text.append(f"  ({info.customer_id})\n", "dim")
        contact = [info.email, info.phone, address_line(info.address)]
        text.append_text(
            safe(" · ".join(part for part in contact if part) or "no contact details")
        )
        # Short enough for one line at 80 columns, big figures included.
        text.append(f"\nTo {day_text(detail.day)[:-5]}: {fy.label} ")
        text.append(money(detail.this_year_total, symbol), "bold")
        if self.compare:
            text.append(f" · {last.label} ")
            text.append(money(detail.last_year_to_date, symbol))
            text.append(" · ")
            change = change_text(detail.this_year_total, detail.last_year_to_date)
            text.append(f"{change} to date", "bold")
        return text

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()

    def action_year(self, step: int) -> None:
        """Step a fiscal year back (1) or forward (-1), never past as-of's."""
        years_back = max(0, self.years_back + step)
        if years_back == self.years_back:
            self.notify("This is the fiscal year of the as-of day.", timeout=2)
            return
        self.years_back = years_back
        self.load(years_back)

    def action_compare(self) -> None:
        """Hide or show last year."""
        self.compare = not self.compare
        self.show_detail()

    def action_statement(self, email: bool = False) -> None:
        """This customer's statement for the fiscal year shown; e-mail it if
        asked (the reports screen confirms the address first)."""
        from .reports import ReportsScreen, fiscal_year_period

        period = fiscal_year_period(self.context, self.shown_years_back)
        self.app.push_screen(
            ReportsScreen(self.context, self.customer_id, period, email=email)
        )
