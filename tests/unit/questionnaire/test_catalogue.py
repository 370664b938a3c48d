"""The shipped question file is complete, and a broken one fails loudly at load time."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bot.questionnaire.answers import ParsedAnswer
from bot.questionnaire.catalogue import (
    AnswerType,
    CatalogueError,
    Localized,
    Who,
    load_catalogue,
    parse_catalogue,
    read_catalogue,
)
from bot.questionnaire.flow import Flow
from bot.questionnaire.parsing import parse_answer
from bot.roles import Role

VOCAB = Path(__file__).parents[3] / "bot" / "goals" / "vocab.json"


def test_catalogue_loads_once() -> None:
    assert load_catalogue() is load_catalogue()


def test_sections_in_product_order() -> None:
    keys = [section.key for section in load_catalogue().sections]
    assert keys == ["aim", "channels", "content", "cadence", "availability", "budget"]


def test_every_text_exists_in_both_languages() -> None:
    catalogue = load_catalogue()
    for section in catalogue.sections:
        assert section.title.ru.strip() and section.title.en.strip()
    for question in catalogue.questions:
        for text in (question.text, question.hint, question.example):
            assert text.ru.strip(), question.key
            assert text.en.strip(), question.key
            assert text.ru != text.en or question.key == "posts_per_week", question.key
        for option in question.options:
            assert option.label.ru.strip() and option.label.en.strip(), option.key


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_label_fits_a_button_for_every_channel(language: str) -> None:
    catalogue = load_catalogue()
    for question in catalogue.questions:
        for channel in catalogue.channels if question.per_channel else [None]:
            name = channel.label.get(language) if channel else ""
            label = question.label.get(language).format(channel=name)
            assert 0 < len(label) <= 30, (question.key, label)
            assert "{" not in label


def test_russian_wording_is_russian() -> None:
    for question in load_catalogue().questions:
        assert any("а" <= ch <= "я" for ch in question.text.ru.lower()), question.key


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_example_is_itself_a_valid_answer(language: str) -> None:
    """An example is what a stuck person copies; it must pass our own parser."""
    for question in load_catalogue().questions:
        example = question.example.get(language)
        assert isinstance(parse_answer(question, example), ParsedAnswer), (question.key, example)


def test_channels_are_the_goal_vocabulary_in_its_order() -> None:
    vocab = json.loads(VOCAB.read_text(encoding="utf-8"))
    expected = [key for key in vocab["channel"] if key != "multi"]
    catalogue = load_catalogue()
    assert catalogue.channel_question == "channels"
    assert [option.key for option in catalogue.channels] == expected
    assert catalogue.channel("vk").label.ru == "ВКонтакте"


def test_business_aim_options() -> None:
    aim = load_catalogue().question("aim")
    assert aim.who is Who.CLIENT and aim.type is AnswerType.SINGLE_CHOICE
    assert aim.option_keys == (
        "sell_stock",
        "leads",
        "sales",
        "awareness",
        "traffic",
        "loyalty",
        "hiring",
        "other",
    )
    assert aim.free_text and aim.words_key == "aim.words"
    success = load_catalogue().question("aim_success")
    assert success.type is AnswerType.TEXT and not success.optional


def test_per_channel_follow_ups() -> None:
    catalogue = load_catalogue()
    per_channel = {q.key: q for q in catalogue.questions if q.per_channel}
    assert set(per_channel) == {"handle", "audience", "formats", "posts_per_week"}
    assert per_channel["audience"].type is AnswerType.NUMBER and per_channel["audience"].integer
    assert per_channel["posts_per_week"].type is AnswerType.NUMBER
    assert {"posts", "stories", "clips", "live", "articles"} <= set(
        per_channel["formats"].option_keys
    )
    for question in per_channel.values():
        assert "{channel}" in question.text.ru and "{channel}" in question.text.en


def test_choices_and_optional_questions() -> None:
    catalogue = load_catalogue()
    assert catalogue.question("report_frequency").option_keys == ("weekly", "biweekly", "monthly")
    assert catalogue.question("approval").option_keys == ("each_post", "weekly_plan", "none")
    budget = catalogue.question("ad_budget")
    assert budget.type is AnswerType.MONEY and budget.optional and budget.currency == "RUB"
    optional = {question.key for question in catalogue.questions if question.optional}
    assert optional == {"handle", "taboos", "ad_budget", "constraints"}
    for key in ("work_days", "work_hours", "timezone"):
        assert catalogue.question(key).who is Who.BOTH


def test_every_numeric_question_is_bounded() -> None:
    for question in load_catalogue().questions:
        if question.type.is_numeric:
            assert question.min is not None and question.min >= 0
            assert question.max is not None


def test_lookup_of_unknown_keys() -> None:
    catalogue = load_catalogue()
    with pytest.raises(KeyError):
        catalogue.question("nope")
    assert catalogue.section("budget").title.en == "Budget and constraints"
    with pytest.raises(KeyError):
        catalogue.section("nope")
    with pytest.raises(KeyError):
        catalogue.channel("myspace")
    assert catalogue.question("aim").option("nope") is None


def test_unknown_language_falls_back_to_russian() -> None:
    text = Localized(ru="привет", en="hello")
    assert (text.get("ru"), text.get("en"), text.get("uk")) == ("привет", "hello", "привет")


# --- broken files --------------------------------------------------------------------------


def _wording(text: str = "Q?") -> dict[str, Any]:
    return {
        "ru": {"text": text, "label": text, "hint": "h", "example": "e"},
        "en": {"text": text, "label": text, "hint": "h", "example": "e"},
    }


def _minimal() -> dict[str, Any]:
    titles = {"ru": {"title": "Т"}, "en": {"title": "T"}}
    return {
        "version": 1,
        "channel_question": "channels",
        "section": [{"key": "one", **titles}, {"key": "two", **titles}],
        "question": [
            {
                "key": "channels",
                "section": "one",
                "who": "specialist",
                "type": "multi_choice",
                "options": [
                    {"key": "vk", "ru": "ВК", "en": "VK"},
                    {"key": "telegram", "ru": "Телеграм", "en": "Telegram"},
                ],
                **_wording(),
            },
            {
                "key": "audience",
                "section": "one",
                "who": "specialist",
                "type": "number",
                "per_channel": True,
                "min": 0,
                "max": 10,
                **_wording("{channel}?"),
            },
            {"key": "note", "section": "two", "who": "client", "type": "text", **_wording()},
        ],
    }


def test_minimal_catalogue_is_valid() -> None:
    catalogue = parse_catalogue(_minimal())
    assert [q.key for q in catalogue.questions] == ["channels", "audience", "note"]


def _broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(_minimal())
    questions = data["question"]
    match change:
        case "duplicate key":
            questions[2]["key"] = "channels"
        case "unknown type":
            questions[2]["type"] = "essay"
        case "unknown who":
            questions[2]["who"] = "manager"
        case "missing english text":
            del questions[2]["en"]["text"]
        case "blank russian hint":
            questions[2]["ru"]["hint"] = "  "
        case "choice without options":
            del questions[0]["options"]
        case "option without label":
            del questions[0]["options"][0]["en"]
        case "duplicate option":
            questions[0]["options"][1]["key"] = "vk"
        case "options on text":
            questions[2]["options"] = questions[0]["options"]
        case "unknown field":
            questions[2]["optinal"] = True
        case "per-channel without placeholder":
            questions[1]["ru"]["text"] = "Сколько?"
        case "placeholder outside per-channel":
            questions[2]["en"]["hint"] = "see {channel}"
        case "section out of order":
            questions[0]["section"], questions[1]["section"] = "two", "two"
            questions[2]["section"] = "one"
        case "unknown section":
            questions[2]["section"] = "three"
        case "empty section":
            questions[2]["section"] = "one"
        case "min above max":
            questions[1]["min"] = 11
        case "number without bounds":
            del questions[1]["max"]
        case "bounds on text":
            questions[2]["max"] = 3
        case "max length on number":
            questions[1]["max_length"] = 3
        case "money without currency":
            questions[1]["type"] = "money"
        case "channel question not multi":
            questions[0]["type"] = "single_choice"
        case "per-channel before channels":
            questions[0], questions[1] = questions[1], questions[0]
        case "reserved key":
            questions[2]["key"] = "channel"
        case "bad key":
            questions[2]["key"] = "Note Key"
        case "per-channel for both":
            questions[1]["who"] = "both"
        case "wrong version":
            data["version"] = 2
        case "missing channel question":
            data["channel_question"] = "platforms"
        case "no questions":
            data["question"] = []
        case "unbalanced brace":
            questions[2]["ru"]["text"] = "Сколько {"
        case "option not a table":
            questions[0]["options"][0] = "vk"
        case "channel question not a string":
            data["channel_question"] = 3
        case "optional not a boolean":
            questions[2]["optional"] = "yes"
        case "min not a number":
            questions[1]["min"] = "0"
        case "zero max length":
            questions[2]["max_length"] = 0
        case "wording not a table":
            questions[2]["ru"] = "Вопрос?"
        case "free text on text":
            questions[2]["free_text"] = True
        case "free text without other":
            questions[2]["type"] = "single_choice"
            questions[2]["options"] = questions[0]["options"]
            questions[2]["free_text"] = True
        case "example for a shared question":
            questions[0]["options"][0]["examples"] = {"note": "vk.com/x"}
        case "blank channel example":
            questions[0]["options"][0]["examples"] = {"audience": " "}
        case "missing label":
            del questions[2]["ru"]["label"]
        case "label too long":
            questions[2]["en"]["label"] = "A label far too long for a button"  # 33 characters
        case "per-channel label too long with a channel":
            questions[0]["options"][1]["ru"] = "Телеграм-канал компании"  # 23 characters
            questions[1]["ru"]["label"] = "{channel}: аудитория"  # 20 as written, 34 filled in
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("duplicate key", "'channels' is used twice"),
        ("unknown type", "type 'essay' is not one of"),
        ("unknown who", "who 'manager' is not one of"),
        ("missing english text", "missing en.text"),
        ("blank russian hint", "missing ru.hint"),
        ("choice without options", "at least two options"),
        ("option without label", "option 'vk' needs a label"),
        ("duplicate option", "option key 'vk' is used twice"),
        ("options on text", "only choice questions have options"),
        ("unknown field", "unknown field.*optinal"),
        ("per-channel without placeholder", "ru.text must use the placeholders \\['channel'\\]"),
        ("placeholder outside per-channel", "en.hint must use the placeholders"),
        ("section out of order", "out of order"),
        ("unknown section", "unknown section 'three'"),
        ("empty section", "section 'two' has no questions"),
        ("min above max", "min is greater than max"),
        ("number without bounds", "need both 'min' and 'max'"),
        ("bounds on text", "'max' only applies"),
        ("max length on number", "'max_length' only applies"),
        ("money without currency", "need a 'currency'"),
        ("channel question not multi", "must be a multi_choice"),
        ("per-channel before channels", "must come after 'channels'"),
        ("reserved key", "is reserved"),
        ("bad key", "must be a lowercase identifier"),
        ("per-channel for both", "cannot be answered by both"),
        ("wrong version", "version must be 1"),
        ("missing channel question", "'platforms' is not a question"),
        ("unbalanced brace", "question 'note': ru.text: Single '{'"),
        ("option not a table", "each option is a table"),
        ("channel question not a string", "'channel_question' must be a non-empty string"),
        ("optional not a boolean", "'optional' must be true or false"),
        ("min not a number", "'min' must be a number"),
        ("zero max length", "'max_length' must be a positive whole number"),
        ("wording not a table", r"question 'note' \[ru\]: expected a table"),
        ("no questions", "at least one \\[\\[question\\]\\]"),
        ("free text on text", "'free_text' needs a single choice"),
        ("free text without other", "with an 'other' option"),
        ("example for a shared question", "examples for \\['note'\\], which are not per-channel"),
        ("blank channel example", "option 'vk': examples are"),
        ("missing label", "question 'note': missing ru.label"),
        ("label too long", "question 'note': en.label is 33 characters long, at most 30"),
        (
            "per-channel label too long with a channel",
            "question 'audience': ru.label is 34 characters long",
        ),
    ],
)
def test_broken_catalogue_is_rejected(change: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(_broken(change))


def test_error_names_the_question() -> None:
    with pytest.raises(CatalogueError, match=r"question 'note'.*missing en\.text"):
        parse_catalogue(_broken("missing english text"))


def test_unreadable_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "questions.toml"
    path.write_text("version = = 1", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"questions\.toml"):
        read_catalogue(path)
    path.write_text("version = 2", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"questions\.toml: version"):
        read_catalogue(path)


def test_each_channel_has_its_own_account_example() -> None:
    """An account example that fits the channel: a Telegram account is not «vk.com/…»."""
    flow = Flow(Role.SPECIALIST, {"channels": ["vk", "telegram", "instagram"]})
    examples = {
        step.channel.key: step.example("ru")
        for step in flow.steps
        if step.channel is not None and step.question.key == "handle"
    }
    assert examples == {
        "vk": "vk.com/cozy_knit",
        "telegram": "t.me/cozy_knit",
        "instagram": "instagram.com/cozy_knit",
    }
    audience = next(s for s in flow.steps if s.question.key == "audience")
    assert audience.example("ru") == audience.question.example.ru  # no channel example: shared
