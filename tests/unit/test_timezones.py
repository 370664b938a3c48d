from datetime import UTC, datetime, timedelta

import pytest

from bot.timezones import (
    OffsetOutOfRange,
    find_city,
    is_valid_setting,
    parse_offset,
    zone_from_location,
    zone_from_setting,
    zone_label,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3", "UTC+03:00"),
        ("UTC+05:00", "UTC+05:00"),
        ("gmt -4", "UTC-04:00"),
        ("+5:30", "UTC+05:30"),
        ("−2", "UTC-02:00"),
        ("мск+2", "UTC+05:00"),
        ("МСК-1", "UTC+02:00"),
        ("Екатеринбург", None),
        ("", None),
    ],
)
def test_parse_offset(text: str, expected: str | None) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize("text", ["+99", "UTC+15", "-14:30", "+3:75"])
def test_impossible_offsets_are_refused(text: str) -> None:
    with pytest.raises(OffsetOutOfRange):
        parse_offset(text)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("г. Новосибирск", "Asia/Novosibirsk"),
        ("  москва ", "Europe/Moscow"),
        ("Питер", "Europe/Moscow"),
        ("Уфа", "Asia/Yekaterinburg"),
        ("London", "Europe/London"),
        ("Лондон", "Europe/London"),
        ("Алматы", "Asia/Almaty"),
        ("Атлантида", None),
    ],
)
def test_find_city(text: str, zone: str | None) -> None:
    assert find_city(text) == zone


def test_location() -> None:
    assert zone_from_location(56.84, 60.6) == "Asia/Yekaterinburg"
    assert zone_from_location(55.75, 37.62) == "Europe/Moscow"


def test_fixed_offset_setting_round_trip() -> None:
    zone = zone_from_setting("UTC+05:30")
    assert datetime(2026, 1, 1, tzinfo=UTC).astimezone(zone).utcoffset() == timedelta(
        hours=5, minutes=30
    )
    assert is_valid_setting("Asia/Vladivostok")
    assert not is_valid_setting("Mars/Olympus")


def test_zone_label() -> None:
    assert zone_label("Asia/Yekaterinburg", "ru") == "Екатеринбург (UTC+5)"
    assert zone_label("UTC+05:30", "en") == "UTC+05:30"
