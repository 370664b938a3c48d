"""/new: the client's brand and niche, then straight into the questionnaire."""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, SwitchTo

from bot.projects import BRAND_MAX_LENGTH, NICHE_MAX_LENGTH, ProjectInputError, create_project
from bot.questionnaire.junk import TextKind, looks_like_junk
from dialogs.states import NewProject, Projects, Questionnaire
from dialogs.widgets import MessageOf, Screen, T, i18n_of
from ui.context import context_of

#: A name that looked like a slip («😀😀😀»), waiting for «keep» or a new name. Asked once: after
#: that, whatever is typed is the name (`BRAND_ASKED_KEY`).
PENDING_BRAND_KEY = "pending_brand"
BRAND_ASKED_KEY = "brand_asked"


async def on_brand(message: Message, _: MessageInput, manager: DialogManager) -> None:
    brand = (message.text or "").strip()
    if not brand or len(brand) > BRAND_MAX_LENGTH:
        await message.answer(i18n_of(manager)("new_project.error.brand", limit=BRAND_MAX_LENGTH))
        return
    if looks_like_junk(brand, TextKind.WORDS) and not manager.dialog_data.get(BRAND_ASKED_KEY):
        manager.dialog_data[BRAND_ASKED_KEY] = True
        manager.dialog_data[PENDING_BRAND_KEY] = brand
        await manager.switch_to(NewProject.brand_confirm)
        return
    manager.dialog_data["brand"] = brand
    await manager.switch_to(NewProject.niche)


async def brand_confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"typed": escape(str(dialog_manager.dialog_data.get(PENDING_BRAND_KEY, "")))}


async def on_keep_brand(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """Keep the name as typed; a press with nothing pending (an old message) asks for the name."""
    brand = manager.dialog_data.pop(PENDING_BRAND_KEY, None)
    if not isinstance(brand, str):
        await manager.switch_to(NewProject.brand)
        return
    manager.dialog_data["brand"] = brand
    await manager.switch_to(NewProject.niche)


async def on_fix_brand(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(PENDING_BRAND_KEY, None)
    await manager.switch_to(NewProject.brand)


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
    # The card goes under the questionnaire, for when it closes: not drawn and sent first, only
    # to be replaced by the first question at once.
    await manager.start(
        Projects.card, start, mode=StartMode.RESET_STACK, show_mode=ShowMode.NO_UPDATE
    )
    await manager.start(Questionnaire.question, start, show_mode=ShowMode.AUTO)


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("new_project.error.content"))


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("new_project.brand"),
            Cancel(T("common.cancel")),
            MessageOf(on_brand, ContentType.TEXT),
            MessageInput(on_other_content),
            state=NewProject.brand,
        ),
        Screen(
            T("new_project.junk"),
            Button(T("new_project.junk_yes"), id="keep_brand", on_click=on_keep_brand),
            Button(T("new_project.junk_no"), id="fix_brand", on_click=on_fix_brand),
            MessageOf(on_brand, ContentType.TEXT),
            MessageInput(on_other_content),
            state=NewProject.brand_confirm,
            getter=brand_confirm_getter,
        ),
        Screen(
            T("new_project.niche"),
            SwitchTo(T("common.back"), id="to_brand", state=NewProject.brand),
            MessageOf(on_niche, ContentType.TEXT),
            MessageInput(on_other_content),
            state=NewProject.niche,
        ),
    )
