"""/brief and the sign-off buttons: status, sending a version to both sides, approvals, the PDF.

Buttons carry one version or project id and nothing else; every press re-loads the version and
checks membership and role through the services (`bot.projects.briefs`, `load_project_for`), so a
stale, forwarded or forged button changes nothing. Prose comes from the `signoff.*` catalog in
each reader's own language; user text is escaped here or by the brief templates. The sign-off
rules themselves live in the service: this module must never decide who may approve what.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.state import State
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager, ShowMode, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.briefs.render import render_chat, render_diff, render_pdf
from bot.briefs.telegram_html import pack_sections
from bot.briefs.versioning import short_hash
from bot.briefs.view import field_label
from bot.clock import Clock
from bot.db.models import Project, User
from bot.i18n import Translator, translator
from bot.notify import Notifier
from bot.projects import list_projects, load_project_for
from bot.projects.briefs import (
    DecisionOutcome,
    DecisionStatus,
    Missing,
    SendOutcome,
    SendStatus,
    approve,
    decision_target,
    latest_version,
    load_version_for,
    preview,
    send_for_signoff,
    shown_snapshot,
    version_signatures,
    version_state,
)
from bot.questionnaire.catalogue import load_catalogue
from bot.questionnaire.flow import Step
from bot.reminders.messages import ReminderAction
from bot.roles import Role
from dialogs.states import BriefComment, Goals, Projects, Questionnaire
from ui.briefs import (
    APPROVE,
    CARD,
    CHANGES,
    FILL,
    FULL,
    GOALS,
    PDF,
    PREVIEW,
    PREVIEW_PDF,
    SEND,
    BriefCb,
    BriefProjectCb,
    decision_keyboard,
    fit,
    name_of,
    other_side,
    pending_names,
    refusal_text,
    send_parts,
    show_brief,
)
from ui.projects import project_picker
from ui.reminders import ReminderCb

log = logging.getLogger(__name__)

_UNSAFE_FILENAME = re.compile(r"[^\w]+|_+")


def _log_if_foreign(outcome: DecisionOutcome, callback: CallbackQuery) -> None:
    """A press on a version of a project the presser is not in is a refusal worth a WARNING, as
    every other foreign button (`handlers.errors`); an old or already approved one is routine."""
    if outcome.status is DecisionStatus.FOREIGN or outcome.version is None:
        log.warning(
            "refused: user %s pressed %r (not a member of that project)",
            callback.from_user.id,
            callback.data,
        )


def pdf_filename(brand: str, number: int, *, draft: bool = False) -> str:
    """Letters and digits of the brand only: no path separators, quotes or markup in a filename."""
    slug = _UNSAFE_FILENAME.sub("-", brand).strip("-")[:40].strip("-") or "project"
    return f"brief-{slug}-v{number}{'-draft' if draft else ''}.pdf"


# --- /brief: status and history --------------------------------------------------------------


async def brief_command(
    message: Message, bot: Bot, session: AsyncSession, user: User, i18n: Translator, clock: Clock
) -> None:
    """Straight to the brief when the person has one project, a choice when several (the same
    picker as /goals and /checkin, whose button is the one a brief reminder carries)."""
    memberships = await list_projects(session, user)
    if not memberships:
        await message.answer(i18n("signoff.no_project"))
        return
    if len(memberships) == 1:
        await show_brief(bot, session, user, memberships[0].project.id, clock.now())
        return
    picker = project_picker(
        [m.project for m in memberships],
        lambda project_id: ReminderCb(action=ReminderAction.BRIEF, project_id=project_id),
    )
    await message.answer(i18n("signoff.pick_project"), reply_markup=picker)


# --- sending for sign-off --------------------------------------------------------------------


async def on_send(
    callback: CallbackQuery,
    callback_data: BriefProjectCb,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
    notifier: Notifier,
) -> None:
    project, _ = await load_project_for(
        session, user, callback_data.project_id, role=Role.SPECIALIST
    )
    await callback.answer()  # before the snapshot and the re-plan, which take a while
    outcome = await send_for_signoff(session, project, user, clock.now())
    if outcome.status is SendStatus.INCOMPLETE:
        assert outcome.missing is not None
        text, markup = _missing_message(i18n, project, outcome.missing)
        await send_parts(bot, user.telegram_id, fit(text), markup)
    elif outcome.status is SendStatus.UNCHANGED:
        assert outcome.version is not None
        await bot.send_message(
            user.telegram_id, i18n("signoff.sent.unchanged", number=outcome.version.number)
        )
    else:
        await _deliver(bot, notifier, project, outcome, sender=user)


def _missing_message(
    i18n: Translator, project: Project, missing: Missing
) -> tuple[str, InlineKeyboardMarkup]:
    lines = [i18n("signoff.missing.title")]
    own = missing.answers[Role.SPECIALIST]
    if own:
        lines.append(i18n("signoff.missing.specialist"))
        lines.extend(i18n("signoff.missing.item", label=_step_label(i18n, step)) for step in own)
    # Shared questions are listed once, as the specialist's: either side may answer them.
    theirs = [step for step in missing.answers[Role.CLIENT] if step.key not in {s.key for s in own}]
    if theirs and not missing.no_client:
        lines.append(i18n("signoff.missing.client"))
        lines.extend(i18n("signoff.missing.item", label=_step_label(i18n, step)) for step in theirs)
        lines.append(i18n("signoff.missing.client_pending"))
    if missing.no_goals:
        lines.append(i18n("signoff.missing.no_goals"))
    if missing.no_client:
        lines.append(i18n("signoff.missing.no_client"))
    builder = InlineKeyboardBuilder()
    for needed, action, key in (
        (bool(own), FILL, "fill_button"),
        (missing.no_goals, GOALS, "goals_button"),
        (missing.no_client, CARD, "invite_button"),
    ):
        if needed:
            builder.button(
                text=i18n(f"signoff.missing.{key}"),
                callback_data=BriefProjectCb(action=action, project_id=project.id),
            )
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


def _step_label(i18n: Translator, step: Step) -> str:
    label = field_label(step.question, i18n)
    if step.channel is not None:
        label = f"{step.channel.label.get(i18n.language)} · {label}"
    return html.escape(label)


async def _deliver(
    bot: Bot, notifier: Notifier, project: Project, outcome: SendOutcome, *, sender: User
) -> None:
    """Both sides get the new version: the whole brief the first time, what changed afterwards.

    The sender's copy is a reply; the other side's is a notice, sent after the commit."""
    version = outcome.version
    assert version is not None
    catalogue = load_catalogue()
    for person in (project.specialist, project.client):
        if person is None:
            continue
        i18n = translator(person.language)
        brand = html.escape(project.brand)
        if outcome.previous is None:
            intro = (
                i18n("signoff.sent.first_self", brand=brand, number=version.number)
                if person.id == sender.id
                else i18n(
                    "signoff.sent.first",
                    sender=name_of(sender),
                    brand=brand,
                    number=version.number,
                )
            )
            parts = render_chat(
                version.snapshot,
                person.language,
                content_hash=version.content_hash,
                timezone=person.timezone,
                catalogue=catalogue,
            )
            markup = decision_keyboard(i18n, version.id)
        else:
            intro = i18n("signoff.sent.new_version", brand=brand, number=version.number)
            diff = render_diff(
                list(outcome.changes), person.language, catalogue, snapshot=version.snapshot
            )
            parts = pack_sections([diff])
            markup = decision_keyboard(i18n, version.id, full=True)
        if person.id == sender.id:
            await send_parts(bot, person.telegram_id, [intro, *parts], markup)
        else:
            their = translator(sender.language)
            notifier.notify(
                person,
                intro,
                *parts,
                reply_markup=markup,
                undelivered=their("signoff.sent.not_delivered", name=name_of(person)),
            )


# --- decisions -------------------------------------------------------------------------------


async def on_approve(
    callback: CallbackQuery,
    callback_data: BriefCb,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
    notifier: Notifier,
) -> None:
    outcome = await approve(session, user, callback_data.version_id, clock.now())
    if outcome.status not in (DecisionStatus.RECORDED, DecisionStatus.SIGNED):
        _log_if_foreign(outcome, callback)
        await callback.answer(refusal_text(i18n, outcome), show_alert=True)
        return
    await callback.answer()
    project, version, state, role = outcome.project, outcome.version, outcome.state, outcome.role
    assert project is not None and version is not None and state is not None and role is not None
    brand = html.escape(project.brand)
    if outcome.status is DecisionStatus.SIGNED:
        for person in (project.specialist, project.client):
            if person is not None:
                their = translator(person.language)
                text = their(
                    "signoff.decision.signed",
                    brand=brand,
                    number=version.number,
                    code=short_hash(version.content_hash),
                )
                if person.id == user.id:
                    await bot.send_message(person.telegram_id, text)
                else:
                    notifier.notify(person, text)
        return
    await bot.send_message(
        user.telegram_id,
        i18n(
            "signoff.decision.recorded",
            brand=brand,
            number=version.number,
            names=pending_names(project, state.pending),
        ),
    )
    other = other_side(project, role)
    if other is not None:
        their = translator(other.language)
        notifier.notify(
            other,
            their(
                "signoff.decision.other_approved",
                name=name_of(user),
                brand=brand,
                number=version.number,
            ),
        )


async def on_request_changes(
    callback: CallbackQuery,
    callback_data: BriefCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    """Checked now and again when the comment arrives: the version may be replaced meanwhile."""
    target = await decision_target(session, user, callback_data.version_id)
    if target.status is not DecisionStatus.OPEN:
        _log_if_foreign(target, callback)
        await callback.answer(refusal_text(i18n, target), show_alert=True)
        return
    await callback.answer()
    await _start_below(
        callback, dialog_manager, BriefComment.text, {"version_id": callback_data.version_id}
    )


# --- reading a version -----------------------------------------------------------------------


async def on_pdf(
    callback: CallbackQuery,
    callback_data: BriefCb,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    version, project, _ = await load_version_for(session, user, callback_data.version_id)
    await callback.answer()
    signatures = await version_signatures(session, version)
    # WeasyPrint takes most of a second of CPU: off the event loop, so other chats keep moving.
    pdf = await asyncio.to_thread(
        render_pdf,
        shown_snapshot(version, project),
        user.language,
        content_hash=version.content_hash,
        timezone=user.timezone,
        signatures=signatures,
    )
    await bot.send_document(
        user.telegram_id,
        BufferedInputFile(pdf, filename=pdf_filename(project.brand, version.number)),
        caption=i18n(
            "signoff.pdf_caption",
            brand=html.escape(project.brand),
            number=version.number,
            code=short_hash(version.content_hash),
        ),
    )


async def on_full(
    callback: CallbackQuery,
    callback_data: BriefCb,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    """Any version of one's own project, old ones too; only the latest offers a decision, and
    only to someone who has not approved it yet."""
    version, project, role = await load_version_for(session, user, callback_data.version_id)
    await callback.answer()
    latest = await latest_version(session, project.id)
    parts = render_chat(
        shown_snapshot(version, project),
        user.language,
        content_hash=version.content_hash,
        timezone=user.timezone,
        signatures=await version_signatures(session, version),
    )
    is_latest = latest is not None and latest.id == version.id
    approved = (await version_state(session, version)).approved
    await send_parts(
        bot,
        user.telegram_id,
        parts,
        decision_keyboard(i18n, version.id, decide=is_latest and role not in approved),
    )


# --- preview before sending ------------------------------------------------------------------


async def on_preview(
    callback: CallbackQuery,
    callback_data: BriefProjectCb,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
) -> None:
    """The brief as «Send» would make it, to the specialist alone; nothing is stored or sent on."""
    project, _ = await load_project_for(
        session, user, callback_data.project_id, role=Role.SPECIALIST
    )
    await callback.answer()
    draft = await preview(session, project, clock.now())
    intro = i18n(
        "signoff.preview.intro",
        brand=html.escape(project.brand),
        number=draft.snapshot["version"],
    )
    if draft.missing:
        intro += "\n" + i18n("signoff.preview.incomplete")
    parts = render_chat(
        draft.snapshot, user.language, content_hash=draft.content_hash, timezone=user.timezone
    )
    builder = InlineKeyboardBuilder()
    for key, action in (("signoff.preview.pdf_button", PREVIEW_PDF), ("signoff.send_button", SEND)):
        builder.button(
            text=i18n(key), callback_data=BriefProjectCb(action=action, project_id=project.id)
        )
    builder.adjust(1)
    await send_parts(bot, user.telegram_id, [intro, *parts], builder.as_markup())


async def on_preview_pdf(
    callback: CallbackQuery,
    callback_data: BriefProjectCb,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
) -> None:
    project, _ = await load_project_for(
        session, user, callback_data.project_id, role=Role.SPECIALIST
    )
    await callback.answer()
    draft = await preview(session, project, clock.now())
    pdf = await asyncio.to_thread(
        render_pdf,
        draft.snapshot,
        user.language,
        content_hash=draft.content_hash,
        timezone=user.timezone,
        preview=True,
    )
    number = int(draft.snapshot["version"])
    await bot.send_document(
        user.telegram_id,
        BufferedInputFile(pdf, filename=pdf_filename(project.brand, number, draft=True)),
        caption=i18n(
            "signoff.preview.pdf_caption", brand=html.escape(project.brand), number=number
        ),
    )


# --- filling in what is missing --------------------------------------------------------------


async def on_fill(
    callback: CallbackQuery,
    callback_data: BriefProjectCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
) -> None:
    project, _ = await load_project_for(
        session, user, callback_data.project_id, role=Role.SPECIALIST
    )
    states = {FILL: Questionnaire.question, GOALS: Goals.list, CARD: Projects.card}
    await callback.answer()
    await _start_below(
        callback, dialog_manager, states[callback_data.action], {"project_id": project.id}
    )


async def _start_below(
    callback: CallbackQuery, manager: DialogManager, state: State, data: dict[str, int]
) -> None:
    """Open a dialog in a new message under the pressed one, which keeps its text and buttons.

    aiogram-dialog would edit the pressed message (losing a piece of the brief) or, when sending,
    strip its keyboard (losing Approve); the keyboard is put back because the buttons still work.
    """
    await manager.start(state, data, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
    pressed = callback.message
    if isinstance(pressed, Message) and pressed.reply_markup is not None:
        await pressed.edit_reply_markup(reply_markup=pressed.reply_markup)


def build_router() -> Router:
    router = Router(name="briefs")
    router.message.register(brief_command, Command("brief"))
    router.callback_query.register(on_send, BriefProjectCb.filter(F.action == SEND))
    router.callback_query.register(on_preview, BriefProjectCb.filter(F.action == PREVIEW))
    router.callback_query.register(on_preview_pdf, BriefProjectCb.filter(F.action == PREVIEW_PDF))
    router.callback_query.register(
        on_fill, BriefProjectCb.filter(F.action.in_({FILL, GOALS, CARD}))
    )
    router.callback_query.register(on_approve, BriefCb.filter(F.action == APPROVE))
    router.callback_query.register(on_request_changes, BriefCb.filter(F.action == CHANGES))
    router.callback_query.register(on_pdf, BriefCb.filter(F.action == PDF))
    router.callback_query.register(on_full, BriefCb.filter(F.action == FULL))
    return router
