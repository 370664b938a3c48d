"""One goal checked in its project's context without the chat: the batch ``check`` command.

``python -m bot.goals check < scenarios.jsonl`` reads one scenario a line (docs/goal-spec.md §12):
the project as the questionnaire holds it (aim as typed, channels with audience and cadence, the ad
budget as typed, notes), the goal as typed and what the person would answer when asked. It runs the
dialog's own path — :func:`bot.goals.check.draft_from_goal`, ``fill_from_project``, ``check_goal``
and the answers parsed by the same functions — and writes the kind, the verdict, what is still
asked and the text exactly as the person reads it (``bot.goals.explain``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.goals.channels import find_channel_answer
from bot.goals.check import (
    Draft,
    GoalCheck,
    ProjectFacts,
    check_goal,
    draft_from_goal,
    fill_from_project,
    pace_from_notes,
    per_month,
    per_period,
    stock_from_notes,
)
from bot.goals.explain import explain, explain_counter
from bot.goals.kinds import Kind
from bot.i18n import Translator
from bot.numbers import Money, parse_money, parse_number
from bot.questionnaire.answers import ParsedAnswer
from bot.questionnaire.catalogue import load_catalogue
from bot.questionnaire.parsing import parse_answer

__all__ = ["Evaluated", "evaluate", "facts_from_project", "run_scenario"]

#: How many rounds of "ask, answer" a scenario may take (baseline, pace, stock, and a spare).
_ROUNDS = 4


def _answer(question_key: str, text: str | None) -> Any:
    """The questionnaire's own parse of an answer; ``None`` when it is empty or refused."""
    if not text:
        return None
    parsed = parse_answer(load_catalogue().question(question_key), str(text))
    return parsed.value if isinstance(parsed, ParsedAnswer) else None


def facts_from_project(project: Mapping[str, Any]) -> ProjectFacts:
    """The scenario's project as the questionnaire would have stored it."""
    aim = _answer("aim", project.get("aim"))
    channels = [c for c in project.get("channels") or [] if isinstance(c, Mapping)]
    names = tuple(str(c["channel"]) for c in channels if c.get("channel"))
    audience = {
        str(c["channel"]): float(c["audience"])
        for c in channels
        if isinstance(c.get("audience"), int | float)
    }
    cadence = {
        str(c["channel"]): float(c["posts_per_week"])
        for c in channels
        if isinstance(c.get("posts_per_week"), int | float)
    }
    budget = _answer("ad_budget", project.get("ad_budget"))
    money = (
        Money(float(budget["amount"]), str(budget["currency"]))
        if isinstance(budget, dict) and budget.get("amount")
        else None
    )
    return ProjectFacts(
        aim=aim if isinstance(aim, str) else "other",
        channels=names,
        audience=audience,
        posts_per_week=cadence,
        budget=money,
        stock=stock_from_notes(project.get("notes")),
        sales_pace=pace_from_notes(project.get("notes")),
    )


#: Other names a scenario may give the answer to a question.
_ALIASES = {
    "baseline": ("current", "now", "current_value"),
    "pace": ("sales_pace", "sales_per_week", "per_week", "per_month", "current_pace", "rate"),
    "stock": ("inventory", "in_stock", "stock_on_hand"),
}


def _answer_key(draft: Draft, field: str, answers: Mapping[str, str]) -> str | None:
    """Which answer replies to the question asked: for a rate, "how many now" is one question
    whether the scenario calls the answer ``baseline`` or ``pace``."""
    names = [field, *_ALIASES.get(field, ())]
    if field == "baseline" and draft.quantity is Kind.RATE:
        names += ["pace", *_ALIASES["pace"]]
    if field == "pace" and draft.metric != "units_sold":
        names += ["baseline"]  # a flow's "how many now" is its pace; a sell-off's never is
    return next((name for name in names if name in answers), None)


def _apply(draft: Draft, field: str, text: str, facts: ProjectFacts) -> Draft | None:
    """One answer to one question of the goal dialog, parsed as the dialog parses it."""
    if field == "channel":
        channel = find_channel_answer(text, facts.channels)
        return None if channel is None else replace(draft, channel=channel)
    if field == "baseline":
        value = (
            per_period(text, draft.period)
            if draft.quantity is Kind.RATE
            else (money.amount if (money := parse_money(text)) else None)
        )
        return None if value is None else replace(draft, baseline=value)
    if field == "pace":
        value = per_month(text)
        return None if value is None else replace(draft, pace=value)
    if field == "stock":
        value = parse_number(text)
        return None if value is None or value < 0 else replace(draft, stock=value)
    return None


@dataclass(frozen=True, slots=True)
class Evaluated:
    """One scenario after the dialog's path: what the scorecard re-checks counter-proposals on."""

    draft: Draft
    facts: ProjectFacts
    check: GoalCheck
    today: date
    i18n: Translator


def run_scenario(item: Mapping[str, Any]) -> dict[str, object]:
    """The output line of one scenario (see the module docstring and docs/goal-spec.md §12)."""
    done = evaluate(item)
    return _output(item.get("id"), done.draft, done.facts, done.check, done.i18n)


def evaluate(item: Mapping[str, Any]) -> Evaluated:
    """The scenario taken through extraction, the project's facts, the answers and the check."""
    lang = item.get("lang") if item.get("lang") in ("ru", "en") else "ru"
    today = date.fromisoformat(str(item["today"])[:10])
    tz = str(item.get("tz") or "UTC")
    facts = replace(
        facts_from_project(item.get("project") or {}), currency="USD" if lang == "en" else "RUB"
    )
    answers = {str(k): str(v) for k, v in (item.get("answers") or {}).items()}
    draft = fill_from_project(draft_from_goal(str(item["goal"]), today, tz), facts)
    check = check_goal(draft, facts, today)
    for _ in range(_ROUNDS):
        changed = False
        for field in check.missing:
            key = _answer_key(draft, field, answers)
            if key is not None:
                updated = _apply(draft, field, answers.pop(key), facts)
                if updated is not None:
                    draft, changed = updated, True
        if not changed:
            break
        check = check_goal(draft, facts, today)
    return Evaluated(draft, facts, check, today, Translator(str(lang)))


def _output(
    scenario_id: object, draft: Draft, facts: ProjectFacts, check: GoalCheck, i18n: Translator
) -> dict[str, object]:
    j = check.judgement
    if check.problems and "deadline_past" in check.problems:
        verdict = "deadline_passed"
    elif j is None or check.missing:
        verdict = "needs_input" if j is None or j.verdict != "deadline_passed" else j.verdict
    else:
        verdict = j.verdict
    relevance = check.relevance
    currency = draft.unit.upper() if draft.unit and draft.unit not in _NON_MONEY_UNITS else None
    return {
        "id": scenario_id,
        "kind": (j.kind.value if j else (draft.quantity.value if draft.quantity else None)),
        "metric": draft.metric,
        "target": draft.target,
        "unit": draft.unit,
        "currency": currency,
        "channel": draft.channel,
        "deadline": draft.deadline.isoformat() if draft.deadline else None,
        "aim": facts.aim,
        "relevance": "warn" if relevance is not None and not relevance.serves else "ok",
        "attainability": verdict,
        "asks": list(check.missing),
        "text": explain(i18n, draft, j) if j else "",
        "counter": [
            {
                "target": c.target,
                "deadline": c.deadline.isoformat() if c.deadline else None,
                "budget": {"amount": c.budget.amount, "currency": c.budget.currency}
                if c.budget
                else None,
                "text": explain_counter(i18n, draft, c),
            }
            for c in (j.counters if j else ())
        ],
    }


_NON_MONEY_UNITS = frozenset({"people", "percent", "units", "posts", "leads", "views"})
