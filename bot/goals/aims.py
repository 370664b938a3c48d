"""The business aim in the client's own words → one of the questionnaire's aim categories.

A client rarely thinks in our eight buttons: «набрать группу на весенний курс», «закрыть склад до
переезда», "get more bookings for the salon". :func:`read_aim` maps such a text to the category
the questionnaire proposes back for a one-tap confirmation; :func:`aim_mentions` says which
categories the words touch at all, so the relevance check can still read an aim that stayed
"other"; :func:`success_metrics` reads the "how will you know it worked" answer for the metrics
it names. The vocabulary is data (``data/aim_words.toml``), with stems for Russian endings.

Pure logic: no Telegram, no database, no text for people.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

__all__ = ["OTHER", "AimReading", "aim_mentions", "read_aim", "success_metrics"]

_PATH: Final = Path(__file__).resolve().parent / "data" / "aim_words.toml"
OTHER: Final = "other"
STRONG, WEAK = 3, 1
#: At most this many words may stand between the stems of one term («старой летней коллекции»).
_GAP: Final = 1
_WORD_RE: Final = re.compile(r"[0-9a-zа-я]+")


@dataclass(frozen=True, slots=True)
class _Term:
    """A stem sequence; a stem that must be the whole word is marked ``exact``."""

    stems: tuple[tuple[str, bool], ...]
    text: str


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    priority: tuple[str, ...]
    aims: Mapping[str, tuple[tuple[_Term, int], ...]]
    success: Mapping[str, tuple[_Term, ...]]


@dataclass(frozen=True, slots=True)
class AimReading:
    """``aim`` is the best category ("other" when nothing matched); ``scores`` holds every
    category the words touched, and ``matched`` the terms found, in vocabulary order."""

    aim: str
    scores: Mapping[str, int]
    matched: tuple[str, ...]


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("ё", "е"))


def _term(raw: str) -> _Term:
    stems = []
    for piece in raw.replace("*", "").split():
        exact = piece.startswith("=")
        for word in _words(piece.lstrip("=")):
            # Two letters or fewer («в», «на», "on") only ever stand for themselves.
            stems.append((word, exact or len(word) <= 2))
    if not stems:
        raise ValueError(f"empty term {raw!r} in {_PATH.name}")
    return _Term(tuple(stems), raw)


@cache
def _vocabulary() -> _Vocabulary:
    data = tomllib.loads(_PATH.read_text(encoding="utf-8"))
    aims = {
        aim: tuple(
            [(_term(raw), STRONG) for raw in lists.get("strong", [])]
            + [(_term(raw), WEAK) for raw in lists.get("weak", [])]
        )
        for aim, lists in data["aims"].items()
    }
    priority = tuple(data["priority"])
    if set(priority) != set(aims):
        raise ValueError(f"{_PATH.name}: priority must list every aim exactly once")
    success = {metric: tuple(map(_term, terms)) for metric, terms in data["success"].items()}
    return _Vocabulary(priority, aims, success)


def _matches(stem: str, exact: bool, word: str) -> bool:
    return word == stem if exact else word.startswith(stem)


def _found(term: _Term, words: list[str]) -> int | None:
    """Where ``term`` first occurs in ``words`` (the index of its first word), or None."""
    first_stem, first_exact = term.stems[0]
    for start, word in enumerate(words):
        if not _matches(first_stem, first_exact, word):
            continue
        position = start
        for stem, exact in term.stems[1:]:
            window = words[position + 1 : position + 2 + _GAP]
            step = next((i for i, w in enumerate(window) if _matches(stem, exact, w)), None)
            if step is None:
                break
            position += 1 + step
        else:
            return start
    return None


def read_aim(text: str) -> AimReading:
    """The aim category the words point to; "other" when none of the vocabulary is there."""
    vocabulary = _vocabulary()
    key = text.strip().lower()
    if key in vocabulary.aims or key == OTHER:  # a category key, as a batch file may give it
        return AimReading(key, {key: STRONG} if key != OTHER else {}, ())
    words = _words(text)
    scores: dict[str, int] = {}
    matched: list[str] = []
    for aim, terms in vocabulary.aims.items():
        for term, weight in terms:
            if _found(term, words) is not None:
                scores[aim] = scores.get(aim, 0) + weight
                matched.append(term.text)
    if not scores:
        return AimReading(OTHER, {}, ())
    order = vocabulary.priority
    best = max(scores, key=lambda aim: (scores[aim], -order.index(aim)))
    return AimReading(best, scores, tuple(matched))


def aim_mentions(text: str) -> tuple[str, ...]:
    """Every category the words touch, strongest first — for an aim that stayed "other"."""
    scores = read_aim(text).scores
    order = _vocabulary().priority
    return tuple(sorted(scores, key=lambda aim: (-scores[aim], order.index(aim))))


def success_metrics(text: str) -> tuple[str, ...]:
    """Metrics a "how will you know it worked" answer names, in the order it names them."""
    words = _words(text)
    positions: list[tuple[int, int, str]] = []
    for rank, (metric, terms) in enumerate(_vocabulary().success.items()):
        found = [at for term in terms if (at := _found(term, words)) is not None]
        if found:
            positions.append((min(found), rank, metric))
    return tuple(metric for _, _, metric in sorted(positions))
