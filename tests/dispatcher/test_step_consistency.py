"""What the person sees and where the questionnaire stands never drift apart: a press from an older
screen re-shows the current step instead of answering it, a text where only buttons work gets a
hint, and one person's updates sent back to back are taken in order, each seeing the last one's
answer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import TelegramObject
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import FSMRecord
from bot.i18n import translator
from dialogs.early_press import EarlyPressRetry
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project
from tests.dispatcher.walk import stored_answers

RU = translator("ru")


def _alerts(person: ChatUser) -> list[str]:
    return [call.text or "" for call in person.session.sent(AnswerCallbackQuery) if call.text]


async def test_a_button_of_a_previous_step_re_shows_the_current_one(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await new_project(anna)
    channels = anna.last  # the channels step as it was drawn, with its «Готово»
    await anna.click("ВКонтакте")
    await anna.click("^Готово$")
    assert "ВКонтакте: пришлите ссылку" in (anna.last.text or "")

    await anna.click("^Готово$", message=channels)  # «Готово» of the channels step, pressed again

    assert _alerts(anna)[-1] == RU("questionnaire.stale_button")
    assert "ВКонтакте: пришлите ссылку" in (anna.last.text or "")  # the current step, re-shown
    assert await stored_answers(session_factory) == {"channels": ["vk"]}
    await anna.send("@zerno")  # and it still takes its answer
    assert (await stored_answers(session_factory))["channel.vk.handle"] == "@zerno"


async def test_a_tick_from_a_previous_step_changes_nothing(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await new_project(anna)
    channels = anna.last
    await anna.click("ВКонтакте")
    await anna.click("^Готово$")
    await anna.click("^Пропустить$")  # no VK link
    await anna.send("1200")  # VK audience: the channels section is done
    await anna.click("^Дальше →$")
    assert "ВКонтакте: какие форматы" in (anna.last.text or "")  # another multi-select

    await anna.click("^Telegram$", message=channels)  # a channel tick, on the formats step
    await anna.click("^Посты$")
    await anna.click("^Готово$")

    assert RU("questionnaire.stale_button") in _alerts(anna)
    answers = await stored_answers(session_factory)
    assert answers["channels"] == ["vk"] and answers["channel.vk.formats"] == ["posts"]


async def test_a_text_on_the_summary_gets_a_hint_and_the_summary_again(anna: ChatUser) -> None:
    await new_project(anna)
    await anna.click("ВКонтакте")
    await anna.click("^Готово$")
    await anna.click("^Пропустить$")
    await anna.send("1200")
    assert "Проверьте" in (anna.last.text or "")  # the channels section's summary

    await anna.send("всё верно")

    assert anna.messages[-2].text == RU("questionnaire.summary.use_buttons")
    assert "Проверьте" in (anna.last.text or "")


@pytest.mark.parametrize("fsm_storage", ["sql", "redis"], indirect=True)
async def test_two_texts_and_a_press_back_to_back_are_taken_in_order(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Each update waits until the one before has committed, so each reads the step that one
    moved to: «Готово» leads to the VK link, the link to the audience, the number answers it
    and the channels section's summary follows."""
    await new_project(anna)
    await anna.click("ВКонтакте")

    done = asyncio.create_task(anna.click("^Готово$"))
    link = asyncio.create_task(anna.send("@zerno"))
    audience = asyncio.create_task(anna.send("1200"))
    await asyncio.wait_for(asyncio.gather(done, link, audience), 30)

    assert await stored_answers(session_factory) == {
        "channels": ["vk"],
        "channel.vk.handle": "@zerno",
        "channel.vk.audience": 1200,
    }
    assert "Проверьте" in (anna.last.text or "")


async def test_every_screen_is_sent_after_what_it_shows_is_committed(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """As the bot sends or edits a screen, another connection (the bot after a crash at that
    instant) already finds the answers, the ticks and the step that screen shows."""
    await new_project(anna)
    seen: list[tuple[str, dict[str, object], list[dict[str, Any]]]] = []
    send = anna.session.make_request

    async def snapshot_then_send(
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        if isinstance(method, SendMessage | EditMessageText):
            async with session_factory() as session:
                rows = await session.scalars(select(FSMRecord.data))
                contexts = [json.loads(raw) for raw in rows if "dialog_data" in raw]
            seen.append((method.text, await stored_answers(session_factory), contexts))
        return await send(bot, method, timeout)

    anna.session.make_request = snapshot_then_send  # type: ignore[method-assign]
    await anna.click("ВКонтакте")
    await anna.click("^Готово$")
    await anna.send("@zerno")

    def step_of(contexts: list[dict[str, Any]]) -> set[object]:
        return {context["dialog_data"].get("step") for context in contexts}

    ticked, handle, audience = seen
    assert any(context["widget_data"].get("multi") == ["vk"] for context in ticked[2]), (
        "the tick was not committed before the screen showing it"
    )
    assert "ВКонтакте: пришлите ссылку" in handle[0]
    assert handle[1] == {"channels": ["vk"]} and "channel.vk.handle" in step_of(handle[2])
    assert "ВКонтакте: сколько там сейчас подписчиков" in audience[0]
    assert audience[1] == {"channels": ["vk"], "channel.vk.handle": "@zerno"}
    assert "channel.vk.audience" in step_of(audience[2])


async def test_cancel_leaves_no_dialog_behind(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Committing before the buttons are taken away must not bring a closed dialog back."""
    await new_project(anna)
    await anna.send("/cancel")

    async with session_factory() as session:
        rows = list(await session.execute(select(FSMRecord.key, FSMRecord.data)))
    assert rows and all(data == "{}" for key, data in rows if "aiogd" in key), rows


async def test_a_press_before_its_screen_s_update_ends_needs_no_retry(
    anna: ChatUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The press lands while the update that drew its screen is still running: it waits for that
    update (the person's lock) and finds the dialog committed (before the screen was sent), so
    it works on its first try — with `EarlyPressRetry`'s second try switched off."""

    async def first_try_only(
        _: EarlyPressRetry, handler: Any, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        return await handler(event, data)

    monkeypatch.setattr(EarlyPressRetry, "__call__", first_try_only)
    send = anna.session.make_request
    presses: list[asyncio.Task[None]] = []

    async def press_at_once(
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        result = await send(bot, method, timeout)
        if isinstance(method, SendMessage) and not presses and "SMM" in str(method.reply_markup):
            presses.append(asyncio.create_task(anna.click("SMM-специалист", message=result)))
            await asyncio.sleep(0.3)  # a slow network: the press is in before the reply is
        return result

    anna.session.make_request = press_at_once  # type: ignore[method-assign]
    await anna.send("/start")
    await asyncio.wait_for(presses[0], 10)

    assert "часовом поясе" in (anna.last.text or "")
