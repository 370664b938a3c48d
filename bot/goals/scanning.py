"""Fast matching of many word patterns against one short text.

Goal extraction checks a few hundred patterns (dates, metric cues, channel aliases) on every
goal. Python's ``re`` tries every alternative of a big alternation at every character, which is
too slow for the throughput the bot needs (bench/goals.py). Every pattern here starts at the
beginning of a word with a known literal prefix, so :class:`WordPatterns` indexes patterns by
that prefix and only tries, at each word start, the few patterns whose prefix is there.

Matching rules are those of the callers' data; this module knows nothing about goals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

__all__ = ["Found", "WordPatterns", "literal_prefix", "word_starts"]

K = TypeVar("K")

_WORD_START_RE: Final = re.compile(r"\b\w")
_LEADING_LOOKBEHIND_RE: Final = re.compile(r"^\(\?<[=!](?:[^()\\]|\\.)*\)")
_QUANTIFIERS: Final = frozenset("?*{")
_SPECIAL: Final = frozenset("[](){}.*+?|^$\\")


def word_starts(text: str) -> list[int]:
    """Indexes where a word (letters or digits) begins."""
    return [m.start() for m in _WORD_START_RE.finditer(text)]


def literal_prefix(pattern: str) -> str:
    """The literal text every match of ``pattern`` begins with ("подписч" for «подписч[а-я]*»).

    A leading look-behind is skipped; a character made optional by a quantifier is not part of
    the prefix ("er" for «err?»). Raises ``ValueError`` when there is none, so a pattern table
    that cannot be indexed fails at import, not silently at run time.
    """
    rest = _LEADING_LOOKBEHIND_RE.sub("", pattern)
    prefix: list[str] = []
    index = 0
    while index < len(rest):
        char = rest[index]
        if char == "\\" and index + 1 < len(rest) and not rest[index + 1].isalnum():
            char, step = rest[index + 1], 2  # an escaped literal such as «\.» or «\ »
        elif char in _SPECIAL:
            break
        else:
            step = 1
        if index + step < len(rest) and rest[index + step] in _QUANTIFIERS:
            break
        prefix.append(char)
        index += step
    if not prefix:
        raise ValueError(f"pattern has no literal prefix to index: {pattern!r}")
    return "".join(prefix)


@dataclass(frozen=True, slots=True)
class Found(Generic[K]):
    key: K
    match: re.Match[str]

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()


@dataclass(frozen=True, slots=True)
class _Entry(Generic[K]):
    order: int
    key: K
    prefix: str
    pattern: re.Pattern[str]


class WordPatterns(Generic[K]):
    """Patterns tried only at word starts, found by their literal prefix.

    ``entries`` are ``(key, pattern, prefixes)``; ``prefixes`` may be empty when the pattern has
    a literal prefix of its own (see :func:`literal_prefix`), and must list every way a match
    can begin otherwise (e.g. the prepositions of «(?:к|до)\\s+…»).
    """

    def __init__(self, entries: Iterable[tuple[K, str, Sequence[str]]], suffix: str = "") -> None:
        self._by_char: dict[str, list[_Entry[K]]] = {}
        for order, (key, pattern, prefixes) in enumerate(entries):
            compiled = re.compile(pattern + suffix)
            for prefix in prefixes or (literal_prefix(pattern),):
                entry = _Entry(order, key, prefix, compiled)
                self._by_char.setdefault(prefix[0], []).append(entry)

    def longest(self, text: str, starts: Sequence[int]) -> list[Found[K]]:
        """Non-overlapping matches, longest first (then the earlier entry), in text order."""
        found: list[tuple[int, int, Found[K]]] = []
        for start in starts:
            best: tuple[int, int, re.Match[str], K] | None = None
            tried: set[int] = set()
            for entry in self._by_char.get(text[start], ()):
                if entry.order in tried or not text.startswith(entry.prefix, start):
                    continue
                tried.add(entry.order)
                match = entry.pattern.match(text, start)
                if match is None or match.end() == start:
                    continue
                length = match.end() - start
                if best is None or (length, -entry.order) > (best[0], -best[1]):
                    best = (length, entry.order, match, entry.key)
            if best is not None:
                found.append((best[0], best[1], Found(best[3], best[2])))
        found.sort(key=lambda item: (-item[0], item[1]))
        kept: list[Found[K]] = []
        for _length, _order, item in found:
            if not any(item.start < k.end and k.start < item.end for k in kept):
                kept.append(item)
        kept.sort(key=lambda item: item.start)
        return kept
