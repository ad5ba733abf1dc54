"""What every screen needs to know: the books and how to read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..books import Books
from ..periods import FiscalYear, fiscal_year
from ..settings import BookSettings


@dataclass(frozen=True)
class BooksContext:
    """The open books, their settings, the as-of day and the fiscal year start."""

    books: Books
    settings: BookSettings
    as_of: date
    fiscal_year_start: int
    demo: bool = False

    @property
    def fiscal_year(self) -> FiscalYear:
        """The fiscal year that holds the as-of day."""
        return fiscal_year(self.as_of, self.fiscal_year_start)

    @property
    def symbol(self) -> str:
        """The currency symbol of the books."""
        return self.settings.currency_symbol
