"""«Обсудить / Request changes»: one window that takes the comment and passes it to the other side.

The dialog holds only the version id it was started with; the service re-checks that the person
is in the project and the version is still the latest when the comment arrives, so a comment
typed after a new version went out is refused instead of landing on the wrong one. Approvals are
never touched here.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Cancel

from bot.i18n import translator
from bot.projects.briefs import (
    COMMENT_MAX_LENGTH,
    DecisionStatus,
    decision_target,
    request_changes,
)
from dialogs.states import BriefComment
from dialogs.widgets import MessageOf, Screen, T, i18n_of
from ui.briefs import name_of, other_side, refusal_text
from ui.context import context_of

VERSION_KEY = "version_id"


def _version_id(manager: DialogManager) -> int:
    data = manager.start_data
    return int(data[VERSION_KEY]) if isinstance(data, dict) else 0


async def prompt_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    ctx = context_of(dialog_manager)
    target = await decision_target(ctx.session, ctx.user, _version_id(dialog_manager))
    project, version, role = target.project, target.version, target.role
    if project is None or version is None or role is None:
        return {"brand": "", "number": "", "name": ""}
    return {
        "brand": html.escape(project.brand),
        "number": version.number,
        "name": name_of(other_side(project, role)),
    }


async def on_comment(message: Message, _: MessageInput, manager: DialogManager) -> None:
    ctx = context_of(manager)
    i18n = i18n_of(manager)
    comment = (message.text or "").strip()
    if not comment:
        await message.answer(i18n("signoff.comment.content"))
        return
    if len(comment) > COMMENT_MAX_LENGTH:
        await message.answer(i18n("signoff.comment.too_long", limit=COMMENT_MAX_LENGTH))
        return
    clock = ctx.clock
    outcome = await request_changes(
        ctx.session, ctx.user, _version_id(manager), comment, clock.now()
    )
    if outcome.status is not DecisionStatus.RECORDED:
        await message.answer(refusal_text(i18n, outcome))
        await manager.done()
        return
    project, version, role = outcome.project, outcome.version, outcome.role
    assert project is not None and version is not None and role is not None
    other = other_side(project, role)
    if other is not None:
        their = translator(other.language)
        text = their(
            "signoff.comment.received",
            name=name_of(ctx.user),
            brand=html.escape(project.brand),
            number=version.number,
            comment=html.escape(comment),
        )
        if other.id == project.specialist_id:
            text += "\n" + their("signoff.comment.received_specialist")
        notifier = ctx.notifier
        notifier.notify(other, text)
    await message.answer(i18n("signoff.comment.sent", name=name_of(other)))
    await manager.done()


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("signoff.comment.content"))


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("signoff.comment.prompt"),
            Cancel(T("common.cancel")),
            MessageOf(on_comment, ContentType.TEXT),
            MessageInput(on_other_content),
            state=BriefComment.text,
            getter=prompt_getter,
            preview_data={"brand": "Кофейня «Зерно»", "number": 2, "name": "Анна"},
        ),
    )
