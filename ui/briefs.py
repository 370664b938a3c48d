"""The brief as the UI shows it: callback data of its buttons, its keyboards, the /brief status.

Shared by ``handlers/briefs.py`` (the /brief command and the sign-off buttons),
``handlers/reminders.py`` (a reminder's «Brief» button) and ``dialogs/projects.py`` (the project
card's «Brief» button), which must not import each other. Buttons carry one version or project
id and nothing else; the handlers re-check everything through the services. This module
presents: it must never decide who may approve what (that is ``bot.projects.briefs``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, tzinfo

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.briefs.telegram_html import MESSAGE_LIMIT, split_markup, telegram_length
from bot.briefs.versioning import short_hash
from bot.db.models import BriefVersion, Project, User
from bot.i18n import Translator, translator
from bot.limits import RowId
from bot.projects import load_project_for
from bot.projects.briefs import BriefStatus, DecisionOutcome, DecisionStatus, brief_status
from bot.roles import Role
from bot.timezones import DEFAULT_ZONE, zone_from_setting

APPROVE, CHANGES, PDF, FULL = "ok", "chg", "pdf", "full"
SEND, FILL, GOALS, CARD = "send", "fill", "goals", "card"
PREVIEW, PREVIEW_PDF = "prev", "ppdf"
HISTORY_SHOWN = 10
OLD_VERSION_BUTTONS = 4


class BriefCb(CallbackData, prefix="br"):
    """A press on one version: approve, request changes, PDF or full text."""

    action: str
    version_id: RowId


class BriefProjectCb(CallbackData, prefix="bp"):
    """A press about a project's brief as a whole: send it, or go and fill in what is missing."""

    action: str
    project_id: RowId


def participant(project: Project, role: Role) -> User | None:
    return project.specialist if role is Role.SPECIALIST else project.client


def other_side(project: Project, role: Role) -> User | None:
    return participant(project, Role.CLIENT if role is Role.SPECIALIST else Role.SPECIALIST)


def name_of(user: User | None) -> str:
    return html.escape(user.display_name) if user is not None else "—"


def refusal_text(i18n: Translator, outcome: DecisionOutcome) -> str:
    """Why a press on a version changed nothing, in words that say what to do instead."""
    version, latest = outcome.version, outcome.latest
    if outcome.status is DecisionStatus.FOREIGN or version is None:
        return i18n("signoff.decision.foreign")
    if outcome.status is DecisionStatus.NOT_LATEST and latest is not None:
        return i18n("signoff.decision.not_latest", number=version.number, latest=latest.number)
    if outcome.status is DecisionStatus.OUTDATED:
        key = "outdated_specialist" if outcome.role is Role.SPECIALIST else "outdated"
        return i18n(f"signoff.decision.{key}", number=version.number)
    return i18n("signoff.decision.already", number=version.number)


def zone_of(user: User) -> tzinfo:
    return zone_from_setting(user.timezone or DEFAULT_ZONE)


def pending_names(project: Project, pending: frozenset[Role]) -> str:
    return ", ".join(name_of(participant(project, role)) for role in Role if role in pending)


#: (catalog key, action) of the buttons that act on one version.
DECISION_BUTTONS = (("signoff.approve_button", APPROVE), ("signoff.changes_button", CHANGES))
READING_BUTTONS = (("signoff.full_button", FULL), ("signoff.pdf_button", PDF))


def version_buttons(
    builder: InlineKeyboardBuilder,
    i18n: Translator,
    version_id: int,
    buttons: tuple[tuple[str, str], ...],
) -> int:
    """Adds one row of version buttons; returns its width for `builder.adjust`."""
    for key, action in buttons:
        builder.button(text=i18n(key), callback_data=BriefCb(action=action, version_id=version_id))
    return len(buttons)


def decision_keyboard(
    i18n: Translator, version_id: int, *, decide: bool = True, full: bool = False
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if decide:
        version_buttons(builder, i18n, version_id, DECISION_BUTTONS)
    version_buttons(builder, i18n, version_id, READING_BUTTONS if full else READING_BUTTONS[1:])
    builder.adjust(2)
    return builder.as_markup()


async def send_parts(
    bot: Bot, chat_id: int, parts: Sequence[str], markup: InlineKeyboardMarkup | None = None
) -> None:
    """Every part in order; the buttons go under the last one, where the reader finishes."""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(chat_id, part, reply_markup=markup if last else None)


def fit(text: str) -> list[str]:
    """A status or a list of what is missing is one message unless it has grown past the limit."""
    return [text] if telegram_length(text) <= MESSAGE_LIMIT else split_markup(text)


async def show_brief(
    bot: Bot, session: AsyncSession, user: User, project_id: int, now: datetime
) -> None:
    """What /brief shows for one project; the project card's «Brief» button sends the same."""
    project, role = await load_project_for(session, user, project_id)
    i18n = translator(user.language)
    status = await brief_status(session, project, now)
    text = _status_text(i18n, project, role, status, zone_of(user))
    await send_parts(
        bot, user.telegram_id, fit(text), _status_keyboard(i18n, project, role, status)
    )


def _status_text(
    i18n: Translator, project: Project, role: Role, status: BriefStatus, zone: tzinfo
) -> str:
    lines = [i18n("signoff.title", brand=html.escape(project.brand))]
    latest = status.latest
    if latest is None:
        lines.append(i18n("signoff.not_sent"))
        if role is Role.SPECIALIST:
            lines.append(i18n("signoff.not_sent_specialist"))
        return "\n".join(lines)
    version = latest.version
    lines.append(_version_line(i18n, version, zone))
    if latest.state.signed:
        lines.append(i18n("signoff.signed"))
    else:
        lines.append(i18n("signoff.waiting", names=pending_names(project, latest.state.pending)))
    for approval in latest.approvals:
        lines.append(
            i18n(
                "signoff.approved_by",
                role=i18n(f"signoff.role_{approval.role}"),
                name=name_of(participant(project, approval.role)),
                when=i18n.format_datetime(approval.at, zone),
            )
        )
    if status.changed:
        key = "changed_specialist" if role is Role.SPECIALIST else "changed_client"
        lines.append(i18n(f"signoff.{key}", number=version.number))
    if len(status.history) > 1:
        lines.append("")
        lines.append(i18n("signoff.history"))
        for item in status.history[:HISTORY_SHOWN]:
            lines.append(
                i18n(
                    "signoff.history_item",
                    number=item.version.number,
                    code=short_hash(item.version.content_hash),
                    created=i18n.format_datetime(item.version.created_at, zone),
                    state=i18n(
                        "signoff.state_signed" if item.state.signed else "signoff.state_open"
                    ),
                )
            )
    return "\n".join(lines)


def _version_line(i18n: Translator, version: BriefVersion, zone: tzinfo) -> str:
    return i18n(
        "signoff.version_line",
        number=version.number,
        code=short_hash(version.content_hash),
        created=i18n.format_datetime(version.created_at, zone),
    )


def _status_keyboard(
    i18n: Translator, project: Project, role: Role, status: BriefStatus
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    rows: list[int] = []
    latest = status.latest
    if role is Role.SPECIALIST and (latest is None or status.changed):
        for key, action in (("signoff.preview_button", PREVIEW), ("signoff.send_button", SEND)):
            builder.button(
                text=i18n(key), callback_data=BriefProjectCb(action=action, project_id=project.id)
            )
        rows.extend((1, 1))
    if latest is not None:
        version_id = latest.version.id
        if not status.changed and role not in latest.state.approved:
            rows.append(version_buttons(builder, i18n, version_id, DECISION_BUTTONS))
        rows.append(version_buttons(builder, i18n, version_id, READING_BUTTONS))
        older = status.history[1 : 1 + OLD_VERSION_BUTTONS]
        for item in older:
            builder.button(
                text=i18n("signoff.old_version_button", number=item.version.number),
                callback_data=BriefCb(action=FULL, version_id=item.version.id),
            )
        if older:
            rows.append(len(older))
    builder.adjust(*rows)
    return builder.as_markup()
