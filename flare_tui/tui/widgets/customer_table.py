"""The customer list as a Line API widget that renders only the visible rows.

Textual's DataTable builds every cell of every row before its first paint
(seconds for 20,000 customers, see STACK.md); this widget formats only the
rows on screen, so 20,000 customers cost the same as 20.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import MouseScrollDown, MouseScrollUp
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from ...figures import CustomerSummary
from ...money import change_text, compact, money
from ..listing import ListRow
from .cursor_list import CursorList

MONTH_WIDTH = 6  # " 12.3k": compact() never needs more than 5 characters
NAME_MIN = 20
GAP = 1


class CustomerTable(CursorList[ListRow], can_focus=True):
    """A scrolling table of customers with a fixed header and totals line.

    Month columns: at 80 columns the name and the money columns (paid this
    year, change, unpaid) cannot share the width with all 12 months, and a
    whole-table horizontal scroll would push the name or the money off the
    screen. So the name and the money stay put and the months show as a
    window of as many as fit, ending at the as-of month (the freshest
    figures), which ← and → move. Wide terminals show all 12.
    """

    COMPONENT_CLASSES = {
        "customer-table--header",
        "customer-table--cursor",
        "customer-table--totals",
    }
    # ↑ ↓ PgUp PgDn Home End come from CursorList.
    BINDINGS = [
        Binding(
            "left",
            "months(-1)",
            "Earlier months",
            group=Binding.Group("Months", compact=True),
            id="customers.months_earlier",
        ),
        Binding(
            "right",
            "months(1)",
            "Later months",
            group=Binding.Group("Months", compact=True),
            id="customers.months_later",
        ),
        Binding("enter", "open", "Open", id="customers.open"),
    ]
    CHROME_LINES = 2  # the header and the totals line

    class Opened(Message):
        """Enter on a customer: open its detail."""

        def __init__(self, customer_id: str) -> None:
            super().__init__()
            self.customer_id = customer_id

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows: Sequence[ListRow] = ()
        self.totals: CustomerSummary | None = None
        self.totals_label = "Total"
        self.labels: tuple[str, ...] = ("",) * 12
        self.symbol = "$"
        self.month_end = 12  # one past the last month shown
        self._line_styles: dict[str, Style] = {}
        # (width, height, layout) while a repaint is in progress.
        self._frame: tuple[int, int, tuple[int, int, int]] | None = None

    # -- data ----------------------------------------------------------------

    def show(
        self,
        rows: Sequence[ListRow],
        totals: CustomerSummary | None,
        totals_label: str,
        labels: tuple[str, ...],
        symbol: str,
        keep: str | None = None,
    ) -> None:
        """Show these rows; keep the cursor on customer `keep` if it is there."""
        self.rows, self.totals, self.labels, self.symbol = rows, totals, labels, symbol
        self.totals_label = totals_label
        cursor = 0
        if keep is not None:
            for index, row in enumerate(rows):
                if row.summary.customer_id == keep:
                    cursor = index
                    break
        self._place_cursor(cursor)

    def set_month_end(self, month_end: int) -> None:
        """Show the months window ending at fiscal month `month_end` (1-12)."""
        self.month_end = max(1, min(12, month_end))
        self.refresh()

    def _cursor_rows(self) -> Sequence[ListRow]:
        """The customers the cursor moves over."""
        return self.rows

    # -- actions -------------------------------------------------------------

    def action_months(self, delta: int) -> None:
        """Slide the window of month columns."""
        shown = self._layout()[1]
        self.month_end = max(shown, min(12, self.month_end + delta))
        self.refresh()

    def action_open(self) -> None:
        """Open the customer under the cursor."""
        if self.current is not None:
            self.post_message(self.Opened(self.current.summary.customer_id))

    def on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        """The wheel moves the cursor too (the mouse is never needed)."""
        self.action_cursor(3)

    def on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        """See on_mouse_scroll_down."""
        self.action_cursor(-3)

    # -- drawing -------------------------------------------------------------

    def _money_width(self) -> int:
        # The totals are the widest figures of the book.
        widest = 0
        if self.totals is not None:
            widest = max(self.totals.paid_this_year, self.totals.unpaid_total)
        return max(len(money(widest, self.symbol)), 9)

    def _layout(self) -> tuple[int, int, int]:
        """(name width, months shown, money width) for the current width."""
        if self._frame is not None:
            return self._frame[2]
        width = self.size.width
        cash = self._money_width()
        fixed = 2 + (cash + GAP) * 2 + (7 + GAP) + (4 + GAP)
        room = width - fixed - NAME_MIN
        months = max(1, min(12, room // MONTH_WIDTH))
        name = max(NAME_MIN, width - fixed - months * MONTH_WIDTH)
        return name, months, cash

    def _cells(
        self,
        name: str,
        months: Sequence[str],
        paid: str,
        change: str,
        count: str,
        unpaid: str,
    ) -> str:
        name_w, shown, cash = self._layout()
        # Cell widths, not len(): 山田商店 takes two cells a character.
        if cell_len(name) > name_w - 1:
            name = set_cell_size(name, name_w - 2) + "…"
        parts = [set_cell_size(name, name_w)]
        parts += [m.rjust(MONTH_WIDTH) for m in months]
        parts.append(paid.rjust(cash + GAP))
        parts.append(change.rjust(7 + GAP))
        parts.append(count.rjust(4 + GAP))
        parts.append(unpaid.rjust(cash + GAP))
        return "".join(parts)

    def _window(self) -> range:
        shown = self._layout()[1]
        end = max(shown, self.month_end)
        return range(end - shown, end)

    def _header(self) -> str:
        window = self._window()
        labels = [self.labels[i] for i in window]
        # ‹ and › say that more months are hidden on that side.
        if window.start > 0:
            labels[0] = "‹" + labels[0]
        if window.stop < 12:
            labels[-1] = labels[-1] + "›"
        return self._cells("  Customer", labels, "Paid", "Change", "#", "Unpaid")

    def _line(self, summary: CustomerSummary, name: str, marker: str) -> str:
        months = [compact(summary.paid_by_month[i]) for i in self._window()]
        return self._cells(
            marker + name,
            months,
            money(summary.paid_this_year, self.symbol),
            change_text(summary.paid_this_year, summary.paid_last_year_to_date),
            str(summary.unpaid_invoices) if summary.unpaid_invoices else "·",
            money(summary.unpaid_total, self.symbol),
        )

    def _strip(self, text: str, style: Style) -> Strip:
        # Padded here to the width, so the Strip needs no second pass.
        width = self._frame[0] if self._frame else self.size.width
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def _styles_now(self) -> dict[str, Style]:
        base = self.rich_style
        styles = {
            part: base + self.get_component_rich_style(f"customer-table--{part}")
            for part in ("header", "totals", "cursor")
        }
        styles["row"] = base
        return styles

    def render_lines(self, crop: Region) -> list[Strip]:
        """Work out styles and column widths once per repaint, not per line
        (`size` alone costs ~30 µs a call)."""
        self._line_styles = self._styles_now()
        size = self.size
        self._frame = None
        self._frame = (size.width, size.height, self._layout())
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        """One screen line: the header, a customer, the totals or blank."""
        styles = self._line_styles or self._styles_now()
        if y == 0:
            return self._strip(self._header(), styles["header"])
        height = self._frame[1] if self._frame else self.size.height
        if y == height - 1:
            if self.totals is None:
                return self._strip("", styles["row"])
            line = self._line(self.totals, self.totals_label, "  ")
            return self._strip(line, styles["totals"])
        index = self.top + y - 1
        if index >= len(self.rows):
            return self._strip("", styles["row"])
        row = self.rows[index]
        if index == self.cursor:
            # The ▶ marks the cursor without colour (NO_COLOR, 16 colours).
            line = self._line(row.summary, row.name, "▶ ")
            return self._strip(line, styles["cursor"])
        return self._strip(self._line(row.summary, row.name, "  "), styles["row"])
