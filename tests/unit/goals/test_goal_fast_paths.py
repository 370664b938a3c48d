"""The extractor's fast paths agree with the plain patterns they stand in for.

Goal extraction is tuned for throughput (bench/goals.py): word lists become prefix trees and
costly look-backs sit behind cheap checks. These tests pin that the shortcuts find exactly what
the straightforward forms would.
"""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from bot.goals.dates import scan_time
from bot.goals.scanning import WordPatterns, word_starts
from bot.numbers import find_numbers, normalize_text, word_alternation

_WORDS = ("ма", "мар", "март", "may", "st", "th", "the", "20", "a", "ab", "abc", "b", "c d")


def _plain(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def test_prefix_tree_finds_what_the_longest_first_alternation_finds() -> None:
    tree, plain = re.compile(word_alternation(_WORDS)), _plain(_WORDS)
    rng = random.Random(7)
    letters = "маpртystheab 20cd"
    for _ in range(3000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        assert tree.findall(text) == plain.findall(text)
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_prefix_tree_backtracks_to_shorter_words_like_the_alternation() -> None:
    tree = re.compile("(?:" + word_alternation(_WORDS) + r")\b")
    plain = re.compile("(?:" + _plain(_WORDS).pattern + r")\b")
    for text in ("мартовский ма", "abcd ab", "thex the", "c dx"):
        assert tree.findall(text) == plain.findall(text)


def test_may_match_tells_whether_any_prefix_is_in_the_text() -> None:
    index = WordPatterns([("mail", r"рассылк[а-я]*", ()), ("blog", r"блог[а-я]*", ())])
    assert index.may_match("подписчики рассылки")
    assert index.may_match("наш блог")
    assert not index.may_match("подписчики канала")
    text = "подписчики рассылки"
    assert [f.key for f in index.longest(text, word_starts(text))] == ["mail"]


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("$20", "usd"),
        ("us$ 20", "usd"),
        ("usd 20", "usd"),
        ("$ 20", None),  # a bare «$» counts only right before the number
        ("₽ 20", "rub"),
        ("rub 20", "rub"),
        ("около 20", None),
    ],
)
def test_currency_written_before_a_number(text: str, currency: str | None) -> None:
    assert find_numbers(normalize_text(text))[0].currency == currency


def test_normalizing_text_without_special_characters_only_lowers_it() -> None:
    assert normalize_text("Подписчики ВК +500") == "подписчики вк +500"
    assert normalize_text("Ёлки\u00a0—\u00a0«Ура»") == 'елки - "ура"'


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("с 1 декабря 300 заявок", "start"),
        ("начиная с 1 декабря 300 заявок", "start"),
        ("рост с 1 декабря", "start"),
        ("плюс 300 заявок к 1 декабря", "deadline"),
        ("вопрос к 1 декабря", "deadline"),
    ],
)
def test_start_words_before_a_date(text: str, kind: str) -> None:
    mentions = scan_time(normalize_text(text), date(2026, 11, 22)).mentions
    assert [m.kind.value for m in mentions] == [kind]
