"""The one path for user-facing text: TOML catalogs per language, Babel formatting.

Catalogs live in `locales/<lang>/*.toml`, one file per feature; tables become dotted keys
(`[start] greeting = ...` → `start.greeting`). A value is a `str.format` template; a value that is an
inline table `{one=..., few=..., many=..., other=...}` is plural-sensitive and chosen by Babel's
plural rules for the `count` parameter. Handlers and dialogs never hold prose; they ask a
`Translator` for a key.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.numbers import format_decimal

LANGUAGES = ("ru", "en")
DAYS_IN_WEEK = 7
#: Days in a row written as a range: «пн–ср», but «пн, вт» (a two-day «пн–вт» reads as a typo).
RANGE_FROM = 3
LOCALES_DIR = Path(__file__).with_name("locales")
log = logging.getLogger(__name__)

Catalog = dict[str, str | dict[str, str]]

_DATE_PATTERNS = {"ru": "d MMMM y", "en": "d MMMM y"}
_SHORT_DATE_PATTERNS = {"ru": "d MMMM", "en": "d MMMM"}


def _flatten(prefix: str, table: Mapping[str, Any], into: Catalog) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict) and not {"one", "other"} <= value.keys():
            _flatten(key, value, into)
        else:
            into[key] = value


@cache
def load_catalog(language: str) -> Catalog:
    catalog: Catalog = {}
    for path in sorted((LOCALES_DIR / language).glob("*.toml")):
        with path.open("rb") as file:
            _flatten("", tomllib.load(file), catalog)
    return catalog


def pick_language(code: str | None, default: str = "ru") -> str:
    """Telegram's `language_code` → one of ours; Russian for anything we do not speak."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


class Translator:
    """Text and Babel formatting for one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else LANGUAGES[0]
        self.locale = Locale.parse(self.language)
        self._catalog = load_catalog(self.language)

    def __call__(self, key: str, /, **params: Any) -> str:
        value = self._catalog.get(key)
        if value is None:
            log.error("missing translation %s for %s", key, self.language)
            return key
        if isinstance(value, dict):
            value = value.get(self.locale.plural_form(params.get("count", 0)), value["other"])
        return value.format(**params) if params else value

    def has(self, key: str) -> bool:
        return key in self._catalog

    def format_date(self, value: date) -> str:
        return format_date(value, _DATE_PATTERNS[self.language], locale=self.locale)

    def format_short_date(self, value: date) -> str:
        return format_date(value, _SHORT_DATE_PATTERNS[self.language], locale=self.locale)

    def format_time(self, value: datetime, zone: tzinfo) -> str:
        return format_time(value, "HH:mm", tzinfo=zone, locale=self.locale)

    def format_datetime(self, value: datetime, zone: tzinfo) -> str:
        return format_datetime(value, "d MMMM y, HH:mm", tzinfo=zone, locale=self.locale)

    def format_number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def format_weekdays(self, days: Iterable[int]) -> str:
        """Working days as people say them: three or more in a row as a range («пн–пт»), the
        rest by name, joined as this language joins a list («пн–пт и сб», "Mon, Wed, and Fri");
        names and list pattern from Babel. ``days`` are ``date.weekday()`` numbers (0 = Monday);
        anything else is ignored, so a damaged row still prints."""
        names = self.locale.days["format"]["abbreviated"]
        runs: list[list[int]] = []
        for day in sorted({day for day in days if 0 <= day < DAYS_IN_WEEK}):
            if runs and day == runs[-1][-1] + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        parts: list[str] = []
        for run in runs:
            if len(run) >= RANGE_FROM:
                parts.append(f"{names[run[0]]}–{names[run[-1]]}")
            else:
                parts.extend(names[day] for day in run)
        return format_list(parts, style="standard", locale=self.locale) if parts else ""


@cache
def translator(language: str) -> Translator:
    return Translator(language)
