"""Fiscal years, 29 February and every date preset, checked against dates
worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from flare_tui.periods import (
    PRESETS,
    PeriodError,
    custom_period,
    fiscal_year,
    one_year_earlier,
    parse_date,
    resolve_preset,
)

D = date.fromisoformat


def test_calendar_fiscal_year() -> None:
    fy = fiscal_year(D("2026-12-03"))
    assert (fy.start, fy.end) == (D("2026-01-01"), D("2026-12-31"))
    assert fy.label == "FY 2026"
    assert fy.month_labels[0] == "Jan" and fy.month_labels[-1] == "Dec"
    assert fy.previous().start == D("2025-01-01")
    assert fy.previous().end == D("2025-12-31")


@pytest.mark.parametrize(
    "day", ["2026-04-01", "2026-12-03", "2027-01-15", "2027-03-31"]
)
def test_april_fiscal_year_runs_apr_to_mar(day: str) -> None:
    fy = fiscal_year(D(day), 4)
    assert (fy.start, fy.end) == (D("2026-04-01"), D("2027-03-31"))
    assert fy.label == "FY 2026/27"
    assert fy.month_labels == (
        "Apr", "May", "Jun", "Jul", "Aug", "Sep",
        "Oct", "Nov", "Dec", "Jan", "Feb", "Mar",
    )  # fmt: skip
    assert fy.month_keys[0] == "2026-04" and fy.month_keys[-1] == "2027-03"
    last = fy.previous()
    assert (last.start, last.end) == (D("2025-04-01"), D("2026-03-31"))
    assert last.label == "FY 2025/26"


def test_day_before_april_start_belongs_to_the_year_before() -> None:
    fy = fiscal_year(D("2026-03-31"), 4)
    assert (fy.start, fy.end) == (D("2025-04-01"), D("2026-03-31"))


def test_leap_year_fiscal_year_ends_on_29_february() -> None:
    fy = fiscal_year(D("2027-06-01"), 3)
    assert (fy.start, fy.end) == (D("2027-03-01"), D("2028-02-29"))


def test_one_year_earlier_maps_29_february_to_28() -> None:
    assert one_year_earlier(D("2028-02-29")) == D("2027-02-28")
    assert one_year_earlier(D("2028-02-28")) == D("2027-02-28")
    assert one_year_earlier(D("2027-03-01")) == D("2026-03-01")
    assert one_year_earlier(D("2026-12-31")) == D("2025-12-31")


def test_fiscal_year_start_must_be_a_month() -> None:
    for bad in (0, 13, -1):
        with pytest.raises(PeriodError):
            fiscal_year(D("2026-12-03"), bad)


# (as-of, fiscal year start, preset, from, to), all worked out by hand.
PRESET_CASES = [
    ("2026-12-03", 1, "this-month", "2026-12-01", "2026-12-31"),
    ("2026-12-03", 1, "last-month", "2026-11-01", "2026-11-30"),
    ("2026-12-03", 1, "this-quarter", "2026-10-01", "2026-12-31"),
    ("2026-12-03", 1, "last-quarter", "2026-07-01", "2026-09-30"),
    ("2026-12-03", 1, "this-fiscal-year", "2026-01-01", "2026-12-31"),
    ("2026-12-03", 1, "last-fiscal-year", "2025-01-01", "2025-12-31"),
    ("2026-12-03", 1, "fiscal-year-to-date", "2026-01-01", "2026-12-03"),
    ("2026-12-03", 1, "last-12-months", "2025-12-04", "2026-12-03"),
    ("2026-01-20", 1, "last-month", "2025-12-01", "2025-12-31"),
    ("2026-02-10", 1, "last-quarter", "2025-10-01", "2025-12-31"),
    ("2028-03-15", 1, "last-month", "2028-02-01", "2028-02-29"),
    # An April fiscal year.
    ("2027-01-15", 4, "this-month", "2027-01-01", "2027-01-31"),
    ("2027-01-15", 4, "last-month", "2026-12-01", "2026-12-31"),
    ("2027-01-15", 4, "this-quarter", "2027-01-01", "2027-03-31"),
    ("2027-01-15", 4, "last-quarter", "2026-10-01", "2026-12-31"),
    ("2027-01-15", 4, "this-fiscal-year", "2026-04-01", "2027-03-31"),
    ("2027-01-15", 4, "last-fiscal-year", "2025-04-01", "2026-03-31"),
    ("2027-01-15", 4, "fiscal-year-to-date", "2026-04-01", "2027-01-15"),
    ("2027-01-15", 4, "last-12-months", "2026-01-16", "2027-01-15"),
    ("2026-04-10", 4, "this-quarter", "2026-04-01", "2026-06-30"),
    ("2026-04-10", 4, "last-quarter", "2026-01-01", "2026-03-31"),
    ("2026-04-10", 4, "last-fiscal-year", "2025-04-01", "2026-03-31"),
    # Fiscal quarters that are not calendar quarters (February start).
    ("2026-12-03", 2, "this-quarter", "2026-11-01", "2027-01-31"),
    ("2026-12-03", 2, "last-quarter", "2026-08-01", "2026-10-31"),
    ("2027-01-31", 2, "fiscal-year-to-date", "2026-02-01", "2027-01-31"),
    # 29 February.
    ("2028-02-29", 1, "last-12-months", "2027-03-01", "2028-02-29"),
    ("2028-02-29", 1, "this-month", "2028-02-01", "2028-02-29"),
    ("2028-02-29", 3, "this-fiscal-year", "2027-03-01", "2028-02-29"),
    ("2028-02-29", 3, "last-fiscal-year", "2026-03-01", "2027-02-28"),
]


@pytest.mark.parametrize(("as_of", "start", "preset", "first", "last"), PRESET_CASES)
def test_presets_resolve_to_the_dates_worked_out_by_hand(
    as_of: str, start: int, preset: str, first: str, last: str
) -> None:
    period = resolve_preset(preset, D(as_of), start)
    assert (period.start, period.end) == (D(first), D(last))
    # Every screen shows the dates a preset resolved to.
    assert first in period.label and last in period.label
    assert preset in period.label


def test_every_preset_is_covered_and_all_time_ends_at_as_of() -> None:
    assert {case[2] for case in PRESET_CASES} | {"all-time"} == set(PRESETS)
    period = resolve_preset("all-time", D("2026-12-03"), 4)
    assert period.end == D("2026-12-03")
    assert period.start <= D("1970-01-01")
    assert "2026-12-03" in period.label


def test_unknown_preset_is_an_error() -> None:
    with pytest.raises(PeriodError, match="this-month"):
        resolve_preset("next-year", D("2026-12-03"))


def test_custom_range_is_inclusive_and_from_after_to_is_an_error() -> None:
    period = custom_period("2026-03-01", "2026-03-01")
    assert period.start == period.end == D("2026-03-01")
    with pytest.raises(PeriodError, match="after"):
        custom_period("2026-03-02", "2026-03-01")


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "26-01-01", "2026/01/01", "", "20260101"]
)
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="YYYY-MM-DD"):
        parse_date(text)
    with pytest.raises(PeriodError):
        custom_period(text, "2026-12-31")
