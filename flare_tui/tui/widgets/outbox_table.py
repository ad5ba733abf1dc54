"""The sent log as a Line API list with a cursor: only visible rows are drawn,
so a batch run's thousands of entries cost nothing to show."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from ...outbox import OutboxEntry
from ...text import one_line
from .cursor_list import CursorList

WHEN_W = 11  # "12-03 14:05"
STATUS_W = 11  # "unconfirmed"
PERIOD_W = 21  # "2026-01-01…2026-12-03"


def when_text(entry: OutboxEntry) -> str:
    """When the entry last changed, in local time: "12-03 14:05"."""
    moment = entry.sent_at or entry.attempted_at or entry.created_at
    return moment.astimezone().strftime("%m-%d %H:%M")


def period_short(entry: OutboxEntry) -> str:
    """The statement's dates in 21 characters."""
    return f"{entry.period_start.isoformat()}…{entry.period_end.isoformat()}"


class OutboxTable(CursorList[OutboxEntry], can_focus=True):
    """One row per send, newest first; ▶ marks the cursor without colour."""

    COMPONENT_CLASSES = {"outbox-table--header", "outbox-table--cursor"}
    # ↑ ↓ PgUp PgDn Home End come from CursorList.
    BINDINGS = [Binding("enter", "open", "Details", id="outbox.details")]
    CHROME_LINES = 1  # the header

    class Moved(Message):
        """The cursor is on another entry."""

    class Opened(Message):
        """Enter on an entry: show its details."""

        def __init__(self, entry: OutboxEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.entries: Sequence[OutboxEntry] = ()

    def show(self, entries: Sequence[OutboxEntry], keep: int | None = None) -> None:
        """Show these entries, keeping the cursor on entry id `keep` if given."""
        self.entries = entries
        cursor = 0
        for index, entry in enumerate(entries):
            if entry.id == keep:
                cursor = index
                break
        self._place_cursor(cursor)

    def _cursor_rows(self) -> Sequence[OutboxEntry]:
        """The entries the cursor moves over."""
        return self.entries

    def _cursor_moved(self) -> None:
        """Tell the screen, which shows the details of the entry."""
        self.post_message(self.Moved())

    def action_open(self) -> None:
        """Show the details of the entry under the cursor."""
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    # -- drawing -------------------------------------------------------------

    def _cells(
        self, marker: str, when: str, status: str, name: str, period: str, to: str
    ) -> str:
        # The rest of the width is shared by the customer and the recipient.
        fixed = 2 + WHEN_W + 1 + STATUS_W + 1 + PERIOD_W + 2
        room = max(20, self.size.width - fixed)
        name_w = room // 2
        return (
            marker
            + when.ljust(WHEN_W)
            + " "
            + status.ljust(STATUS_W)
            + " "
            + _fit(name, name_w)
            + " "
            + period.ljust(PERIOD_W)
            + " "
            + _fit(to, room - name_w)
        )

    def _strip(self, text: str, style: Style) -> Strip:
        return Strip([Segment(text, style)]).adjust_cell_length(self.size.width, style)

    def render_line(self, y: int) -> Strip:
        """The header, an entry, or blank."""
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("outbox-table--header")
            header = self._cells("  ", "When", "Status", "Customer", "Period", "To")
            return self._strip(header, style)
        index = self.top + y - 1
        if not self.entries and y == 1:
            return self._strip("  Nothing has been e-mailed yet.", base)
        if index >= len(self.entries):
            return self._strip("", base)
        entry = self.entries[index]
        marker, style = "  ", base
        if index == self.cursor:
            marker = "▶ "
            style = base + self.get_component_rich_style("outbox-table--cursor")
        line = self._cells(
            marker,
            when_text(entry),
            entry.status_text,
            one_line(entry.customer_name),
            period_short(entry),
            one_line(entry.recipient),
        )
        return self._strip(line, style)


def _fit(text: str, width: int) -> str:
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
