"""The errors the books can raise, each with a title a person understands."""

from __future__ import annotations


class FlareError(Exception):
    """Base of every error Flare reports to the user instead of a traceback."""

    title = "Something went wrong"


class BooksError(FlareError):
    """The database is missing, locked, damaged or not a Flare database."""

    title = "Cannot open the books"


class UnknownCustomer(FlareError):
    """No customer has the given id."""

    title = "Unknown customer"

    def __init__(self, customer_id: str) -> None:
        super().__init__(f"no customer with id {customer_id!r} in the books")
        self.customer_id = customer_id


class InputError(FlareError):
    """A bad date, preset, option or setting given by the user."""

    title = "Invalid input"
