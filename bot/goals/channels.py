"""Which platform a goal is about (docs/goal-spec.md §4).

Aliases come from ``vocab.json`` (the contract's fixed vocabulary) plus :data:`EXTRA_ALIASES`,
the inflected and misspelt forms people actually type («в телеге», «на Озоне», «инсте»).
Rules: one platform → that platform, several → ``multi``, the source of traffic beats its
destination («переходы на сайт из ВК» → ``vk``), generic words alone → ``None``.

The module only names a channel value from the vocabulary; it never validates accounts or
talks to any platform.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Final, NamedTuple

from bot.goals.scanning import WordPatterns, word_starts
from bot.numbers import normalize_text

__all__ = ["CHANNELS", "EXTRA_ALIASES", "find_channel"]


def _load_vocab_aliases() -> dict[str, tuple[str, ...]]:
    raw = resources.files("bot.goals").joinpath("vocab.json").read_text(encoding="utf-8")
    channels: dict[str, list[str]] = json.loads(raw)["channel"]
    return {name: tuple(aliases) for name, aliases in channels.items() if name != "multi"}


_VOCAB_ALIASES: Final = _load_vocab_aliases()
CHANNELS: Final = frozenset(_VOCAB_ALIASES) | {"multi"}

# Patterns on normalized text (lower case, «ё» → «е»): case forms and common spellings.
EXTRA_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "vk": (
        r"вк\b",
        r"в\s?контакт[а-я]*",
        r"vk\b",
        r"vkontakte",
        r"vk\.com",
        r"senler",
        r"сенлер[а-я]*",
    ),
    "telegram": (
        r"телеграм[а-я]*",
        r"телег(?:а|е|у|и|ой)\b",
        r"тг\b",
        r"тгк\b",
        r"tg\b",
        r"telegram[a-z]*",
        r"телик\b",
    ),
    "instagram": (
        r"инстаграм[а-я]*",
        r"инстограм[а-я]*",
        r"инст(?:а|у|е|ы|ой)?\b",
        r"instagram[a-z]*",
        r"insta\b",
        r"ig\b",
        r"рилс[а-я]*",
        r"reels?\b",
    ),
    "youtube": (
        r"ютуб[а-я]*",
        r"ютьюб[а-я]*",
        r"ютюб[а-я]*",
        r"youtube",
        r"yt\b",
        r"шортс[а-я]*",
        r"shorts\b",
    ),
    "tiktok": (r"тик-?ток[а-я]*", r"tik-?tok[a-z]*"),
    "dzen": (r"дзен[а-я]*", r"дзэн[а-я]*", r"dzen"),
    "ok": (r"одноклассник[а-я]*", r"ok\.ru", r"(?<=\bв )ок\b", r"(?<=\bиз )ок\b"),
    "rutube": (r"рутуб[а-я]*", r"rutube"),
    "facebook": (
        r"фейсбук[а-я]*",
        r"фейсбуке",
        r"фэйсбук[а-я]*",
        r"facebook",
        r"fb\b",
        r"фб\b",
        r"meta ads",
    ),
    "linkedin": (r"linkedin", r"линкедин[а-я]*", r"линкдин[а-я]*"),
    "x": (r"twitter", r"твиттер[а-я]*", r"x\.com", r"tweets?\b"),
    "pinterest": (r"pinterest", r"пинтерест[а-я]*"),
    "website": (
        r"сайт[а-я]*",
        r"лендинг[а-я]*",
        r"лендос[а-я]*",
        r"интернет[- ]магазин[а-я]*",
        r"онлайн[- ]магазин[а-я]*",
        r"web ?sites?",
        r"site\b",
        r"landing(?: pages?)?",
        r"online (?:store|shop)",
        r"web ?(?:store|shop)",
        r"e-?shop",
        r"shopify",
        r"tilda",
        r"тильд[а-я]*",
    ),
    "email": (
        r"e-?mail[a-zа-я]*",
        r"имейл[а-я]*",
        r"емейл[а-я]*",
        r"newsletters?",
        r"mailing list",
        r"email list",
    ),
    "ozon": (r"ozon", r"озон[а-я]*"),
    "wildberries": (
        r"wildber+ies",
        r"wb\b",
        r"вб\b",
        r"в[ао]й?лдбер+из[а-я]*",
        r"в[ао]й?лдбер+ис[а-я]*",
    ),
    "yandex_market": (r"яндекс[ .-]?маркет[а-я]*", r"yandex[ .-]?market", r"ям\b"),
    "avito": (r"авито", r"avito"),
}

# Weak cues: they name a channel only when no specific platform is named.
_WEAK_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "email": (r"рассылк[а-я]*",),
    "website": (r"блог[а-я]*", r"blog[a-z]*"),
}

# Case matters for these: "X" the network vs «x2», «ОК» the network vs «ок» = okay.
_CASE_SENSITIVE: Final[tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]] = (
    ("x", ("X",), re.compile(r"(?<![\w\-.])X(?![\w\-])(?!\s?\d)")),
    (
        "ok",
        ("ОК", "OK"),
        re.compile(r"(?<![\w\-])ОК(?![\w\-])|(?:\b(?:in|on|from|в|на|из)\s+)OK\b"),
    ),
    ("tiktok", ("TT",), re.compile(r"(?<![\w\-])TT(?![\w\-])")),
)
_CASE_SENSITIVE_ALIASES: Final = frozenset({"X", "OK", "ОК", "TT"})
# Any of their letters, looked for once per goal before the patterns above.
_CASE_SENSITIVE_HINT_RE: Final = re.compile(
    "|".join(re.escape(word) for _channel, letters, _pattern in _CASE_SENSITIVE for word in letters)
)


def _alias_pattern(alias: str) -> str:
    """A vocabulary alias as a whole-word pattern on normalized text."""
    text = alias.lower().replace("ё", "е").rstrip("*")
    return re.escape(text).replace(r"\ ", r"[ -]?").replace(r"\-", r"[ -]?")


def _index(patterns: dict[str, tuple[str, ...]]) -> WordPatterns[str]:
    return WordPatterns(
        ((channel, pattern, ()) for channel, group in patterns.items() for pattern in group),
        suffix=r"(?![a-zа-я])",
    )


def _strong_patterns() -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for channel, aliases in _VOCAB_ALIASES.items():
        own = tuple(_alias_pattern(a) for a in aliases if a not in _CASE_SENSITIVE_ALIASES)
        merged[channel] = own + EXTRA_ALIASES.get(channel, ())
    return merged


_STRONG: Final = _index(_strong_patterns())
_WEAK: Final = _index(_WEAK_ALIASES)

# «из ВК», «с сайта», "from Pinterest", «через таргет ВК»: a source marker at most two words
# before the platform.
_SOURCE_WORDS: Final = frozenset(
    {"из", "с", "со", "from", "via", "через", "through", "пришедших", "пришедшие", "приходящих"}
)
_WORD_RE: Final = re.compile(r"[\w*-]+")


def _is_source(norm: str, start: int) -> bool:
    before = _WORD_RE.findall(norm, max(0, start - 40), start)[-3:]
    return (
        any(word in _SOURCE_WORDS for word in before)
        or "out of" in norm[max(0, start - 12) : start]
    )


class _Mention(NamedTuple):  # a named tuple: one per platform named, made for every goal
    channel: str
    start: int
    source: bool


def _mentions(text: str, norm: str, starts: Sequence[int]) -> list[_Mention]:
    found: list[_Mention] = []
    for hit in _STRONG.longest(norm, starts):
        found.append(_Mention(hit.key, hit.start, _is_source(norm, hit.start)))
    if not _CASE_SENSITIVE_HINT_RE.search(text):
        return found
    for channel, letters, pattern in _CASE_SENSITIVE:
        if not any(word in text for word in letters):
            continue
        found.extend(
            _Mention(channel, m.start(), _is_source(norm, m.start()))
            for m in pattern.finditer(text)
        )
    return found


def _pick(channels: set[str]) -> str | None:
    if not channels:
        return None
    return next(iter(channels)) if len(channels) == 1 else "multi"


def find_channel(text: str, norm: str, starts: Sequence[int] | None = None) -> str | None:
    """The channel value for a goal; ``text`` is the original, ``norm`` its normalized form.

    ``starts`` are the word starts of ``norm`` when the caller already has them.
    """
    if starts is None:
        starts = word_starts(norm)
    mentions = _mentions(text, norm, starts)
    if not mentions:
        if not _WEAK.may_match(norm):  # «рассылка», «блог» are rare: skip the scan
            return None
        return _pick({hit.key for hit in _WEAK.longest(norm, starts)})
    sources = {m.channel for m in mentions if m.source}
    named = {m.channel for m in mentions}
    # Source beats destination; a generic source («из соцсетей») names no platform, so then
    # the destination is all that is named and wins by default.
    if sources and sources != named:
        return _pick(sources)
    return _pick(named)


def find_channel_answer(text: str, allowed: Sequence[str]) -> str | None:
    """The channel a typed answer to "on which channel?" names («ВК», "website"), if it is one
    of ``allowed`` (the project's channels; any channel when the project names none)."""
    channel = find_channel(text, normalize_text(text))
    if channel is None or channel == "multi":
        return None
    return channel if not allowed or channel in allowed else None
