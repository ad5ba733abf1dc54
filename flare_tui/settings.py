"""Settings kept inside the books: the business, its currency and fiscal year."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import peewee as pw

from .errors import InputError
from .models import Setting
from .periods import check_fiscal_year_start

PAPER_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class BookSettings:
    """Who the business is and how its books are read."""

    business_name: str = "My Business"
    business_address: str = ""
    business_email: str = ""
    currency_symbol: str = "$"
    fiscal_year_start: int = 1
    paper_size: str = "A4"


def _coerce(name: str, value: str) -> str | int:
    if name == "fiscal_year_start":
        try:
            return check_fiscal_year_start(int(value))
        except (ValueError, TypeError):
            raise InputError(
                f"fiscal_year_start {value!r} must be a month, 1 to 12"
            ) from None
    if name == "paper_size":
        for size in PAPER_SIZES:
            if str(value).lower() == size.lower():
                return size
        raise InputError(
            f"paper_size {value!r} is not known: use {' or '.join(PAPER_SIZES)}"
        )
    return str(value)


def load_settings(db: pw.Database) -> BookSettings:
    """The stored settings, with defaults for any not yet set."""
    # execute(db): read these books, not whichever the shared model proxy
    # was last pointed at (two books may be open at once).
    stored = {row.key: row.value for row in Setting.select().execute(db)}
    values = {}
    for field in fields(BookSettings):
        if field.name in stored:
            values[field.name] = _coerce(field.name, stored[field.name])
    return BookSettings(**values)  # type: ignore[arg-type]


def save_settings(db: pw.Database, **changes: str | int) -> BookSettings:
    """Validate and store some settings; returns the settings after the change."""
    known = {f.name for f in fields(BookSettings)}
    clean = {}
    for name, value in changes.items():
        if name not in known:
            raise InputError(
                f"unknown setting {name!r}: choose one of {', '.join(sorted(known))}"
            )
        clean[name] = _coerce(name, str(value))
    with db.atomic():
        for name, value in clean.items():
            Setting.replace(key=name, value=str(value)).execute(db)
    return replace(load_settings(db))
