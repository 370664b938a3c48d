"""The goal check's verdict and arithmetic in words, exactly as the person reads them.

One place turns a :class:`bot.goals.judge.Judgement` into text for the dialog and for the batch
``check`` command alike. Numbers are shown as they were compared (a need rounded up to whole
people, orders or items, a capacity rounded down), counted nouns take Babel's plural form, money
keeps its currency sign, and every subject comes with a verb that agrees with it (catalog
``goalcheck``). Nothing here imports aiogram; the text is HTML-safe (no user text is echoed).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from babel.numbers import format_decimal

from bot.goals.attainable import MONTH_DAYS, STRETCH
from bot.goals.check import Draft
from bot.goals.judge import PERCENT_STEP, PP_STEP, WHOLE, Counter, Judgement, Model, down, up
from bot.goals.kinds import Kind, Period
from bot.i18n import Translator
from bot.numbers import Money

__all__ = ["amount", "explain", "explain_counter", "money", "verdict_line"]

_MONEY_UNITS = {"rub": "RUB", "usd": "USD", "eur": "EUR", "kzt": "KZT", "byn": "BYN", "uah": "UAH"}
_COUNTED = frozenset(
    {
        "followers",
        "subscribers",
        "reach",
        "views",
        "engagement",
        "traffic",
        "leads",
        "sales",
        "units_sold",
        "content",
    }
)


#: Currency signs people write; Babel's Russian data lacks ₸ and Br, so they are ours.
SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "UAH": "₴"}


def money(i18n: Translator, value: float, currency: str | None, *, cents: bool = False) -> str:
    """«20 000 ₽», «600 $» in Russian, "$600" in English; the sign always there."""
    code = currency or "RUB"
    number = (
        format_decimal(value, format="#,##0.00", locale=i18n.locale)
        if cents
        else i18n.format_number(round(value))
    )
    sign = SIGNS.get(code, code)
    if i18n.language == "ru" or len(sign) > 1:
        return f"{number}\u00a0{sign}"
    return f"{sign}{number}"


def _num(i18n: Translator, value: float, step: float) -> str:
    digits = 0 if step >= 1 else (1 if step >= 0.1 else 2)
    return i18n.format_number(round(value, digits) if digits else round(value))


def _count(i18n: Translator, metric: str, unit: str | None, value: float) -> str:
    """A whole count with its noun in the right form, money with its sign, or a percent."""
    if unit in _MONEY_UNITS:
        return money(i18n, value, _MONEY_UNITS[unit])
    if unit == "percent":
        return i18n("goalcheck.percent", n=_num(i18n, value, PERCENT_STEP))
    whole = round(value)
    if metric in _COUNTED:
        return i18n(f"goalcheck.count.{metric}", count=whole, n=i18n.format_number(whole))
    return i18n.format_number(whole)


def amount(i18n: Translator, draft: Draft, target: float | None = None) -> str:
    """The goal's number as a phrase: «+600 подписчиков», «350 штук», «20 000 ₽», «3 %»."""
    value = draft.target if target is None else target
    if value is None or draft.metric is None:
        return ""
    text = _count(i18n, draft.metric, draft.unit, value)
    if draft.quantity is Kind.GAIN:
        text = i18n("goalcheck.amount_gain", amount=text)
    if draft.quantity is Kind.RATE and draft.period is not None:
        text = f"{text} {i18n(f'goalcheck.period.{draft.period.value}')}"
    return text


def verdict_line(i18n: Translator, verdict: str) -> str:
    if verdict == "needs_input":
        return i18n("goalcheck.needs_input")
    return i18n(f"goals.verdict.{verdict}")


def _span(i18n: Translator, low: str, high: str) -> str:
    """«323–969 подписчиков», «40–120 ₽»: the noun or sign once, after the second number;
    English keeps a leading sign on both ("$0.50–$2")."""
    return f"{low}–{high}"


def explain(i18n: Translator, draft: Draft, j: Judgement) -> str:
    """The verdict, then the arithmetic that decided it, then the counter-proposal."""
    lines = [verdict_line(i18n, j.verdict)]
    if j.need is not None and draft.metric is not None and draft.deadline is not None:
        lines.extend(_arithmetic(i18n, draft, j))
    counters = [explain_counter(i18n, draft, c) for c in j.counters]
    if counters:
        lines.append(i18n("goalcheck.counter", options=i18n("goalcheck.or").join(counters)))
    return "\n".join(line for line in lines if line)


def explain_counter(i18n: Translator, draft: Draft, c: Counter) -> str:
    if c.target is not None and draft.deadline is not None:
        return i18n(
            "goalcheck.counter_target",
            amount=amount(i18n, draft, c.target),
            deadline=i18n.format_date(draft.deadline),
        )
    if c.deadline is not None:
        return i18n("goalcheck.counter_deadline", date=i18n.format_date(c.deadline))
    if c.budget is not None:
        return i18n(
            "goalcheck.counter_budget", budget=money(i18n, c.budget.amount, c.budget.currency)
        )
    return ""


def _arithmetic(i18n: Translator, draft: Draft, j: Judgement) -> list[str]:
    assert draft.metric is not None and draft.deadline is not None and j.need is not None
    metric = draft.metric
    deadline = i18n.format_date(draft.deadline)
    pct = PERCENT_STEP

    def count(value: float) -> str:
        return _count(i18n, metric, None if draft.unit == "percent" else draft.unit, value)

    def percent(value: float) -> str:
        return _num(i18n, value, pct)

    weeks = max(1, round(j.weeks))
    weeks_text = i18n("goalcheck.weeks", count=weeks, n=weeks)
    grows = i18n(f"goalcheck.grows.{metric}")
    low = percent(j.range_low or 0.0)
    high = percent(j.range_high or 0.0)
    if j.model == Model.GROWTH:
        need = up(j.need, WHOLE)
        path = ""
        if j.start is not None and j.final is not None:
            path = i18n(
                "goalcheck.path",
                start=_num(i18n, j.start, WHOLE),
                final=count(up(j.final, WHOLE)),
            )
            if j.monthly_pct is not None:
                path = path[:-1] + i18n("goalcheck.monthly", pct=percent(j.monthly_pct)) + ")"
        lines = [
            i18n(
                "goalcheck.need_growth",
                need=count(need),
                weeks=weeks_text,
                per_week=count(up(need / max(j.weeks, 1e-9), WHOLE)),
                path=path,
            ),
            i18n(
                "goalcheck.usual_growth",
                grows=grows,
                low=low,
                high=high,
                deadline=deadline,
                organic=count(down(j.organic or 0.0, WHOLE)),
            ),
        ]
        lines.append(_paid_line(i18n, metric, j, count, None))
        lines.append(
            i18n(
                "goalcheck.capacity",
                capacity=count(down(j.capacity or 0.0, WHOLE)),
                stretch=count(down(j.stretch or 0.0, WHOLE)),
            )
        )
        return lines
    if j.model == Model.TOTAL:
        need = up(j.need, WHOLE)
        lines = [
            i18n(
                "goalcheck.need_total",
                need=count(need),
                weeks=weeks_text,
                per_week=count(up(need / max(j.weeks, 1e-9), WHOLE)),
            )
        ]
        if j.start is not None and j.organic is not None:
            lines.append(
                i18n(
                    "goalcheck.pace_total",
                    pace=count(j.start * 7 / MONTH_DAYS),
                    grows=grows,
                    low=low,
                    high=high,
                    deadline=deadline,
                    organic=count(down(j.organic, WHOLE)),
                )
            )
        else:
            lines.append(i18n("goalcheck.no_pace"))
        lines.append(_paid_line(i18n, metric, j, count, None))
        if j.stock is not None:
            key = "goalcheck.over_stock" if j.over_stock else "goalcheck.stock"
            lines.append(i18n(key, stock=count(j.stock)))
        lines.append(
            i18n(
                "goalcheck.capacity",
                capacity=count(down(j.capacity or 0.0, WHOLE)),
                stretch=count(down(j.stretch or 0.0, WHOLE)),
            )
        )
        return lines
    if j.model == Model.RATE:
        per_period = i18n(f"goalcheck.period.{(draft.period or Period.MONTH).value}")
        monthly = (
            i18n("goalcheck.monthly", pct=percent(j.monthly_pct))
            if j.monthly_pct is not None
            else ""
        )
        lines = [
            i18n(
                "goalcheck.need_rate" if j.start is not None else "goalcheck.need_rate_only",
                need=count(up(j.need, WHOLE)),
                per_period=per_period,
                deadline=deadline,
                current=count(j.start) if j.start is not None else "",
                monthly=monthly,
            )
        ]
        if j.organic is not None:
            lines.append(
                i18n(
                    "goalcheck.usual_rate",
                    grows=grows,
                    low=low,
                    high=high,
                    deadline=deadline,
                    organic=count(down(j.organic, WHOLE)),
                    per_period=per_period,
                )
            )
        lines.append(_paid_line(i18n, metric, j, count, per_period))
        lines.append(
            i18n(
                "goalcheck.capacity_rate",
                capacity=count(down(j.capacity or 0.0, WHOLE)),
                stretch=count(down(j.stretch or 0.0, WHOLE)),
                per_period=per_period,
                deadline=deadline,
            )
        )
        return lines
    if j.model == Model.OUTPUT:
        posts = _count_posts(i18n, metric)
        lines = [
            i18n("goalcheck.need_output", need=posts(up(j.need, PERCENT_STEP))),
            i18n(
                "goalcheck.usual_output",
                range=_span(
                    i18n, _num(i18n, j.range_low or 0.0, WHOLE), posts(j.range_high or 0.0)
                ),
                stretch=posts(down(j.stretch or 0.0, WHOLE)),
            ),
        ]
        if j.start is not None:
            lines.append(i18n("goalcheck.agreed", cadence=posts(j.start)))
        return lines
    return _ratio_lines(i18n, draft, j, deadline)


def _count_posts(i18n: Translator, metric: str) -> Callable[[float], str]:
    """Posts a week: whole when whole, «2,5 публикации» otherwise (Babel's "other" form)."""

    def posts(value: float) -> str:
        shown = round(value, 1)
        if shown.is_integer():
            return _count(i18n, metric, None, shown)
        return i18n(f"goalcheck.count.{metric}", count=shown, n=i18n.format_number(shown))

    return posts


def _ratio_lines(i18n: Translator, draft: Draft, j: Judgement, deadline: str) -> list[str]:
    """PP, reduction, average and relative change: percents a month against the usual range."""
    assert draft.metric is not None and j.need is not None
    metric = draft.metric

    def level(value: float) -> str:
        if metric in ("ctr", "conversion") or draft.unit == "percent":
            return i18n("goalcheck.pp", n=_num(i18n, value, PP_STEP))
        return _count(i18n, metric, draft.unit, value)

    def pct(value: float) -> str:
        return _num(i18n, value, PERCENT_STEP)

    if j.need <= 0 and j.start is not None:
        return [i18n("goalcheck.reached", start=level(j.start))]
    if j.model == Model.PP:
        return [
            i18n(
                "goalcheck.need_pp",
                need=_num(i18n, max((j.final or 0.0) - (j.start or 0.0), 0.0), PP_STEP),
                start=level(j.start or 0.0),
                final=level(j.final or 0.0),
                monthly=_num(i18n, up(j.need, PP_STEP), PP_STEP),
            ),
            i18n(
                "goalcheck.usual_pp",
                low=_num(i18n, j.range_low or 0.0, PP_STEP),
                high=_num(i18n, j.range_high or 0.0, PP_STEP),
                stretch=_num(i18n, (j.range_high or 0.0) * STRETCH, PP_STEP),
            ),
        ]
    usual = i18n(
        "goalcheck.usual_reduction",
        low=pct(j.range_low or 0.0),
        high=pct(j.range_high or 0.0),
        stretch=pct((j.range_high or 0.0) * STRETCH),
    )
    if j.model == Model.REDUCTION:
        return [
            i18n(
                "goalcheck.need_reduction",
                subject=i18n(f"goalcheck.subject.{metric}"),
                start=level(j.start or 0.0),
                final=level(j.final or 0.0),
                need=pct(up(j.need, PERCENT_STEP)),
            ),
            usual,
        ]
    if j.model == Model.AVERAGE:
        return [
            i18n(
                "goalcheck.need_average",
                subject=i18n(f"goalcheck.subject.{metric}"),
                start=level(j.start or 0.0),
                final=level(j.final or 0.0),
                need=pct(up(j.need, PERCENT_STEP)),
            ),
            usual,
        ]
    return [
        i18n(
            "goalcheck.need_relative",
            sign="+" if (draft.target or 0) >= 0 else "",
            target=pct(draft.target or 0.0),
            deadline=deadline,
            need=pct(up(j.need, PERCENT_STEP)),
        ),
        i18n(
            "goalcheck.usual_relative",
            grows=i18n(f"goalcheck.grows.{metric}"),
            low=pct(j.range_low or 0.0),
            high=pct(j.range_high or 0.0),
            stretch=pct((j.range_high or 0.0) * STRETCH),
        ),
    ]


def _paid_line(
    i18n: Translator,
    metric: str,
    j: Judgement,
    count: Callable[[float], str],
    per_period: str | None,
) -> str:
    if j.budget is None or j.budget.amount <= 0:
        return i18n("goalcheck.no_budget")
    if j.paid_low is None or j.cost_low is None or j.cost_high is None:
        return ""  # nothing this metric can buy directly (a per-post average, a ratio)
    paid = _span(
        i18n, _num(i18n, down(j.paid_low, WHOLE), WHOLE), count(down(j.paid_high or 0.0, WHOLE))
    )
    budget = money(i18n, j.budget.amount, j.budget.currency)
    if metric == "revenue":
        roas = _span(
            i18n,
            _num(i18n, 1 / j.cost_high, PERCENT_STEP),
            f"{_num(i18n, 1 / j.cost_low, PERCENT_STEP)}×",
        )
        return i18n("goalcheck.paid_roas", budget=budget, roas=roas, paid=paid)
    cost_low, cost_high = j.cost_low, j.cost_high
    per_unit = i18n(f"goalcheck.per_unit.{metric}")
    if cost_high < 1 and i18n.has(f"goalcheck.per_thousand.{metric}"):
        # Reach and views are bought per thousand (CPM): «6–25 $ за 1 000 человек в охвате».
        cost_low, cost_high = cost_low * 1000, cost_high * 1000
        per_unit = i18n(f"goalcheck.per_thousand.{metric}")
    step = 0.01 if cost_high < 10 else WHOLE
    low_cost = (
        _cost(i18n, cost_low, j.budget, step)
        if i18n.language == "en"
        else _num(i18n, _floor_cents(cost_low) if step < 1 else round(cost_low), step)
    )
    cost = _span(i18n, low_cost, _cost(i18n, cost_high, j.budget, step))
    return i18n(
        "goalcheck.paid_rate" if per_period else "goalcheck.paid",
        budget=budget,
        cost=cost,
        per_unit=per_unit,
        paid=paid,
        per_period=per_period or "",
    )


def _floor_cents(value: float) -> float:
    return max(math.floor(value * 100) / 100, 0.01)


def _cost(i18n: Translator, value: float, budget: Money, step: float) -> str:
    if step >= 1:
        return money(i18n, value, budget.currency)
    return money(i18n, _floor_cents(value), budget.currency, cents=True)
