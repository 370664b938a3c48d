"""Russian sentences never decline a person's name or guess their gender.

A name is inserted as it was given (nominative), so it can stand as a subject with a verb in the
present or future tense, as a label before a colon or in parentheses — never after a preposition
or as an object («передам его Анна»), and no verb carries «(а)» / «(ла)» / «(-ась)».
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from bot.i18n import LOCALES_DIR

GENDER_GUESS = re.compile(r"\w\((?:а|ла|-?ась|ся)\)")
NAME = r"\{(?:name|names|client|specialist|sender)\}"
#: A name right after a preposition or an object pronoun would need declining.
DECLINED = re.compile(
    rf"(?:^|[\s«(])(?:к|ко|у|для|от|о|об|с|со|по|про|за|его|ему|ей|её|им|ним|нему|ней)\s+{NAME}",
    re.IGNORECASE,
)


def _strings(value: Any, key: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for name, item in value.items() for pair in _strings(item, f"{key}.{name}")]
    return [(key, value)] if isinstance(value, str) else []


def _russian() -> list[tuple[str, str]]:
    found = []
    for path in sorted(Path(LOCALES_DIR / "ru").glob("*.toml")):
        with path.open("rb") as file:
            found.extend((f"{path.name}:{key}", text) for key, text in _strings(tomllib.load(file)))
    return found


def test_the_checks_catch_what_they_are_for() -> None:
    assert GENDER_GUESS.search("Анна утвердил(а) версию")
    assert GENDER_GUESS.search("присоединился(-ась)")
    assert GENDER_GUESS.search("внес(ла) цифры")
    assert DECLINED.search("я передам его {name}.")
    assert DECLINED.search("Комментарий для {client}")
    assert not DECLINED.search("{name}: утверждено")


def test_no_russian_message_guesses_a_gender() -> None:
    offenders = [(key, text) for key, text in _russian() if GENDER_GUESS.search(text)]
    assert offenders == []


def test_no_russian_message_declines_a_name() -> None:
    offenders = [(key, text) for key, text in _russian() if DECLINED.search(text)]
    assert offenders == []
