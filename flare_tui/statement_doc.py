"""A statement laid out as Markdown pages, every piece of user data escaped.

markdown-pdf renders raw HTML and live Markdown, so a customer called
`Acme | Pipes *Ltd*` would split a table cell and turn italic. Every value
that comes from the books goes through `md_escape` before it enters the
text; only the layout written here is Markdown or HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .money import money
from .statement import Statement, StatementLine
from .text import one_line

# The characters that can start or end something in CommonMark inline text
# (emphasis, code, links, images, tables, strikethrough, entities, tags,
# escapes). Escaping only these keeps the parser's work small on long
# statements; `md_escape` also escapes a leading block marker.
_SPECIAL = re.compile(r"[\\`*_\[\]!|~&<>]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BLOCK_START = re.compile(r"^(?:[#+=>-]|\d+[.)])")

#: Rows of the activity table that fit one page after the first, and the
#: first page (which also carries the address blocks and the summary).
#: Measured at the CSS below on A4; Letter is shorter, hence the margin.
#: (A row is 13.7 pt; the first page fits 39 rows on A4 under an address
#: block of five lines, later pages 50.)
ROWS_PER_PAGE = {"A4": 48, "Letter": 44}
FIRST_PAGE_ROWS = {"A4": 37, "Letter": 33}
#: Characters of the details column that fit one line; longer ones wrap
#: and count as more than one row.
DETAILS_WIDTH = 52

AGING_LABELS = ("Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days")

# `hyphens: none`: pdf.without_ligatures puts soft hyphens inside words, and
# a line must never break at one.
STATEMENT_CSS = """
body { font-family: sans-serif; font-size: 9pt; color: #222; }
body, p, td, th, h1, h2, div { hyphens: none; }
h1 { font-size: 17pt; margin: 0 0 2pt 0; }
h2 { font-size: 11pt; margin: 10pt 0 3pt 0; border-bottom: 1px solid #555; }
p { margin: 0 0 4pt 0; }
table { width: 100%; border-collapse: collapse; margin: 2pt 0 6pt 0; }
th.num, td.num { text-align: right; }
th { text-align: left; font-size: 8pt; background-color: #e8e8e8;
     border-bottom: 1px solid #555; padding: 2pt 3pt; }
td { font-size: 8.5pt; border-bottom: 0.5px solid #ccc; padding: 1.5pt 3pt; }
.summary { margin-left: 58%; }
.summary table { width: 100%; }
"""


def md_escape(value: object) -> str:
    """A value from the books made inert for Markdown and raw HTML.

    Markdown's inline punctuation is backslash-escaped (so `|`, `*`, `[`,
    `_` stay text); `&`, `<` and `>` become entities so no tag or entity
    forms.
    Control characters and line breaks are flattened to single spaces.
    """
    text = one_line(str(value))
    text = _SPECIAL.sub(_escape_char, text)
    if _BLOCK_START.match(text):
        # Only our own text starts a line, but a heading or list marker must
        # never come from the books even if that changes.
        text = "\\" + text if not text[0].isdigit() else _escape_number(text)
    return text


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ENTITIES.get(char) or "\\" + char


def _escape_number(text: str) -> str:
    digits = len(text) - len(text.lstrip("0123456789"))
    return text[:digits] + "\\" + text[digits:]


def md_lines(value: str) -> str:
    """A multi-line value (an address) escaped line by line, joined by <br>."""
    lines = [md_escape(line) for line in value.splitlines() if line.strip()]
    return "<br>".join(lines)


def html_escape(value: object) -> str:
    """A value from the books made inert inside our own raw-HTML table.

    Markdown is not parsed inside an HTML block, so entities are all the
    escaping needed; line breaks are flattened so the block cannot end.
    """
    return html.escape(one_line(str(value)), quote=True)


@dataclass(frozen=True)
class _Row:
    html: str  # one <tr>, every value escaped
    height: int  # in table rows, counting wrapped details


def _money(cents: int, symbol: str) -> str:
    return md_escape(money(cents, symbol))


def _details(line: StatementLine) -> str:
    kind = "Invoice" if line.kind == "invoice" else "Payment"
    text = f"{kind} — {line.description}" if line.description else kind
    if line.due_date is not None:
        text += f" (due {line.due_date.isoformat()})"
    return text


def _tr(cells: Sequence[str], bold: bool = False) -> str:
    # The first four columns are text, the last three money (right-aligned).
    tag = ("<td><b>", "</b></td>") if bold else ("<td>", "</td>")
    num = (
        ('<td class="num"><b>', "</b></td>") if bold else ('<td class="num">', "</td>")
    )
    text = "".join(f"{tag[0]}{c}{tag[1]}" for c in cells[:4])
    amounts = "".join(f"{num[0]}{c}{num[1]}" for c in cells[4:])
    return f"<tr>{text}{amounts}</tr>"


def _activity_rows(statement: Statement) -> list[_Row]:
    # The activity table is the one part that grows with the books, so it is
    # a raw-HTML block: markdown-it passes it through without tokenising
    # every cell, which keeps a 5,000-line statement well under 2 s.
    symbol = statement.business.currency_symbol

    def cash(cents: int) -> str:
        return html_escape(money(cents, symbol))

    rows = [
        _Row(
            _tr(
                (
                    statement.period.start.isoformat(),
                    "",
                    "Opening balance",
                    "",
                    "",
                    "",
                    cash(statement.opening_balance),
                ),
                bold=True,
            ),
            1,
        )
    ]
    for line in statement.lines:
        details = _details(line)
        cells = (
            line.date.isoformat(),
            html_escape(line.reference),
            html_escape(details),
            html_escape(line.status),
            cash(line.debit) if line.debit else "",
            cash(line.credit) if line.credit else "",
            cash(line.balance),
        )
        rows.append(_Row(_tr(cells), 1 + len(details) // DETAILS_WIDTH))
    totals = (
        statement.end.isoformat(),
        "",
        "Totals and closing balance",
        "",
        cash(statement.total_invoiced),
        cash(statement.total_paid),
        cash(statement.closing_balance),
    )
    rows.append(_Row(_tr(totals, bold=True), 1))
    return rows


_TABLE_HEAD = (
    '<table class="activity"><tr><th>Date</th><th>Reference</th><th>Details</th>'
    '<th>Status</th><th class="num">Invoiced</th><th class="num">Paid</th>'
    '<th class="num">Balance</th></tr>'
)


def _first_page_head(statement: Statement) -> str:
    biz = statement.business
    customer = statement.customer
    symbol = biz.currency_symbol
    business_block = f"**{md_escape(biz.business_name)}**"
    if biz.business_address.strip():
        business_block += "<br>" + md_lines(biz.business_address)
    if biz.business_email.strip():
        business_block += "<br>" + md_escape(biz.business_email)
    customer_block = f"**{md_escape(customer.name)}**"
    if customer.address.strip():
        customer_block += "<br>" + md_lines(customer.address)
    if customer.email.strip():
        customer_block += "<br>" + md_escape(customer.email)
    period = statement.period
    details = "<br>".join(
        (
            f"Statement date: **{md_escape(statement.as_of.isoformat())}**",
            f"Period: {md_escape(period.start.isoformat())} to "
            f"{md_escape(statement.end.isoformat())}",
            f"Preset: {md_escape(period.preset or 'custom range')}",
            f"Customer ID: {md_escape(customer.customer_id)}",
        )
    )
    # Our own <div> around the table lets the CSS size it; Markdown stays
    # Markdown inside because of the blank lines.
    summary = (
        '<div class="summary">\n\n'
        "| Account summary | |\n|:--|--:|\n"
        f"| Opening balance | {_money(statement.opening_balance, symbol)} |\n"
        f"| Invoiced in the period | {_money(statement.total_invoiced, symbol)} |\n"
        f"| Paid in the period | {_money(statement.total_paid, symbol)} |\n"
        f"| **Closing balance (amount due)**"
        f" | **{_money(statement.closing_balance, symbol)}** |\n"
        "\n</div>\n"
    )
    return (
        "# Statement of account\n\n"
        "| From | To | Statement |\n|:--|:--|:--|\n"
        f"| {business_block} | {customer_block} | {details} |\n\n"
        f"{summary}\n"
    )


def _head_lines(statement: Statement) -> int:
    biz, customer = statement.business, statement.customer
    business = 2 + len(biz.business_address.splitlines())
    return max(business, 2 + len(customer.address.splitlines()), 4)


def _continued_head(statement: Statement) -> str:
    return (
        f"**{md_escape(statement.customer.name)}** — statement "
        f"{md_escape(statement.period.start.isoformat())} to "
        f"{md_escape(statement.end.isoformat())} *(continued)*\n\n"
    )


def _aging_part(statement: Statement) -> str:
    symbol = statement.business.currency_symbol
    aging = statement.aging
    head = " | ".join((*AGING_LABELS, "Total outstanding"))
    cells = " | ".join(_money(cents, symbol) for cents in aging.as_tuple())
    return (
        f"\n\n## Aging at {md_escape(statement.end.isoformat())}\n\n"
        f"| {head} |\n|--:|--:|--:|--:|--:|--:|\n"
        f"| {cells} | **{_money(aging.total, symbol)}** |\n"
    )


_OPEN_HEAD = (
    '<table class="open"><tr><th>Invoice</th><th>Issued</th><th>Due</th>'
    '<th class="num">Amount</th><th class="num">Paid</th>'
    '<th class="num">Outstanding</th><th>Status</th></tr>'
)


def _open_rows(statement: Statement) -> list[_Row]:
    symbol = statement.business.currency_symbol

    def cash(cents: int) -> str:
        return f'<td class="num">{html_escape(money(cents, symbol))}</td>'

    return [
        _Row(
            f"<tr><td>{html_escape(inv.invoice_number)}</td>"
            f"<td>{inv.issue_date.isoformat()}</td>"
            f"<td>{inv.due_date.isoformat()}</td>"
            f"{cash(inv.amount)}{cash(inv.paid)}{cash(inv.outstanding)}"
            f"<td>{html_escape(inv.status)}</td></tr>",
            1,
        )
        for inv in statement.open_invoices
    ]


def _closing_note(statement: Statement) -> str:
    symbol = statement.business.currency_symbol
    closing = money(statement.closing_balance, symbol)
    if statement.closing_balance > 0:
        note = f"Amount due: {closing}. Thank you for your business."
    elif statement.closing_balance < 0:
        note = f"You have a credit of {money(-statement.closing_balance, symbol)}."
    else:
        note = "Your account is settled. Thank you for your business."
    return f"\n{md_escape(note)}\n"


class _Pages:
    """Fills pages with headings and tables, starting a new page (with a
    "continued" line and the table's header row again) when one is full."""

    #: Rows taken by a heading with the table's header row under it.
    TABLE_START = 3

    def __init__(self, statement: Statement, first: int, later: int) -> None:
        self.statement = statement
        self.later = later
        self.pages: list[str] = [_first_page_head(statement)]
        self.room = first

    def new_page(self) -> None:
        self.pages.append(_continued_head(self.statement))
        self.room = self.later - 2

    def text(self, markdown: str, rows: int) -> None:
        if rows > self.room:
            self.new_page()
        self.pages[-1] += markdown
        self.room -= rows

    def table(self, title: str, head: str, rows: Sequence[_Row]) -> None:
        if self.room < self.TABLE_START + 1:
            self.new_page()
        self.pages[-1] += f"\n\n## {title}\n\n"
        self.room -= self.TABLE_START
        open_rows: list[str] = []
        for row in rows:
            if open_rows and row.height > self.room:
                self._close(head, open_rows)
                open_rows = []
                self.new_page()
                self.pages[-1] += f"\n\n## {title} (continued)\n\n"
                self.room -= self.TABLE_START
            open_rows.append(row.html)
            self.room -= row.height
        self._close(head, open_rows)

    def _close(self, head: str, rows: list[str]) -> None:
        # No blank line inside: a blank line would end the HTML block.
        self.pages[-1] += head + "\n" + "\n".join(rows) + "\n</table>\n"


def statement_pages(statement: Statement, paper_size: str = "A4") -> list[str]:
    """The statement as one Markdown text per page, in order.

    Tables that run over a page go on under a "continued" line with their
    header row repeated. The aging table and open invoices close it.
    """
    # Each address line beyond five pushes the table down by about a row.
    first = FIRST_PAGE_ROWS[paper_size] - max(0, _head_lines(statement) - 5)
    pages = _Pages(statement, first, ROWS_PER_PAGE[paper_size])
    pages.table("Account activity", _TABLE_HEAD, _activity_rows(statement))
    pages.text(_aging_part(statement), 7)
    if statement.open_invoices:
        pages.table("Outstanding invoices", _OPEN_HEAD, _open_rows(statement))
    pages.text(_closing_note(statement), 2)
    return pages.pages
