"""Messages the statement and outbox workers post back to the UI thread.

Like messages.py: workers compute plain values and post one of these;
exceptions are left to the app's Worker.StateChanged handler.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.message import Message

from ..outbox import OutboxEntry
from ..records import CustomerInfo
from ..send import RetryReport
from ..statement import Statement


class CustomersFound(Message):
    """Customers whose name or id contains `text`."""

    def __init__(self, text: str, customers: Sequence[CustomerInfo]) -> None:
        super().__init__()
        self.text = text
        self.customers = customers


class StatementLoaded(Message):
    """A statement, ready to show."""

    def __init__(self, statement: Statement) -> None:
        super().__init__()
        self.statement = statement


class PdfSaved(Message):
    """A statement PDF was written to `path`."""

    def __init__(self, path: Path, pages: int) -> None:
        super().__init__()
        self.path = path
        self.pages = pages


class StatementSent(Message):
    """A send attempt is over; the entry says sent or failed (and why)."""

    def __init__(self, entry: OutboxEntry) -> None:
        super().__init__()
        self.entry = entry


class OutboxLoaded(Message):
    """The sent log, newest first."""

    def __init__(self, entries: Sequence[OutboxEntry]) -> None:
        super().__init__()
        self.entries = entries


class RetryDone(Message):
    """A retry from the outbox screen is over."""

    def __init__(self, report: RetryReport) -> None:
        super().__init__()
        self.report = report
