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
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import ChatEvent, Dialog, DialogManager, Window
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
from bot.goals import extract_goal, local_today, resolve_deadline
from bot.goals.attainable import Assessment, Measure, Verdict
from bot.goals.check import (
    MAX_GOALS_PER_PROJECT,
    Draft,
    GoalCheck,
    ProjectFacts,
    check_goal,
    fill_from_project,
    reads_as_gain,
)
from bot.goals.periods import end_of_month, end_of_quarter
from bot.goals.units import unit_for
from bot.i18n import Translator
from bot.numbers import parse_number
from bot.projects import load_answers, load_project_for
from bot.projects.goals import TooManyGoals, add_goal, delete_goal, facts_from_answers, list_goals
from bot.questionnaire.catalogue import load_catalogue
from bot.reminders.planning import refresh_project
from bot.timezones import DEFAULT_ZONE
from dialogs.states import Goals
from dialogs.widgets import T, choice_buttons, i18n_of
from ui.context import context_of

GOAL_TEXT_LIMIT = 500
DRAFT_KEY = "draft"
#: Middleware-data key of the per-update `_scope`.
SCOPE_KEY = "goal_scope"
RELEVANCE_SEEN = "relevance_seen"
REASON_KEY = "reason"
FIELD_STATES = {
    "metric": Goals.metric,
    "target": Goals.target,
    "channel": Goals.channel,
    "deadline": Goals.deadline,
    "baseline": Goals.baseline,
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
    return project, facts_from_answers(await load_answers(ctx.session, project.id)), today


def _draft(manager: DialogManager) -> Draft:
    raw = dict(manager.dialog_data[DRAFT_KEY])
    raw["deadline"] = date.fromisoformat(raw["deadline"]) if raw["deadline"] else None
    return Draft(**raw)


def _store(manager: DialogManager, draft: Draft) -> None:
    raw = asdict(draft)
    raw["deadline"] = draft.deadline.isoformat() if draft.deadline else None
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
    assessment = check.assessment
    lines.append(_verdict_line(i18n, assessment.verdict) if assessment else i18n("goals.a_pending"))
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


def _why(i18n: Translator, metric: str, a: Assessment) -> str:
    number = i18n.format_number
    params = {
        "label": _metric(i18n, metric),
        "per_week": number(round(a.required_per_week or 0, 1)),
        "monthly": number(round(a.required_monthly or 0, 1)),
        "change": number(round(a.required_change or 0, 1)),
        "low": number(round(a.range_low, 1)),
        "high": number(round(a.range_high, 1)),
        "stretch": number(round(a.stretch_high, 1)),
    }
    return i18n(f"goals.verdict.{Measure(a.measure).value}", **params)


def _counter(i18n: Translator, draft: Draft, a: Assessment) -> str:
    counter = a.counter
    if counter is None or a.verdict is Verdict.REALISTIC:
        return ""
    options = []
    if counter.target is not None and draft.deadline is not None:
        target = replace(draft, target=counter.target)
        options.append(
            i18n(
                "goals.verdict.counter_target",
                target=_amount(i18n, target),
                deadline=i18n.format_date(draft.deadline),
            )
        )
    if counter.deadline is not None:
        options.append(
            i18n("goals.verdict.counter_deadline", date=i18n.format_date(counter.deadline))
        )
    if counter.monthly_budget_rub:
        budget = f"{i18n.format_number(round(counter.monthly_budget_rub, -3))} ₽"
        options.append(i18n("goals.verdict.counter_budget", budget=budget))
    return (
        i18n("goals.verdict.counter", options=i18n("goals.verdict.or").join(options))
        if options
        else ""
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
    assessment = check.assessment
    counter = (
        assessment.counter if assessment and assessment.verdict is not Verdict.REALISTIC else None
    )
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
        "aim": aim_option.label.get(i18n.language) if aim_option else "",
        "metric_label": _metric(i18n, draft.metric) if draft.metric else "",
        "suggested": ", ".join(_metric(i18n, m) for m in suggested[:4]),
        "verdict": i18n(f"goals.verdict.{assessment.verdict}") if assessment else "",
        "why": _why(i18n, draft.metric, assessment)
        if assessment and draft.metric and assessment.required_monthly is not None
        else "",
        "counter": _counter(i18n, draft, assessment) if assessment else "",
        "counter_target": bool(counter and counter.target is not None),
        "counter_target_label": i18n(
            "goals.use_target", target=_amount(i18n, replace(draft, target=counter.target))
        )
        if counter and counter.target is not None
        else "",
        "counter_deadline": bool(counter and counter.deadline is not None),
        "counter_deadline_label": i18n(
            "goals.use_deadline", date=i18n.format_date(counter.deadline)
        )
        if counter and counter.deadline
        else "",
    }


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    ctx = context_of(dialog_manager)
    project, _facts, _today = await _scope(dialog_manager)
    goals = await list_goals(
        ctx.session, project_id=project.id if project else None, owner=ctx.user
    )
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
        "can_add": len(goals) < MAX_GOALS_PER_PROJECT,
        "full": len(goals) >= MAX_GOALS_PER_PROJECT,
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
    found = extract_goal(text, today, user.timezone or DEFAULT_ZONE)
    draft = Draft(
        text=text,
        metric=found.metric,
        target=found.target,
        unit=found.unit,
        channel=found.channel,
        deadline=found.deadline,
        baseline=found.baseline,
        target_is_gain=reads_as_gain(text),
    )
    _store(manager, draft)
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
            ),
        )
        await _advance(manager)


async def on_target(message: Message, _: MessageInput, manager: DialogManager) -> None:
    text = message.text or ""
    value = parse_number(text)
    if value is None:
        await message.answer(i18n_of(manager)("goals.error.not_a_number"))
        return
    draft = _draft(manager)
    percent = "%" in text or (draft.unit == "percent" and draft.target is None)
    unit = (
        unit_for(draft.metric, percent=percent)
        if draft.metric
        else ("percent" if percent else None)
    )
    _store(
        manager,
        replace(
            draft,
            target=value,
            unit=unit,
            target_is_gain=draft.target_is_gain or reads_as_gain(text),
        ),
    )
    await _advance(manager)


async def on_baseline(message: Message, _: MessageInput, manager: DialogManager) -> None:
    value = parse_number(message.text or "")
    if value is None or value < 0:
        await message.answer(i18n_of(manager)("goals.error.not_a_number"))
        return
    _store(manager, replace(_draft(manager), baseline=value))
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
    assessment = check_goal(draft, facts, today).assessment
    if assessment and assessment.counter and assessment.counter.target is not None:
        _store(manager, replace(draft, target=round(assessment.counter.target)))
    await _advance(manager)


async def on_use_counter_deadline(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    _project, facts, today = await _scope(manager)
    draft = _draft(manager)
    assessment = check_goal(draft, facts, today).assessment
    if assessment and assessment.counter and assessment.counter.deadline is not None:
        _store(manager, replace(draft, deadline=assessment.counter.deadline))
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
    verdict = check.assessment.verdict.value if check.assessment else None
    try:
        await add_goal(
            ctx.session,
            project_id=project.id if project else None,
            owner=ctx.user,
            draft=draft,
            verdict=verdict,
            relevance_reason=manager.dialog_data.get(REASON_KEY),
        )
    except TooManyGoals:
        await callback.answer(i18n("goals.limit", count=MAX_GOALS_PER_PROJECT), show_alert=True)
    else:
        if project is not None:
            await refresh_project(ctx.session, project.id, ctx.clock.now())
        await callback.answer(i18n("goals.saved"))
    await manager.switch_to(Goals.list)


async def on_delete_last(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    ctx = context_of(manager)
    project, _facts, _today = await _scope(manager)
    goals = await list_goals(
        ctx.session, project_id=project.id if project else None, owner=ctx.user
    )
    if goals:
        await delete_goal(ctx.session, goals[-1])
        if project is not None:
            await refresh_project(ctx.session, project.id, ctx.clock.now())


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("goals.error.content"))


def _field_window(
    state: Any, prompt: str, *widgets: Any, preview: dict[str, Any] | None = None
) -> Window:
    return Window(
        Format("{checklist}\n"),
        Format("⚠️ {problem}\n", when="has_problem"),
        T(prompt),
        *widgets,
        Row(
            SwitchTo(
                T("goals.rewrite"), id=f"rewrite_{state.state.split(':')[1]}", state=Goals.text
            )
        ),
        MessageInput(
            on_other_content,
            content_types=[
                ContentType.STICKER,
                ContentType.PHOTO,
                ContentType.VOICE,
                ContentType.VIDEO,
                ContentType.DOCUMENT,
            ],
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
    "suggested": "продажи, выручка, заявки",
    "verdict": "🔴 Нереалистично в этот срок.",
    "why": "Нужно +5 000 в неделю — это 525% роста в месяц.",
    "counter": "💡 Реалистичный вариант: +40 чел. к 30 ноября.",
    "counter_target": True,
    "counter_target_label": "Взять реалистичное: +40 чел.",
    "counter_deadline": True,
    "counter_deadline_label": "Сдвинуть срок на 1 марта 2027",
}


def build_dialog() -> Dialog:
    return Dialog(
        Window(
            Format("{title}\n"),
            Format("{goals}"),
            T("goals.empty", when="empty"),
            T("goals.limit", when="full"),
            Column(
                SwitchTo(T("goals.add"), id="add", state=Goals.text, when="can_add"),
                Button(T("goals.delete"), id="delete", on_click=on_delete_last, when="has_goals"),
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
                "full": False,
                "count": 1,
            },
        ),
        Window(
            T("goals.ask"),
            Back(T("common.back")),
            MessageInput(on_goal_text, content_types=ContentType.TEXT),
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
            MessageInput(on_target, content_types=ContentType.TEXT),
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
            MessageInput(on_deadline_text, content_types=ContentType.TEXT),
        ),
        Window(
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
            MessageInput(on_baseline, content_types=ContentType.TEXT),
        ),
        Window(
            Format("{checklist}\n"),
            T("goals.relevance.warning"),
            T("goals.relevance.suggest"),
            Column(
                SwitchTo(T("goals.rewrite"), id="relevance_rewrite", state=Goals.text),
                Button(T("goals.keep_mine"), id="keep", on_click=on_keep_mine),
            ),
            state=Goals.relevance,
            getter=goal_getter,
            preview_data=PREVIEW,
        ),
        Window(
            T("goals.reason_prompt"),
            Back(T("common.back")),
            MessageInput(on_reason, content_types=ContentType.TEXT),
            MessageInput(on_other_content),
            state=Goals.reason,
        ),
        Window(
            Format("{checklist}\n"),
            Format("{verdict}"),
            Format("{why}"),
            Format("{counter}"),
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
