"""The tables of the customer detail as one plain Text, columns padded by hand.

Rich's Table measured and drew these three small tables twice per update
(once for the height, once to paint): ~20 ms of the UI thread each time
the detail opened. Padding known columns is microseconds. Every cell is
plain text (user values never parsed as markup) and padded by terminal
cells, so wide characters (山田商店) keep the columns straight.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

from ...figures import AGING_BUCKETS, CustomerDetail, Receivables
from ...money import change_text, money
from ...text import one_line
from ..formatting import day_text

GAP = "  "


def columns(
    text: Text,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool],
    bold_rows: Sequence[int] = (),
    rule_before: Sequence[int] = (),
) -> None:
    """Append a table to `text`: a bold header, a rule, then the rows.

    `right` says which columns are right-aligned; `bold_rows` are row
    indexes shown bold; `rule_before` row indexes get a rule above them.
    """
    widths = [cell_len(cell) for cell in header]
    for row in rows:
        widths = [max(w, cell_len(cell)) for w, cell in zip(widths, row, strict=True)]
    rule = "─" * (sum(widths) + len(GAP) * (len(widths) - 1))

    def line(cells: Sequence[str]) -> str:
        padded = []
        for cell, width, is_right in zip(cells, widths, right, strict=True):
            pad = " " * (width - cell_len(cell))
            padded.append(pad + cell if is_right else cell + pad)
        return GAP.join(padded).rstrip()

    text.append(line(header) + "\n", "bold")
    text.append(rule + "\n", "dim")
    for index, row in enumerate(rows):
        if index in rule_before:
            text.append(rule + "\n", "dim")
        text.append(line(row) + "\n", "bold" if index in bold_rows else "")


def _title(text: Text, title: str) -> None:
    text.append(title, "bold underline")
    text.append("\n")


def month_table(detail: CustomerDetail, symbol: str, compare: bool) -> Text:
    """Each fiscal month paid last year and this year, % change, and totals."""
    fy, last = detail.fiscal_year, detail.last_fiscal_year
    header = ["Month", last.label, fy.label, "Change"]
    rows: list[list[str]] = []
    for month in detail.months:
        # Months after the as-of day have not happened yet: no figure, no %.
        future = month.month > detail.day
        rows.append(
            [
                month.label,
                money(month.last_year, symbol),
                "not yet" if future else money(month.this_year, symbol),
                "" if future else change_text(month.this_year, month.last_year),
            ]
        )
    totals = len(rows)
    rows.append(
        ["Year", money(detail.last_year_total, symbol)]
        + [money(detail.this_year_total, symbol), ""]
    )
    rows.append(
        [
            f"To {day_text(detail.day)[:-5]}",
            money(detail.last_year_to_date, symbol),
            money(detail.this_year_total, symbol),
            change_text(detail.this_year_total, detail.last_year_to_date),
        ]
    )
    right = [False, True, True, True]
    if not compare:
        # This year only: no last-year column, no change, no to-date line.
        rows = [[row[0], row[2]] for row in rows[:-1]]
        header, right = [header[0], header[2]], [False, True]

    text = Text(end="")
    _title(text, "Month by month")
    columns(
        text,
        header,
        rows,
        right,
        bold_rows=range(totals, len(rows)),
        rule_before=[totals],
    )
    return text


def receivables_view(receivable: Receivables, symbol: str) -> Text:
    """What is owed at the as-of day: total, overdue, aging, open invoices."""
    text = Text(end="")
    text.append(f"Owed at {day_text(receivable.day)}: ", "bold")
    text.append(money(receivable.total, symbol), "bold")
    text.append(f" · overdue {money(receivable.overdue, symbol)}\n\n")

    _title(text, "Aging, days past due")
    amounts = [money(v, symbol) for v in receivable.aging.as_tuple()]
    columns(text, list(AGING_BUCKETS), [amounts], [True] * len(AGING_BUCKETS))

    text.append("\n")
    if not receivable.invoices:
        text.append("No open invoices.")
        return text
    _title(text, "Open invoices")
    rows = [
        [
            one_line(invoice.invoice_number),  # user text: no control codes
            invoice.issue_date.isoformat(),
            invoice.due_date.isoformat(),
            str(invoice.days_late) if invoice.days_late > 0 else "not due",
            money(invoice.outstanding, symbol),
        ]
        for invoice in receivable.invoices
    ]
    header = ["Invoice", "Issued", "Due", "Days late", "Outstanding"]
    columns(text, header, rows, [False, False, False, True, True])
    text.rstrip()
    return text
