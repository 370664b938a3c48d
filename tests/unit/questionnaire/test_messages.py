"""Every error code and UI label of the questionnaire has a message in both languages."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Translator
from bot.questionnaire.answers import AnswerError, ErrorCode
from bot.questionnaire.catalogue import Question, Who, load_catalogue
from bot.questionnaire.parsing import parse_answer, parse_selection, skip

LOCALES = Path(__file__).parents[3] / "bot" / "i18n" / "locales"
LANGUAGES = ("ru", "en")


def catalog(language: str) -> dict[str, Any]:
    with (LOCALES / language / "questionnaire.toml").open("rb") as file:
        table: dict[str, Any] = tomllib.load(file)["questionnaire"]
        return table


def flatten(table: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and "other" not in value:
            keys |= flatten(value, f"{key}.")
        else:
            keys.add(key)
    return keys


def real_error(code: ErrorCode) -> tuple[Question, AnswerError]:
    """The error as the parser really produces it, so messages are checked against real params."""
    catalogue = load_catalogue()
    question = catalogue.question
    cases: dict[ErrorCode, tuple[Question, AnswerError | object]] = {}
    cases[ErrorCode.EMPTY] = (question("tone"), parse_answer(question("tone"), " "))
    cases[ErrorCode.TOO_LONG] = (question("tone"), parse_answer(question("tone"), "а" * 501))
    for key, raw, error_code in (
        ("audience", "много", ErrorCode.NOT_A_NUMBER),
        ("audience", "-1", ErrorCode.NEGATIVE),
        ("audience", "1,5", ErrorCode.NOT_WHOLE),
        ("posts_per_week", "1000", ErrorCode.TOO_LARGE),
        ("photos_by", "всё сразу", ErrorCode.UNKNOWN_OPTION),
        ("photos_by", "client, specialist", ErrorCode.ONE_OPTION_ONLY),
        ("work_hours", "когда угодно, но не рано", ErrorCode.BAD_HOURS),
        ("work_hours", "25-30", ErrorCode.BAD_TIME),
        ("work_hours", "10-10", ErrorCode.SAME_START_END),
        ("work_days", "когда как", ErrorCode.BAD_DAYS),
        ("timezone", "Нарния", ErrorCode.BAD_TIMEZONE),
    ):
        cases[error_code] = (question(key), parse_answer(question(key), raw))
    picky = dataclasses.replace(question("posts_per_week"), min=1.0)
    cases[ErrorCode.TOO_SMALL] = (picky, parse_answer(picky, "0,5"))
    cases[ErrorCode.REQUIRED] = (question("aim"), skip(question("aim")))
    cases[ErrorCode.UNKNOWN_OPTION] = (question("aim"), parse_selection(question("aim"), ["x"]))
    cases[ErrorCode.NOTHING_TICKED] = (
        question("channels"),
        parse_selection(question("channels"), []),
    )
    formats = question("formats")
    cases[ErrorCode.NOTHING_TICKED_OPTIONAL] = (
        formats,
        parse_selection(dataclasses.replace(formats, optional=True), []),
    )
    target, error = cases[code]
    assert isinstance(error, AnswerError) and error.code is code
    return target, error


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_has_a_message(language: str, code: ErrorCode) -> None:
    question, error = real_error(code)
    example = question.example.get(language)
    text = Translator(language)(f"questionnaire.error.{code}", example=example, **error.params)
    assert text != f"questionnaire.error.{code}"
    assert "{" not in text
    if "{example}" in catalog(language)["error"][code.value]:
        assert example in text


def test_no_message_for_a_code_that_does_not_exist() -> None:
    codes = {code.value for code in ErrorCode}
    for language in LANGUAGES:
        assert set(catalog(language)["error"]) == codes


def test_both_languages_have_the_same_keys() -> None:
    assert flatten(catalog("ru")) == flatten(catalog("en"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_ui_labels(language: str) -> None:
    keys = flatten(catalog(language))
    for button in ("back", "skip", "edit", "cancel", "done"):
        assert f"button.{button}" in keys
    for who in Who:
        assert f"who.{who}" in keys
    assert {"summary.heading", "summary.skipped", "summary.missing"} <= keys


def test_progress_text() -> None:
    assert Translator("ru")("questionnaire.progress", index=4, total=11) == "Шаг 4 из 11"
    assert Translator("en")("questionnaire.progress", index=4, total=11) == "Step 4 of 11"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "ответить на 1 обязательный вопрос."),
        (3, "ответить на 3 обязательных вопроса."),
        (5, "ответить на 5 обязательных вопросов."),
        (21, "ответить на 21 обязательный вопрос."),
    ],
)
def test_missing_count_plurals_in_russian(count: int, expected: str) -> None:
    assert Translator("ru")("questionnaire.summary.missing", count=count).endswith(expected)


def test_missing_count_plurals_in_english() -> None:
    translate = Translator("en")
    assert translate("questionnaire.summary.missing", count=1).endswith(
        "1 required question still needs an answer."
    )
    assert translate("questionnaire.summary.missing", count=2).endswith(
        "2 required questions still need answers."
    )
