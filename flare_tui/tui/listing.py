"""The customer list as the screen holds it: cleaned rows, filter and sort.

Plain Python (no Textual) so it runs in a worker thread and is easy to test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..figures import CustomerSummary
from ..text import one_line

#: Sort orders: key -> (label, largest first by default).
SORTS = {
    "name": ("name", False),
    "paid": ("paid this year", True),
    "change": ("change", True),
    "unpaid": ("unpaid total", True),
}


@dataclass(frozen=True, slots=True)
class ListRow:
    """A customer as the list shows it: the figures plus what is derived once."""

    summary: CustomerSummary
    name: str  # control characters stripped, one line
    search: str  # casefolded name and id, for the filter
    change: Decimal | None


def build_rows(customers: Sequence[CustomerSummary]) -> list[ListRow]:
    """Clean each name and derive the filter text and change once, off the UI."""
    rows = []
    for summary in customers:
        name = one_line(summary.name) or "(no name)"
        search = f"{name}\n{summary.customer_id}".casefold()
        rows.append(ListRow(summary, name, search, summary.change_pct))
    return rows


def _change_key(row: ListRow) -> tuple[int, Decimal]:
    # "new" (nothing last year, something now) is the biggest rise there is;
    # "—" (nothing either year) says the least, so it sorts below any %.
    if row.change is not None:
        return (1, row.change)
    return (2, Decimal(0)) if row.summary.paid_this_year > 0 else (0, Decimal(0))


def sort_key(sort: str) -> Callable[[ListRow], Any]:
    """The key function of a sort order from SORTS."""
    if sort == "paid":
        return lambda row: row.summary.paid_this_year
    if sort == "change":
        return _change_key
    if sort == "unpaid":
        return lambda row: row.summary.unpaid_total
    return lambda row: (row.name.casefold(), row.summary.customer_id)


def sorted_rows(rows: Sequence[ListRow], sort: str, reverse: bool) -> list[ListRow]:
    """The rows in a sort order; `reverse` flips its natural direction.

    Ties keep name order (the books' order), because Python's sort is stable.
    """
    _, largest_first = SORTS[sort]
    return sorted(rows, key=sort_key(sort), reverse=largest_first != reverse)


def filtered(rows: Sequence[ListRow], text: str) -> list[ListRow]:
    """Rows whose name or id contains `text`, ignoring case."""
    needle = text.strip().casefold()
    if not needle:
        return list(rows)
    return [row for row in rows if needle in row.search]
