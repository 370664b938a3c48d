"""SMART goals: free text in, a checked goal out — asking only for what is missing.

The draft lives in dialog data (so it survives restarts); every correction goes through
`bot.goals.check.check_goal`, which decides what to ask next, whether the goal serves the business
aim (the seed's +500-followers story) and whether the numbers are attainable.

Start data: `{"project_id": int | None}` — None for a specialist's personal goals (/mygoals).
"""

from __future__ import annotations

import html
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from aiogram.enums import ContentType
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import ChatEvent, Dialog, DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Back,
    Button,
    Calendar,
    Cancel,
    Column,
    ManagedCalendar,
    Row,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Format

from bot.db.models import Goal, Project
from bot.goals import local_today, resolve_deadline
from bot.goals.check import (
    MAX_GOALS_PER_PROJECT,
    Draft,
    GoalCheck,
    ProjectFacts,
    check_goal,
    draft_from_goal,
    fill_from_project,
    per_month,
    per_period,
    reads_as_gain,
    with_kind,
)
from bot.goals.explain import amount, explain, explain_counter
from bot.goals.kinds import Kind, Period
from bot.goals.periods import end_of_month, end_of_quarter
from bot.goals.units import unit_for
from bot.i18n import Translator
from bot.numbers import parse_money, read_number
from bot.projects import load_answers, load_project_for
from bot.projects.goal_changes import save_goal
from bot.projects.goals import (
    TooManyGoals,
    facts_from_answers,
    list_goals,
    may_edit_goals,
)
from bot.questionnaire.catalogue import load_catalogue
from bot.timezones import DEFAULT_ZONE
from dialogs.states import GoalRemoval, Goals
from dialogs.widgets import MessageOf, Screen, T, choice_buttons, i18n_of
from ui.context import context_of
from ui.notices import tell_goals_changed

GOAL_TEXT_LIMIT = 500
DRAFT_KEY = "draft"
#: Middleware-data key of the per-update `_scope`.
SCOPE_KEY = "goal_scope"
RELEVANCE_SEEN = "relevance_seen"
#: A target or baseline typed in words («полторы тысячи»), waiting for a "yes":
#: {"field": "target" | "baseline", "value": float, "typed": str, "percent": bool}.
PENDING_NUMBER = "pending_number"
#: How much of the typed text the confirmation quotes back.
TYPED_ECHO_LIMIT = 200
#: The client's own words for the aim are quoted at most this long in the relevance warning.
AIM_WORDS_LIMIT = 120
REASON_KEY = "reason"
FIELD_STATES = {
    "metric": Goals.metric,
    "target": Goals.target,
    "channel": Goals.channel,
    "deadline": Goals.deadline,
    "baseline": Goals.baseline,
    "pace": Goals.pace,
    "stock": Goals.stock,
}
PROBLEM_STATES = {
    "deadline_past": Goals.deadline,
    "target_zero": Goals.target,
    "target_absurd": Goals.target,
    "channel_unused": Goals.channel,
}
METRICS = (
    "followers", "subscribers", "reach", "views", "engagement", "ctr", "conversion",
    "traffic", "leads", "sales", "units_sold", "revenue", "cpl", "content",
)  # fmt: skip


# --- state ---------------------------------------------------------------------------------
async def _scope(manager: DialogManager) -> tuple[Project | None, ProjectFacts, date]:
    """The project, what its answers say about goals, and the person's date — once per update."""
    data = manager.middleware_data
    cached = data.get(SCOPE_KEY)
    if cached is None:
        cached = data[SCOPE_KEY] = await _load_scope(manager)
    scope: tuple[Project | None, ProjectFacts, date] = cached
    return scope


async def _load_scope(manager: DialogManager) -> tuple[Project | None, ProjectFacts, date]:
    ctx = context_of(manager)
    user, clock = ctx.user, ctx.clock
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    today = local_today(user.timezone or DEFAULT_ZONE, clock.now())
    project_id = start.get("project_id")
    if project_id is None:
        return None, ProjectFacts(), today
    project, _role = await load_project_for(ctx.session, user, int(project_id))
    facts = facts_from_answers(await load_answers(ctx.session, project.id))
    # With no budget in the answers, a proposed budget is in the person's currency.
    facts = replace(facts, currency="USD" if i18n_of(manager).language == "en" else "RUB")
    return project, facts, today


def _draft(manager: DialogManager) -> Draft:
    raw = dict(manager.dialog_data[DRAFT_KEY])
    raw["deadline"] = date.fromisoformat(raw["deadline"]) if raw["deadline"] else None
    raw["kind"] = Kind(raw["kind"]) if raw.get("kind") else None
    raw["period"] = Period(raw["period"]) if raw.get("period") else None
    return Draft(**raw)


def _store(manager: DialogManager, draft: Draft) -> None:
    raw = asdict(draft)
    raw["deadline"] = draft.deadline.isoformat() if draft.deadline else None
    raw["kind"] = draft.kind.value if draft.kind else None
    raw["period"] = draft.period.value if draft.period else None
    manager.dialog_data[DRAFT_KEY] = raw


async def _advance(manager: DialogManager) -> None:
    """After any change: re-check the draft and move to the one thing that needs the person."""
    _project, facts, today = await _scope(manager)
    draft = fill_from_project(_draft(manager), facts)
    _store(manager, draft)
    check = check_goal(draft, facts, today)
    manager.dialog_data["problem"] = check.problems[0] if check.problems else None
    if check.problems:
        await manager.switch_to(PROBLEM_STATES[check.problems[0]])
    elif (
        check.relevance
        and not check.relevance.serves
        and not manager.dialog_data.get(RELEVANCE_SEEN)
    ):
        await manager.switch_to(Goals.relevance)
    elif check.missing:
        await manager.switch_to(FIELD_STATES[check.missing[0]])
    else:
        await manager.switch_to(Goals.verdict)


# --- getters -------------------------------------------------------------------------------
def _metric(i18n: Translator, metric: str) -> str:
    return i18n(f"goals.metric.{metric}")


def _channel(i18n: Translator, channel: str) -> str:
    if channel == "multi":
        return i18n("goals.multi")
    return load_catalogue().channel(channel).label.get(i18n.language)


def _amount(i18n: Translator, draft: Draft | Goal) -> str:
    if isinstance(draft, Draft):
        return amount(i18n, draft)  # counted nouns that agree, money with its sign, the kind
    if draft.target is None:
        return ""
    unit = i18n(f"goals.unit.{draft.unit}") if draft.unit else ""
    target = i18n.format_number(draft.target)
    if draft.baseline is not None and not draft.target_is_gain:
        return i18n(
            "goals.amount_from",
            baseline=i18n.format_number(draft.baseline),
            target=target,
            unit=unit,
        )
    return i18n(
        "goals.amount_gain" if draft.target_is_gain else "goals.amount_level",
        target=target,
        unit=unit,
    )


def _checklist(i18n: Translator, draft: Draft, check: GoalCheck) -> str:
    text = draft.text if len(draft.text) <= 300 else draft.text[:299] + "…"
    lines = [i18n("goals.checklist_title", text=html.escape(text))]
    if draft.metric:
        channel = (
            i18n("goals.channel_suffix", channel=_channel(i18n, draft.channel))
            if draft.channel
            else ""
        )
        lines.append(i18n("goals.s_ok", metric=_metric(i18n, draft.metric), channel=channel))
    else:
        lines.append(i18n("goals.s_missing"))
    lines.append(
        i18n("goals.m_ok", amount=_amount(i18n, draft)) if draft.target else i18n("goals.m_missing")
    )
    if draft.quantity is not None:
        lines.append(i18n("goalcheck.kind_line", kind=i18n(f"goalcheck.kind.{draft.quantity}")))
    judgement = check.judgement
    lines.append(_verdict_line(i18n, judgement.verdict) if judgement else i18n("goals.a_pending"))
    if check.relevance is None:
        lines.append(i18n("goals.r_unknown"))
    else:
        lines.append(i18n("goals.r_ok" if check.relevance.serves else "goals.r_warn"))
    deadline = draft.deadline
    lines.append(
        i18n("goals.t_ok", deadline=i18n.format_date(deadline))
        if deadline
        else i18n("goals.t_missing")
    )
    return "\n".join(lines)


def _verdict_line(i18n: Translator, verdict: str) -> str:
    return i18n(
        "goals.a_line",
        mark=i18n(f"goals.verdict_mark.{verdict}"),
        verdict=i18n(f"goals.verdict_short.{verdict}"),
    )


async def goal_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    _project, facts, today = await _scope(dialog_manager)
    draft = _draft(dialog_manager)
    check = check_goal(draft, facts, today)
    problem = dialog_manager.dialog_data.get("problem")
    relevance = check.relevance
    aim_question = load_catalogue().question("aim")
    aim_option = aim_question.option(facts.aim) if facts.aim else None
    suggested = relevance.suggested_metrics if relevance else ()
    metric_order = [*suggested, *(m for m in METRICS if m not in suggested)]
    judgement = check.judgement
    counters = judgement.counters if judgement else ()
    counter_target = next((c for c in counters if c.target is not None), None)
    counter_deadline = next((c for c in counters if c.deadline is not None), None)
    return {
        "checklist": _checklist(i18n, draft, check),
        "problem": i18n(f"goals.problem.{problem}") if problem else "",
        "has_problem": bool(problem),
        "metrics": [(m, _metric(i18n, m)) for m in metric_order],
        "channels": [(c, _channel(i18n, c)) for c in (*facts.channels, "multi")]
        if facts.channels
        else [],
        "end_of_month": i18n(
            "goals.end_of_month", date=i18n.format_short_date(end_of_month(today))
        ),
        "end_of_quarter": i18n(
            "goals.end_of_quarter", date=i18n.format_short_date(end_of_quarter(today))
        ),
        "aim": _aim_shown(
            facts.aim_words, aim_option.label.get(i18n.language) if aim_option else ""
        ),
        "metric_label": _metric(i18n, draft.metric) if draft.metric else "",
        # The seed's story only where it is that story (a vanity metric for a sales-type aim).
        "relevance_text": i18n(
            "goalcheck.relevance_seed"
            if relevance and relevance.seed_warning
            else "goalcheck.relevance_plain",
            aim=_aim_shown(
                facts.aim_words, aim_option.label.get(i18n.language) if aim_option else ""
            ),
            clause=i18n(f"goalcheck.not_leading.{draft.metric}"),
        )
        if draft.metric
        else "",
        "suggested": ", ".join(_metric(i18n, m) for m in suggested[:4]),
        # The verdict, the arithmetic that decided it and the counter-proposal, as one text.
        "verdict": explain(i18n, draft, judgement) if judgement else "",
        "why": "",
        "counter": "",
        "kinds": [
            (k.value, i18n(f"goalcheck.kind.{k.value}")) for k in Kind if k != draft.quantity
        ],
        "kind_hint": i18n(f"goalcheck.kind_hint.{draft.quantity}") if draft.quantity else "",
        "baseline_hint": i18n(
            "goalcheck.ask.baseline_rate",
            period=i18n(f"goalcheck.period.{(draft.period or Period.MONTH).value}"),
        )
        if draft.quantity is Kind.RATE
        else "",
        "counter_target": counter_target is not None,
        "counter_target_label": i18n(
            "goals.use_target", target=explain_counter(i18n, draft, counter_target)
        )
        if counter_target is not None
        else "",
        "counter_deadline": counter_deadline is not None and counter_deadline.deadline is not None,
        "counter_deadline_label": i18n(
            "goals.use_deadline", date=i18n.format_date(counter_deadline.deadline)
        )
        if counter_deadline is not None and counter_deadline.deadline is not None
        else "",
    }


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    ctx = context_of(dialog_manager)
    project, _facts, _today = await _scope(dialog_manager)
    goals = await list_goals(
        ctx.session, project_id=project.id if project else None, owner=ctx.user
    )
    editable = may_edit_goals(project, ctx.user)
    lines = []
    for index, goal in enumerate(goals, 1):
        summary = f"{_metric(i18n, goal.metric)} {_amount(i18n, goal)}"
        if goal.channel:
            summary += i18n("goals.channel_suffix", channel=_channel(i18n, goal.channel))
        summary += f", {i18n.format_date(goal.deadline)}"
        verdict = i18n(f"goals.verdict_mark.{goal.verdict}") if goal.verdict else ""
        lines.append(i18n("goals.item", index=index, summary=summary, verdict=verdict))
    return {
        "title": i18n("goals.list_project", brand=html.escape(project.brand))
        if project
        else i18n("goals.list_personal"),
        "goals": "\n".join(lines),
        "empty": not goals,
        "has_goals": bool(goals),
        "can_add": editable and len(goals) < MAX_GOALS_PER_PROJECT,
        "can_remove": editable and bool(goals),
        "read_only": not editable,
        "full": editable and len(goals) >= MAX_GOALS_PER_PROJECT,
        "count": len(goals),
    }


# --- handlers ------------------------------------------------------------------------------
async def on_goal_text(message: Message, _: MessageInput, manager: DialogManager) -> None:
    i18n = i18n_of(manager)
    text = (message.text or "").strip()
    if not any(ch.isalnum() for ch in text):
        await message.answer(i18n("goals.error.empty"))
        return
    if len(text) > GOAL_TEXT_LIMIT:
        await message.answer(i18n("goals.error.too_long", limit=GOAL_TEXT_LIMIT))
        return
    _project, _facts, today = await _scope(manager)
    user = context_of(manager).user
    _store(manager, draft_from_goal(text, today, user.timezone or DEFAULT_ZONE))
    manager.dialog_data[RELEVANCE_SEEN] = False
    manager.dialog_data[REASON_KEY] = None
    await _advance(manager)


async def on_metric(_: CallbackQuery, __: Any, manager: DialogManager, item_id: str) -> None:
    if item_id in METRICS:
        draft = _draft(manager)
        percent = draft.unit == "percent"
        _store(
            manager,
            replace(
                draft,
                metric=item_id,
                unit=unit_for(item_id, percent=percent) if draft.target else None,
                # The kind read for another metric no longer holds; a written rate still does.
                kind=Kind.RATE if draft.period else None,
            ),
        )
        await _advance(manager)


def _with_target(draft: Draft, value: float, text: str, *, percent: bool, language: str) -> Draft:
    """The draft with a typed target: «%» or «процентов» makes it a percent, «+N» / «на N» a gain,
    a written currency its unit (else the language's usual one)."""
    percent = percent or (draft.unit == "percent" and draft.target is None)
    money = parse_money(text)
    written = money.currency.lower() if money and money.currency else None
    default = "usd" if language == "en" else "rub"
    unit = (
        unit_for(draft.metric, percent=percent, currency=written or default)
        if draft.metric
        else ("percent" if percent else None)
    )
    updated = replace(draft, target=value, unit=unit)
    if reads_as_gain(text):  # «+300» typed as the number makes it a gain
        updated = with_kind(updated, Kind.GAIN)
    return updated


#: The numbers the goal dialog asks for, and the step that asks each (for «no, I'll retype»).
NUMBER_STEPS: dict[str, State] = {
    "target": Goals.target,
    "baseline": Goals.baseline,
    "pace": Goals.pace,
    "stock": Goals.stock,
}


def _value_of(draft: Draft, field: str, text: str, value: float) -> float | None:
    """The number a field keeps: a pace per month, a rate's current value in the goal's period
    («3 в неделю» for a monthly goal), else the number as read."""
    if field == "pace":
        return per_month(text)
    if field == "baseline" and draft.quantity is Kind.RATE:
        return per_period(text, draft.period)
    return value


async def _read_number(
    message: Message, manager: DialogManager, field: str, *, negative_ok: bool = False
) -> None:
    """A number the goal needs: plain digits are taken at once, anything else is read back first."""
    text = message.text or ""
    reading = read_number(text)
    value = _value_of(_draft(manager), field, text, reading.value) if reading else None
    if reading is None or value is None or (value < 0 and not negative_ok):
        await message.answer(i18n_of(manager)("goals.error.not_a_number"))
        return
    if not reading.literal:
        manager.dialog_data[PENDING_NUMBER] = {
            "field": field,
            "value": value,
            "typed": " ".join(text.split())[:TYPED_ECHO_LIMIT],
            "percent": reading.percent,
        }
        await manager.switch_to(Goals.confirm_number)
        return
    await _apply_number(manager, field, value, text, percent=reading.percent)


async def _apply_number(
    manager: DialogManager, field: str, value: float, text: str, *, percent: bool
) -> None:
    draft = _draft(manager)
    if field == "target":
        language = i18n_of(manager).language
        _store(manager, _with_target(draft, value, text, percent=percent, language=language))
    elif field == "pace":
        _store(manager, replace(draft, pace=value))
    elif field == "stock":
        _store(manager, replace(draft, stock=value))
    else:
        _store(manager, replace(draft, baseline=value))
    await _advance(manager)


async def on_target(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await _read_number(message, manager, "target", negative_ok=True)


async def on_baseline(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await _read_number(message, manager, "baseline")


async def on_pace(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await _read_number(message, manager, "pace")


async def on_stock(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await _read_number(message, manager, "stock")


def _pending_number(manager: DialogManager) -> dict[str, Any] | None:
    pending = manager.dialog_data.get(PENDING_NUMBER)
    if not isinstance(pending, dict) or pending.get("field") not in NUMBER_STEPS:
        return None
    return pending


async def on_number_yes(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    pending = _pending_number(manager)
    manager.dialog_data.pop(PENDING_NUMBER, None)
    if pending is None:  # a stale button
        await _advance(manager)
        return
    await _apply_number(
        manager,
        pending["field"],
        float(pending["value"]),
        str(pending.get("typed", "")),
        percent=bool(pending.get("percent")),
    )


async def on_number_no(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    pending = _pending_number(manager)
    manager.dialog_data.pop(PENDING_NUMBER, None)
    await manager.switch_to(NUMBER_STEPS[pending["field"] if pending else "target"])


async def number_getter(dialog_manager: DialogManager, **kwargs: Any) -> dict[str, Any]:
    """The goal's checklist and the reading of the typed number, for a one-tap "yes"."""
    data = await goal_getter(dialog_manager, **kwargs)
    i18n = i18n_of(dialog_manager)
    pending = _pending_number(dialog_manager)
    data["number_echo"] = ""
    if pending is not None:
        value, typed = float(pending["value"]), str(pending.get("typed", ""))
        draft = _draft(dialog_manager)
        percent = bool(pending.get("percent"))
        shown = (
            _amount(
                i18n, _with_target(draft, value, typed, percent=percent, language=i18n.language)
            )
            if pending["field"] == "target"
            else i18n.format_number(value)
        )
        data["number_echo"] = i18n(
            "goals.confirm.number", typed=html.escape(typed), value=html.escape(shown)
        )
    return data


def _aim_shown(words: str | None, label: str) -> str:
    """The aim as the client put it when they typed it, else the option's label."""
    if not words:
        return label
    cut = words if len(words) <= AIM_WORDS_LIMIT else words[: AIM_WORDS_LIMIT - 1] + "…"
    return html.escape(cut)


async def on_kind(_: CallbackQuery, __: Any, manager: DialogManager, item_id: str) -> None:
    """One tap corrects how the number is counted (a gain, not a level; a total, not a rate)."""
    if item_id in {k.value for k in Kind}:
        _store(manager, with_kind(_draft(manager), Kind(item_id)))
        await _advance(manager)


async def on_channel(_: CallbackQuery, __: Any, manager: DialogManager, item_id: str) -> None:
    _store(manager, replace(_draft(manager), channel=item_id))
    await _advance(manager)


async def _set_deadline(manager: DialogManager, deadline: date) -> None:
    _store(manager, replace(_draft(manager), deadline=deadline))
    await _advance(manager)


async def on_end_of_month(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    _project, _facts, today = await _scope(manager)
    await _set_deadline(manager, end_of_month(today))


async def on_end_of_quarter(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    _project, _facts, today = await _scope(manager)
    await _set_deadline(manager, end_of_quarter(today))


async def on_calendar_date(
    _: ChatEvent, __: ManagedCalendar, manager: DialogManager, picked: date, /
) -> None:
    await _set_deadline(manager, picked)


async def on_deadline_text(message: Message, _: MessageInput, manager: DialogManager) -> None:
    _project, _facts, today = await _scope(manager)
    deadline = resolve_deadline(message.text or "", today)
    if deadline is None:
        await message.answer(i18n_of(manager)("goals.error.not_a_date"))
        return
    await _set_deadline(manager, deadline)


async def on_keep_mine(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await manager.switch_to(Goals.reason)


async def on_reason(message: Message, _: MessageInput, manager: DialogManager) -> None:
    reason = (message.text or "").strip()
    if not reason:
        await message.answer(i18n_of(manager)("goals.reason_prompt"))
        return
    manager.dialog_data[REASON_KEY] = reason[:GOAL_TEXT_LIMIT]
    manager.dialog_data[RELEVANCE_SEEN] = True
    await _advance(manager)


async def on_use_counter_target(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    _project, facts, today = await _scope(manager)
    draft = _draft(manager)
    judgement = check_goal(draft, facts, today).judgement
    counter = (
        next((c for c in judgement.counters if c.target is not None), None) if judgement else None
    )
    if counter is not None and counter.target is not None:
        _store(manager, replace(draft, target=counter.target))
    await _advance(manager)


async def on_use_counter_deadline(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    _project, facts, today = await _scope(manager)
    draft = _draft(manager)
    judgement = check_goal(draft, facts, today).judgement
    counter = next((c for c in judgement.counters if c.deadline), None) if judgement else None
    if counter is not None and counter.deadline is not None:
        _store(manager, replace(draft, deadline=counter.deadline))
    await _advance(manager)


async def on_save(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    ctx = context_of(manager)
    i18n = i18n_of(manager)
    project, facts, today = await _scope(manager)
    draft = _draft(manager)
    check = check_goal(draft, facts, today)
    if check.missing or check.problems:
        await _advance(manager)
        return
    verdict = check.judgement.verdict if check.judgement else None
    if not may_edit_goals(project, ctx.user):
        await callback.answer(i18n("goals.read_only"), show_alert=True)
        await manager.switch_to(Goals.list)
        return
    try:
        change = await save_goal(
            ctx.session,
            project,
            ctx.user,
            draft,
            verdict=verdict,
            relevance_reason=manager.dialog_data.get(REASON_KEY),
            now=ctx.clock.now(),
        )
    except TooManyGoals:
        await callback.answer(i18n("goals.limit", count=MAX_GOALS_PER_PROJECT), show_alert=True)
    else:
        if project is not None and change.version is not None:
            # The brief went out without this goal: the client hears of it.
            tell_goals_changed(
                ctx.notifier,
                project.client,
                project,
                removed=False,
                goal=change.text,
                version=change.version,
            )
        await callback.answer(i18n("goals.saved"))
    await manager.switch_to(Goals.list)


async def on_remove(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """Removing asks which goal and confirms (`dialogs.goal_removal`): never one tap."""
    project, _facts, _today = await _scope(manager)
    await manager.start(GoalRemoval.pick, {"project_id": project.id if project else None})


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("goals.error.content"))


def _field_window(
    state: Any, prompt: str, *widgets: Any, preview: dict[str, Any] | None = None
) -> Screen:
    return Screen(
        Format("{checklist}\n"),
        Format("⚠️ {problem}\n", when="has_problem"),
        T(prompt),
        *widgets,
        Row(
            SwitchTo(
                T("goals.rewrite"), id=f"rewrite_{state.state.split(':')[1]}", state=Goals.text
            )
        ),
        MessageOf(
            on_other_content,
            ContentType.STICKER,
            ContentType.PHOTO,
            ContentType.VOICE,
            ContentType.VIDEO,
            ContentType.DOCUMENT,
        ),
        state=state,
        getter=goal_getter,
        preview_data=preview or PREVIEW,
    )


PREVIEW = {
    "checklist": "<b>Черновик цели</b>\n<i>«+300 подписчиков в ВК»</i>\n✅ S\n✅ M\n⏳ A\n⚠️ R\n❓ T",
    "problem": "",
    "has_problem": False,
    "metrics": [("followers", "подписчики"), ("sales", "продажи")],
    "channels": [("vk", "ВКонтакте"), ("multi", "несколько площадок")],
    "end_of_month": "Конец месяца (30 ноября)",
    "end_of_quarter": "Конец квартала (31 декабря)",
    "aim": "Распродать остатки",
    "metric_label": "подписчики",
    "relevance_text": "⚠️ Цель бизнеса — «Распродать остатки», а подписчики сами по себе…",
    "suggested": "продажи, выручка, заявки",
    "verdict": "🔴 Нереалистично в этот срок.",
    "why": "Нужно +5 000 в неделю — это 525% роста в месяц.",
    "counter": "💡 Реалистичный вариант: +40 чел. к 30 ноября.",
    "counter_target": True,
    "counter_target_label": "Взять реалистичное: +40 чел.",
    "counter_deadline": True,
    "counter_deadline_label": "Сдвинуть срок на 1 марта 2027",
    "kinds": [("level", "уровень к сроку"), ("total", "сумма за период")],
    "kind_hint": "Считаю как прирост: сколько прибавится к тому, что есть сейчас.",
    "baseline_hint": "",
}


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            Format("{title}\n"),
            Format("{goals}"),
            T("goals.empty", when="empty"),
            T("goals.limit", when="full"),
            T("goals.read_only", when="read_only"),
            Column(
                SwitchTo(T("goals.add"), id="add", state=Goals.text, when="can_add"),
                Button(T("goals.delete"), id="delete", on_click=on_remove, when="can_remove"),
                Cancel(T("common.close")),
            ),
            state=Goals.list,
            getter=list_getter,
            preview_data={
                "title": "🎯 Цели проекта «Зерно»",
                "goals": "1. подписчики +300 чел. · ВКонтакте, 31 декабря 2026 — 🟢",
                "empty": False,
                "has_goals": True,
                "can_add": True,
                "can_remove": True,
                "read_only": False,
                "full": False,
                "count": 1,
            },
        ),
        Screen(
            T("goals.ask"),
            Back(T("common.back")),
            MessageOf(on_goal_text, ContentType.TEXT),
            MessageInput(on_other_content),
            state=Goals.text,
        ),
        _field_window(
            Goals.metric,
            "goals.ask_metric",
            choice_buttons("metric", "metrics", on_metric),
        ),
        _field_window(
            Goals.target,
            "goals.ask_target",
            MessageOf(on_target, ContentType.TEXT),
        ),
        Screen(
            Format("{checklist}\n"),
            Format("{number_echo}"),
            Button(T("goals.confirm.yes"), id="number_yes", on_click=on_number_yes),
            Button(T("goals.confirm.no"), id="number_no", on_click=on_number_no),
            state=Goals.confirm_number,
            getter=number_getter,
            preview_data={
                **PREVIEW,
                "number_echo": "«полторы тысячи» — это <b>1 500 чел.</b>, верно?",
            },
        ),
        _field_window(
            Goals.channel,
            "goals.ask_channel",
            choice_buttons("channel", "channels", on_channel),
        ),
        _field_window(
            Goals.deadline,
            "goals.ask_deadline",
            Button(Format("{end_of_month}"), id="eom", on_click=on_end_of_month),
            Button(Format("{end_of_quarter}"), id="eoq", on_click=on_end_of_quarter),
            SwitchTo(T("goals.calendar"), id="to_calendar", state=Goals.calendar),
            MessageOf(on_deadline_text, ContentType.TEXT),
        ),
        Screen(
            T("goals.ask_deadline"),
            Calendar(id="calendar", on_click=on_calendar_date),
            SwitchTo(T("common.back"), id="calendar_back", state=Goals.deadline),
            state=Goals.calendar,
            getter=goal_getter,
            preview_data=PREVIEW,
        ),
        _field_window(
            Goals.baseline,
            "goals.ask_baseline",
            T("goals.baseline_why"),
            Format("{baseline_hint}", when="baseline_hint"),
            MessageOf(on_baseline, ContentType.TEXT),
        ),
        _field_window(
            Goals.pace,
            "goalcheck.ask.pace",
            MessageOf(on_pace, ContentType.TEXT),
        ),
        _field_window(
            Goals.stock,
            "goalcheck.ask.stock",
            MessageOf(on_stock, ContentType.TEXT),
        ),
        Screen(
            Format("{checklist}\n"),
            Format("{relevance_text}"),
            T("goals.relevance.suggest"),
            Column(
                SwitchTo(T("goals.rewrite"), id="relevance_rewrite", state=Goals.text),
                Button(T("goals.keep_mine"), id="keep", on_click=on_keep_mine),
            ),
            state=Goals.relevance,
            getter=goal_getter,
            preview_data=PREVIEW,
        ),
        Screen(
            T("goals.reason_prompt"),
            Back(T("common.back")),
            MessageOf(on_reason, ContentType.TEXT),
            MessageInput(on_other_content),
            state=Goals.reason,
        ),
        Screen(
            Format("{checklist}\n"),
            Format("{verdict}"),
            Format("\n{kind_hint}", when="kind_hint"),
            choice_buttons("kind", "kinds", on_kind, width=3),
            Column(
                Button(
                    Format("{counter_target_label}"),
                    id="use_target",
                    on_click=on_use_counter_target,
                    when="counter_target",
                ),
                Button(
                    Format("{counter_deadline_label}"),
                    id="use_deadline",
                    on_click=on_use_counter_deadline,
                    when="counter_deadline",
                ),
                Button(T("goals.save_as_is"), id="save", on_click=on_save),
                SwitchTo(T("goals.rewrite"), id="verdict_rewrite", state=Goals.text),
            ),
            state=Goals.verdict,
            getter=goal_getter,
            preview_data=PREVIEW,
        ),
    )
