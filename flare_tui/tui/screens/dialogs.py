"""Modal dialogs: a titled error the user must read, and the keys help."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static


class ErrorDialog(ModalScreen[None]):
    """A titled, scrollable error; Enter or Escape closes it."""

    BINDINGS = [
        Binding("escape,enter", "close", "Close", id="dialog.close"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        """Title, the message (scrollable) and how to close."""
        with Vertical(id="error-box", classes="dialog"):
            yield Label(Text(self.title_text, style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                # The message may quote user data: plain Text, never markup.
                yield Static(Text(self.text))
            yield Label(Text("Enter or Escape to close"), classes="dialog-hint")

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss()


def _key_name(key: str) -> str:
    names = {
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "question_mark": "?",
        "slash": "/",
        "escape": "Esc",
        "enter": "Enter",
        "left": "←",
        "right": "→",
        "ctrl+p": "Ctrl+P",
        "f1": "F1",
    }
    return names.get(key, key)


class HelpDialog(ModalScreen[None]):
    """What the screen below is for, and every key it answers to."""

    BINDINGS = [
        Binding("escape,enter,question_mark,f1,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.about = getattr(screen, "HELP", "")
        keys: dict[str, str] = {}
        for key, active in screen.active_bindings.items():
            # The footer shows one word; the tooltip, when set, says more.
            words = active.binding.tooltip or active.binding.description
            if words:
                keys.setdefault(words, _key_name(key))
        self.keys = keys

    def compose(self) -> ComposeResult:
        """The screen's purpose and a table of its keys."""
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        for description, key in self.keys.items():
            table.add_row(Text(key), Text(description))
        table.add_row(Text("Ctrl+P"), Text("Command palette: every action"))
        with Vertical(id="help-box", classes="dialog"):
            yield Label(Text("Help", style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(Text(self.about))
                yield Static(table, id="help-keys")
            yield Label(Text("Escape to close"), classes="dialog-hint")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
