"""Fiscal years, fiscal months and the date presets of reports and statements."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MONTH_ABBR = tuple(calendar.month_abbr[m] for m in range(1, 13))

PRESETS = (
    "this-month",
    "last-month",
    "this-quarter",
    "last-quarter",
    "this-fiscal-year",
    "last-fiscal-year",
    "fiscal-year-to-date",
    "last-12-months",
    "all-time",
)

#: The first day "all-time" reaches back to; no book is older than this.
EPOCH = date(1900, 1, 1)


class PeriodError(ValueError):
    """A bad date, an unknown preset or a range that runs backwards."""


def parse_date(text: str, what: str = "date") -> date:
    """Read a YYYY-MM-DD calendar date, naming `what` in the error."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            f"{what} {text!r} is not a date: use YYYY-MM-DD, e.g. 2026-03-31"
        ) from None


def check_fiscal_year_start(month: int) -> int:
    """Return the month if it is 1-12, else raise PeriodError."""
    if not 1 <= int(month) <= 12:
        raise PeriodError(f"fiscal year start {month!r} must be a month, 1 to 12")
    return int(month)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """The last day of the month of `day`."""
    return add_months(day, 1) - timedelta(days=1)


def one_year_earlier(day: date) -> date:
    """The same calendar day a year before; 29 February maps to 28 February."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


@dataclass(frozen=True)
class FiscalYear:
    """Twelve months from the first of the start month."""

    start: date
    end: date

    @property
    def months(self) -> tuple[date, ...]:
        """The first day of each of the 12 months, in fiscal order."""
        return tuple(add_months(self.start, i) for i in range(12))

    @property
    def month_keys(self) -> tuple[str, ...]:
        """The months as "YYYY-MM", in fiscal order."""
        return tuple(m.strftime("%Y-%m") for m in self.months)

    @property
    def month_labels(self) -> tuple[str, ...]:
        """Short month names in fiscal order: Apr … Mar for an April start."""
        return tuple(MONTH_ABBR[m.month - 1] for m in self.months)

    @property
    def label(self) -> str:
        """ "FY 2026" for a calendar year, "FY 2026/27" when it spans two."""
        if self.start.year == self.end.year:
            return f"FY {self.start.year}"
        return f"FY {self.start.year}/{self.end.year % 100:02d}"

    def previous(self) -> FiscalYear:
        """The fiscal year before this one."""
        start = add_months(self.start, -12)
        return FiscalYear(start, self.start - timedelta(days=1))

    def next(self) -> FiscalYear:
        """The fiscal year after this one."""
        start = add_months(self.start, 12)
        return FiscalYear(start, add_months(start, 12) - timedelta(days=1))

    def contains(self, day: date) -> bool:
        """True when `day` falls inside this fiscal year."""
        return self.start <= day <= self.end


def fiscal_year(day: date, start_month: int = 1) -> FiscalYear:
    """The fiscal year that contains `day` for a year starting in `start_month`."""
    check_fiscal_year_start(start_month)
    year = day.year if day.month >= start_month else day.year - 1
    start = date(year, start_month, 1)
    return FiscalYear(start, add_months(start, 12) - timedelta(days=1))


@dataclass(frozen=True)
class Period:
    """An inclusive range of days, with the preset it came from (if any)."""

    start: date
    end: date
    preset: str | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(
                f"from {self.start.isoformat()} is after to {self.end.isoformat()}"
            )

    @property
    def label(self) -> str:
        """The preset name and the dates it resolved to."""
        dates = f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.preset == "all-time":
            dates = f"up to {self.end.isoformat()}"
        return f"{self.preset} ({dates})" if self.preset else dates

    @property
    def slug(self) -> str:
        """A short, file-name-safe name for the period."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def _fiscal_quarter(day: date, start_month: int) -> tuple[date, date]:
    fy = fiscal_year(day, start_month)
    index = ((day.year - fy.start.year) * 12 + day.month - fy.start.month) // 3
    start = add_months(fy.start, index * 3)
    return start, add_months(start, 3) - timedelta(days=1)


def resolve_preset(preset: str, as_of: date, start_month: int = 1) -> Period:
    """The dates a preset means on `as_of` (see the README for each one)."""
    fy = fiscal_year(as_of, start_month)
    month_start = as_of.replace(day=1)
    if preset == "this-month":
        return Period(month_start, month_end(as_of), preset)
    if preset == "last-month":
        start = add_months(as_of, -1)
        return Period(start, month_end(start), preset)
    if preset == "this-quarter":
        return Period(*_fiscal_quarter(as_of, start_month), preset)
    if preset == "last-quarter":
        start, _ = _fiscal_quarter(as_of, start_month)
        return Period(*_fiscal_quarter(start - timedelta(days=1), start_month), preset)
    if preset == "this-fiscal-year":
        return Period(fy.start, fy.end, preset)
    if preset == "last-fiscal-year":
        last = fy.previous()
        return Period(last.start, last.end, preset)
    if preset == "fiscal-year-to-date":
        return Period(fy.start, as_of, preset)
    if preset == "last-12-months":
        return Period(one_year_earlier(as_of) + timedelta(days=1), as_of, preset)
    if preset == "all-time":
        return Period(EPOCH, as_of, preset)
    raise PeriodError(f"unknown preset {preset!r}: choose one of {', '.join(PRESETS)}")


def custom_period(start: str | date, end: str | date) -> Period:
    """A custom inclusive range from two dates (text or date)."""
    first = parse_date(start, "from") if isinstance(start, str) else start
    last = parse_date(end, "to") if isinstance(end, str) else end
    return Period(first, last)
