"""A typed answer that looks like a slip («😀😀😀», «42») is questioned once (issue #16, item 1):
«Да, так и оставить» saves it, typing again saves whatever is typed, and nobody is asked twice."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Project
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_typed_answers import _client, _walk_to
from tests.dispatcher.walk import stored_answers


async def test_junk_is_shown_back_and_kept_on_yes(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    await _walk_to(boris, "aim_success", session_factory)

    await boris.send("<><>")  # only punctuation; the echo must escape it

    text = boris.last.text or ""
    assert "Похоже на опечатку" in text and "&lt;&gt;&lt;&gt;" in text
    assert "aim_success" not in await stored_answers(session_factory)
    await boris.click("Да, так и оставить")
    assert (await stored_answers(session_factory))["aim_success"] == "<><>"


async def test_retyping_after_the_question_saves_without_asking_again(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    await _walk_to(boris, "aim_success", session_factory)

    await boris.send("😀😀😀")
    assert "Похоже на опечатку" in (boris.last.text or "")
    await boris.send("ааааа")  # still junk, but asked once already: saved as it is

    assert (await stored_answers(session_factory))["aim_success"] == "ааааа"
    assert "Похоже на опечатку" not in (boris.last.text or "")


async def test_fix_shows_the_question_and_the_next_text_is_saved(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    await _walk_to(boris, "aim_success", session_factory)

    await boris.send("asdf")
    await boris.click("Исправить")
    assert "Как вы поймёте, что всё получилось" in (boris.last.text or "")
    await boris.send("12345")

    assert (await stored_answers(session_factory))["aim_success"] == "12345"


async def test_real_short_answers_are_not_questioned(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    await _walk_to(boris, "aim_success", session_factory)

    await boris.send("B2B")

    assert (await stored_answers(session_factory))["aim_success"] == "B2B"
    assert "Похоже на опечатку" not in (boris.last.text or "")


async def test_a_junk_project_name_is_asked_about_once_and_kept(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/new")
    await anna.send("😀😀😀")
    assert "Похоже на опечатку" in (anna.last.text or "")
    await anna.click("Да, так и оставить")
    await anna.send("кофе")

    async with session_factory() as session:
        assert list(await session.scalars(select(Project.brand))) == ["😀😀😀"]


async def test_a_junk_project_name_retyped_is_taken_as_is(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/new")
    await anna.send("42")
    await anna.click("Исправить")
    await anna.send("asdf")  # asked once already: this is the name
    assert "Чем занимается клиент" in (anna.last.text or "")
    await anna.send("кофе")

    async with session_factory() as session:
        assert list(await session.scalars(select(Project.brand))) == ["asdf"]


async def test_an_old_keep_button_is_stale_and_changes_nothing(
    anna: ChatUser,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    boris = await _client(anna, dispatcher, bot)
    await _walk_to(boris, "aim_success", session_factory)
    await boris.send("😀😀😀")
    old = boris.last
    await boris.send("Продали всё к весне")  # typed again: saved, next question on screen

    await boris.click("Да, так и оставить", message=old)

    assert (await stored_answers(session_factory))["aim_success"] == "Продали всё к весне"
    alerts = [call.text or "" for call in boris.session.sent(AnswerCallbackQuery) if call.text]
    assert "Эта кнопка от другого шага анкеты" in alerts[-1]
