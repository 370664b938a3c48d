from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import timezones
from bot.timezones import (
    NoZoneAtOffset,
    OffsetOutOfRange,
    find_city,
    is_iana_zone,
    is_valid_setting,
    parse_offset,
    parse_zone,
    repair_setting,
    zone_from_location,
    zone_from_setting,
    zone_label,
)

WINTER = datetime(2026, 12, 3, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3", "Europe/Moscow"),
        ("UTC+3", "Europe/Moscow"),
        ("UTC+03:00", "Europe/Moscow"),
        ("+0300", "Europe/Moscow"),
        ("МСК", "Europe/Moscow"),
        ("GMT+05:00", "Asia/Yekaterinburg"),
        ("мск+2", "Asia/Yekaterinburg"),
        ("МСК+4", "Asia/Novosibirsk"),
        ("+7", "Asia/Novosibirsk"),
        ("МСК-1", "Europe/Kaliningrad"),
        ("+2", "Europe/Kaliningrad"),
        ("+4", "Europe/Samara"),
        ("+6", "Asia/Omsk"),
        ("+8", "Asia/Irkutsk"),
        ("+9", "Asia/Yakutsk"),
        ("+10", "Asia/Vladivostok"),
        ("+11", "Asia/Magadan"),
        ("+12", "Asia/Kamchatka"),
        ("+5:30", "Asia/Kolkata"),
        ("+5:45", "Asia/Kathmandu"),
        ("UTC-3:30", "America/St_Johns"),
        ("+1", "Europe/Berlin"),
        ("-5", "America/New_York"),
        # No city of the table is there: POSIX names, sign inverted.
        ("gmt -4", "Etc/GMT+4"),
        ("−2", "Etc/GMT+2"),
        ("+13", "Etc/GMT-13"),
        ("UTC", "Etc/UTC"),
        ("Екатеринбург", None),
        ("", None),
    ],
)
def test_typed_offsets_become_the_zone_they_most_likely_mean(
    text: str, expected: str | None
) -> None:
    zone = parse_offset(text, WINTER)
    assert zone == expected
    if zone is not None:
        assert is_iana_zone(zone)
        assert ZoneInfo(zone)  # zoneinfo loads it


def test_daylight_saving_time_picks_the_zone_with_that_offset_now() -> None:
    assert parse_offset("+1", WINTER) == "Europe/Berlin"
    assert parse_offset("+1", SUMMER) == "Europe/London"  # Berlin is +2 in July
    assert parse_offset("-5", SUMMER) == "America/Chicago"
    # An offset nobody has in July is read as someone's winter one.
    assert parse_offset("UTC-3:30", SUMMER) == "America/St_Johns"
    # Without a clock the standard offset decides.
    assert parse_offset("+1") == "Europe/Berlin"


@pytest.mark.parametrize("text", ["+99", "UTC+15", "-14:30", "+3:75"])
def test_impossible_offsets_are_refused(text: str) -> None:
    with pytest.raises(OffsetOutOfRange):
        parse_offset(text, WINTER)


@pytest.mark.parametrize("text", ["+3:17", "-13", "UTC-14"])
def test_offsets_no_zone_has_are_refused(text: str) -> None:
    with pytest.raises(NoZoneAtOffset):
        parse_offset(text, WINTER)


@pytest.mark.parametrize(
    ("stored", "repaired"),
    [
        ("UTC+03:00", "Europe/Moscow"),
        ("UTC+05:30", "Asia/Kolkata"),
        ("UTC-04:00", "Etc/GMT+4"),
        ("UTC+13:00", "Etc/GMT-13"),
        ("Asia/Yekaterinburg", "Asia/Yekaterinburg"),
        ("europe/moscow", "Europe/Moscow"),
        ("Новосибирск", "Asia/Novosibirsk"),
        ("Mars/Olympus", None),
        ("UTC+99:00", None),
        ("../../etc/passwd", None),
        ("x" * 300, None),
        (None, None),
    ],
)
def test_repair_of_stored_settings(stored: str | None, repaired: str | None) -> None:
    assert repair_setting(stored, WINTER) == repaired


def test_parse_zone_takes_offsets_cities_and_iana_names() -> None:
    assert parse_zone("+5", WINTER) == "Asia/Yekaterinburg"
    assert parse_zone("Уфа", WINTER) == "Asia/Yekaterinburg"
    assert parse_zone("asia/tokyo", WINTER) == "Asia/Tokyo"
    assert parse_zone("Нарния", WINTER) is None


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
    assert zone_label("Etc/GMT-13", "ru") == "UTC+13"
    assert zone_label("Asia/Kathmandu", "ru") == "Катманду (UTC+5:45)"


def test_a_zones_city_is_looked_up_in_cldr_once_per_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The zone screen labels eighteen zones on every render; CLDR's lookup is ~30 µs each."""
    looked_up: list[tuple[str, str]] = []
    lookup = timezones.get_timezone_location

    def counting(zone: str, *, locale: str, return_city: bool) -> str:
        looked_up.append((zone, locale))
        return lookup(zone, locale=locale, return_city=return_city)

    monkeypatch.setattr(timezones, "get_timezone_location", counting)
    timezones._city.cache_clear()
    labels = [zone_label("Asia/Omsk", language) for language in ("ru", "en", "ru", "en", "ru")]
    assert labels[::2] == ["Омск (UTC+6)"] * 3 and labels[1] == labels[3] == "Omsk (UTC+6)"
    assert looked_up == [("Asia/Omsk", "ru"), ("Asia/Omsk", "en")]
    timezones._city.cache_clear()
