"""Small text helpers shared by the screens: dates and safe user text."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from ..periods import MONTH_ABBR
from ..text import clean_text, one_line


def day_text(day: date) -> str:
    """A date for people, unambiguous in any locale: "3 Dec 2026"."""
    return f"{day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


def safe(value: str | None, style: str = "") -> Text:
    """User text as a Rich Text: never parsed as markup, no control codes."""
    return Text(one_line(value), style=style, end="")


def address_line(address: str | None) -> str:
    """A multi-line postal address on one line, parts joined by commas."""
    lines = [one_line(part) for part in clean_text(address).split("\n")]
    return ", ".join(part for part in lines if part)
