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
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Final, Generic, NamedTuple, TypeVar

from bot.numbers import word_alternation

__all__ = [
    "Found",
    "WordPatterns",
    "literal_prefix",
    "possible_prefixes",
    "word_starts",
]

K = TypeVar("K")

_WORD_RE: Final = re.compile(r"\w+")  # whole words: re skips the spaces between them itself
_match_start: Final = re.Match.start
_LEADING_LOOKBEHIND_RE: Final = re.compile(r"^\(\?<[=!](?:[^()\\]|\\.)*\)")
_QUANTIFIERS: Final = frozenset("?*{")
_SPECIAL: Final = frozenset("[](){}.*+?|^$\\")


def word_starts(text: str) -> list[int]:
    """Indexes where a word (letters or digits) begins."""
    return list(map(_match_start, _WORD_RE.finditer(text)))


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


def _split_group(pattern: str) -> tuple[list[str], str] | None:
    """For «(?:a|b)rest» the alternatives ``["a", "b"]`` and ``"rest"``; None otherwise."""
    if not pattern.startswith("(?:"):
        return None
    depth, index, last = 0, 0, 3
    alternatives: list[str] = []
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                alternatives.append(pattern[last:index])
                return alternatives, pattern[index + 1 :]
        elif char == "|" and depth == 1:
            alternatives.append(pattern[last:index])
            last = index + 1
        index += 1
    return None


def possible_prefixes(pattern: str) -> tuple[str, ...]:
    """Every literal text a match may begin with: «(?:при)?рост…» → ("при", "рост")."""
    rest = _LEADING_LOOKBEHIND_RE.sub("", pattern)
    group = _split_group(rest)
    if group is None:
        return (literal_prefix(rest),)
    alternatives, after = group
    if after.startswith("?"):
        return tuple(
            p for alt in alternatives for p in possible_prefixes(alt + after[1:])
        ) + possible_prefixes(after[1:])
    return tuple(p for alt in alternatives for p in possible_prefixes(alt + after))


class Found(NamedTuple, Generic[K]):
    """One match kept by :meth:`WordPatterns.longest` (a named tuple: many are made per text)."""

    key: K
    match: re.Match[str]

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()


_Entry = tuple[int, Callable[[str, int], "re.Match[str] | None"], K]


class WordPatterns(Generic[K]):
    """Patterns tried only at word starts, found by their literal prefix.

    ``entries`` are ``(key, pattern, prefixes)``; ``prefixes`` may be empty when they can be read
    off the pattern (see :func:`possible_prefixes`), and must list every way a match can begin
    otherwise (e.g. the prepositions of «(?:к|до)\\s+…»).
    """

    def __init__(
        self,
        entries: Iterable[tuple[K, str, Sequence[str]]],
        suffix: str = "",
        needs: dict[int, tuple[str, ...]] | None = None,
    ) -> None:
        # needs: entry order → words of which one must occur somewhere in the text for the
        # entry to be worth trying (a month name for «к марту»), checked once per text.
        needs = needs or {}
        words = {w for group in needs.values() for w in group}
        self._need_re = re.compile(word_alternation(words)) if words else None
        self._needing = frozenset(needs)
        # A word found in the text wakes every entry that needs it or a part of it.
        self._wakes: dict[str, frozenset[int]] = {
            word: frozenset(o for o, group in needs.items() if any(w in word for w in group))
            for word in words
        }
        # Each literal prefix → the entries that match where it does: those with that prefix or
        # with a shorter one it begins with. At a word start only the longest prefix found there
        # is looked up, since every other prefix found there begins it.
        by_exact: dict[str, dict[int, tuple[re.Pattern[str], K]]] = {}
        for order, (key, pattern, prefixes) in enumerate(entries):
            compiled = re.compile(pattern + suffix)
            for prefix in prefixes or possible_prefixes(pattern):
                by_exact.setdefault(prefix, {})[order] = (compiled, key)
        self._prefix_at = re.compile(word_alternation(by_exact)).match
        self._any_prefix = re.compile(word_alternation(by_exact))
        self._by_prefix: dict[str, tuple[_Entry[K], ...]] = {}
        for prefix in by_exact:
            shorter = [by_exact.get(prefix[:cut], {}) for cut in range(1, len(prefix) + 1)]
            merged = {order: entry for group in shorter for order, entry in group.items()}
            self._by_prefix[prefix] = tuple(
                (order, compiled.match, key) for order, (compiled, key) in sorted(merged.items())
            )

    def may_match(self, text: str) -> bool:
        """Whether some prefix occurs in ``text`` at all: a quick check for a rarely used index."""
        return bool(self._any_prefix.search(text))

    def _skipped(self, text: str) -> frozenset[int]:
        """Entries not worth trying on ``text``: none of the words they need is in it."""
        if self._need_re is None:
            return self._needing
        woken = [self._wakes[word] for word in set(self._need_re.findall(text))]
        return self._needing.difference(*woken)

    def longest(self, text: str, starts: Sequence[int]) -> list[Found[K]]:
        """Non-overlapping matches, longest first (then the earlier entry), in text order."""
        skip = self._skipped(text)
        prefix_at, by_prefix = self._prefix_at, self._by_prefix
        # (-length, order, start, match, key): the sort order of who wins an overlap.
        found: list[tuple[int, int, int, re.Match[str], K]] = []
        for start in starts:
            prefix = prefix_at(text, start)
            if prefix is None:
                continue
            best: tuple[int, int, int, re.Match[str], K] | None = None
            longest = 0
            for order, match, key in by_prefix[prefix.group()]:
                if order in skip:
                    continue
                hit = match(text, start)
                if hit is not None and hit.end() - start > longest:  # ties: earlier entry
                    longest = hit.end() - start
                    best = (-longest, order, start, hit, key)
            if best is not None:
                found.append(best)
        found.sort()  # one match per start, so the start breaks every tie
        kept: list[tuple[int, int, int, re.Match[str], K]] = []
        for item in found:
            start, end = item[2], item[2] - item[0]
            if all(end <= k[2] or k[2] - k[0] <= start for k in kept):
                kept.append(item)
        kept.sort(key=itemgetter(2))
        return [Found(key, hit) for _length, _order, _start, hit, key in kept]
