"""Turning a free-form goal into a structured SMART draft (docs/goal-spec.md).

:func:`extract_goal` is the one entry point, used by the chat flow and by the batch command
(``python -m bot.goals``) alike. It reads metric (S), target number and unit (M), channel and
deadline (T) and the stated baseline, and lists what is missing. Attainable and Relevant are
judged elsewhere; this module never produces text for the user, only values from the
vocabularies in ``vocab.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final, NamedTuple

from bot.goals.channels import find_channel
from bot.goals.dates import TimeKind, TimeMention, scan_time
from bot.goals.kinds import Kind, Period, classify
from bot.goals.metrics import (
    EVENT_CONTEXT_RE,
    LIST_CONTEXT_RE,
    SELL_VERB_RE,
    Cue,
    CueKind,
    find_cues,
)
from bot.goals.scanning import word_starts
from bot.goals.targets import SortedNumbers, sort_numbers
from bot.goals.units import MONEY_METRICS, UNIT_BY_METRIC
from bot.numbers import NumberMention, currency_near, find_numbers, normalize_text

__all__ = ["GoalDraft", "extract_goal"]


@dataclass(frozen=True, slots=True)
class GoalDraft:
    """A goal as extracted; ``None`` means the text does not say."""

    metric: str | None
    target: float | None
    unit: str | None
    channel: str | None
    deadline: date | None
    baseline: float | None
    missing: frozenset[str]
    kind: Kind | None = None
    period: Period | None = None

    def to_json(self) -> dict[str, object]:
        """The spec's output object (§0): JSON numbers, ISO dates, ``missing`` in S, M, T order."""
        return {
            "metric": self.metric,
            "target": _json_number(self.target),
            "unit": self.unit,
            "channel": self.channel,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "missing": [letter for letter in ("S", "M", "T") if letter in self.missing],
            "baseline": _json_number(self.baseline),
            "kind": self.kind.value if self.kind else None,
            "period": self.period.value if self.period else None,
        }


def _json_number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.is_integer() else value


# --- clauses: means vs outcome (§1) ---------------------------------------------------------

_PURPOSE_RE: Final = re.compile(
    r"\b(?:чтобы|чтоб|дабы|ради|so that|so we|in order to|to get|to reach|to grow|to drive"
    r"|to boost|to hit|to increase|to bring|to generate|to gain|to attract|to win|to raise)\b"
)
_MEANS_RE: Final = re.compile(
    r"(?:\bза сч[её]т|\bс помощью|\bпутем|\bблагодаря|\bby (?:posting|publishing|running|launching"
    r"|creating|making|shooting)|\bthrough|\bvia|\busing|\bчерез\s+(?!\d|пару|недел|месяц|год"
    r"|полгода|квартал|[а-я]+\s+(?:недел|месяц|дн|год)))"
)
_CLAUSE_END_RE: Final = re.compile(r"[.;!?](?:\s|$)|$")
_MEANS_END_RE: Final = re.compile(r"[,.;!?]|$")


def _spans(norm: str, marker: re.Pattern[str], end: re.Pattern[str]) -> list[tuple[int, int]]:
    spans = []
    for m in marker.finditer(norm):
        stop = end.search(norm, m.end())
        spans.append((m.start(), stop.start() if stop else len(norm)))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


# --- attaching numbers to cues --------------------------------------------------------------

_FUNCTION_WORDS: Final = (
    r"в|во|на|из|с|со|к|до|по|за|для|и|или|от|при|to|in|on|from|for|per|at|of|and|or|an?|by|the"
    r"|with|each|every|than|чем"
)
_AFTER_GAP_RE: Final = re.compile(
    r"[\s+]*(?:(?!(?:" + _FUNCTION_WORDS + r")\b)[a-zа-я-]+\.?\s+){0,2}"
)
_BEFORE_GAP_BAD_RE: Final = re.compile(r"[;!?\d]|\.\s")


def _after_attached(norm: str, number: NumberMention, cue: Cue) -> bool:
    """«700 подписчиков», "40 demo requests": the cue names what the number counts."""
    return cue.start >= number.end and bool(_AFTER_GAP_RE.fullmatch(norm[number.end : cue.start]))


def _before_attached(norm: str, cue: Cue, number: NumberMention) -> bool:
    """«охват в ВК на 15%», «ER до 3%»: the cue comes first and the number shortly after."""
    if number.start < cue.end or number.start - cue.end > 35:
        return False
    return not _BEFORE_GAP_BAD_RE.search(norm[cue.end : number.start])


class _Weighed(NamedTuple):  # a named tuple: one per cue, made for every goal
    cue: Cue
    after: tuple[NumberMention, ...]
    before: tuple[NumberMention, ...]


def _weigh(norm: str, cue: Cue, numbers: tuple[NumberMention, ...]) -> _Weighed:
    after = tuple(n for n in numbers if _after_attached(norm, n, cue))
    before = tuple(n for n in numbers if _before_attached(norm, cue, n))
    return _Weighed(cue, after, before)


def _usable(norm: str, weighed: _Weighed) -> bool:
    kind = weighed.cue.kind
    if kind is CueKind.COUNTED:
        return bool(weighed.after)
    if kind is CueKind.STOCK:
        return bool(SELL_VERB_RE.search(norm))
    return True


def _choose_cue(norm: str, cues: list[Cue], numbers: SortedNumbers) -> _Weighed | None:
    """The outcome the goal is about (§1): outcome before means, numbers named, first said."""
    weighed = [_weigh(norm, cue, numbers.everything) for cue in cues]
    usable = [w for w in weighed if _usable(norm, w)]
    if len(usable) < 2:
        return usable[0] if usable else None  # nothing to rank, so no clauses to read
    purposes = _spans(norm, _PURPOSE_RE, _CLAUSE_END_RE)
    means = _spans(norm, _MEANS_RE, _MEANS_END_RE)

    def rank(w: _Weighed) -> tuple[bool, bool, bool, bool, int, int]:
        attach = 0 if w.after else 1 if w.before else 2
        return (
            w.cue.kind is CueKind.WEAK,
            _inside(w.cue.start, means),
            not _inside(w.cue.start, purposes),
            w.cue.metric == "content",
            attach,
            w.cue.start,
        )

    return min(usable, key=rank)


def _choose_target(
    norm: str, chosen: _Weighed | None, cues: list[Cue], numbers: SortedNumbers
) -> NumberMention | None:
    if numbers.range is not None:
        return numbers.range.target
    candidates = numbers.candidates
    if chosen is not None:
        attached = [n for n in chosen.after if n in candidates]
        attached += [n for n in chosen.before if n in candidates]
        if attached:
            return attached[0]
    # Numbers that count something else («3 поста» when the goal is followers) are not it.
    others = [
        c
        for c in cues
        if c.kind is not CueKind.WEAK and (chosen is None or c.metric != chosen.cue.metric)
    ]
    for number in candidates:
        if not any(_after_attached(norm, number, cue) for cue in others):
            return number
    return None


# --- metric tie-breaks and fallbacks (§1) ---------------------------------------------------

_CONTAINER_RE: Final = re.compile(
    r"(?<![\w-])(?<!landing )(?<!посадочная )(?:канал[а-я]*|групп(?:а|у|е|ы|ой)|сообществ[а-я]*"
    r"|паблик[а-я]*|аккаунт[а-я]*|профил[а-я]*|страниц[а-я]*|channel|group|community|account|page"
    r"|profile|handle)(?![a-zа-я])"
)
_SITE_RE: Final = re.compile(
    r"(?<![\w-])(?:сайт[а-я]*|лендинг[а-я]*|site|website|landing)(?![a-zа-я])"
)
_REACH_WORD_RE: Final = re.compile(r"\breach|\bохват")
_SOCIAL: Final = frozenset(
    {
        "vk",
        "telegram",
        "instagram",
        "youtube",
        "tiktok",
        "dzen",
        "ok",
        "rutube",
        "facebook",
        "linkedin",
        "x",
        "pinterest",
        "multi",
    }
)
_GROWTH_RE: Final = re.compile(
    r"\b(?:довести|дорастить|нарастить|вырастить|вырасти|раскачать|прокачать|набрать|grow|scale)\b"
)


def _refine_metric(
    norm: str, chosen: _Weighed | None, target: NumberMention | None, channel: str | None
) -> str | None:
    # The contexts are searched only where a tie-break reads them.
    def listing() -> bool:
        return bool(LIST_CONTEXT_RE.search(norm))

    def event() -> bool:
        return bool(EVENT_CONTEXT_RE.search(norm))

    if chosen is None:
        metric = None
        if target is not None and listing():
            metric = "subscribers"
        elif target is not None and (
            _CONTAINER_RE.search(norm) or (_GROWTH_RE.search(norm) and channel in _SOCIAL)
        ):
            metric = "followers"  # «довести канал до 7 тыс.»: an obvious size count
    else:
        cue = chosen.cue
        metric = cue.metric
        if cue.kind is CueKind.SIGNUP:
            metric = "subscribers" if listing() and not event() else "leads"
        elif metric == "followers" and cue.kind is CueKind.WEAK:
            if event():
                metric = "leads"
            elif listing():
                metric = "subscribers"
            elif _SITE_RE.search(norm):
                metric = "traffic"
            elif _REACH_WORD_RE.search(norm):
                metric = "reach"
        elif metric == "followers" and listing():
            metric = "subscribers"
    if target is not None and _money_code(norm, target) and metric != "cpl":
        metric = "revenue"  # money counted is revenue, whatever else is named
    return metric


# --- unit (§3) ------------------------------------------------------------------------------

_CURRENCY_RE: Final = re.compile(
    r"(?P<rub>₽|\bруб|\bрубл|\bр\.)|(?P<usd>\$|\busd\b|dollar|доллар|бакс)|(?P<eur>€|\beur\b|\beuros?\b"
    r"|\bевро\b)|(?P<kzt>₸|\bkzt\b|\bтенге\b)|(?P<uah>₴|\buah\b|\bгрн|\bгривн)"
)


def _money_code(norm: str, target: NumberMention) -> str | None:
    """The currency written at the target number («€20k», «500 тыс. тенге»), lower case."""
    if target.currency:
        return target.currency
    if target.percent:
        return None
    code = currency_near(norm, target.start, target.end)
    return code.lower() if code else None


_CYRILLIC_RE: Final = re.compile(r"[а-я]")


def _unit(
    norm: str, metric: str | None, target: NumberMention | None, chosen: _Weighed | None
) -> str | None:
    if metric is None or target is None:
        return None
    if target.percent:
        return "percent"
    if metric in MONEY_METRICS:
        code = _money_code(norm, target)
        if code:
            return code
        written = _CURRENCY_RE.search(norm)
        if written and written.lastgroup:
            return written.lastgroup
        return "rub" if _CYRILLIC_RE.search(norm) else "usd"
    if chosen is not None and chosen.cue.kind is CueKind.RATE and metric == "engagement":
        return "percent"  # «ER до 5» is a rate even without «%»
    return UNIT_BY_METRIC[metric]


_AVERAGE_CHECK_RE: Final = re.compile(
    r"(?<![\w-])(?:средн[а-я]* чек[а-я]*|average (?:check|order value|order size|basket)|aov)(?![a-zа-я])"
)


def _average_check(
    norm: str, numbers: SortedNumbers, mentions: tuple[TimeMention, ...]
) -> NumberMention | None:
    """«средний чек 4 000 ₽ к марту»: the number after "average check" is the goal itself
    (elsewhere a price beside a goal is never its target, spec §2)."""
    found = _AVERAGE_CHECK_RE.search(norm)
    if found is None:
        return None
    for number in find_numbers(norm):
        if number.start < found.end() or number.percent:
            continue
        if any(m.start <= number.start < m.end for m in mentions):
            continue
        if any(b.start == number.start for b in numbers.baselines):
            continue
        return number
    return None


def _without_dates(norm: str, mentions: tuple[TimeMention, ...]) -> str:
    """The text with its dates blanked out, so «до 1 марта» is not read as a level «до 1»."""
    dated = [m for m in mentions if m.kind is not TimeKind.RATE]
    if not dated:
        return norm
    chars = list(norm)
    for m in dated:
        chars[m.start : m.end] = " " * (m.end - m.start)
    return "".join(chars)


# --- the entry point ------------------------------------------------------------------------


def extract_goal(text: str, today: date, tz: str) -> GoalDraft:
    """Extract the SMART draft of one goal (spec §0–§7).

    ``today`` is the user's local calendar date in ``tz`` and relative dates resolve against it
    as given (spec §5): the zone matters only when turning a clock into ``today``, which is
    :func:`bot.goals.dates.local_today`'s job, so ``tz`` is part of the contract but not read.
    """
    norm = normalize_text(text)
    starts = word_starts(norm)
    times = scan_time(norm, today, starts)
    numbers = sort_numbers(norm, find_numbers(norm), times.mentions)
    cues = find_cues(norm, starts)
    chosen = _choose_cue(norm, cues, numbers)
    target = _choose_target(norm, chosen, cues, numbers)
    if target is None and ("чек" in norm or "average" in norm or "aov" in norm):
        target = _average_check(norm, numbers, times.mentions)
        if target is not None:
            chosen = None  # «заказ» in "average order value" is not a count of orders
    channel = find_channel(text, norm, starts)
    metric = _refine_metric(norm, chosen, target, channel)
    if metric in (None, "sales") and target is not None and _AVERAGE_CHECK_RE.search(norm):
        metric = "revenue"
    unit = _unit(norm, metric, target, chosen)
    baseline = (
        numbers.range.baseline
        if numbers.range
        else (numbers.baselines[0] if numbers.baselines else None)
    )
    kind, period = classify(
        _without_dates(norm, times.mentions),
        metric,
        percent=unit == "percent",
        has_range=numbers.range is not None,
        has_baseline=baseline is not None,
    )
    missing = frozenset(
        letter
        for letter, value in (("S", metric), ("M", target), ("T", times.deadline))
        if value is None
    )
    return GoalDraft(
        metric=metric,
        target=target.value if target else None,
        unit=unit,
        channel=channel,
        deadline=times.deadline,
        baseline=baseline.value if baseline else None,
        missing=missing,
        kind=kind,
        period=period,
    )
