"""The tables of the customer detail, as Rich renderables of plain Text.

Every cell is a Text (never a markup string), so user values such as
`Weird [/] name` show literally.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ...figures import AGING_BUCKETS, CustomerDetail, Receivables
from ...money import change_text, money
from ..formatting import day_text, safe


def _table() -> Table:
    return Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)


def _title(text: str) -> Text:
    return Text(text, style="bold underline")


def month_table(detail: CustomerDetail, symbol: str, compare: bool) -> RenderableType:
    """Each fiscal month paid last year and this year, % change, and totals."""
    fy, last = detail.fiscal_year, detail.last_fiscal_year
    table = _table()
    table.add_column("Month")
    if compare:
        table.add_column(last.label, justify="right")
    table.add_column(fy.label, justify="right")
    if compare:
        table.add_column("Change", justify="right")

    for month in detail.months:
        # Months after the as-of day have not happened yet: no figure, no %.
        future = month.month > detail.day
        cells = [Text(month.label)]
        if compare:
            cells.append(Text(money(month.last_year, symbol)))
        cells.append(Text("not yet" if future else money(month.this_year, symbol)))
        if compare:
            change = "" if future else change_text(month.this_year, month.last_year)
            cells.append(Text(change))
        table.add_row(*cells)

    table.add_section()
    total = [Text("Year", style="bold")]
    if compare:
        total.append(Text(money(detail.last_year_total, symbol)))
    total.append(Text(money(detail.this_year_total, symbol), style="bold"))
    if compare:
        total.append(Text(""))
    table.add_row(*total)
    if compare:
        pct = change_text(detail.this_year_total, detail.last_year_to_date)
        table.add_row(
            Text(f"To {day_text(detail.day)[:-5]}", style="bold"),
            Text(money(detail.last_year_to_date, symbol)),
            Text(money(detail.this_year_total, symbol), style="bold"),
            Text(pct, style="bold"),
        )
    return Group(_title("Month by month"), table)


def receivables_view(receivable: Receivables, symbol: str) -> RenderableType:
    """What is owed at the as-of day: total, overdue, aging, open invoices."""
    summary = Text(end="")
    summary.append(f"Owed at {day_text(receivable.day)}: ", "bold")
    summary.append(money(receivable.total, symbol), "bold")
    summary.append(f" · overdue {money(receivable.overdue, symbol)}")

    aging = _table()
    for bucket in AGING_BUCKETS:
        aging.add_column(bucket, justify="right")
    aging.add_row(*(Text(money(v, symbol)) for v in receivable.aging.as_tuple()))

    if not receivable.invoices:
        return Group(
            summary, _title("Aging, days past due"), aging, "No open invoices."
        )
    invoices = _table()
    invoices.add_column("Invoice")
    invoices.add_column("Issued")
    invoices.add_column("Due")
    invoices.add_column("Days late", justify="right")
    invoices.add_column("Outstanding", justify="right")
    for invoice in receivable.invoices:
        late = str(invoice.days_late) if invoice.days_late > 0 else "not due"
        invoices.add_row(
            safe(invoice.invoice_number),
            Text(invoice.issue_date.isoformat()),
            Text(invoice.due_date.isoformat()),
            Text(late),
            Text(money(invoice.outstanding, symbol)),
        )
    return Group(
        summary,
        Text(""),
        _title("Aging, days past due"),
        aging,
        _title("Open invoices"),
        invoices,
    )
