"""Money: amounts read exactly, shown with two decimals, % change never
divides by zero."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flare_tui.money import (
    AmountError,
    change_pct,
    change_text,
    money,
    parse_amount,
    plain,
    to_decimal,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1024", 102_400),
        ("1024.5", 102_450),
        ("1024.50", 102_450),
        ("0.01", 1),
        ("0.1", 10),
        (" 7.25 ", 725),
        ("99999999.99", 9_999_999_999),
    ],
)
def test_parse_amount_reads_plain_decimals_as_cents(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "10.005",  # three places
        "$10.00",  # a symbol
        "10.00 €",
        "1,024.00",  # thousands separator
        "1024,50",  # decimal comma
        "-5.00",  # a sign
        "+5.00",
        "1e3",  # an exponent
        "",
        ".50",
        "10.",
        "ten",
        "NaN",
    ],
)
def test_parse_amount_refuses_anything_but_digits_and_two_places(text: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(text)


def test_plain_and_money_show_two_decimals() -> None:
    assert plain(102_400) == "1024.00"
    assert plain(5) == "0.05"
    assert plain(0) == "0.00"
    assert plain(-1_250) == "-12.50"
    assert money(102_400) == "$1,024.00"
    assert money(123_456_789) == "$1,234,567.89"
    assert money(-1_250) == "-$12.50"
    assert money(100, "€") == "€1.00"
    assert to_decimal(102_450) == Decimal("1024.50")
    assert str(to_decimal(7)) == "0.07"


@pytest.mark.parametrize(
    ("this", "last", "expected"),
    [
        (100_000, 275_000, Decimal("-63.6")),  # the seed example
        (275_000, 275_000, Decimal("0.0")),
        (150, 100, Decimal("50.0")),
        (0, 500, Decimal("-100.0")),
        (300_100, 200_000, Decimal("50.1")),  # 50.05 rounds half up
        (1, 3, Decimal("-66.7")),
        (2, 3, Decimal("-33.3")),
        (1_000_000, 1, Decimal("99999900.0")),
    ],
)
def test_change_pct_one_decimal(this: int, last: int, expected: Decimal) -> None:
    assert change_pct(this, last) == expected


def test_change_pct_never_negative_zero() -> None:
    # -0.04 % rounds to zero: it must read "0.0", not "-0.0".
    pct = change_pct(99_996, 100_000)
    assert pct == 0
    assert str(pct) == "0.0"


def test_change_with_last_year_zero_is_new_or_dash_never_infinite() -> None:
    assert change_pct(500, 0) is None
    assert change_pct(0, 0) is None
    assert change_text(500, 0) == "new"
    assert change_text(0, 0) == "—"
    assert change_text(100_000, 275_000) == "-63.6%"
    assert change_text(150, 100) == "+50.0%"
    assert "inf" not in change_text(10**12, 0).lower()
