"""The books as peewee models: customers, invoices, payments and settings.

Money is integer cents; dates are ISO text ("YYYY-MM-DD"), which sorts and
groups correctly in SQLite. The models are bound to a database at run time
through `database`, so nothing is opened at import.
"""

from __future__ import annotations

import peewee as pw

database = pw.DatabaseProxy()


class _Model(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Customer(_Model):
    """A customer, keyed by the `customer_id` the user's own files use."""

    code = pw.TextField(unique=True, column_name="customer_id")
    name = pw.TextField()
    email = pw.TextField(default="")
    phone = pw.TextField(default="")
    address = pw.TextField(default="")


class Invoice(_Model):
    """An invoice: a debit on the customer's account from its issue date."""

    number = pw.TextField(unique=True, column_name="invoice_number")
    # No index of its own: the (customer, issue_date, amount) index leads
    # with it, and every extra index slows a bulk import.
    customer = pw.ForeignKeyField(
        Customer, backref="invoices", on_delete="RESTRICT", index=False
    )
    issue_date = pw.DateField()
    due_date = pw.DateField()
    amount = pw.IntegerField()  # cents, > 0
    description = pw.TextField(default="")
    # The day the payments applied to it first covered it; NULL while open.
    # Derived from payments (see books.refresh_settled) so the list can find
    # the unpaid invoices of a day without adding up every payment.
    settled_on = pw.DateField(null=True)

    class Meta:
        indexes = (
            (("customer", "issue_date", "amount"), False),
            # Covers the customer list's unpaid query (no table lookups).
            (("settled_on", "issue_date", "customer", "amount"), False),
        )


class Payment(_Model):
    """A payment received; it may name the invoice it settles."""

    code = pw.TextField(unique=True, column_name="payment_id")
    # Indexed by the composite indexes below, which lead with it.
    customer = pw.ForeignKeyField(
        Customer, backref="payments", on_delete="RESTRICT", index=False
    )
    date = pw.DateField()
    amount = pw.IntegerField()  # cents, > 0
    invoice = pw.ForeignKeyField(
        Invoice, null=True, backref="payments", on_delete="RESTRICT", index=False
    )
    method = pw.TextField(default="")
    reference = pw.TextField(default="")

    class Meta:
        indexes = (
            (("customer", "date", "amount"), False),
            (("invoice", "date", "amount"), False),
            # No (date, customer, amount) index: EXPLAIN QUERY PLAN shows
            # every query of the list, detail, statement and batch picks the
            # two above, and each index costs ~0.6 s of a 1M-payment import.
        )


class Setting(_Model):
    """One named setting of the books (business name, currency, ...)."""

    key = pw.TextField(primary_key=True)
    value = pw.TextField()


MODELS = (Customer, Invoice, Payment, Setting)
