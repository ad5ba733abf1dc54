"""The cursor and scrolling shared by the Line API lists (customers, sent log).

Each list draws its own lines; this base class only keeps track of which row
the cursor is on and which row is at the top of the body, and moves both on
↑ ↓ PgUp PgDn Home End.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from textual.binding import Binding, BindingType
from textual.widget import Widget

RowT = TypeVar("RowT")


class CursorList(Generic[RowT], Widget, can_focus=True):
    """A list with a cursor row and a scrolled body between fixed lines.

    Subclasses say which rows they show (`_cursor_rows`), how many screen
    lines are not body (`CHROME_LINES`: header, totals) and what to do when
    the cursor moves (`_cursor_moved`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
    ]
    CHROME_LINES: ClassVar[int] = 1
    """Screen lines that are not body rows (a header, a totals line)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.cursor = 0
        self.top = 0

    # -- hooks ---------------------------------------------------------------

    def _cursor_rows(self) -> Sequence[RowT]:
        """The rows the cursor moves over."""
        raise NotImplementedError

    def _cursor_moved(self) -> None:
        """Called after the cursor was placed or moved; nothing by default."""

    # -- cursor --------------------------------------------------------------

    @property
    def current(self) -> RowT | None:
        """The row under the cursor."""
        rows = self._cursor_rows()
        return rows[self.cursor] if rows else None

    @property
    def body_height(self) -> int:
        """How many rows fit between the fixed lines."""
        return max(1, self.size.height - self.CHROME_LINES)

    def _place_cursor(self, index: int) -> None:
        """Put the cursor on `index` of freshly shown rows, half a body down
        the screen so the rows around it are in view too."""
        self.cursor = index
        self.top = max(0, self.cursor - self.body_height // 2)
        self.refresh()
        self._cursor_moved()

    def move_to(self, index: int) -> None:
        """Put the cursor on row `index`, scrolling to keep it in view."""
        rows = self._cursor_rows()
        if not rows:
            return
        self.cursor = max(0, min(len(rows) - 1, index))
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + self.body_height:
            self.top = self.cursor - self.body_height + 1
        self.refresh()
        self._cursor_moved()

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up or down."""
        self.move_to(self.cursor + delta)

    def action_page(self, pages: int) -> None:
        """Move a screenful up or down."""
        self.move_to(self.cursor + pages * self.body_height)

    def action_cursor_to(self, index: int) -> None:
        """Jump to the first (0) or last (-1) row."""
        self.move_to(len(self._cursor_rows()) - 1 if index < 0 else index)

    def on_resize(self) -> None:
        """Keep the cursor visible when the terminal changes size."""
        self.move_to(self.cursor)
