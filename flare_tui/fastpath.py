"""The happy path of a large import: whole files that break no rule.

Most imports are clean, and checking each cell with a message ready costs
several microseconds a row. These passes only answer "is every row good?"
and parse the values; on the first doubt they give up (return None) and the
importer runs its detailed checks, which name every error by file, line and
column. So the fast path never decides what an error says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import date
from operator import itemgetter

from .import_checks import MAX_AMOUNT

#: Bytes a clean file may hold: printable ASCII and line ends.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"
#: Where a cell could start or end with a space, or hold two in a row.
_SPACED = (b"  ", b" ,", b", ", b" \r", b" \n", b"\n ", b"\r ")


def is_plain(data: bytes) -> bool:
    """True when no cell needs cleaning: ASCII without control characters,
    no quotes (so one record per line), no space at a cell's edge."""
    if data.translate(None, _PLAIN) or b'"' in data or data.endswith(b" "):
        return False
    return not any(s in data for s in _SPACED)


def day_parser(days: dict[str, str]) -> Callable[[str], str]:
    """Parse and remember one date text: its ISO form, or "" when invalid."""

    def parse(text: str) -> str:
        iso = ""
        if len(text) == 10:
            with suppress(ValueError):
                iso = date.fromisoformat(text).isoformat()
        days[text] = iso
        return iso

    return parse


def cents(text: str) -> int:
    """Digits with at most 2 decimals as cents, or 0 for anything else (an
    amount of 0 is refused anyway); the text is known to be ASCII."""
    whole, dot, frac = text.partition(".")
    if not whole.isdigit():
        return 0
    if not dot:
        return int(whole) * 100
    if len(frac) == 2 and frac.isdigit():
        return int(whole + frac)
    if len(frac) == 1 and frac.isdigit():
        return int(whole + frac) * 10
    return 0


def _reader(
    text: str, columns: dict[str, int], names: tuple[str, ...]
) -> tuple[Iterator[list[str]], Callable[[list[str]], tuple[str, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)  # the header, already checked
    return reader, itemgetter(*(columns[n] for n in names))


def invoices(
    text: str,
    columns: dict[str, int],
    customers: dict[str, int],
    days: dict[str, str],
    first_id: int,
) -> tuple[list[tuple], dict[str, tuple[int, int]]] | None:
    """Invoice rows ready to insert and the numbers seen, or None on doubt."""
    reader, pick = _reader(
        text,
        columns,
        ("invoice_number", "customer_id", "issue_date", "due_date", "amount"),
    )
    width = len(columns)
    c_description = columns.get("description")
    parse_day = day_parser(days)
    day = days.get
    rows: list[tuple] = []
    append = rows.append
    numbers: dict[str, tuple[int, int]] = {}
    row_id = first_id
    try:
        for row in reader:
            if len(row) != width:
                return None
            number, code, issue_text, due_text, amount_text = pick(row)
            customer = customers[code]
            issued = day(issue_text) or parse_day(issue_text)
            due = day(due_text) or parse_day(due_text)
            amount = cents(amount_text)
            if not (number and issued and due and 0 < amount <= MAX_AMOUNT):
                return None
            if due < issued:  # ISO dates compare as text
                return None
            numbers[number] = (row_id, customer)
            description = row[c_description] if c_description is not None else ""
            append((row_id, number, customer, issued, due, amount, description))
            row_id += 1
    except (KeyError, csv.Error):
        return None
    if len(numbers) != len(rows):
        return None  # a number appears twice
    return rows, numbers


def payments(
    text: str,
    columns: dict[str, int],
    customers: dict[str, int],
    invoices: dict[str, tuple[int, int]],
    days: dict[str, str],
    first_id: int,
) -> tuple[list[tuple], set[str]] | None:
    """Payment rows ready to insert and the ids seen, or None on doubt.

    An invoice number that is not in `invoices` (this import's) is a doubt:
    the detailed pass looks it up in the books.
    """
    reader, pick = _reader(
        text, columns, ("payment_id", "customer_id", "date", "amount")
    )
    width = len(columns)
    c_invoice = columns.get("invoice_number")
    c_method = columns.get("method")
    c_reference = columns.get("reference")
    parse_day = day_parser(days)
    day = days.get
    invoice = invoices.get
    rows: list[tuple] = []
    append = rows.append
    seen: set[str] = set()
    add = seen.add
    row_id = first_id
    try:
        for row in reader:
            if len(row) != width:
                return None
            code, customer_code, day_text, amount_text = pick(row)
            customer = customers[customer_code]
            paid = day(day_text) or parse_day(day_text)
            amount = cents(amount_text)
            if not (code and paid and 0 < amount <= MAX_AMOUNT):
                return None
            add(code)
            number = row[c_invoice] if c_invoice is not None else ""
            invoice_row = None
            if number:
                target = invoice(number)
                if target is None or target[1] != customer:
                    return None
                invoice_row = target[0]
            append(
                (
                    row_id,
                    code,
                    customer,
                    paid,
                    amount,
                    invoice_row,
                    row[c_method] if c_method is not None else "",
                    row[c_reference] if c_reference is not None else "",
                )
            )
            row_id += 1
    except (KeyError, csv.Error):
        return None
    if len(seen) != len(rows):
        return None  # an id appears twice
    return rows, seen
