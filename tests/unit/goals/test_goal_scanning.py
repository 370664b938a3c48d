"""The word-start pattern index used by the extractor (bot/goals/scanning.py)."""

from __future__ import annotations

import pytest

from bot.goals.scanning import WordPatterns, literal_prefix, possible_prefixes, word_starts


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [("подписч[а-я]*", "подписч"), ("err?", "er"), ("шт\\b\\.?", "шт"), ("(?<!to )reach", "reach")],
)
def test_literal_prefix(pattern: str, prefix: str) -> None:
    assert literal_prefix(pattern) == prefix


def test_possible_prefixes_of_groups() -> None:
    assert possible_prefixes("(?:при)?рост") == ("прирост", "рост")
    assert possible_prefixes("(?:цен[аы]|cost)\\s+лида") == ("цен", "cost")


def test_a_pattern_without_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="no literal prefix"):
        literal_prefix("[а-я]+")


def test_longest_match_wins_and_needs_gate_entries() -> None:
    index = WordPatterns(
        [
            ("short", "конц[а-я]*", ()),
            ("long", "к\\s+концу\\s+года", ("к",)),
            ("gated", "года", ()),
        ],
        needs={2: ("никогда",)},
    )
    text = "к концу года"
    found = index.longest(text, word_starts(text))
    assert [(f.key, f.match.group()) for f in found] == [("long", "к концу года")]
    assert index.longest("года", [0]) == []
