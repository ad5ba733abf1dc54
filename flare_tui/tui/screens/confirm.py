"""A yes/no question before something leaves the building (an e-mail)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..formatting import safe


@dataclass(frozen=True)
class SendQuestion:
    """What is about to be sent, and to whom, as the dialog shows it."""

    recipient: str
    customer: str
    period: str
    closing_balance: str


class ConfirmSend(ModalScreen[bool]):
    """Shows the recipient address and what goes to it; y sends, n does not."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes, send", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", key_display="n", id="confirm.no"),
    ]

    def __init__(self, question: SendQuestion) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The address in bold, the statement's facts, and the keys."""
        q = self.question
        facts = Table.grid(padding=(0, 2))
        facts.add_column(justify="right", style="bold")
        facts.add_column()
        # Every value is user data or derived from it: Text, never markup.
        facts.add_row(Text("To"), safe(q.recipient, "bold"))
        facts.add_row(Text("Customer"), safe(q.customer))
        facts.add_row(Text("Period"), Text(q.period))
        facts.add_row(Text("Closing"), Text(q.closing_balance))
        with Vertical(id="confirm-box", classes="dialog"):
            yield Label(
                Text("E-mail this statement?", style="bold"), classes="dialog-title"
            )
            yield Static(facts, id="confirm-facts")
            yield Label(
                Text("y: send it now   n or Escape: do not send"),
                classes="dialog-hint",
            )

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
