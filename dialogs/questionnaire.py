"""The questionnaire: one generic window that asks whatever the flow says is next.

Nothing here knows a particular question: wording, type, options and order come from
`bot/questionnaire` (the catalogue and `Flow`). Every answer is written to the database the moment
it is given, and the position is recomputed from stored answers, so a person can leave and come
back days later — or after a restart — and land on the same step.

Start data: `{"project_id": int}`. The project and the person's role in it are re-checked on every
event, so a stale or forged button cannot act on someone else's project. Every button carries the
step (or summary) it was drawn for, so a press on an older screen re-shows the current step
instead of answering it (`ScreenScoped`). An answer and the dialog's move to the next step are
stored in one commit, made before the next step is shown (`dialogs.committing_manager`): nothing
here commits on its own.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram.enums import ContentType
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Multiselect, Row
from aiogram_dialog.widgets.text import Format

from bot.db.models import Project
from bot.i18n import Translator
from bot.projects import load_answers, load_project_for
from bot.projects.answering import OwnWords, answer_question, open_questionnaire
from bot.questionnaire.answers import AnswerError, JsonValue, ParsedAnswer
from bot.questionnaire.catalogue import FREE_TEXT_FALLBACK, AnswerType, Section
from bot.questionnaire.days import DAY_KEYS
from bot.questionnaire.display import SUMMARY_TEXT_LIMIT, format_answer
from bot.questionnaire.flow import Flow, Step
from bot.questionnaire.junk import looks_like_junk, text_kind
from bot.questionnaire.parsing import parse_answer, parse_selection, skip
from bot.roles import Role
from dialogs.screen_scoped import ScreenScoped, screen_tag
from dialogs.states import Questionnaire
from dialogs.widgets import MessageOf, Screen, T, choice_buttons, i18n_of
from ui.context import context_of

STEP_KEY = "step"
#: Middleware-data key of the per-update `View`.
VIEW_KEY = "questionnaire_view"
#: Set while the summary shows just the section that was finished; its next step is NEXT_KEY.
SECTION_KEY = "section"
NEXT_KEY = "next"
#: The section opened from the final review, whose answers get their edit buttons there: the final
#: review itself shows one button per section, not one per answer.
OPEN_KEY = "open_section"
#: Set while an answer is being changed from the summary, so saving goes back there.
RETURN_KEY = "return_to_summary"
#: An answer read from words rather than typed literally («тысяч двадцать», an aim in the client's
#: words), waiting for a "yes": {"step", "value", "words", "typed"}.
PENDING_KEY = "pending"
#: The step whose typed answer was already questioned as a likely slip («😀😀😀», «42»): the next
#: text typed for it is saved as it is — the person is never asked twice about one question.
JUNK_ASKED_KEY = "junk_asked"
#: A free-text choice's own words, kept while the person picks the option by hand: {"step", "words"}.
WORDS_KEY = "own_words"
#: How much of the typed text the confirmation quotes back.
TYPED_ECHO_LIMIT = 200
#: When the question nudges were last re-planned in this dialog, and how often at most.
NUDGES_KEY = "nudges_planned_at"
NUDGE_REPLAN_EVERY = timedelta(hours=1)
#: The step count last shown, so a jump (channels added) is said, not silent.
TOTAL_KEY = "total_shown"
#: Steps already done when the person first opened this questionnaire (profile, the other side):
#: not counted.
DONE_AT_START_KEY = "done_at_start"
#: The person's own FSM data (it outlives each opening of the dialog): that number per project id,
#: so coming back goes on from «3 of 17» instead of starting a new «1 of 15».
FIRST_OPEN_KEY = "questionnaire_done_at_first_open"
CHOICE_TYPES = (AnswerType.SINGLE_CHOICE,)
MULTI_TYPES = (AnswerType.MULTI_CHOICE, AnswerType.DAYS)


@dataclass
class View:
    project: Project
    role: Role
    flow: Flow


async def _view(manager: DialogManager) -> View:
    """The project, role and answers, loaded once per update (handler and getter share it)."""
    data = manager.middleware_data
    ctx = context_of(manager)
    start = manager.start_data
    project_id = int(start["project_id"]) if isinstance(start, dict) else 0  # 0: never a project
    cached = data.get(VIEW_KEY)
    if isinstance(cached, View) and cached.project.id == project_id:
        return cached
    project, role = await load_project_for(ctx.session, ctx.user, project_id)
    answers = await load_answers(ctx.session, project.id)
    view = data[VIEW_KEY] = View(project, role, Flow(role, answers))
    return view


def _current(view: View, manager: DialogManager) -> Step | None:
    key = manager.dialog_data.get(STEP_KEY)
    step = view.flow.step(key) if isinstance(key, str) else None
    return step or view.flow.next_step()


def _options(step: Step, i18n: Translator) -> list[tuple[str, str]]:
    if step.question.type is AnswerType.DAYS:
        names = i18n.locale.days["format"]["abbreviated"]
        return [(key, names[index]) for index, key in enumerate(DAY_KEYS)]
    return [(option.key, option.label.get(i18n.language)) for option in step.question.options]


async def question_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    view = await _view(dialog_manager)
    step = _current(view, dialog_manager)
    if step is None:
        return {"no_step": True}
    question, language = step.question, i18n.language
    already = dialog_manager.dialog_data.get(DONE_AT_START_KEY)
    index, total = view.flow.progress(step, already if isinstance(already, int) else 0)
    answered = step.key in view.flow.answers
    section = view.flow.catalogue.section(question.section)
    return {
        "no_step": False,
        "brand": html.escape(view.project.brand),
        "section": section.title.get(language),
        "progress": _progress(dialog_manager, i18n, index, total),
        "question": step.text(language),
        "hint": question.hint.get(language),
        "example": i18n("questionnaire.example", example=html.escape(step.example(language))),
        "who": i18n(f"questionnaire.who.{question.who}"),
        "answered": answered,
        "current": _shown(step, view.flow.answers, i18n),
        "options": _options(step, i18n),
        "single": question.type in CHOICE_TYPES,
        "multi": question.type in MULTI_TYPES,
        "optional": question.optional,
        "has_previous": view.flow.previous_step(step) is not None,
    }


def _shown(
    step: Step, answers: Mapping[str, object], i18n: Translator, *, limit: int | None = None
) -> str:
    """A stored answer as text; a free-text choice also shows the client's own words."""
    shown = format_answer(step.question, answers.get(step.key), i18n, limit=limit)
    words = answers.get(step.question.words_key) if step.question.free_text else None
    if not isinstance(words, str):
        return shown
    if limit is not None and len(words) > limit:
        words = words[: limit - 1] + "…"
    return i18n("questionnaire.value.own_words", option=shown, words=html.escape(words))


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The reading of a typed answer, shown back before it is stored."""
    i18n = i18n_of(dialog_manager)
    view = await _view(dialog_manager)
    step = _current(view, dialog_manager)
    pending = _pending(dialog_manager, step)
    section = view.flow.catalogue.section(step.question.section) if step else None
    data = {
        "brand": html.escape(view.project.brand),
        "section": section.title.get(i18n.language) if section else "",
        "echo": "",
        "yes": i18n("questionnaire.confirm.yes"),
        "no": i18n("questionnaire.confirm.no"),
    }
    if step is None or pending is None:
        return data
    if pending.get("junk"):
        data["echo"] = i18n("questionnaire.confirm.junk", typed=html.escape(str(pending["typed"])))
        data["yes"] = i18n("questionnaire.confirm.junk_yes")
        data["no"] = i18n("questionnaire.confirm.junk_no")
        return data
    question, value = step.question, pending.get("value")
    words = pending.get("words")
    if question.free_text and isinstance(words, str):
        option = format_answer(question, value, i18n)
        key = "aim_other" if value == FREE_TEXT_FALLBACK else "aim"
        data["echo"] = i18n(f"questionnaire.confirm.{key}", words=html.escape(words), option=option)
        data["yes"] = i18n("questionnaire.confirm.aim_yes", option=option)
        data["no"] = i18n("questionnaire.confirm.aim_no")
    else:
        data["echo"] = i18n(
            "questionnaire.confirm.number",
            typed=html.escape(str(pending.get("typed", ""))),
            value=format_answer(question, value, i18n),
        )
    return data


def _pending(manager: DialogManager, step: Step | None) -> dict[str, Any] | None:
    """The answer waiting for a "yes" — only if it belongs to the step on screen."""
    pending = manager.dialog_data.get(PENDING_KEY)
    if step is None or not isinstance(pending, dict) or pending.get("step") != step.key:
        return None
    return pending


def _progress(manager: DialogManager, i18n: Translator, index: int, total: int) -> str:
    """«Шаг 3 из 25», saying once how many questions the channels just chosen added."""
    shown = manager.dialog_data.get(TOTAL_KEY)
    manager.dialog_data[TOTAL_KEY] = total
    text = i18n("questionnaire.progress", index=index, total=total)
    if isinstance(shown, int) and total > shown:
        text += " · " + i18n("questionnaire.progress_grew", count=total - shown)
    return text


def _summary_steps(view: View, section: str | None) -> list[tuple[Section, tuple[Step, ...]]]:
    """The sections the summary shows: one just finished, or all of them at the end."""
    return [(sec, steps) for sec, steps in view.flow.sections() if section in (None, sec.key)]


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    view = await _view(dialog_manager)
    section = dialog_manager.dialog_data.get(SECTION_KEY)
    listed = _listed_section(dialog_manager)
    lines: list[str] = []
    edits: list[tuple[str, str]] = []
    sections: list[tuple[str, str]] = []
    for shown, steps in _summary_steps(view, listed):
        title = shown.title.get(i18n.language)
        lines.append(f"\n<b>{title}</b>")
        answered = sum(1 for step in steps if step.key in view.flow.answers)
        sections.append(
            (shown.key, i18n("questionnaire.button.section", title=title, count=answered))
        )
        for step in steps:
            value = _shown(step, view.flow.answers, i18n, limit=SUMMARY_TEXT_LIMIT)
            lines.append(f"• {html.escape(step.label(i18n.language))} — <i>{value}</i>")
            edits.append((str(len(edits)), f"✏️ {step.label(i18n.language)}"))
    grouped = listed is None  # the final review: sections first, their answers one tap away
    missing = len(view.flow.missing_required())
    return {
        "brand": html.escape(view.project.brand),
        "answers": "\n".join(lines),
        "status": i18n("questionnaire.summary.missing", count=missing)
        if missing
        else i18n("questionnaire.summary.complete"),
        "edits": [] if grouped else edits,
        "sections": sections if grouped else [],
        "opened": section is None and listed is not None,
        "section_only": section is not None,
        "everything_closed": grouped,
    }


def _listed_section(manager: DialogManager) -> str | None:
    """The section whose answers the summary lists with edit buttons: the one just finished, or
    the one opened from the final review; None on the final review itself."""
    section = manager.dialog_data.get(SECTION_KEY)
    opened = manager.dialog_data.get(OPEN_KEY)
    if isinstance(section, str):
        return section
    return opened if isinstance(opened, str) else None


async def show_summary(
    manager: DialogManager, section: str | None, next_step: Step | None = None
) -> None:
    manager.dialog_data.pop(STEP_KEY, None)
    manager.dialog_data[SECTION_KEY] = section
    manager.dialog_data.pop(OPEN_KEY, None)
    manager.dialog_data[NEXT_KEY] = next_step.key if next_step else None
    await manager.switch_to(Questionnaire.summary)


async def show_step(manager: DialogManager, step: Step | None) -> None:
    """Move to `step` (or the summary when there is none), loading its stored choice into buttons."""
    if step is None:
        await show_summary(manager, None)
        return
    manager.dialog_data[STEP_KEY] = step.key
    if step.question.type in MULTI_TYPES:
        multi = manager.find("multi")
        await multi.reset_checked()  # type: ignore[union-attr]
        view = await _view(manager)
        stored = view.flow.answers.get(step.key)
        if isinstance(stored, list):
            keys = (
                [DAY_KEYS[d] for d in stored if isinstance(d, int)]
                if step.question.type is AnswerType.DAYS
                else stored
            )
            for key in keys:
                await multi.set_checked(str(key), True)  # type: ignore[union-attr]
    await manager.switch_to(Questionnaire.question)


async def on_start(_: Any, manager: DialogManager) -> None:
    view = await _view(manager)
    ctx = context_of(manager)
    missing = await open_questionnaire(
        ctx.session, view.project, ctx.user, view.role, view.flow.answers, ctx.clock.now()
    )
    if missing:
        view = _with_answers(manager, view, missing)
    manager.dialog_data[DONE_AT_START_KEY] = await _done_at_first_open(manager, view)
    await show_step(manager, view.flow.next_step())


async def _done_at_first_open(manager: DialogManager, view: View) -> int:
    """Steps done when this person first opened this project's questionnaire: counted in neither
    number, so the first question is «1 of n» — and the same number on every later opening, so
    the count is one and stable (it grows only with channels added)."""
    state = manager.middleware_data.get("state")
    if not isinstance(state, FSMContext):  # no per-person storage: count from this opening
        return view.flow.done_count()
    stored = (await state.get_data()).get(FIRST_OPEN_KEY)
    known = stored if isinstance(stored, dict) else {}
    project = str(view.project.id)
    if isinstance(known.get(project), int):
        return int(known[project])
    done = view.flow.done_count()
    await state.update_data({FIRST_OPEN_KEY: {**known, project: done}})
    return done


def _with_answers(manager: DialogManager, view: View, saved: dict[str, JsonValue]) -> View:
    """The view after ``saved`` were stored in this update: the answers read at its start plus
    those, instead of reading them all back (a statement and a trip to the database's thread on
    every answer)."""
    after = manager.middleware_data[VIEW_KEY] = View(
        view.project, view.role, Flow(view.role, {**view.flow.answers, **saved})
    )
    return after


async def _record(
    manager: DialogManager, result: ParsedAnswer | AnswerError, event: Message | CallbackQuery
) -> None:
    """Save a parsed answer and move on, or explain what is wrong and ask the same question again."""
    i18n = i18n_of(manager)
    view = await _view(manager)
    step = _current(view, manager)
    if step is None:
        return
    if isinstance(result, AnswerError):
        text = i18n(
            f"questionnaire.error.{result.code}",
            **{k: html.escape(str(v)) for k, v in result.params.items()},
            example=html.escape(step.example(i18n.language)),
        )
        if isinstance(event, CallbackQuery):
            await event.answer(text, show_alert=True)
        else:
            await event.answer(text)
        return
    ctx = context_of(manager)
    clock = ctx.clock
    manager.dialog_data.pop(PENDING_KEY, None)
    manager.dialog_data.pop(JUNK_ASKED_KEY, None)
    now = clock.now()
    after = _with_answers(manager, view, {step.key: result.value})
    replan = _nudges_due(manager, after, now)
    moved = await answer_question(  # the zone, days and hours also become the person's profile
        ctx.session,
        view.project,
        ctx.user,
        view.role,
        step.key,
        result.value,
        now,
        words=_own_words(manager, view, step, result.words),
        plan_nudges=replan,
    )
    if replan:
        manager.dialog_data[NUDGES_KEY] = now.isoformat()
    if moved or step.question.free_text:  # other answers changed too: read them back
        manager.middleware_data.pop(VIEW_KEY, None)
        after = await _view(manager)
    if manager.dialog_data.pop(RETURN_KEY, False):
        await manager.switch_to(Questionnaire.summary)
        return
    following = after.flow.following_step(step) if after.flow.step(step.key) else None
    if following is None or after.flow.is_done(following):
        following = after.flow.next_step()
    if following is not None and following.question.section != step.question.section:
        await show_summary(manager, step.question.section, following)  # a section is done
        return
    await show_step(manager, following)


def _own_words(
    manager: DialogManager, view: View, step: Step, words: str | None
) -> OwnWords | None:
    """Keep the client's own words next to the option; a plain tap with none clears stale ones."""
    if not step.question.free_text:
        return None
    kept = manager.dialog_data.pop(WORDS_KEY, None)
    if words is None and isinstance(kept, dict) and kept.get("step") == step.key:
        words = kept.get("words") if isinstance(kept.get("words"), str) else None
    key = step.question.words_key
    if words or key in view.flow.answers:
        return OwnWords(key, words or None)
    return None


def _nudges_due(manager: DialogManager, after: View, now: datetime) -> bool:
    """Question nudges count from a person's last answer, but re-planning the project's reminders
    on every tap costs more than the rest of the step; so they are re-planned at most every
    `NUDGE_REPLAN_EVERY` while someone keeps answering (a nudge may come that much before a full
    day of silence), and at once when the person's required questions are done, so nobody is
    nudged about questions they have already answered."""
    planned = manager.dialog_data.get(NUDGES_KEY)
    due = planned is None or now - datetime.fromisoformat(planned) >= NUDGE_REPLAN_EVERY
    return due or not after.flow.missing_required()


async def on_text(message: Message, _: MessageInput, manager: DialogManager) -> None:
    view = await _view(manager)
    step = _current(view, manager)
    if step is None:
        return
    typed = message.text or ""
    result = parse_answer(step.question, typed)
    slip = _looks_like_slip(manager, step, typed)
    if isinstance(result, ParsedAnswer) and (result.confirm or slip):
        if slip:
            manager.dialog_data[JUNK_ASKED_KEY] = step.key
        manager.dialog_data[PENDING_KEY] = {
            "step": step.key,
            "value": result.value,
            "words": result.words,
            "typed": " ".join(typed.split())[:TYPED_ECHO_LIMIT],
            "junk": slip,
        }
        await manager.switch_to(Questionnaire.confirm)
        return
    await _record(manager, result, message)


def _looks_like_slip(manager: DialogManager, step: Step, typed: str) -> bool:
    """A text answer that is probably a slip and has not been asked about for this step yet."""
    kind = text_kind(step.question)
    if kind is None or manager.dialog_data.get(JUNK_ASKED_KEY) == step.key:
        return False
    return looks_like_junk(typed, kind)


async def on_confirm_yes(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    view = await _view(manager)
    step = _current(view, manager)
    pending = _pending(manager, step)
    if pending is None:  # a stale button: nothing is waiting for this step any more
        await show_step(manager, step)
        return
    words = pending.get("words")
    parsed = ParsedAnswer(pending.get("value"), words=words if isinstance(words, str) else None)
    await _record(manager, parsed, callback)


async def on_confirm_no(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """Ask again; a choice's own words are kept for the option the person now picks by hand."""
    view = await _view(manager)
    step = _current(view, manager)
    pending = _pending(manager, step)
    manager.dialog_data.pop(PENDING_KEY, None)
    own_words = (
        pending is not None and not pending.get("junk") and isinstance(pending.get("words"), str)
    )
    if step is not None and pending is not None and own_words:
        manager.dialog_data[WORDS_KEY] = {"step": step.key, "words": pending["words"]}
    await show_step(manager, step)


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("questionnaire.wrong_content"))


async def on_summary_message(message: Message, _: MessageInput, manager: DialogManager) -> None:
    """The summary takes buttons only: say so; the dialog then shows the summary again."""
    await message.answer(i18n_of(manager)("questionnaire.summary.use_buttons"))


def _screen(manager: DialogManager) -> str:
    """Which screen the person is on: the question of this step, or the summary of a section (or
    of everything). Read from the dialog's own data, so checking a press costs no query."""
    if manager.current_context().state == Questionnaire.confirm:
        return screen_tag(f"confirm:{manager.dialog_data.get(STEP_KEY) or ''}")
    if manager.current_context().state == Questionnaire.summary:
        section = manager.dialog_data.get(SECTION_KEY) or ""
        return screen_tag(f"summary:{section}:{manager.dialog_data.get(OPEN_KEY) or ''}")
    return screen_tag(f"question:{manager.dialog_data.get(STEP_KEY) or ''}")


async def on_stale(callback: CallbackQuery, manager: DialogManager) -> None:
    await callback.answer(i18n_of(manager)("questionnaire.stale_button"), show_alert=True)


async def on_single(callback: CallbackQuery, _: Any, manager: DialogManager, item_id: str) -> None:
    view = await _view(manager)
    step = _current(view, manager)
    if step is not None:
        await _record(manager, parse_selection(step.question, [item_id]), callback)


async def on_multi_done(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    view = await _view(manager)
    step = _current(view, manager)
    if step is None:
        return
    checked = manager.find("multi").get_checked()  # type: ignore[union-attr]
    await _record(manager, parse_selection(step.question, checked), callback)


async def on_skip(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    view = await _view(manager)
    step = _current(view, manager)
    if step is not None:
        await _record(manager, skip(step.question), callback)


async def on_back(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    view = await _view(manager)
    step = _current(view, manager)
    if step is not None:
        await show_step(manager, view.flow.previous_step(step) or step)


async def on_keep(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """Next without changing an answer that is already there (after going Back or Edit)."""
    view = await _view(manager)
    step = _current(view, manager)
    if step is not None:
        await show_step(manager, view.flow.following_step(step))


async def on_to_summary(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await show_step(manager, None)


async def on_edit(_: CallbackQuery, __: Any, manager: DialogManager, item_id: str) -> None:
    view = await _view(manager)
    section = _listed_section(manager)
    if section is None:  # the final review has no edit buttons of its own
        return
    steps = [step for _, shown in _summary_steps(view, section) for step in shown]
    index = int(item_id)
    if 0 <= index < len(steps):
        manager.dialog_data[RETURN_KEY] = True
        await show_step(manager, steps[index])


async def on_open_section(_: CallbackQuery, __: Any, manager: DialogManager, item_id: str) -> None:
    """From the final review into one section's answers and their edit buttons."""
    view = await _view(manager)
    if any(section.key == item_id for section, _ in view.flow.sections()):
        manager.dialog_data[OPEN_KEY] = item_id


async def on_close_section(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(OPEN_KEY, None)


async def on_continue(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """From a section's summary on to the next section."""
    view = await _view(manager)
    key = manager.dialog_data.get(NEXT_KEY)
    following = view.flow.step(key) if isinstance(key, str) else None
    await show_step(manager, following or view.flow.next_step())


async def on_finish(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    view = await _view(manager)
    await manager.done(
        {"project_id": view.project.id, "complete": not view.flow.missing_required()}
    )


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            Format("🗂 <b>{brand}</b> · {section}\n<i>{progress}</i>\n"),
            Format("<b>{question}</b>"),
            Format("{hint}"),
            Format("{example}"),
            Format("\n👤 {who}"),
            T("questionnaire.current", when="answered"),
            ScreenScoped(
                Group(
                    choice_buttons("single", "options", on_single, when="single"),
                    Group(
                        Multiselect(
                            Format("✅ {item[1]}"),
                            Format("{item[1]}"),
                            id="multi",
                            item_id_getter=lambda i: i[0],
                            items="options",
                        ),
                        width=3,
                        when="multi",
                    ),
                    Button(
                        T("questionnaire.button.done"),
                        id="multi_done",
                        on_click=on_multi_done,
                        when="multi",
                    ),
                    Row(
                        Button(
                            T("questionnaire.button.back"),
                            id="back",
                            on_click=on_back,
                            when="has_previous",
                        ),
                        Button(
                            T("questionnaire.button.skip"),
                            id="skip",
                            on_click=on_skip,
                            when="optional",
                        ),
                        Button(
                            T("questionnaire.button.next"),
                            id="keep",
                            on_click=on_keep,
                            when="answered",
                        ),
                    ),
                    Button(
                        T("questionnaire.button.summary"), id="to_summary", on_click=on_to_summary
                    ),
                ),
                _screen,
                on_stale,
            ),
            MessageOf(on_text, ContentType.TEXT),
            MessageInput(on_other_content),
            state=Questionnaire.question,
            getter=question_getter,
            preview_data={
                "brand": "Кофейня «Зерно»",
                "section": "Цель бизнеса",
                "progress": "Шаг 1 из 11",
                "question": "Что сейчас важнее всего для бизнеса?",
                "hint": "Выберите одну главную цель.",
                "example": "Например: распродать остатки",
                "who": "Отвечает заказчик",
                "answered": False,
                "current": "",
                "options": [("sell_stock", "Распродать остатки"), ("leads", "Заявки")],
                "single": True,
                "multi": False,
                "optional": False,
                "has_previous": False,
            },
        ),
        Screen(
            Format("🗂 <b>{brand}</b> · {section}\n"),
            Format("{echo}"),
            ScreenScoped(
                Group(
                    Button(Format("{yes}"), id="confirm_yes", on_click=on_confirm_yes),
                    Button(Format("{no}"), id="confirm_no", on_click=on_confirm_no),
                ),
                _screen,
                on_stale,
            ),
            MessageOf(on_text, ContentType.TEXT),
            MessageInput(on_other_content),
            state=Questionnaire.confirm,
            getter=confirm_getter,
            preview_data={
                "brand": "Кофейня «Зерно»",
                "section": "Бюджет и особые условия",
                "echo": "«тысяч двадцать» — это <b>20 000 ₽</b>, верно?",
                "yes": "✅ Да, верно",
                "no": "✏️ Нет, напишу заново",
            },
        ),
        Screen(
            Format("🗂 <b>{brand}</b>"),
            T("questionnaire.summary.heading"),
            Format("{answers}\n"),
            Format("{status}"),
            ScreenScoped(
                Group(
                    choice_buttons("edit", "edits", on_edit, width=1),
                    choice_buttons("sections", "sections", on_open_section, width=1),
                    Button(
                        T("questionnaire.button.back"),
                        id="close_section",
                        on_click=on_close_section,
                        when="opened",
                    ),
                    Button(
                        T("questionnaire.button.next"),
                        id="continue",
                        on_click=on_continue,
                        when="section_only",
                    ),
                    Button(
                        T("questionnaire.button.summary"),
                        id="all",
                        on_click=on_to_summary,
                        when="section_only",
                    ),
                    Column(
                        Button(
                            T("questionnaire.button.finish"),
                            id="finish",
                            on_click=on_finish,
                            when="everything_closed",
                        )
                    ),
                ),
                _screen,
                on_stale,
            ),
            MessageInput(on_summary_message),
            state=Questionnaire.summary,
            getter=summary_getter,
            preview_data={
                "brand": "Кофейня «Зерно»",
                "answers": "<b>Цель бизнеса</b>\n• Главная цель — <i>Распродать остатки</i>",
                "status": "Все обязательные вопросы заполнены",
                "edits": [],
                "sections": [("aim", "Цель бизнеса · 1")],
                "opened": False,
                "section_only": False,
                "everything_closed": True,
            },
        ),
        on_start=on_start,
    )
