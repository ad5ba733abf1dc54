"""The reports screen: a customer's balance-forward statement for a period,
exported as PDF or e-mailed.

Pick a customer by typing, then a period; the statement follows. Every
question to the books, the PDF and the e-mail run in thread workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Static

from ...mail_settings import load_mail_settings
from ...money import money
from ...pdf import save_statement_pdf
from ...periods import Period, resolve_preset
from ...send import NoRecipient, email_statement
from ...statement import Statement
from ..formatting import address_line, safe
from ..report_messages import CustomersFound, PdfSaved, StatementLoaded, StatementSent
from ..widgets.books_header import BooksHeader
from ..widgets.customer_picker import CustomerPicker
from ..widgets.keys_footer import KeysFooter
from ..widgets.period_picker import PeriodPicker
from ..widgets.statement_view import StatementView
from .base import FlareScreen
from .confirm import ConfirmSend, SendQuestion
from .dialogs import ErrorDialog

if TYPE_CHECKING:
    from ..context import BooksContext

#: The period a statement starts with: the fiscal year the bookkeeper is in.
DEFAULT_PRESET = "this-fiscal-year"
#: Matches listed while typing a customer's name.
MATCHES = 30


class ReportsScreen(FlareScreen[None]):
    """Pick a customer and a period, read the statement, send it out."""

    HELP = (
        "A customer's balance-forward statement: the opening balance, every"
        " invoice and payment in the period with the running balance and each"
        " invoice's status, the totals, the closing balance and the aging.\n"
        "Type part of a customer's name and press Enter, then choose a period"
        " (a custom range takes two dates). c changes the customer, d the"
        " period; p saves the statement as a PDF in the exports folder; e"
        " e-mails it after you confirm the address. Sends are kept in the"
        " outbox (o). Escape goes back."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="reports.back"),
        Binding("c", "change_customer", "Customer", id="reports.customer"),
        Binding("d", "change_period", "Period", id="reports.period"),
        Binding("p", "export_pdf", "PDF", id="reports.pdf"),
        Binding(
            "e", "email", "Mail", tooltip="E-mail the statement", id="reports.email"
        ),
        # Already here: r would do nothing, so it leaves the footer.
        Binding("r", "app.reports", "Reports", show=False, id="reports.reports"),
    ]

    def __init__(
        self,
        context: BooksContext,
        customer_id: str | None = None,
        period: Period | None = None,
        email: bool = False,
    ) -> None:
        super().__init__()
        self.context = context
        self.customer_id = customer_id
        self.period = period or resolve_preset(
            DEFAULT_PRESET, context.as_of, context.fiscal_year_start
        )
        self.period_chosen = period is not None
        # Opened by the detail's "e-mail statement" key: ask once it is shown.
        self.email_when_loaded = email
        self.statement: Statement | None = None

    def compose(self) -> ComposeResult:
        """Header; the customer picker, period picker or statement; the keys."""
        yield BooksHeader()
        with ContentSwitcher(initial="pick-customer", id="reports-switcher"):
            yield CustomerPicker(id="pick-customer")
            yield PeriodPicker(id="pick-period")
            with Vertical(id="statement-pane"):
                yield Static(id="statement-blocks")
                yield StatementView(id="statement-view")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Straight to the statement when the customer is known."""
        if self.customer_id is not None:
            self.show_pane("statement-pane")
            self.query_one("#statement-blocks", Static).update(Text("Loading…"))
            self.load_statement(self.customer_id, self.period)
        else:
            self.action_change_customer()

    def show_pane(self, pane: str) -> None:
        """Switch between the pickers and the statement."""
        self.query_one(ContentSwitcher).current = pane
        self.refresh_bindings()

    # -- choosing ------------------------------------------------------------

    @on(CustomerPicker.Search)
    def search(self, message: CustomerPicker.Search) -> None:
        """Look the typed text up in a worker."""
        self.find_customers(message.text)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def find_customers(self, text: str) -> None:
        """Customers matching `text`; posts CustomersFound."""
        books = self.context.books
        with books.db.connection_context():
            found = books.find_customers(text.strip(), limit=MATCHES)
        self.post_message(CustomersFound(text, found))

    def on_customers_found(self, message: CustomersFound) -> None:
        """Hand the matches to the picker."""
        self.query_one(CustomerPicker).show_matches(message.text, message.customers)

    @on(CustomerPicker.Picked)
    def customer_picked(self, message: CustomerPicker.Picked) -> None:
        """A customer is chosen: ask the period the first time, else show."""
        self.customer_id = message.customer.customer_id
        if self.period_chosen:
            self.load_statement(self.customer_id, self.period)
        else:
            self.action_change_period()

    @on(PeriodPicker.Picked)
    def period_picked(self, message: PeriodPicker.Picked) -> None:
        """A period is chosen: show the statement (or pick a customer first)."""
        self.period, self.period_chosen = message.period, True
        if self.customer_id is None:
            self.action_change_customer()
        else:
            self.load_statement(self.customer_id, self.period)

    def action_change_customer(self) -> None:
        """Choose another customer by typing part of the name."""
        self.show_pane("pick-customer")
        self.query_one(CustomerPicker).start()

    def action_change_period(self) -> None:
        """Choose another period: a preset or a custom range."""
        self.show_pane("pick-period")
        context = self.context
        self.query_one(PeriodPicker).start(
            context.as_of, context.fiscal_year_start, self.period
        )

    # -- the statement -------------------------------------------------------

    @work(thread=True, exit_on_error=False, exclusive=True, group="statement")
    def load_statement(self, customer_id: str, period: Period) -> None:
        """The statement of a customer for a period; posts StatementLoaded."""
        books = self.context.books
        with books.db.connection_context():
            statement = books.statement(customer_id, period, self.context.as_of)
        self.post_message(StatementLoaded(statement))

    def on_statement_loaded(self, message: StatementLoaded) -> None:
        """Show the statement that arrived, if it is still the one wanted."""
        statement = message.statement
        if (
            statement.customer.customer_id != self.customer_id
            or statement.period != self.period
        ):
            return
        self.statement = statement
        self.query_one("#statement-blocks", Static).update(
            statement_blocks(statement, self.context.symbol)
        )
        view = self.query_one(StatementView)
        view.show(statement, self.context.symbol)
        self.show_pane("statement-pane")
        view.focus()
        if self.email_when_loaded:
            self.email_when_loaded = False
            self.action_email()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """PDF and e-mail need a statement on screen (greyed out until then)."""
        if action in ("export_pdf", "email"):
            shown = self.query_one(ContentSwitcher).current == "statement-pane"
            return True if shown and self.statement is not None else None
        return True

    def action_back(self) -> None:
        """From a picker back to the statement; from the statement, close."""
        switcher = self.query_one(ContentSwitcher)
        if switcher.current != "statement-pane" and self.statement is not None:
            self.show_pane("statement-pane")
            self.query_one(StatementView).focus()
        else:
            self.dismiss()

    # -- PDF -----------------------------------------------------------------

    def action_export_pdf(self) -> None:
        """Save the statement as a PDF in the exports folder."""
        if self.statement is None:
            return
        self.notify("Making the PDF…", timeout=2)
        self.export_pdf(self.statement)

    @work(thread=True, exit_on_error=False, group="pdf")
    def export_pdf(self, statement: Statement) -> None:
        """Render and write the PDF; posts PdfSaved."""
        path, rendered = save_statement_pdf(statement)
        self.post_message(PdfSaved(path, rendered.pages))

    def on_pdf_saved(self, message: PdfSaved) -> None:
        """Say where the file went."""
        pages = "1 page" if message.pages == 1 else f"{message.pages} pages"
        self.notify(
            f"Saved ({pages}): {message.path}", title="Statement PDF", markup=False
        )

    # -- e-mail --------------------------------------------------------------

    def action_email(self) -> None:
        """Confirm the customer's address, then queue and send the statement."""
        statement = self.statement
        if statement is None:
            return
        customer = statement.customer
        if not customer.email:
            self.app.push_screen(
                ErrorDialog(
                    NoRecipient.title,
                    f"{customer.name} ({customer.customer_id}) has no e-mail"
                    " address in the books, so the statement cannot be sent."
                    " Add one to the customer and try again, or save a PDF with"
                    " p and send it yourself.",
                )
            )
            return
        question = SendQuestion(
            recipient=customer.email,
            customer=f"{customer.name} ({customer.customer_id})",
            period=period_text(statement),
            closing_balance=money(statement.closing_balance, self.context.symbol),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.notify(f"Sending to {customer.email}…", markup=False, timeout=3)
                self.send_statement(statement, customer.email)

        self.app.push_screen(ConfirmSend(question), answered)

    @work(thread=True, exit_on_error=False, group="send")
    def send_statement(self, statement: Statement, recipient: str) -> None:
        """Queue the e-mail in the sent log and send it; posts StatementSent.

        The password comes from FLARE_SMTP_PASSWORD or the keyring; missing
        settings raise before anything is queued (and reach the error dialog).
        """
        settings = load_mail_settings()
        books = self.context.books
        with books.db.connection_context():
            entry = email_statement(books.db, statement, settings, recipient=recipient)
        self.post_message(StatementSent(entry))

    def on_statement_sent(self, message: StatementSent) -> None:
        """A toast when it went; a dialog the user must read when it did not."""
        entry = message.entry
        if entry.status == "sent":
            self.notify(
                f"Sent to {entry.recipient} (server: {entry.answer})",
                title="Statement e-mailed",
                markup=False,
            )
            return
        self.app.push_screen(
            ErrorDialog(
                "The e-mail was not sent",
                f"The statement for {entry.customer_name} to {entry.recipient}"
                f" was not sent: {entry.answer}.\n\nIt is kept in the outbox as"
                " failed. Press o to open the outbox, then t on it to try again.",
            )
        )


def fiscal_year_period(context: BooksContext, years_back: int = 0) -> Period:
    """The whole fiscal year `years_back` before the as-of day's, as a period.

    The statement a bookkeeper expects from a customer's detail is the
    fiscal year on screen: this-fiscal-year (counted up to as-of) by default,
    last-fiscal-year after one step back, the plain dates further back.
    """
    if years_back == 0:
        return resolve_preset(
            "this-fiscal-year", context.as_of, context.fiscal_year_start
        )
    if years_back == 1:
        return resolve_preset(
            "last-fiscal-year", context.as_of, context.fiscal_year_start
        )
    fy = context.fiscal_year
    for _ in range(years_back):
        fy = fy.previous()
    return Period(fy.start, fy.end)


def period_text(statement: Statement) -> str:
    """The period with its dates, and the day it is counted up to if earlier."""
    text = statement.period.label
    if statement.end < statement.period.end:
        text += f", counted up to {statement.end.isoformat()}"
    return text


def statement_blocks(statement: Statement, symbol: str) -> Text:
    """Business, customer, period and the balance in four short lines."""
    business, customer = statement.business, statement.customer
    # One Text of four lines: each is cut with … rather than wrapped.
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    where = address_line(business.business_address)
    text.append("From ", "dim")
    text.append_text(safe(business.business_name, "bold"))
    if where:
        text.append(" · ")
        text.append_text(safe(where))
    contact = " · ".join(
        p for p in (customer.email, address_line(customer.address)) if p
    )
    text.append("\nTo   ", "dim")
    text.append_text(safe(customer.name, "bold"))
    text.append(f" ({customer.customer_id})")
    if contact:
        text.append(" · ")
        text.append_text(safe(contact))
    text.append("\nFor  ", "dim")
    text.append(period_text(statement))
    text.append("\nOpening ", "dim")
    text.append(money(statement.opening_balance, symbol))
    text.append(" + invoiced ", "dim")
    text.append(money(statement.total_invoiced, symbol))
    text.append(" − paid ", "dim")
    text.append(money(statement.total_paid, symbol))
    text.append(" = closing ", "dim")
    text.append(money(statement.closing_balance, symbol), "bold")
    return text
