"""One customer: this fiscal year against last, month by month, and what
is still owed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, Static
from textual.worker import Worker

from ...figures import CustomerDetail
from ...money import change_text, money
from ..formatting import address_line, day_text, safe
from ..messages import DetailLoaded
from ..widgets.books_header import BooksHeader
from ..widgets.detail_tables import month_table, receivables_view
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

    def __init__(self, context: BooksContext, customer_id: str) -> None:
        super().__init__()
        self.context = context
        self.customer_id = customer_id
        self.years_back = 0
        self.compare = True
        self.detail: CustomerDetail | None = None

    def compose(self) -> ComposeResult:
        """Header, a scrolling body of facts and tables, the keys."""
        yield BooksHeader()
        with VerticalScroll(id="detail-body"):
            yield Label(id="detail-name")
            yield Label(id="detail-contact")
            yield Label(id="detail-to-date")
            yield YearBars(id="detail-bars")
            yield Label(id="detail-legend")
            yield Static(id="detail-months")
            yield Static(id="detail-receivables")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Fetch the figures in a worker; the body scrolls by keys."""
        self.query_one("#detail-name", Label).update(Text("Loading…", end=""))
        self.query_one("#detail-body").focus()
        self.load(self.years_back)

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
        """The figures did not arrive: stop saying "Loading…"."""
        if self.detail is None:
            self.query_one("#detail-name", Label).update(
                Text("This customer could not be shown. Escape goes back.", end="")
            )

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        """Show the figures that arrived (unless the user has moved on)."""
        if message.years_back != self.years_back:
            return
        self.detail = message.detail
        self.show_detail()

    def show_detail(self) -> None:
        """Fill every part of the body from the figures held."""
        detail = self.detail
        if detail is None:
            return
        info, symbol = detail.customer, self.context.symbol
        fy, last = detail.fiscal_year, detail.last_fiscal_year
        self.query_one(BooksHeader).show_books(self.context, fy.label)

        name = safe(info.name, "bold")
        name.append(f"  ({info.customer_id})", "dim")
        self.query_one("#detail-name", Label).update(name)
        contact = [info.email, info.phone, address_line(info.address)]
        self.query_one("#detail-contact", Label).update(
            safe(" · ".join(part for part in contact if part) or "no contact details")
        )

        # Short enough for one line at 80 columns, big figures included.
        to_date = Text(end="")
        to_date.append(f"To {day_text(detail.day)[:-5]}: {fy.label} ")
        to_date.append(money(detail.this_year_total, symbol), "bold")
        if self.compare:
            to_date.append(f" · {last.label} ")
            to_date.append(money(detail.last_year_to_date, symbol))
            to_date.append(" · ")
            change = change_text(detail.this_year_total, detail.last_year_to_date)
            to_date.append(f"{change} to date", "bold")
        self.query_one("#detail-to-date", Label).update(to_date)

        bars = self.query_one(YearBars)
        bars.show(
            [m.label for m in detail.months],
            [m.last_year for m in detail.months],
            [m.this_year for m in detail.months],
            self.compare,
        )
        self.query_one("#detail-legend", Label).update(
            legend(last.label, fy.label, self.compare, bars.primary)
        )
        self.query_one("#detail-months", Static).update(
            month_table(detail, symbol, self.compare)
        )
        self.query_one("#detail-receivables", Static).update(
            receivables_view(detail.receivable, symbol)
        )

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

        period = fiscal_year_period(self.context, self.years_back)
        self.app.push_screen(
            ReportsScreen(self.context, self.customer_id, period, email=email)
        )
