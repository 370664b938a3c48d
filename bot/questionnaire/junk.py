"""Typed answers that look like a slip rather than an answer («😀😀😀», «42», «asdf»).

Such an answer is not refused — the person may really mean it — but the dialog asks once
whether that is really it before it is saved. What counts as a slip depends on what the
question expects: a descriptive question wants words, an account question takes a link or a
bare handle, a numeric question is never checked here (its parser already wants digits).

Pure text rules only: no Telegram, no database.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from bot.questionnaire.catalogue import AnswerType, Question

#: Keyboard rows (Latin and Russian layouts); a run along one of them is a mash, not a word.
_KEYBOARD_ROWS = (
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
)
#: The fewest letters of a run along keyboard rows treated as a mash: three letters would catch real
#: words («wer», «op»), four catch none in either language.
_MASH_RUN = 4
#: Within a mash of several words each word still runs along a row for at least this many letters.
_WORD_RUN = 3


class TextKind(StrEnum):
    """What a typed answer is expected to be."""

    WORDS = "words"
    """A description or a name: «Осенняя коллекция», «SMM», «ИП»."""
    HANDLE = "handle"
    """An account: a link, «@name» or a bare name, digits allowed."""


def text_kind(question: Question) -> TextKind | None:
    """The kind of text a question expects, or None when its typed answers are not checked.

    Per-channel text questions ask for the channel's account; numbers, money, days, hours and
    time zones have their own parsers that already refuse what is not such a value.
    """
    if question.type is AnswerType.TEXT:
        return TextKind.HANDLE if question.per_channel else TextKind.WORDS
    if question.type is AnswerType.SINGLE_CHOICE and question.free_text:
        return TextKind.WORDS
    return None


def looks_like_junk(text: str, kind: TextKind) -> bool:
    """True when `text` is probably a slip for an answer of this kind, worth asking about once."""
    stripped = text.strip()
    if not stripped:
        return False
    meaningful = [char for char in stripped if _is_letter(char) or char.isdigit()]
    if not meaningful:
        return True  # only emoji, punctuation or symbols
    if (
        len(stripped) >= 3
        and len({char.casefold() for char in stripped if not char.isspace()}) == 1
    ):
        return True  # «ааааа», «.....», «1111»
    if kind is TextKind.HANDLE:
        return False
    letters = [char for char in meaningful if _is_letter(char)]
    if not letters:
        # Digits alone («42», «12345») say nothing to a question that wants words; digits with
        # a separator («5/2», «24/7») are a schedule or a ratio and pass.
        return all(char.isdigit() or char.isspace() for char in stripped)
    if len(letters) < 2 and len(meaningful) < 2:
        return True  # a single letter: «а», «x»
    return _is_keyboard_mash(stripped)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _is_keyboard_mash(text: str) -> bool:
    """Every word is a run along one keyboard row («asdf», «йцукен», «asdf jkl;»)."""
    words = ["".join(char for char in word if _is_letter(char)) for word in text.casefold().split()]
    words = [word for word in words if word]
    if sum(len(word) for word in words) < _MASH_RUN:
        return False
    return all(_is_row_run(word) for word in words)


def _is_row_run(word: str) -> bool:
    if len(word) < _WORD_RUN:
        return False
    return any(word in row or word in row[::-1] for row in _KEYBOARD_ROWS)
