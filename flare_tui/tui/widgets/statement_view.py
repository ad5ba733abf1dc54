"""A statement's lines as a Line API view: only the rows on screen are drawn.

A 5,000-line statement is turned into plain row tuples once (a few ms) and
each repaint formats just the visible rows, so the view costs the same for
five lines or five thousand. The column header stays at the top.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...money import money
from ...records import AGING_BUCKETS
from ...statement import Statement
from ...text import one_line

DATE_W = 10
STATUS_W = 11  # "partly paid"


@dataclass(frozen=True)
class Row:
    """One line of the view: a kind (for its style) and its cells."""

    kind: str  # "line", "opening", "total", "closing", "title", "aging", "blank"
    date: str = ""
    reference: str = ""
    status: str = ""
    debit: str = ""
    credit: str = ""
    balance: str = ""
    description: str = ""


def statement_rows(statement: Statement, symbol: str) -> list[Row]:
    """Every row of the view: opening, the lines, totals, closing and aging."""
    rows = [
        Row(
            "opening",
            date=statement.period.start.isoformat(),
            reference="Opening balance",
            balance=money(statement.opening_balance, symbol),
        )
    ]
    for line in statement.lines:
        rows.append(
            Row(
                "line",
                date=line.date.isoformat(),
                reference=one_line(line.reference),
                status=line.status,
                debit=money(line.debit, symbol) if line.debit else "",
                credit=money(line.credit, symbol) if line.credit else "",
                balance=money(line.balance, symbol),
                description=one_line(line.description),
            )
        )
    if not statement.lines:
        rows.append(Row("line", reference="No invoices or payments in the period"))
    rows.append(
        Row(
            "total",
            reference="Totals",
            debit=money(statement.total_invoiced, symbol),
            credit=money(statement.total_paid, symbol),
        )
    )
    rows.append(
        Row(
            "closing",
            date=statement.end.isoformat(),
            reference="Closing balance",
            balance=money(statement.closing_balance, symbol),
        )
    )
    rows.append(Row("blank"))
    aging = statement.aging
    rows.append(
        Row(
            "title",
            reference=f"Aging at {statement.end.isoformat()}, days past due:"
            f" owed {money(aging.total, symbol)},"
            f" overdue {money(statement.overdue, symbol)}",
        )
    )
    for bucket, cents in zip(AGING_BUCKETS, aging.as_tuple(), strict=True):
        rows.append(Row("aging", reference=bucket, balance=money(cents, symbol)))
    return rows


class StatementView(ScrollView, can_focus=True):
    """The statement table; ↑ ↓ PgUp PgDn Home End scroll it."""

    COMPONENT_CLASSES = {
        "statement-view--header",
        "statement-view--total",
        "statement-view--title",
    }
    DEFAULT_CSS = """
    StatementView {
        overflow-x: hidden;
    }
    StatementView > .statement-view--header {
        text-style: bold;
        background: $panel;
    }
    StatementView > .statement-view--total {
        text-style: bold;
    }
    StatementView > .statement-view--title {
        text-style: bold underline;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.money_w = 9
        self.ref_w = 10
        self._styles: dict[str, Style] = {}

    def show(self, statement: Statement, symbol: str) -> None:
        """Show a statement from its first line."""
        self.rows = statement_rows(statement, symbol)
        widest = max(
            (len(r.debit) for r in self.rows),
            default=0,
        )
        widest = max(widest, *(len(r.credit) for r in self.rows))
        widest = max(widest, *(len(r.balance) for r in self.rows))
        self.money_w = max(9, widest)
        refs = (cell_len(r.reference) for r in self.rows if r.kind == "line")
        self.ref_w = min(16, max(10, max(refs, default=10)))
        # One more virtual line than rows: line 0 is the pinned header.
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def on_resize(self) -> None:
        """Keep the virtual width equal to the real one (no sideways scroll)."""
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    @property
    def line_width(self) -> int:
        """Cells a line may use: the width less the scroll bar, if shown."""
        return self.scrollable_content_region.width

    # -- scrolling -----------------------------------------------------------
    # No smooth scrolling: each animation frame is a full repaint, several
    # per key, which costs time and bandwidth over SSH. A page is the body
    # height (the header line stays put), so no row is skipped.

    def _scroll_by(self, rows: int) -> None:
        self.scroll_to(y=self.scroll_y + rows, animate=False)

    def action_scroll_up(self) -> None:
        """One line up."""
        self._scroll_by(-1)

    def action_scroll_down(self) -> None:
        """One line down."""
        self._scroll_by(1)

    def action_page_up(self) -> None:
        """A screenful up."""
        self._scroll_by(-max(1, self.size.height - 1))

    def action_page_down(self) -> None:
        """A screenful down."""
        self._scroll_by(max(1, self.size.height - 1))

    def action_scroll_home(self) -> None:
        """The first line."""
        self.scroll_to(y=0, animate=False)

    def action_scroll_end(self) -> None:
        """The last line."""
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # -- drawing -------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Work the styles out once per repaint, not once per line."""
        self._styles = self._line_styles()
        return super().render_lines(crop)

    def _line_styles(self) -> dict[str, Style]:
        base = self.rich_style
        return {
            "": base,
            "header": base + self.get_component_rich_style("statement-view--header"),
            "total": base + self.get_component_rich_style("statement-view--total"),
            "title": base + self.get_component_rich_style("statement-view--title"),
        }

    def _cells(self, row: Row) -> str:
        """The row laid out in fixed columns; the description takes the rest."""
        width = self.line_width
        m = self.money_w
        if row.kind in ("opening", "closing", "total", "title", "aging"):
            # Labels run across the date-less columns.
            label_w = self.ref_w + 1 + STATUS_W
            if row.kind == "title":
                return _fit(row.reference, width)
            lead = (row.date or "").ljust(DATE_W) + " "
            if row.kind == "aging":
                lead = " " * (DATE_W + 1)
            text = lead + _fit(row.reference, label_w)
        else:
            text = (
                row.date.ljust(DATE_W)
                + " "
                + _fit(row.reference, self.ref_w)
                + " "
                + row.status.ljust(STATUS_W)
            )
            if not row.date:  # the "no lines" row: let its words run on
                return _fit(" " * (DATE_W + 1) + row.reference, width)
        text += " " + row.debit.rjust(m) + " " + row.credit.rjust(m)
        text += " " + row.balance.rjust(m)
        room = width - cell_len(text) - 2
        if row.description and room >= 4:
            text += "  " + _fit(row.description, room)
        return text

    def _header(self) -> str:
        m = self.money_w
        text = (
            "Date".ljust(DATE_W)
            + " "
            + "Reference".ljust(self.ref_w)
            + " "
            + "Status".ljust(STATUS_W)
            + " "
            + "Debit".rjust(m)
            + " "
            + "Credit".rjust(m)
            + " "
            + "Balance".rjust(m)
        )
        if self.line_width - cell_len(text) - 2 >= 4:
            text += "  Details"
        return text

    def _strip(self, text: str, style: Style) -> Strip:
        strip = Strip([Segment(text, style)])
        return strip.adjust_cell_length(self.line_width, style)

    def render_line(self, y: int) -> Strip:
        """Screen line `y`: the header, or the row scrolled into that place."""
        styles = self._styles or self._line_styles()
        if y == 0:
            return self._strip(self._header(), styles["header"])
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return self._strip("", styles[""])
        row = self.rows[index]
        style = styles[""]
        if row.kind in ("opening", "total", "closing"):
            style = styles["total"]
        elif row.kind == "title":
            style = styles["title"]
        return self._strip(self._cells(row), style)


def _fit(text: str, width: int) -> str:
    """Text padded or cut (with …) to exactly `width` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
