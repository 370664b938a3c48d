"""Working days in words: ranges for runs, the language's own list pattern (Babel)."""

from __future__ import annotations

import pytest

from bot.i18n import translator


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("ru", [0, 1, 2, 3, 4], "пн–пт"),
        ("ru", [0, 1, 2, 3, 4, 5], "пн–сб"),
        ("ru", [4, 0, 1, 2, 3, 5], "пн–сб"),  # order and duplicates do not matter
        ("ru", [0, 1, 2, 3, 4, 6], "пн–пт и вс"),
        ("ru", [0, 2, 4], "пн, ср и пт"),
        ("ru", [5, 6], "сб и вс"),
        ("ru", [2], "ср"),
        ("ru", [0, 1, 2, 3, 4, 5, 6], "пн–вс"),
        ("en", [0, 1, 2, 3, 4], "Mon–Fri"),
        ("en", [0, 2, 4], "Mon, Wed, and Fri"),
        ("en", [0, 1, 2, 3, 4, 6], "Mon–Fri and Sun"),
        ("ru", [], ""),
        ("ru", [7, -1, 3], "чт"),
    ],
)
def test_format_weekdays(language: str, days: list[int], expected: str) -> None:
    assert translator(language).format_weekdays(days) == expected
