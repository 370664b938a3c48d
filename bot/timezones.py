"""What a person sends (a button, "+3", "UTC+05:30", "МСК+4", "Екатеринбург", a location) → a zone.

A zone setting is stored as an IANA name that `zoneinfo` loads. A typed offset becomes the city zone
it most likely means for a Russian-speaking person ("+5" → Asia/Yekaterinburg, "МСК+4" →
Asia/Novosibirsk), or `Etc/GMT-N` when no city in our table has that offset right now (note POSIX's
inverted sign: Etc/GMT-13 is UTC+13). Older versions stored typed offsets as "UTC+05:30";
`zone_from_setting` still reads those (signed brief snapshots keep them) and `repair_setting` turns
them, and anything else `zoneinfo` cannot load, into a valid setting.
City names come from Babel's CLDR data in both languages, plus a small table of big cities that
CLDR does not use as zone exemplars (Санкт-Петербург, Казань…).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
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

#: What a typed offset most likely means: the first of these zones whose offset at that moment is
#: the typed one. Russia west to east (MSK−1 … MSK+9) first, then the places Russian speakers
#: write from, then zones with half- and quarter-hour offsets.
OFFSET_CITIES: tuple[str, ...] = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Berlin",
    "Europe/London",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Asia/Tehran",
    "Asia/Kabul",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Yangon",
    "Australia/Eucla",
    "Australia/Darwin",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Pacific/Marquesas",
    "Pacific/Chatham",
)
#: `Etc/GMT∓N` exists for whole hours from UTC−12 to UTC+14 only.
ETC_RANGE = range(-12, 15)
UTC_ZONE = "Etc/UTC"
#: Any instant serves to read a zone's standard offset (its offset less daylight saving time).
_STANDARD_REFERENCE = datetime(2026, 1, 15, tzinfo=UTC)

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
_OFFSET = re.compile(r"^(utc|gmt|мск)?\s*(?:([+\-−–])\s*(\d{1,2})(?:[:.]?(\d{2}))?)?$")
_FIXED = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")


class OffsetOutOfRange(ValueError):
    """The person typed an offset no place on Earth uses (like +99)."""


class NoZoneAtOffset(OffsetOutOfRange):
    """A plausible offset that no zone has (like +3:17): there is no city to offer."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower().replace("ё", "е")
    return re.sub(r"\s+", " ", text)


def parse_offset(text: str, at: datetime | None = None) -> str | None:
    """'+3', 'UTC+5', 'GMT+05:00', 'UTC-3:30', 'МСК+4', 'МСК', '+5:45' → the zone the offset most
    likely means at the moment `at` (see `zone_for_offset`); None when it is not an offset at all.

    Raises `OffsetOutOfRange` for an offset beyond ±14 hours or with 60 minutes or more, and
    `NoZoneAtOffset` for one no zone uses."""
    match = _OFFSET.match(_normalise(text))
    if not match or not (match.group(1) or match.group(2)):
        return None
    prefix, sign_text = match.group(1), match.group(2)
    offset = timedelta()
    if sign_text:
        sign = -1 if sign_text in "-−–" else 1
        hours, minutes = int(match.group(3)), int(match.group(4) or 0)
        if minutes >= 60:
            raise OffsetOutOfRange(text)
        offset = sign * timedelta(hours=hours, minutes=minutes)
    if prefix == "мск":
        offset += MOSCOW_OFFSET  # «мск+2» is how Russians say UTC+5
    elif prefix and not sign_text:
        return UTC_ZONE  # a bare "UTC" or "GMT"
    if abs(offset) > MAX_OFFSET:
        raise OffsetOutOfRange(text)
    return zone_for_offset(offset, at)


def zone_for_offset(offset: timedelta, at: datetime | None = None) -> str:
    """The first of `OFFSET_CITIES` whose UTC offset at `at` is `offset`; else the first whose
    standard offset (daylight saving time aside) is, since people often type their winter offset
    all year; else `Etc/GMT∓N`. Without `at` (a caller with no clock) only standard offsets count.
    Raises `NoZoneAtOffset` when none of these exists (+3:17, −13)."""
    moments = (at, None) if at is not None else (None,)
    for moment in moments:
        for zone in OFFSET_CITIES:
            if _offset_of(ZoneInfo(zone), moment) == offset:
                return zone
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest or hours not in ETC_RANGE:
        raise NoZoneAtOffset(str(offset))
    return UTC_ZONE if hours == 0 else f"Etc/GMT{-hours:+d}"


def _offset_of(zone: tzinfo, at: datetime | None) -> timedelta | None:
    """The zone's offset at `at`, or its standard offset when `at` is None."""
    if at is None:
        local = _STANDARD_REFERENCE.astimezone(zone)
        return (local.utcoffset() or timedelta()) - (local.dst() or timedelta())
    return at.astimezone(zone).utcoffset()


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
    """Whether `zone_from_setting` can read it (legacy fixed offsets included)."""
    try:
        zone_from_setting(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def is_iana_zone(value: str) -> bool:
    """Whether `value` is what a setting is stored as now: a name `zoneinfo` loads."""
    return not _FIXED.match(value) and is_valid_setting(value)


def parse_zone(text: str, at: datetime | None = None) -> str | None:
    """Anything typed for a zone — an offset, a city, an IANA name in any case — → a zone name;
    None when it is none of these. Raises `OffsetOutOfRange` for an impossible offset."""
    return parse_offset(text, at) or find_city(text) or _zone_names().get(_normalise(text))


def repair_setting(value: str | None, at: datetime | None = None) -> str | None:
    """A stored zone setting made valid: IANA names stay, offsets ("UTC+03:00", "+3") and city names
    become their zone, a name in the wrong case its proper spelling; None when nothing sensible can
    be read from it (the person then gets the default zone until they pick one)."""
    if value is None:
        return None
    if is_iana_zone(value):
        return value
    try:
        return parse_zone(value, at)
    except OffsetOutOfRange:
        return None


@cache
def _zone_names() -> dict[str, str]:
    """IANA names typed in any case ("europe/moscow", "utc")."""
    return {zone.casefold(): zone for zone in available_timezones()}


def zone_from_setting(value: str) -> tzinfo:
    """The stored string → a tzinfo usable with datetime.astimezone()."""
    fixed = _FIXED.match(value)
    if fixed:
        sign = -1 if fixed.group(1) == "-" else 1
        delta = timedelta(hours=int(fixed.group(2)), minutes=int(fixed.group(3)))
        return timezone(sign * delta, value)
    return ZoneInfo(value)


def utc_offset_text(offset: timedelta) -> str:
    """timedelta(hours=5, minutes=30) → 'UTC+5:30'; timedelta(hours=-3, minutes=-30) → 'UTC-3:30'."""
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(value: str, language: str) -> str:
    """'Asia/Yekaterinburg' → 'Екатеринбург (UTC+5)'; 'Etc/GMT-13' → 'UTC+13'; legacy fixed
    offsets are shown as they are."""
    if _FIXED.match(value):
        return value
    offset = datetime.now(ZoneInfo(value)).utcoffset() or timedelta()
    suffix = utc_offset_text(offset)
    if value.startswith("Etc/"):
        return suffix
    return f"{_city(value, language)} ({suffix})"


@lru_cache(maxsize=2048)  # every IANA zone in both languages fits
def _city(value: str, language: str) -> str:
    """The zone's exemplar city in the language: a CLDR lookup of ~30 µs, and the zone screen
    shows eighteen of them on every render."""
    try:
        return get_timezone_location(value, locale=language, return_city=True)
    except (LookupError, ValueError):
        return value
