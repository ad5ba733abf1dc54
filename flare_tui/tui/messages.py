"""Messages that thread workers post back to the UI thread.

Workers never touch widgets: they compute plain values and post one of these.
Failures are not messages: the app's Worker.StateChanged handler shows them.
"""

from __future__ import annotations

from textual.message import Message

from ..books import Books
from ..figures import CustomerDetail, CustomerList
from ..settings import BookSettings


class BooksOpened(Message):
    """The books are open; `first_page` is a screenful of the list (or None)."""

    def __init__(
        self,
        books: Books,
        settings: BookSettings,
        fiscal_year_start: int,
        first_page: CustomerList | None,
    ) -> None:
        super().__init__()
        self.books = books
        self.settings = settings
        self.fiscal_year_start = fiscal_year_start
        self.first_page = first_page


class ListLoaded(Message):
    """Rows for the customer list; `complete` is False for a first screenful."""

    def __init__(self, customers: CustomerList, rows: list, complete: bool) -> None:
        super().__init__()
        self.customers = customers
        self.rows = rows
        self.complete = complete


class DetailLoaded(Message):
    """One customer's year-on-year figures and receivables."""

    def __init__(self, detail: CustomerDetail, years_back: int) -> None:
        super().__init__()
        self.detail = detail
        self.years_back = years_back
