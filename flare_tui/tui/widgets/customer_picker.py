"""Pick a customer by typing part of the name or id; matches listed below.

The picker does no I/O: it posts `Search` as the text changes, the screen
asks the books in a worker and hands the matches back with `show_matches`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...records import CustomerInfo
from ..formatting import safe


class CustomerPicker(Vertical):
    """A search box and the customers it matches; Enter takes the highlighted."""

    BINDINGS = [
        Binding("down", "move(1)", "Next match", show=False),
        Binding("up", "move(-1)", "Previous match", show=False),
    ]

    class Search(Message):
        """The user typed: find customers matching `text`."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Picked(Message):
        """The user chose a customer."""

        def __init__(self, customer: CustomerInfo) -> None:
            super().__init__()
            self.customer = customer

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.matches: Sequence[CustomerInfo] = ()
        self.matched_text: str | None = None
        # Enter pressed before the matches for the latest text arrived.
        self.pick_pending = False

    def compose(self) -> ComposeResult:
        """Title, search box, matches."""
        yield Label(Text("Customer: type part of the name or id", style="bold"))
        yield Input(placeholder="name or id, then Enter", id="customer-search")
        yield OptionList(id="customer-matches")

    def start(self, text: str = "") -> None:
        """Focus the box and search for `text`."""
        box = self.query_one("#customer-search", Input)
        box.value = text
        box.focus()
        self.post_message(self.Search(text))

    @on(Input.Changed, "#customer-search")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Search(event.value))

    def show_matches(self, text: str, matches: Sequence[CustomerInfo]) -> None:
        """The customers found for `text` (ignored if the user typed on)."""
        if text != self.query_one("#customer-search", Input).value:
            return
        self.matches, self.matched_text = matches, text
        options = self.query_one("#customer-matches", OptionList)
        options.set_options(
            Option(_prompt(customer), id=str(index))
            for index, customer in enumerate(matches)
        )
        if matches:
            options.highlighted = 0
        else:
            options.add_option(Option(Text("No customer matches"), disabled=True))
        if self.pick_pending:
            self.pick_pending = False
            self._pick_highlighted()

    def action_move(self, step: int) -> None:
        """↑ and ↓ move through the matches while typing."""
        options = self.query_one("#customer-matches", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#customer-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.matched_text != event.value:
            self.pick_pending = True  # the matches are on their way
            return
        self._pick_highlighted()

    @on(OptionList.OptionSelected, "#customer-matches")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick_highlighted()

    def _pick_highlighted(self) -> None:
        index = self.query_one("#customer-matches", OptionList).highlighted
        if index is None or index >= len(self.matches):
            self.notify("No customer matches what was typed.", severity="warning")
            return
        self.post_message(self.Picked(self.matches[index]))


def _prompt(customer: CustomerInfo) -> Text:
    """A match as plain Text: the name (never markup) and the id."""
    text = safe(customer.name)
    text.append(f"  {customer.customer_id}", "dim")
    if customer.email:
        text.append("  ")
        text.append(safe(customer.email, "dim"))
    return text
