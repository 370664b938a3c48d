"""The question catalogue: `questions.toml` loaded once into frozen, checked values.

Everything the questionnaire UI shows about a question (wording, hint, example, options, who
answers, whether it can be skipped) and everything the parser needs (type, bounds) comes from
here, so a question is added or reworded by editing the TOML file only. The file is checked
when it is loaded: a typo there must fail at start-up with the question's key in the message,
not in the middle of a client's onboarding.

This module never renders text for a person beyond handing out the catalogue's own wording,
and never touches Telegram or the database.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

CATALOGUE_PATH = Path(__file__).with_name("questions.toml")
LANGUAGES = ("ru", "en")
DEFAULT_MAX_LENGTH = 2000
#: The prefix of per-channel answer keys (`channel.vk.audience`); no question may use it as a key.
CHANNEL_PREFIX = "channel"

#: `<question>.words`: a free-text choice's own words; the option key stays under `<question>`.
WORDS_SUFFIX = "words"
#: The option a free-text choice falls back to when the words name none of the others.
FREE_TEXT_FALLBACK = "other"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_QUESTION_FIELDS = frozenset(
    {
        "key",
        "section",
        "who",
        "type",
        "optional",
        "per_channel",
        "min",
        "max",
        "integer",
        "max_length",
        "currency",
        "free_text",
        "options",
        *LANGUAGES,
    }
)
_WORDING_FIELDS = frozenset({"text", "label", "hint", "example"})
#: A label names a question on a review button, which Telegram cuts off past about this much.
LABEL_MAX_LENGTH = 30
_E = TypeVar("_E", bound=StrEnum)


class CatalogueError(ValueError):
    """The question file is malformed; the message names the file and the question."""


class AnswerType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    DAYS = "days"
    HOURS = "hours"
    TIMEZONE = "timezone"

    @property
    def is_choice(self) -> bool:
        return self in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE)

    @property
    def is_numeric(self) -> bool:
        return self in (AnswerType.NUMBER, AnswerType.MONEY)


class Who(StrEnum):
    """Who answers a question.

    BOTH: each side answers its own copy (working hours); EITHER: one shared answer, given by
    whoever gets there first (the approval mode).
    """

    SPECIALIST = "specialist"
    CLIENT = "client"
    BOTH = "both"
    EITHER = "either"


@dataclass(frozen=True, slots=True)
class Localized:
    """One piece of text in every interface language."""

    ru: str
    en: str

    def get(self, language: str) -> str:
        """Russian is the product's default, so any language we do not speak gets Russian."""
        return self.en if language == "en" else self.ru


@dataclass(frozen=True, slots=True)
class Option:
    """One choice. A channel may carry ``examples``: per-channel question key → an example that
    fits this channel (a Telegram account is not «vk.com/…»), used instead of the question's own."""

    key: str
    label: Localized
    examples: tuple[tuple[str, str], ...] = ()

    def example_for(self, question: str) -> str | None:
        return dict(self.examples).get(question)


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: Localized


@dataclass(frozen=True, slots=True)
class Question:
    """One catalogue entry.

    For a per-channel question `text` contains `{channel}`, to be filled with the channel's label.
    """

    key: str
    section: str
    who: Who
    type: AnswerType
    text: Localized
    label: Localized
    """A short name for review screens (≤ `LABEL_MAX_LENGTH`, `{channel}` filled in)."""
    hint: Localized
    example: Localized
    optional: bool = False
    per_channel: bool = False
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int = DEFAULT_MAX_LENGTH
    currency: str | None = None
    free_text: bool = False
    """A single choice that also takes the person's own words: typed text that is no option is
    kept (under `words_key`) and mapped to an option for a one-tap confirmation."""

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)

    @property
    def option_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)

    @property
    def words_key(self) -> str:
        """Where a `free_text` question keeps the person's own words, next to the option key."""
        return f"{self.key}.{WORDS_SUFFIX}"


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: int
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    channel_question: str

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def questions_in(self, section: str) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.section == section)

    @property
    def channels(self) -> tuple[Option, ...]:
        """The channel options, in the order per-channel follow-ups are asked."""
        return self.question(self.channel_question).options

    def channel(self, key: str) -> Option:
        option = self.question(self.channel_question).option(key)
        if option is None:
            raise KeyError(key)
        return option


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, read and checked once per process."""
    return read_catalogue(CATALOGUE_PATH)


def read_catalogue(path: Path) -> Catalogue:
    with path.open("rb") as file:
        try:
            data = tomllib.load(file)
        except tomllib.TOMLDecodeError as error:
            raise CatalogueError(f"{path}: not valid TOML: {error}") from error
    try:
        return parse_catalogue(data)
    except CatalogueError as error:
        raise CatalogueError(f"{path}: {error}") from error


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Build and check a catalogue from already-parsed TOML (tests feed broken ones here)."""
    _no_unknown_fields("the file", data, {"version", "channel_question", "section", "question"})
    version = data.get("version")
    if version != 1:
        raise CatalogueError(f"version must be 1, got {version!r}")
    sections = tuple(_section(raw) for raw in _tables(data, "section"))
    _unique("section", [section.key for section in sections])
    questions = tuple(_question(raw) for raw in _tables(data, "question"))
    _unique("question", [question.key for question in questions])
    catalogue = Catalogue(
        version=version,
        sections=sections,
        questions=questions,
        channel_question=_string("the file", data, "channel_question"),
    )
    _check_sections(catalogue)
    _check_channels(catalogue)
    _check_channel_examples(catalogue)
    _check_labels(catalogue)
    return catalogue


def _check_labels(catalogue: Catalogue) -> None:
    """Every label fits a button even for the channel with the longest name."""
    channels = [option.label for option in catalogue.channels] or [Localized("", "")]
    for question in catalogue.questions:
        for language in LANGUAGES:
            label = question.label.get(language)
            names = (
                [channel.get(language) for channel in channels] if question.per_channel else [""]
            )
            longest = max(len(label.format(channel=name)) for name in names)
            if longest > LABEL_MAX_LENGTH:
                raise CatalogueError(
                    f"question {question.key!r}: {language}.label is {longest} characters "
                    f"long, at most {LABEL_MAX_LENGTH} fit a button"
                )


def _check_channel_examples(catalogue: Catalogue) -> None:
    """A channel's examples must name per-channel questions, or they would never be shown."""
    per_channel = {question.key for question in catalogue.questions if question.per_channel}
    for question in catalogue.questions:
        for option in question.options:
            unknown = {name for name, _ in option.examples} - per_channel
            if unknown:
                raise CatalogueError(
                    f"question {question.key!r} option {option.key!r}: examples for "
                    f"{sorted(unknown)}, which are not per-channel questions"
                )


def _tables(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    tables = data.get(name)
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise CatalogueError(f"expected at least one [[{name}]] table")
    return tables


def _section(raw: Mapping[str, Any]) -> Section:
    key = _key("section", raw)
    where = f"section {key!r}"
    _no_unknown_fields(where, raw, {"key", *LANGUAGES})
    return Section(key=key, title=_localized(where, raw, "title"))


def _question(raw: Mapping[str, Any]) -> Question:
    key = _key("question", raw)
    where = f"question {key!r}"
    if key == CHANNEL_PREFIX:
        raise CatalogueError(f"{where}: the key {CHANNEL_PREFIX!r} is reserved")
    _no_unknown_fields(where, raw, _QUESTION_FIELDS)
    for language in LANGUAGES:
        _no_unknown_fields(f"{where} [{language}]", raw.get(language, {}), _WORDING_FIELDS)
    answer_type = _enum(where, raw, "type", AnswerType)
    question = Question(
        key=key,
        section=_string(where, raw, "section"),
        who=_enum(where, raw, "who", Who),
        type=answer_type,
        text=_localized(where, raw, "text"),
        label=_localized(where, raw, "label"),
        hint=_localized(where, raw, "hint"),
        example=_localized(where, raw, "example"),
        optional=_bool(where, raw, "optional"),
        per_channel=_bool(where, raw, "per_channel"),
        options=_options(where, raw, answer_type),
        min=_number(where, raw, "min"),
        max=_number(where, raw, "max"),
        integer=_bool(where, raw, "integer"),
        max_length=_max_length(where, raw),
        currency=raw.get("currency"),
        free_text=_bool(where, raw, "free_text"),
    )
    _check_type_fields(where, raw, question)
    _check_placeholders(where, question)
    return question


def _check_type_fields(where: str, raw: Mapping[str, Any], question: Question) -> None:
    numeric = question.type.is_numeric
    for name in ("min", "max", "integer"):
        if name in raw and not numeric:
            raise CatalogueError(f"{where}: {name!r} only applies to number and money questions")
    if numeric and (question.min is None or question.max is None):
        raise CatalogueError(f"{where}: number and money questions need both 'min' and 'max'")
    if question.min is not None and question.max is not None and question.min > question.max:
        raise CatalogueError(f"{where}: min is greater than max")
    if "max_length" in raw and question.type is not AnswerType.TEXT and not question.free_text:
        raise CatalogueError(f"{where}: 'max_length' only applies to text and free-text questions")
    if (question.type is AnswerType.MONEY) != (question.currency is not None):
        raise CatalogueError(f"{where}: money questions, and only they, need a 'currency'")
    if question.free_text and (
        question.type is not AnswerType.SINGLE_CHOICE
        or question.per_channel
        or question.who is Who.BOTH
        or question.option(FREE_TEXT_FALLBACK) is None
    ):
        raise CatalogueError(
            f"{where}: 'free_text' needs a single choice asked once, with an "
            f"{FREE_TEXT_FALLBACK!r} option for words that match nothing"
        )
    if question.per_channel and question.who is Who.BOTH:
        raise CatalogueError(f"{where}: a per-channel question cannot be answered by both sides")


def _check_placeholders(where: str, question: Question) -> None:
    """The UI formats per-channel text with `channel=` and shows the rest as is."""
    expected = {"channel"} if question.per_channel else set()
    for name in ("text", "label", "hint", "example"):
        for language in LANGUAGES:
            value = getattr(getattr(question, name), language)
            try:
                fields = {field for _, field, _, _ in string.Formatter().parse(value) if field}
            except ValueError as error:
                raise CatalogueError(f"{where}: {language}.{name}: {error}") from error
            wanted = expected if name in ("text", "label") else set()
            if fields != wanted:
                raise CatalogueError(
                    f"{where}: {language}.{name} must use the placeholders {sorted(wanted)}, "
                    f"found {sorted(fields)}"
                )


def _check_sections(catalogue: Catalogue) -> None:
    """Questions must be grouped by section, in section order, so steps read section by section."""
    order = [section.key for section in catalogue.sections]
    position = -1
    for question in catalogue.questions:
        if question.section not in order:
            raise CatalogueError(f"question {question.key!r}: unknown section {question.section!r}")
        index = order.index(question.section)
        if index < position:
            raise CatalogueError(
                f"question {question.key!r}: section {question.section!r} appears out of order; "
                "keep questions grouped by section in the order of [[section]] tables"
            )
        position = index
    for key in order:
        if not catalogue.questions_in(key):
            raise CatalogueError(f"section {key!r} has no questions")


def _check_channels(catalogue: Catalogue) -> None:
    try:
        source = catalogue.question(catalogue.channel_question)
    except KeyError:
        raise CatalogueError(
            f"channel_question {catalogue.channel_question!r} is not a question"
        ) from None
    if source.type is not AnswerType.MULTI_CHOICE or source.per_channel:
        raise CatalogueError("channel_question must be a multi_choice question, not per-channel")
    seen_source = False
    for question in catalogue.questions:
        seen_source = seen_source or question is source
        if question.per_channel and not seen_source:
            raise CatalogueError(
                f"question {question.key!r}: per-channel questions must come after "
                f"{source.key!r}, which chooses the channels"
            )


def _options(where: str, raw: Mapping[str, Any], answer_type: AnswerType) -> tuple[Option, ...]:
    entries = raw.get("options")
    if not answer_type.is_choice:
        if entries is not None:
            raise CatalogueError(f"{where}: only choice questions have options")
        return ()
    if not isinstance(entries, list) or len(entries) < 2:
        raise CatalogueError(f"{where}: a choice question needs at least two options")
    options = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: each option is a table {{ key, ru, en }}")
        key = _key(f"{where}: option", entry)
        _no_unknown_fields(f"{where} option {key!r}", entry, {"key", "examples", *LANGUAGES})
        labels = [entry.get(language) for language in LANGUAGES]
        if not all(isinstance(label, str) and label.strip() for label in labels):
            raise CatalogueError(f"{where}: option {key!r} needs a label in {LANGUAGES}")
        examples = entry.get("examples", {})
        if not isinstance(examples, dict) or not all(
            isinstance(text, str) and text.strip() for text in examples.values()
        ):
            raise CatalogueError(f'{where}: option {key!r}: examples are {{ question = "text" }}')
        options.append(
            Option(
                key=key,
                label=Localized(ru=entry["ru"], en=entry["en"]),
                examples=tuple(sorted(examples.items())),
            )
        )
    _unique(f"{where}: option", [option.key for option in options])
    return tuple(options)


def _localized(where: str, raw: Mapping[str, Any], name: str) -> Localized:
    values = {}
    for language in LANGUAGES:
        table = raw.get(language)
        value = table.get(name) if isinstance(table, dict) else None
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError(f"{where}: missing {language}.{name}")
        values[language] = value
    return Localized(**values)


def _key(kind: str, raw: Mapping[str, Any]) -> str:
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise CatalogueError(f"{kind} key {key!r} must be a lowercase identifier")
    return key


def _string(where: str, raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value:
        raise CatalogueError(f"{where}: {name!r} must be a non-empty string")
    return value


def _bool(where: str, raw: Mapping[str, Any], name: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise CatalogueError(f"{where}: {name!r} must be true or false")
    return value


def _number(where: str, raw: Mapping[str, Any], name: str) -> float | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CatalogueError(f"{where}: {name!r} must be a number")
    return float(value)


def _max_length(where: str, raw: Mapping[str, Any]) -> int:
    value = raw.get("max_length", DEFAULT_MAX_LENGTH)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CatalogueError(f"{where}: 'max_length' must be a positive whole number")
    return int(value)


def _enum(where: str, raw: Mapping[str, Any], name: str, kind: type[_E]) -> _E:
    value = raw.get(name)
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise CatalogueError(f"{where}: {name} {value!r} is not one of: {allowed}") from None


def _unique(kind: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise CatalogueError(f"{kind} key {key!r} is used twice")
        seen.add(key)


def _no_unknown_fields(where: str, raw: Any, allowed: set[str] | frozenset[str]) -> None:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a table")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise CatalogueError(f"{where}: unknown field(s) {unknown}")
