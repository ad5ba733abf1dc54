"""The domain API: one object that screens and the command line both use.

`Books` opens the database and answers questions with frozen dataclasses of
plain values. It never imports Textual; tests check that.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

import peewee as pw

from . import figures
from .db import holds_books, open_database, resolve_target, write_transaction
from .figures import CustomerDetail, CustomerInfo, CustomerList, Receivables
from .periods import Period, check_fiscal_year_start
from .settings import BookSettings, load_settings, save_settings
from .statement import Statement, build_statement


def refresh_settled(db: pw.Database, invoice_ids_sql: str | None = None) -> None:
    """Recompute each invoice's settled_on from the payments applied to it.

    settled_on is the first day on which the payments applied to the invoice
    add up to its amount, or NULL while they do not. `invoice_ids_sql` is a
    SELECT of the invoice ids to refresh (all invoices when None).
    """
    where = f"WHERE id IN ({invoice_ids_sql})" if invoice_ids_sql else ""
    scope = f"AND p.invoice_id IN ({invoice_ids_sql})" if invoice_ids_sql else ""
    db.execute_sql("UPDATE invoice SET settled_on = NULL " + where)
    db.execute_sql(
        "WITH running AS ("
        " SELECT p.invoice_id AS invoice_id, p.date AS date,"
        "  SUM(p.amount) OVER (PARTITION BY p.invoice_id ORDER BY p.date"
        "   RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS paid"
        " FROM payment p WHERE p.invoice_id IS NOT NULL " + scope + "),"
        " settled AS ("
        " SELECT r.invoice_id AS invoice_id, MIN(r.date) AS day"
        " FROM running r JOIN invoice i ON i.id = r.invoice_id"
        " WHERE r.paid >= i.amount GROUP BY r.invoice_id)"
        " UPDATE invoice SET settled_on = settled.day FROM settled"
        " WHERE invoice.id = settled.invoice_id"
    )


class Books:
    """A customer ledger: customers, invoices, payments and their figures."""

    def __init__(self, db: pw.Database, where: str) -> None:
        self.db = db
        self.where = where

    @classmethod
    def open(
        cls, target: str | os.PathLike[str] | None = None, *, create: bool = True
    ) -> Books:
        """Open the books at --db / FLARE_DB / the default place."""
        return cls(open_database(target, create=create), resolve_target(target))

    def close(self) -> None:
        """Close this thread's connection."""
        if not self.db.is_closed():
            self.db.close()

    # -- settings ------------------------------------------------------------

    def settings(self) -> BookSettings:
        """The business and how the books are read."""
        return load_settings(self.db)

    def update_settings(self, **changes: str | int) -> BookSettings:
        """Change some settings (validated)."""
        with write_transaction(self.db):
            return save_settings(self.db, **changes)

    def fiscal_year_start(self, override: int | None = None) -> int:
        """The fiscal year start month: the override if given, else stored."""
        if override is not None:
            return check_fiscal_year_start(override)
        return self.settings().fiscal_year_start

    def is_empty(self) -> bool:
        """True when the books hold no customer, invoice or payment."""
        return not holds_books(self.db)

    # -- questions -----------------------------------------------------------

    def customer(self, customer_id: str) -> CustomerInfo:
        """A customer's details; UnknownCustomer if there is none."""
        return figures.customer_info(self.db, customer_id)[1]

    def find_customers(
        self, text: str = "", limit: int = 50
    ) -> tuple[CustomerInfo, ...]:
        """Customers whose name or id contains `text`."""
        return figures.find_customers(self.db, text, limit)

    def customer_list(
        self,
        as_of: date,
        fiscal_year_start: int | None = None,
        customer_ids: Sequence[str] | None = None,
    ) -> CustomerList:
        """The customer list at `as_of` (see figures.customer_list)."""
        start = self.fiscal_year_start(fiscal_year_start)
        return figures.customer_list(self.db, as_of, start, customer_ids)

    def customer_detail(
        self,
        customer_id: str,
        as_of: date,
        fiscal_year_start: int | None = None,
        years_back: int = 0,
    ) -> CustomerDetail:
        """One customer's year against last year, and receivables at as-of."""
        start = self.fiscal_year_start(fiscal_year_start)
        return figures.customer_detail(self.db, customer_id, as_of, start, years_back)

    def receivables(self, customer_id: str, day: date) -> Receivables:
        """A customer's outstanding invoices and aging at `day`."""
        row_id, _ = figures.customer_info(self.db, customer_id)
        return figures.receivables(self.db, row_id, day)

    def statement(self, customer_id: str, period: Period, as_of: date) -> Statement:
        """The balance-forward statement for a period (counted up to as-of)."""
        return build_statement(self.db, customer_id, period, as_of)
