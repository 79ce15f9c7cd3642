"""Numbers and dates typed as people write them in their own language."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from plumbing.localized_input import UnreadableNumber, parse_date, parse_decimal


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [
        ("es", "12500,50", Decimal("12500.50")),
        ("es", "12.500,50", Decimal("12500.50")),
        ("es", "12 500,50", Decimal("12500.50")),
        ("es", "12\u00a0500,50", Decimal("12500.50")),
        ("es", "1.250.000", Decimal("1250000")),
        ("es", "12.500", Decimal("12500")),
        ("es", "7,5", Decimal("7.5")),
        ("es", " 12.500,50 € ", Decimal("12500.50")),
        ("es", "-3,25", Decimal("-3.25")),
        ("en", "12,500.50", Decimal("12500.50")),
        ("en", "12500.50", Decimal("12500.50")),
        ("en", "12.5", Decimal("12.5")),
        ("en", "1,250,000", Decimal("1250000")),
        ("en", "$12,500", Decimal("12500")),
        ("en", "42", Decimal("42")),
    ],
)
def test_a_number_is_read_in_the_readers_language(language, typed, number) -> None:
    with translation.override(language):
        assert parse_decimal(typed) == number


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("es", "12.50"),  # a Spanish "." groups thousands: 12.50 is no number
        ("es", "12500.50"),
        ("es", "12,500,50"),
        ("es", "doce"),
        ("es", ""),
        ("es", "12,"),
        ("en", "12,5"),  # an English "," groups thousands
        ("en", "12.500,50"),
        ("en", "1,2345"),
        ("en", "12..5"),
        ("en", "1e5"),
    ],
)
def test_a_number_written_another_way_is_refused_with_an_example(language, typed) -> None:
    with translation.override(language), pytest.raises(UnreadableNumber) as refused:
        parse_decimal(typed)
    example = "12.500,50" if language == "es" else "12,500.50"
    assert example in str(refused.value)


@pytest.mark.parametrize(
    ("language", "typed", "day"),
    [
        ("es", "2026-03-31", date(2026, 3, 31)),  # what a date input sends
        ("es", "31/03/2026", date(2026, 3, 31)),
        ("en", "2026-03-31", date(2026, 3, 31)),
    ],
)
def test_a_date_is_read_from_the_date_input_or_the_readers_format(language, typed, day) -> None:
    with translation.override(language):
        assert parse_date(typed) == day


def test_a_date_that_is_no_date_is_refused() -> None:
    with translation.override("es"), pytest.raises(ValueError, match="31/03/2026"):
        parse_date("mañana")
