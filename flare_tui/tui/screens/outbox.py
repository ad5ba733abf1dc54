"""The outbox: every statement e-mail, what the server said, and retries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static
from textual.worker import Worker

from ...mail_settings import load_mail_settings
from ...money import money
from ...outbox import Outbox, OutboxEntry
from ...send import retry
from ..formatting import safe
from ..report_messages import OutboxLoaded, RetryDone
from ..widgets.books_header import BooksHeader
from ..widgets.keys_footer import KeysFooter
from ..widgets.outbox_table import OutboxTable, when_text
from .base import FlareScreen
from .dialogs import ErrorDialog

if TYPE_CHECKING:
    from ..context import BooksContext

#: Entries listed; a batch run over every customer can log many thousands.
LIMIT = 10_000


def entry_facts(entry: OutboxEntry, symbol: str) -> Table:
    """Every fact of a send as a two-column grid of plain Text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="bold", no_wrap=True)
    grid.add_column()
    rows = [
        ("Status", entry.status_text),
        ("Customer", f"{entry.customer_name} ({entry.customer_id})"),
        ("To", entry.recipient),
        ("Period", f"{entry.period_start} to {entry.period_end}"),
        ("Closing", money(entry.closing_balance, symbol)),
        ("Subject", entry.subject),
        ("Attempts", f"{entry.attempts}, last {when_text(entry)}"),
        ("Server", entry.answer or "no answer yet"),
        ("PDF", f"{entry.pdf_name} ({entry.pdf_size:,} bytes)"),
        ("Message-ID", entry.message_id),
    ]
    for name, value in rows:
        # Customer names, addresses and server answers are untrusted text.
        grid.add_row(Text(name), safe(value))
    return grid


class EntryDialog(ModalScreen[None]):
    """All the facts of one send; Escape or Enter closes it."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="entry.close")]

    def __init__(self, entry: OutboxEntry, symbol: str) -> None:
        super().__init__()
        self.entry = entry
        self.symbol = symbol

    def compose(self) -> ComposeResult:
        """Title, the facts, how to close."""
        with Vertical(id="entry-box", classes="dialog"):
            yield Label(Text(f"Outbox entry {self.entry.id}", style="bold"))
            with VerticalScroll(classes="dialog-body"):
                yield Static(entry_facts(self.entry, self.symbol), id="entry-facts")
            yield Label(Text("Enter or Escape to close"), classes="dialog-hint")

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss()


class OutboxScreen(FlareScreen[None]):
    """The sent log, newest first: status, server answer; retry failures."""

    HELP = (
        "Every statement e-mail, newest first: when, its status (queued,"
        " sent, failed, or unconfirmed when Flare was stopped mid-send), the"
        " customer, period and address. Below the list: what the mail server"
        " answered, or why the e-mail was not sent.\n"
        "t sends a failed e-mail again (the same PDF and Message-ID); Enter"
        " shows every detail; Escape goes back."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="outbox.back"),
        Binding("t", "retry", "Retry", id="outbox.retry"),
        # Already here: o would do nothing, so it leaves the footer.
        Binding("o", "app.outbox", "Outbox", show=False, id="outbox.outbox"),
    ]

    def __init__(self, context: BooksContext) -> None:
        super().__init__()
        self.context = context
        # One retry at a time: a second t while one runs would only queue up.
        self.retrying = False

    def compose(self) -> ComposeResult:
        """Header, the list, the entry under the cursor, the keys."""
        yield BooksHeader()
        yield Label(Text("Outbox: statement e-mails", style="bold"), id="outbox-title")
        yield OutboxTable(id="outbox-table")
        yield Static(id="outbox-entry")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the log in a worker."""
        self.query_one(OutboxTable).focus()
        self.load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A retry that ended (sent or failed) lets the next one start;
        FlareScreen shows failures."""
        if event.worker.group == "retry" and event.worker.is_finished:
            self.retrying = False

    @work(thread=True, exit_on_error=False, exclusive=True, group="outbox")
    def load(self) -> None:
        """The newest entries; posts OutboxLoaded."""
        books = self.context.books
        with books.db.connection_context():
            entries = Outbox(books.db).entries(limit=LIMIT)
        self.post_message(OutboxLoaded(entries))

    def on_outbox_loaded(self, message: OutboxLoaded) -> None:
        """Show the log, keeping the cursor on the same entry."""
        table = self.query_one(OutboxTable)
        keep = table.current.id if table.current else None
        table.show(message.entries, keep)
        count = len(message.entries)
        failed = sum(1 for e in message.entries if e.status == "failed")
        title = Text(f"Outbox: {count:,} statement e-mails", style="bold", end="")
        if failed:
            title.append(f" · {failed:,} failed (t to retry)")
        self.query_one("#outbox-title", Label).update(title)

    @on(OutboxTable.Moved)
    def show_current(self) -> None:
        """The server's answer (or the error) of the entry under the cursor."""
        entry = self.query_one(OutboxTable).current
        panel = self.query_one("#outbox-entry", Static)
        self.refresh_bindings()  # Retry greys out on a sent entry
        if entry is None:
            panel.update(Text("Sends from the reports screen (r, then e) show here."))
            return
        text = Text(end="")
        text.append(f"{entry.status_text.upper()}  ", "bold")
        text.append_text(safe(entry.recipient))
        text.append("\n")
        label = "Error: " if entry.status == "failed" else "Server: "
        text.append(label, "bold")
        text.append_text(safe(entry.answer or "no answer yet"))
        panel.update(text)

    @on(OutboxTable.Opened)
    def open_entry(self, message: OutboxTable.Opened) -> None:
        """Every detail of one send."""
        self.app.push_screen(EntryDialog(message.entry, self.context.symbol))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Retry is for failed (or never-sent) entries only."""
        if action == "retry":
            entry = self.query_one(OutboxTable).current
            ok = entry is not None and entry.status in ("failed", "queued")
            return True if ok else None
        return True

    def action_retry(self) -> None:
        """Send the failed entry under the cursor again."""
        entry = self.query_one(OutboxTable).current
        # TODO: an "unconfirmed" entry (Flare stopped after the server may
        # have accepted it) can only be resent with `flare outbox retry ID
        # --force`; the TUI would need a second, explicit confirmation first.
        if entry is None or entry.status not in ("failed", "queued"):
            return
        if self.retrying:
            self.notify("A retry is still running…", timeout=2)
            return
        self.retrying = True
        self.notify(f"Sending again to {entry.recipient}…", markup=False, timeout=3)
        self.retry_entry(entry.id)

    @work(thread=True, exit_on_error=False, group="retry")
    def retry_entry(self, entry_id: int) -> None:
        """Resend one entry; posts RetryDone."""
        settings = load_mail_settings()
        books = self.context.books
        with books.db.connection_context():
            report = retry(books.db, settings, [entry_id])
        self.post_message(RetryDone(report))

    def on_retry_done(self, message: RetryDone) -> None:
        """Reload the log; say how it went."""
        self.load()
        report = message.report
        for _skipped, reason in report.skipped:
            self.notify(f"Not sent: {reason}", severity="warning", markup=False)
        for entry in report.entries:
            if entry.status == "sent":
                self.notify(
                    f"Sent to {entry.recipient} (server: {entry.answer})",
                    title="Statement e-mailed",
                    markup=False,
                )
            else:
                self.app.push_screen(
                    ErrorDialog(
                        "The e-mail was not sent",
                        f"The statement for {entry.customer_name} to"
                        f" {entry.recipient} was not sent again: {entry.answer}."
                        "\n\nIt stays in the outbox as failed; try again later.",
                    )
                )

    def action_back(self) -> None:
        """Back to the screen before."""
        self.dismiss()
