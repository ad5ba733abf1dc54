"""Pick a statement period: a preset (shown with its dates) or a custom range.

A custom range is checked as it is entered: a bad date or a `from` after
`to` is written next to the field, never raised.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...periods import PRESETS, Period, PeriodError, parse_date, resolve_preset

CUSTOM = "custom"


class PeriodPicker(Vertical):
    """Every preset with the dates it means today, then "custom range"."""

    class Picked(Message):
        """The user chose a period."""

        def __init__(self, period: Period) -> None:
            super().__init__()
            self.period = period

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.as_of = date.today()
        self.fiscal_year_start = 1

    def compose(self) -> ComposeResult:
        """Title, the presets, and the custom range fields (hidden at first)."""
        yield Label(Text("Period: choose one and press Enter", style="bold"))
        yield OptionList(id="period-presets")
        with Horizontal(id="custom-range", classes="range-row"):
            yield Label("From ", classes="range-label")
            yield Input(placeholder="YYYY-MM-DD", id="custom-from", max_length=10)
            yield Label(id="custom-from-error", classes="range-error")
        with Horizontal(id="custom-range-to", classes="range-row"):
            yield Label("To   ", classes="range-label")
            yield Input(placeholder="YYYY-MM-DD", id="custom-to", max_length=10)
            yield Label(id="custom-to-error", classes="range-error")

    def start(self, as_of: date, fiscal_year_start: int, current: Period) -> None:
        """Fill the presets for `as_of` and highlight the period now shown."""
        self.as_of, self.fiscal_year_start = as_of, fiscal_year_start
        options = self.query_one("#period-presets", OptionList)
        options.set_options(
            [Option(_preset_prompt(p, as_of, fiscal_year_start), id=p) for p in PRESETS]
            + [Option(Text("custom range: from … to …"), id=CUSTOM)]
        )
        chosen = current.preset if current.preset in PRESETS else CUSTOM
        options.highlighted = options.get_option_index(chosen)
        self.query_one("#custom-from", Input).value = current.start.isoformat()
        self.query_one("#custom-to", Input).value = current.end.isoformat()
        self._show_custom(chosen == CUSTOM)
        for label in self.query(".range-error").results(Label):
            label.update(Text(""))
        options.focus()

    def _show_custom(self, shown: bool) -> None:
        self.query_one("#custom-range").display = shown
        self.query_one("#custom-range-to").display = shown

    @on(OptionList.OptionSelected, "#period-presets")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id == CUSTOM:
            self._show_custom(True)
            self.query_one("#custom-from", Input).focus()
            return
        assert event.option_id is not None
        period = resolve_preset(event.option_id, self.as_of, self.fiscal_year_start)
        self.post_message(self.Picked(period))

    @on(Input.Changed, "#custom-from, #custom-to")
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        # A changed field's old complaint no longer applies.
        self.query_one(f"#{event.input.id}-error", Label).update(Text(""))

    @on(Input.Submitted, "#custom-from")
    def _from_done(self, event: Input.Submitted) -> None:
        event.stop()
        if self._read("from") is not None:
            self.query_one("#custom-to", Input).focus()

    @on(Input.Submitted, "#custom-to")
    def _to_done(self, event: Input.Submitted) -> None:
        event.stop()
        start, end = self._read("from"), self._read("to")
        if start is None:
            self.query_one("#custom-from", Input).focus()
            return
        if end is None:
            return
        if start > end:
            self._complain("to", f"✗ before from ({start.isoformat()})")
            return
        self.post_message(self.Picked(Period(start, end)))

    def _read(self, which: str) -> date | None:
        """The date in field `which`, or None with the reason beside it."""
        text = self.query_one(f"#custom-{which}", Input).value.strip()
        try:
            day = parse_date(text, which)
        except PeriodError:
            what = "empty" if not text else "not a date"
            self._complain(which, f"✗ {what}: use YYYY-MM-DD")
            return None
        self.query_one(f"#custom-{which}-error", Label).update(Text(""))
        return day

    def _complain(self, which: str, words: str) -> None:
        # ✗ and words, so the error does not depend on colour.
        self.query_one(f"#custom-{which}-error", Label).update(Text(words))


def _preset_prompt(preset: str, as_of: date, fiscal_year_start: int) -> Text:
    """A preset with the dates it resolves to on `as_of`."""
    period = resolve_preset(preset, as_of, fiscal_year_start)
    text = Text(preset.ljust(20), end="")
    dates = f"{period.start.isoformat()} to {period.end.isoformat()}"
    if preset == "all-time":
        dates = f"everything up to {period.end.isoformat()}"
    text.append(dates, "dim")
    return text
