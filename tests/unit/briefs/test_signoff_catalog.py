"""The sign-off catalog says the same things in both languages, with the same parameters."""

from __future__ import annotations

import string
import tomllib
from typing import Any

from bot.i18n import LANGUAGES, LOCALES_DIR


def _entries(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    entries: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            entries |= _entries(value, key)
        else:
            entries[key] = value
    return entries


def _parameters(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys_and_parameters() -> None:
    catalogs = {}
    for language in LANGUAGES:
        with (LOCALES_DIR / language / "signoff.toml").open("rb") as file:
            catalogs[language] = _entries(tomllib.load(file))
    russian, english = (catalogs[language] for language in LANGUAGES)
    assert russian.keys() == english.keys()
    for key, template in russian.items():
        assert _parameters(template) == _parameters(english[key]), key
