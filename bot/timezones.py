"""What a person sends (a button, "+3", "UTC+05:30", "Екатеринбург", a location) → a zone.

A zone setting is stored as a string: an IANA name ("Asia/Yekaterinburg") when we know the place,
or a fixed offset ("UTC+05:30") when the person typed one. Only this module interprets that string.
City names come from Babel's CLDR data in both languages, plus a small table of big cities that
CLDR does not use as zone exemplars (Санкт-Петербург, Казань…).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import tzfpy
from babel.dates import get_timezone_location

#: Buttons offered first: Russia west to east, then the neighbours most clients live in.
COMMON_ZONES: tuple[str, ...] = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Minsk",
    "Asia/Almaty",
    "Asia/Tashkent",
    "Asia/Tbilisi",
    "Asia/Yerevan",
    "Asia/Bishkek",
)

#: Places people name that are not CLDR exemplar cities, lower-cased.
CITY_ALIASES: dict[str, str] = {
    "санкт-петербург": "Europe/Moscow",
    "петербург": "Europe/Moscow",
    "питер": "Europe/Moscow",
    "спб": "Europe/Moscow",
    "мск": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "st petersburg": "Europe/Moscow",
    "казань": "Europe/Moscow",
    "нижний новгород": "Europe/Moscow",
    "краснодар": "Europe/Moscow",
    "сочи": "Europe/Moscow",
    "ростов-на-дону": "Europe/Moscow",
    "воронеж": "Europe/Moscow",
    "ярославль": "Europe/Moscow",
    "севастополь": "Europe/Simferopol",
    "крым": "Europe/Simferopol",
    "уфа": "Asia/Yekaterinburg",
    "пермь": "Asia/Yekaterinburg",
    "челябинск": "Asia/Yekaterinburg",
    "тюмень": "Asia/Yekaterinburg",
    "екб": "Asia/Yekaterinburg",
    "тольятти": "Europe/Samara",
    "ижевск": "Europe/Samara",
    "томск": "Asia/Tomsk",
    "барнаул": "Asia/Barnaul",
    "хабаровск": "Asia/Vladivostok",
    "южно-сахалинск": "Asia/Sakhalin",
    "петропавловск-камчатский": "Asia/Kamchatka",
    "астана": "Asia/Almaty",
    "киев": "Europe/Kyiv",
    "киів": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
}

#: Used to show times to someone who has not told us their zone yet.
DEFAULT_ZONE = "Europe/Moscow"
MAX_OFFSET = timedelta(hours=14)
MOSCOW_OFFSET = timedelta(hours=3)
_OFFSET = re.compile(r"^(?:utc|gmt|мск)?\s*([+-−])\s*(\d{1,2})(?:[:.]?(\d{2}))?$")
_FIXED = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")


class OffsetOutOfRange(ValueError):
    """The person typed an offset no place on Earth uses (like +99)."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower().replace("ё", "е")
    return re.sub(r"\s+", " ", text)


def parse_offset(text: str) -> str | None:
    """'+3', 'UTC+05:00', 'gmt-4', '+5:30' → 'UTC+05:30'; None when it is not an offset at all."""
    match = _OFFSET.match(_normalise(text))
    if not match:
        return None
    sign = -1 if match.group(1) in "-−" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes >= 60:
        raise OffsetOutOfRange(text)
    offset = sign * timedelta(hours=hours, minutes=minutes)
    if _normalise(text).startswith("мск"):
        offset += MOSCOW_OFFSET  # «мск+2» is how Russians say UTC+5
    if abs(offset) > MAX_OFFSET:
        raise OffsetOutOfRange(text)
    total = int(offset.total_seconds()) // 60
    return f"UTC{'-' if total < 0 else '+'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


@cache
def _city_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/")):
            continue
        names = []
        for language in ("en", "ru"):
            try:
                names.append(
                    _normalise(get_timezone_location(zone, locale=language, return_city=True))
                )
            except (LookupError, ValueError):
                continue
        # A link zone (Europe/Belfast) shares its city with the canonical one; the canonical wins.
        canonical = bool(names) and names[0] == _normalise(
            zone.rsplit("/", 1)[-1].replace("_", " ")
        )
        for name in names:
            if canonical:
                index[name] = zone
            else:
                index.setdefault(name, zone)
    index.update(CITY_ALIASES)
    return index


def find_city(text: str) -> str | None:
    """A typed city name → IANA zone, forgiving case, 'ё' and a leading 'г.'."""
    name = re.sub(r"^(г\.|город)\s*", "", _normalise(text))
    return _city_index().get(name)


def zone_from_location(latitude: float, longitude: float) -> str | None:
    return tzfpy.get_tz(longitude, latitude) or None


def is_valid_setting(value: str) -> bool:
    try:
        zone_from_setting(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_from_setting(value: str) -> tzinfo:
    """The stored string → a tzinfo usable with datetime.astimezone()."""
    fixed = _FIXED.match(value)
    if fixed:
        sign = -1 if fixed.group(1) == "-" else 1
        delta = timedelta(hours=int(fixed.group(2)), minutes=int(fixed.group(3)))
        return timezone(sign * delta, value)
    return ZoneInfo(value)


def zone_label(value: str, language: str) -> str:
    """'Asia/Yekaterinburg' → 'Екатеринбург (UTC+5)'; fixed offsets are shown as they are."""
    if _FIXED.match(value):
        return value
    offset = datetime.now(ZoneInfo(value)).utcoffset() or timedelta()
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    suffix = f"UTC{hours:+d}" + (f":{rest // 60:02d}" if rest else "")
    try:
        city = get_timezone_location(value, locale=language, return_city=True)
    except (LookupError, ValueError):
        city = value
    return f"{city} ({suffix})"
