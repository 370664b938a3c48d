"""/forget: what will be deleted and what the other side keeps, then a confirmation.

The work is `bot.forget`; this shows its plan, refuses a press that is not this person's live
confirmation (an old message, or one pressed after they already forgot), and queues the notices.
"""

from __future__ import annotations

import html

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.db.models import User
from bot.forget import ForgetPlan, forget_plan, forget_user
from bot.i18n import Translator, translator
from bot.limits import RowId
from bot.notify import Notifier


class ForgetCb(CallbackData, prefix="fg"):
    """``user_id`` is whose data the message offered to delete: a press by anyone else — or by
    the same person after /forget gave them a new, blank profile — is refused."""

    confirm: bool
    user_id: RowId


def plan_text(i18n: Translator, plan: ForgetPlan) -> str:
    lines = [
        i18n("forget.title"),
        "",
        i18n("forget.deleted"),
        i18n("forget.profile"),
        i18n("forget.answers", count=plan.answers),
        i18n("forget.reminders", count=plan.pending_reminders),
    ]
    if plan.deleted_projects:
        brands = ", ".join(f"«{html.escape(brand)}»" for brand in plan.deleted_projects)
        lines.append(i18n("forget.alone", projects=brands))
    if plan.shared:
        lines += ["", i18n("forget.kept")]
        lines += [
            i18n(
                "forget.kept_project",
                brand=html.escape(item.brand),
                other=html.escape(item.other.display_name),
                count=item.signed_versions,
            )
            for item in plan.shared
        ]
    lines += ["", i18n("forget.final")]
    return "\n".join(lines)


def _keyboard(i18n: Translator, user: User) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("forget.yes"), callback_data=ForgetCb(confirm=True, user_id=user.id))
    builder.button(text=i18n("forget.no"), callback_data=ForgetCb(confirm=False, user_id=user.id))
    builder.adjust(1)
    return builder.as_markup()


async def forget_command(
    message: Message, session: AsyncSession, user: User, i18n: Translator
) -> None:
    plan = await forget_plan(session, user)
    await message.answer(plan_text(i18n, plan), reply_markup=_keyboard(i18n, user))


async def on_forget(
    callback: CallbackQuery,
    callback_data: ForgetCb,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
    notifier: Notifier,
    dialog_manager: DialogManager,
) -> None:
    if callback_data.user_id != user.id:
        await callback.answer(i18n("fallback.stale_button"), show_alert=True)
        return
    await callback.answer()
    message = callback.message
    if not callback_data.confirm:
        if isinstance(message, Message):
            await message.edit_text(i18n("forget.cancelled"))
        return
    plan = await forget_user(session, user, clock.now())
    for item in plan.shared:
        their = translator(item.other.language)
        notifier.notify(
            item.other,
            their("forget.notice", brand=html.escape(item.brand), count=item.signed_versions),
        )
    await dialog_manager.reset_stack(remove_keyboard=False)
    if isinstance(message, Message):
        await message.edit_text(i18n("forget.done"))
    else:
        await bot.send_message(callback.from_user.id, i18n("forget.done"))


def build_router() -> Router:
    router = Router(name="forget")
    router.message.register(forget_command, Command("forget"))
    router.callback_query.register(on_forget, ForgetCb.filter(F.user_id > 0))
    return router
