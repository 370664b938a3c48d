"""/new: the client's brand and niche, then straight into the questionnaire."""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Back, Cancel

from bot.projects import BRAND_MAX_LENGTH, NICHE_MAX_LENGTH, ProjectInputError, create_project
from dialogs.states import NewProject, Projects, Questionnaire
from dialogs.widgets import Screen, T, i18n_of
from ui.context import context_of


async def on_brand(message: Message, _: MessageInput, manager: DialogManager) -> None:
    brand = (message.text or "").strip()
    if not brand or len(brand) > BRAND_MAX_LENGTH:
        await message.answer(i18n_of(manager)("new_project.error.brand", limit=BRAND_MAX_LENGTH))
        return
    manager.dialog_data["brand"] = brand
    await manager.next()


async def on_niche(message: Message, _: MessageInput, manager: DialogManager) -> None:
    ctx = context_of(manager)
    try:
        project = await create_project(
            ctx.session,
            ctx.user,
            brand=manager.dialog_data["brand"],
            niche=message.text or "",
            now=ctx.clock.now(),
        )
    except ProjectInputError:
        await message.answer(i18n_of(manager)("new_project.error.niche", limit=NICHE_MAX_LENGTH))
        return
    start = {"project_id": project.id}
    await manager.start(Projects.card, start, mode=StartMode.RESET_STACK)
    await manager.start(Questionnaire.question, start)


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("new_project.error.content"))


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("new_project.brand"),
            Cancel(T("common.cancel")),
            MessageInput(on_brand, content_types=ContentType.TEXT),
            MessageInput(on_other_content),
            state=NewProject.brand,
        ),
        Screen(
            T("new_project.niche"),
            Back(T("common.back")),
            MessageInput(on_niche, content_types=ContentType.TEXT),
            MessageInput(on_other_content),
            state=NewProject.niche,
        ),
    )
