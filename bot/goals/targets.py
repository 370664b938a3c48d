"""Which numbers in a goal can be its target, and which are a baseline (docs/goal-spec.md §2, §7).

A goal text holds many numbers: the goal itself, the current value, a budget, a price, stock on
hand, a CPL cap, dates and durations. This module sorts them: it adds the multipliers people
write instead of a percent («удвоить» = 100 %), drops what is never a target, marks baselines
(«сейчас 4 100», «с A до B», "last year we had 90") and finds «с A до B» ranges. It does not
pick the metric; the extractor weighs these numbers against the metric cues.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Final

from bot.goals.dates import TimeKind, TimeMention
from bot.numbers import NumberMention, parse_number, word_alternation

__all__ = ["Range", "SortedNumbers", "sort_numbers"]

# --- multipliers ----------------------------------------------------------------------------

_FIXED_MULTIPLIERS: Final[tuple[tuple[re.Pattern[str], float], ...]] = (
    (
        re.compile(
            r"\bудво[а-я]*|\bвдвое\b|\bdoubl(?:e|ed|ing)\b|\btwice\b|(?<![\w.,])[xх]\s?2(?![\w.,])"
            r"|(?<![\w.,])2\s?[xх](?![\w])"
        ),
        2.0,
    ),
    (
        re.compile(
            r"\bутро[а-я]*|\bвтрое\b|\btripl(?:e|ed|ing)\b|(?<![\w.,])[xх]\s?3(?![\w.,])"
            r"|(?<![\w.,])3\s?[xх](?![\w])"
        ),
        3.0,
    ),
    (re.compile(r"\bучетвер[а-я]*|\bвчетверо\b|\bquadrupl[a-z]*"), 4.0),
    (re.compile(r"\bhalve[sd]?\b|\bhalving\b"), 0.5),
)
_TIMES_RE: Final = re.compile(
    r"\bв\s+(?P<n>\d+(?:[.,]\d+)?|полтора|два|две|три|четыре|пять|десять)\s+раз(?:а)?\b"
    r"|(?<![\w.,])(?P<en>\d+(?:[.,]\d+)?|two|three|four|five|ten)\s*(?:times|x)\b"
    r"(?!\s+(?:a|an|per|each|every)\s)(?!\s+(?:a\s+)?(?:week|month|day)\b)"
)
_REDUCE_RE: Final = re.compile(
    r"(?:снизить|снижени[а-я]*|сократить|сокращени[а-я]*|уменьшить|урезать|reduce|cut|lower|decrease)"
    r"[^.;!?]{0,30}$"
)


# Words without which no multiplier is read (a prefix tree, see _EXCLUDED_HINT_RE), and «x2» / «3х».
_MULTIPLIER_HINT_RE: Final = re.compile(
    word_alternation(
        (
            *("удво", "вдвое", "doubl", "twice", "утро", "втрое", "tripl", "учетвер", "вчетверо"),
            *("quadrupl", "halv", "раз", "times"),
        )
    )
)
_TIMES_SIGN_RE: Final = re.compile(r"\d\s?[xх]|[xх]\s?\d")


def _may_multiply(norm: str) -> bool:
    if _MULTIPLIER_HINT_RE.search(norm):
        return True
    return ("x" in norm or "х" in norm) and bool(_TIMES_SIGN_RE.search(norm))


def _multipliers(norm: str) -> list[NumberMention]:
    """«удвоить» = +100 %, «в 3 раза» = +200 %, «снизить вдвое» = −50 %: a percent target."""
    found: list[tuple[int, int, float]] = []
    if not _may_multiply(norm):
        return []
    for pattern, factor in _FIXED_MULTIPLIERS:
        found.extend((m.start(), m.end(), factor) for m in pattern.finditer(norm))
    for m in _TIMES_RE.finditer(norm):
        times = parse_number(m.group("n") or m.group("en") or "")
        if times is not None and times > 1:
            found.append((m.start(), m.end(), times))
    mentions = []
    for start, end, factor in found:
        reducing = factor < 1 or bool(_REDUCE_RE.search(norm[max(0, start - 40) : start]))
        if factor < 1:
            factor = 1 / factor
        growth = (1 - 1 / factor) * 100 if reducing else (factor - 1) * 100
        mentions.append(NumberMention(round(growth, 6), start, end, True, None))
    return mentions


# --- numbers that are never a target --------------------------------------------------------

_EXCLUDED_BEFORE: Final = re.compile(
    r"(?:"
    # budgets
    r"(?:бюджет[а-я]*|budget|потрат[а-я]*|spend(?:ing)?|вложи[а-я]*|вложени[а-я]*|инвестиц[а-я]*"
    r"|затрат[а-я]*|расход[а-я]*)\s*(?:[:=-]\s*)?(?:(?:в|на|до|of|is|около|примерно|about|around"
    r"|не более|не больше|up to|max|in|с|of)\s+)*"
    # prices
    r"|(?:цен[аеуы]|ценой|ценник[а-я]*|стоимост[а-я]*|стоит|стоят|по цене|prices?|priced|costs?|"
    r"средн[а-я]+ чек[а-я]*|чек[а-я]*)\s*(?:[:=-]\s*)?(?:(?:в|до|of|около|примерно|about|around|at)\s+)*"
    # stock on hand, «600 из 1000»
    r"|(?:на склад[а-я]*|в наличии|in stock|on hand|в остатке|осталось|остается|остались|лежит|лежат"
    r"|висит|висят|\d[^\d]{0,15}(?:\bиз|\bout of|\bof)|inventory of|stock of)\s+(?:(?:[a-zа-я]+)\s+)?"
    # «топ-10», "top 3", «№ 1»
    r"|(?:\bтоп|\btop)[\s-]*|[№#]\s*"
    r")[$₽]?\s*$"
)
_CAP_BEFORE: Final = re.compile(
    r"(?:\bпри\s+(?:cpl|cpa|cpc|cpm|cac|стоимост[а-я]*|цен[а-я]*|бюджет[а-я]*|ставк[а-я]*|расход[а-я]*)"
    r"|\b(?:with|at|keeping|keep|while keeping|and keeping|under)\s+(?:a\s+|an\s+|the\s+|our\s+)?"
    r"(?:cpl|cpa|cpc|cac|cost per \w+|budget|spend))"
    r"[^.;!?\d]{0,30}$"
)
_PRICE_WITH_CURRENCY_BEFORE: Final = re.compile(r"(?:\bпо|\bat|\bfor|\bза)\s*[$₽]?\s*$")
_EXCLUDED_AFTER: Final = re.compile(
    r"^(?:"
    r"\s*(?:[a-zа-я.]+\s+)?(?:бюджет[а-я]*|budget|на рекламу|on ads|in ad spend|на продвижение"
    r"|на таргет|ad spend|рекламного бюджета)"
    r"|\s*(?:за\s+(?:штуку|шт|единицу|товар|пару|каждый|каждую)|each|apiece|per (?:unit|item|piece))"
    r"|\s*(?:[a-zа-я.]+\s+){0,2}(?:на складе|в наличии|in stock|on hand|в остатке|лежит|лежат|осталось)"
    r"|\s*(?:-\s*\d+\s*)?(?:лет\b|years? old|y\.?o\b)"
    r"|\s*(?:час[а-я]*|минут[а-я]*|секунд[а-я]*|сек\b|мин\b|hours?|minutes?|mins?\b|seconds?|secs?\b)"
    r"|:\d{2}"
    r"|-?(?:й|я|е|го|ое|ий|ая|ой|ым)\b|(?:st|nd|rd|th)\b"
    r")"
)
_YEAR_AFTER: Final = re.compile(r"^\s*(?:год[а-я]*|г\.|г\b|year)")
_YEAR_BEFORE: Final = re.compile(r"(?:\bin|\bsince|\bduring|\bof|\bв|\bс)\s+$")


# Cheap per-text checks: the costly look-backs run only when one of their words is present.
# Literal words go in a prefix tree and patterns that do not start with a literal stand apart,
# so that ``re`` can skip ahead to where a match may begin instead of trying every position.
_EXCLUDED_HINT_WORDS: Final = (
    *("бюджет", "budget", "потрат", "spend", "влож", "инвестиц", "затрат", "расход"),
    *("цен", "стоимост", "стои", "price", "cost", "чек"),
    *("склад", "наличи", "stock", "hand", "остат", "остал", "лежит", "лежат", "висит", "висят"),
    *("топ", "top", "№", "#"),
)
_EXCLUDED_HINT_RE: Final = re.compile(word_alternation(_EXCLUDED_HINT_WORDS))
_OUT_OF_HINT_RE: Final = re.compile(r"\d[^\d]{0,15}(?:из|of)\b")  # «600 из 1000»
_CAP_HINT_RE: Final = re.compile(r"with|at\b|keep|under")
_PRI_RE: Final = re.compile(r"\bпри\b")


def _hints(norm: str) -> tuple[bool, bool]:
    """Whether the text has a word of an exclusion look-back, and of a cap look-back."""
    excluded = bool(_EXCLUDED_HINT_RE.search(norm) or _OUT_OF_HINT_RE.search(norm))
    cap = bool(_CAP_HINT_RE.search(norm) or ("при" in norm and _PRI_RE.search(norm)))
    return excluded, cap


def _excluded(norm: str, number: NumberMention, hints: tuple[bool, bool]) -> bool:
    before = norm[max(0, number.start - 45) : number.start]
    after = norm[number.end : number.end + 30]
    if (
        (hints[0] and _EXCLUDED_BEFORE.search(before))
        or (hints[1] and _CAP_BEFORE.search(before))
        or _EXCLUDED_AFTER.match(after)
    ):
        return True
    if number.currency and _PRICE_WITH_CURRENCY_BEFORE.search(before):
        return True
    value = number.value
    if value.is_integer() and 1990 <= value <= 2099 and not number.percent:
        raw = norm[number.start : number.end]
        return raw.isdigit() and bool(_YEAR_AFTER.match(after) or _YEAR_BEFORE.search(before))
    return False


# --- baselines and ranges -------------------------------------------------------------------

_RANGE_FROM: Final = re.compile(r"(?:\bс|\bсо|\bот|\bfrom|\bc)\s*[$₽]?\s*$")
_RANGE_GAP: Final = re.compile(r"\s*(?:до|to|->|→|=>|-)\s*[$₽]?\s*")
_ARROW_GAP: Final = re.compile(r"\s*(?:->|→|=>)\s*[$₽]?\s*")
_BASELINE_BEFORE: Final = re.compile(
    r"(?:\bсейчас|\bсегодня|\bна сегодня|\bна данный момент|\bна текущий момент|\bв данный момент"
    r"|\bтекущ[а-я]*|\bпока|\bуже|\bимеем|\bесть|\bбыло|\bбыл[аио]?|\bстартуем с|\bначинаем с"
    r"|\bисходно|\bизначально|\bcurrently|\bnow|\bright now|\btoday|\bat the moment|\bwe're at"
    r"|\bwe are at|\bwe have|\bwe've got|\bwe had|\bhad|\bwas|\bwere|\bcurrent|\bstarting from"
    r"|\bstart from|\bbaseline|\bбаза|\bу нас)"
    r"(?P<gap>[^.;!?,\d]{0,30})$"
)
_BASELINE_AFTER: Final = re.compile(
    r"^\s*(?:[a-zа-я]+\s+){0,2}(?:сейчас|на данный момент|на сегодня|currently|at the moment|было"
    r"|был[аио]?)\b"
)
# A word of every marker above: without one in the text, neither look-around can match.
_BASELINE_WORDS_RE: Final = re.compile(
    word_alternation(
        (
            *("сейчас", "сегодня", "момент", "текущ", "пока", "уже", "имеем", "есть", "был"),
            *("стартуем", "начинаем", "исходно", "изначально", "база", "у нас"),
            *("current", "now", "today", "moment", "we", "had", "was", "were", "start"),
            "baseline",
        )
    )
)
_ATTRIBUTIVE_PAST_RE: Final = re.compile(r"(?:позапрошл|прошл)(?:ого|ой|ых|огодн)|(?:of|from) last")
_OF_BEFORE_RE: Final = re.compile(r"\b(?:of|from)\s+(?:the\s+)?$")
_PAST_GAP_BAD_RE: Final = re.compile(r"[,.;!?\d]")
_WISH_RE: Final = re.compile(
    r"\b(?:чтобы|чтоб|хотим|хочу|хотелось|нужно|надо|цель|goal|target|want|need|aim|plan)\b"
)


@dataclass(frozen=True, slots=True)
class Range:
    """«с A до B» / "from A to B": B is the target, A the baseline."""

    baseline: NumberMention
    target: NumberMention


@dataclass(frozen=True, slots=True)
class SortedNumbers:
    candidates: tuple[NumberMention, ...]  # may be the target
    baselines: tuple[NumberMention, ...]  # stated current / starting values
    everything: tuple[NumberMention, ...]  # candidates and baselines, for weighing cues
    range: Range | None


def _is_baseline(
    norm: str, number: NumberMention, times: tuple[TimeMention, ...], worded: bool
) -> bool:
    """«сейчас 4 100», "we're at 2k", «в прошлом году было 90» — but not «чтобы было 6000».

    ``worded``: whether the text has a baseline marker word at all (see _BASELINE_WORDS_RE).
    """
    if worded:
        offset = max(0, number.start - 45)
        marker = _BASELINE_BEFORE.search(norm[offset : number.start])
        if marker:
            at = offset + marker.start()
            in_time = any(t.start <= at < t.end for t in times)  # «в текущем месяце» is a date
            if not in_time and not _WISH_RE.search(norm[max(0, at - 15) : number.start]):
                return True
        if _BASELINE_AFTER.match(norm[number.end : number.end + 30]):
            return True
    for mention in times:
        if mention.kind is not TimeKind.PAST:
            continue
        if mention.start >= number.end:  # «50 продаж в прошлом году было»
            if _ATTRIBUTIVE_PAST_RE.match(norm, mention.start) or _OF_BEFORE_RE.search(
                norm, max(0, mention.start - 6), mention.start
            ):
                continue  # «120 пальто прошлого сезона»: which goods, not when
            gap = norm[number.end : mention.start]
            near = mention.start - number.end <= 25
        else:  # «в прошлом году было 90», "last year we had 40"
            gap = norm[mention.end : number.start]
            near = number.start - mention.end <= 40
        if near and not _PAST_GAP_BAD_RE.search(gap) and not _WISH_RE.search(gap):
            return True
    return False


def _find_range(norm: str, numbers: list[NumberMention]) -> Range | None:
    for first, second in itertools.pairwise(numbers):
        gap = norm[first.end : second.start]
        from_marker = _RANGE_FROM.search(norm[max(0, first.start - 8) : first.start])
        if (from_marker and _RANGE_GAP.fullmatch(gap)) or _ARROW_GAP.fullmatch(gap):
            if first.percent and not second.percent:
                second = replace(second, percent=True)
            return Range(first, second)
    return None


_PERCENT_WORD_BEFORE: Final = re.compile(
    r"процент[а-я]*\s+(?:на|до)\s+$|percent(?:age)?\s+(?:by|to)\s+$"
)


def sort_numbers(
    norm: str, numbers: list[NumberMention], times: tuple[TimeMention, ...]
) -> SortedNumbers:
    """Drop numbers inside time expressions and never-targets; mark baselines and a range."""
    multipliers = _multipliers(norm)
    kept: list[NumberMention] = list(multipliers)
    hints: tuple[bool, bool] | None = None  # read once, for the first number that needs them
    percent_worded = "процент" in norm or "percent" in norm  # what _PERCENT_WORD_BEFORE needs
    for number in numbers:
        if any(number.start < t.end and t.start < number.end for t in times):
            continue
        if any(number.start < m.end and m.start < number.end for m in multipliers):
            continue
        if hints is None:
            hints = _hints(norm)
        if _excluded(norm, number, hints):
            continue
        if (
            not number.percent
            and percent_worded
            and _PERCENT_WORD_BEFORE.search(norm[max(0, number.start - 20) : number.start])
        ):
            number = replace(number, percent=True)
        kept.append(number)
    kept.sort(key=lambda n: n.start)
    found_range = _find_range(norm, kept)
    baselines = []
    candidates = []
    worded = bool(kept) and bool(_BASELINE_WORDS_RE.search(norm))
    for number in kept:
        if found_range is not None and number is found_range.baseline:
            baselines.append(number)
        elif found_range is not None and number.start == found_range.target.start:
            candidates.append(found_range.target)
        elif _is_baseline(norm, number, times, worded):
            baselines.append(number)
        else:
            candidates.append(number)
    everything = sorted([*baselines, *candidates], key=lambda n: n.start)
    return SortedNumbers(tuple(candidates), tuple(baselines), tuple(everything), found_range)
