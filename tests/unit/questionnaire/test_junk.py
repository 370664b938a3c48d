"""What counts as a slip worth asking about once, per kind of question."""

from __future__ import annotations

import pytest

from bot.questionnaire.catalogue import load_catalogue
from bot.questionnaire.junk import TextKind, looks_like_junk, text_kind

JUNK_WORDS = [
    "😀😀😀",
    "👍",
    "...",
    "?!",
    "—",
    "42",
    "12345",
    "1 2 3",
    "ааааа",
    "ААА",
    "xxxx",
    "asdf",
    "qwerty",
    "йцукен",
    "фыва",
    "ФЫВАПРОЛДЖ",
    "asdf jkl;",
    "а",
    "x",
    "))))",
]

WORDS_OK = [
    "SMM",
    "VK",
    "ИП",
    "B2B",
    "5/2",
    "24/7",
    "@cozy_knit",
    "https://vk.com/cozy_knit",
    "Осенняя коллекция",
    "Не говорим о политике",
    "нет",
    "да",
    "Продать 300 свитеров до весны",
    "ООО «Ромашка»",
    "Вязание 🧶",
    "Cozy Knit",
    "Мы",
    "8 марта",
    "ok",
    "Смит и сыновья",
]

HANDLES_OK = [
    "@cozy_knit",
    "cozy_knit",
    "https://t.me/cozy_knit",
    "vk.com/club123456",
    "123456",
    "VK",
    "asdf",
]

JUNK_HANDLES = ["😀😀😀", "...", "ааааа", "-"]


@pytest.mark.parametrize("text", JUNK_WORDS)
def test_junk_for_a_words_question(text: str) -> None:
    assert looks_like_junk(text, TextKind.WORDS)


@pytest.mark.parametrize("text", WORDS_OK)
def test_real_words_answers_pass(text: str) -> None:
    assert not looks_like_junk(text, TextKind.WORDS)


@pytest.mark.parametrize("text", HANDLES_OK)
def test_handles_and_links_pass(text: str) -> None:
    assert not looks_like_junk(text, TextKind.HANDLE)


@pytest.mark.parametrize("text", JUNK_HANDLES)
def test_junk_handles(text: str) -> None:
    assert looks_like_junk(text, TextKind.HANDLE)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_left_to_the_parser(text: str) -> None:
    assert not looks_like_junk(text, TextKind.WORDS)


def test_kinds_come_from_the_catalogue() -> None:
    catalogue = load_catalogue()
    assert text_kind(catalogue.question("topics")) is TextKind.WORDS
    assert text_kind(catalogue.question("taboos")) is TextKind.WORDS
    assert text_kind(catalogue.question("aim")) is TextKind.WORDS  # free-text choice
    assert text_kind(catalogue.question("handle")) is TextKind.HANDLE
    assert text_kind(catalogue.question("audience")) is None  # digits are the answer
    assert text_kind(catalogue.question("ad_budget")) is None
    assert text_kind(catalogue.question("channels")) is None
