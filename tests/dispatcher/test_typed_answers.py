"""Answers read from words are shown back before they are stored (issue #14, items 4 and 5):
an amount typed in words in the budget question, and the business aim in the client's words."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.roles import Role
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import project_with_invite
from tests.dispatcher.walk import answer, current_step, stored_answers


async def _client(anna: ChatUser, dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    """Anna's project, and Boris — the client — on its first question (the aim)."""
    token = await project_with_invite(anna)
    boris = ChatUser(dispatcher, bot, 2002, name="Борис")
    await boris.send(f"/start {token}")
    return boris


async def _walk_to(
    person: ChatUser, key: str, factory: async_sessionmaker[AsyncSession], *, limit: int = 60
) -> None:
    for _ in range(limit):
        step = await current_step(person, Role.CLIENT, factory)
        if step is None:
            await person.click("^Дальше →$")  # a section's summary
            continue
        if step.key == key:
            return
        await answer(person, step)
    raise AssertionError(f"never reached {key!r}; last: {person.last.text}")


async def test_a_budget_in_inverted_words_is_read_back_then_stored(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    await _walk_to(boris, "ad_budget", session_factory)

    await boris.send("тысяч двадцать")

    assert "20\xa0000" in (boris.last.text or "") and "верно" in (boris.last.text or "")
    assert "ad_budget" not in await stored_answers(session_factory)  # nothing stored before "yes"
    await boris.click("Да, верно")
    assert (await stored_answers(session_factory))["ad_budget"] == {
        "amount": 20000,
        "currency": "RUB",
    }


async def test_no_asks_again_and_plain_digits_are_not_read_back(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    await _walk_to(boris, "ad_budget", session_factory)

    await boris.send("полторы тысячи")
    assert "1\xa0500" in (boris.last.text or "")
    await boris.click("Нет, напишу заново")
    assert "ad_budget" not in await stored_answers(session_factory)
    assert "Сколько в месяц" in (boris.last.text or "")  # the question again

    await boris.send("15 000")
    assert (await stored_answers(session_factory))["ad_budget"] == {
        "amount": 15000,
        "currency": "RUB",
    }
    assert "верно?" not in (boris.last.text or "")


async def test_an_aim_typed_in_own_words_is_mapped_confirmed_and_kept(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    step = await current_step(boris, Role.CLIENT, session_factory)
    assert step is not None and step.key == "aim"

    await boris.send("Закрыть склад <до> переезда")

    assert "Распродать остатки" in (boris.last.text or "")
    assert "&lt;до&gt;" in (boris.last.text or "")  # the client's words are escaped
    assert "aim" not in await stored_answers(session_factory)
    await boris.click("✅ Распродать остатки")
    answers = await stored_answers(session_factory)
    assert answers["aim"] == "sell_stock"
    assert answers["aim.words"] == "Закрыть склад <до> переезда"
    following = await current_step(boris, Role.CLIENT, session_factory)
    assert following is not None and following.key == "aim_success"


async def test_choosing_another_aim_keeps_the_words_and_a_plain_tap_clears_them(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)

    await boris.send("хочу как у конкурентов")
    assert "Другое" in (boris.last.text or "")  # words that name no aim stay "other"
    await boris.click("Выбрать другой вариант")
    await boris.click("Чтобы о нас узнали")
    answers = await stored_answers(session_factory)
    assert (answers["aim"], answers["aim.words"]) == ("awareness", "хочу как у конкурентов")

    await boris.click("Назад")  # back to the aim: the words are shown with the option
    assert "хочу как у конкурентов" in (boris.last.text or "")
    await boris.click("Получать заявки")
    answers = await stored_answers(session_factory)
    assert answers["aim"] == "leads" and "aim.words" not in answers
