"""The goal dialog reads a target typed in words back before taking it, and the relevance warning
reads the aim in the client's own words (issue #14, items 4 and 5)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Goal, User
from bot.projects import create_project, save_answer
from tests.dispatcher.harness import ChatUser


async def _project(
    anna: ChatUser, factory: async_sessionmaker[AsyncSession], answers: dict[str, object]
) -> None:
    await anna.send("/help")  # first contact creates Anna's user row
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
        assert user is not None
        created = await create_project(
            session, user, brand="Зерно", niche="кофе", now=datetime.now(UTC)
        )
        now = datetime.now(UTC)
        base: dict[str, object] = {
            "channels": ["vk"],
            "channel.vk.audience": 800,
            "channel.vk.posts_per_week": 3,
        }
        for key, value in {**base, **answers}.items():
            await save_answer(session, created, user, key, value, now)  # type: ignore[arg-type]
        await session.commit()  # save_answer leaves the commit to the caller


def _text(person: ChatUser) -> str:
    return person.last.text or ""


async def _goals(factory: async_sessionmaker[AsyncSession]) -> list[Goal]:
    async with factory() as session:
        return list(await session.scalars(select(Goal)))


async def test_a_target_in_words_is_read_back_and_taken_on_yes(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _project(anna, session_factory, {"aim": "sales"})
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("хочу больше продаж")
    assert "Сколько?" in _text(anna)

    await anna.send("полторы сотни")

    assert "150" in _text(anna) and "верно" in _text(anna)
    await anna.click("Да, верно")
    assert "К какому сроку" in _text(anna)
    await anna.click("Конец квартала")
    assert "Сколько сейчас набирается" in _text(anna)  # sales are a rate: today's pace
    await anna.send("сорок в месяц")  # today's pace in words is read back too
    assert "«сорок в месяц» — это <b>40</b>" in _text(anna)
    await anna.click("Да, верно")
    await anna.click("Сохранить как есть")
    (goal,) = await _goals(session_factory)
    assert (goal.metric, goal.target) == ("sales", 150)


async def test_no_asks_for_the_target_again_and_digits_go_straight_through(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _project(anna, session_factory, {"aim": "sales"})
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("хочу больше продаж")

    await anna.send("тысяч двадцать")
    assert "20\xa0000" in _text(anna)
    await anna.click("Нет, напишу заново")
    assert "Сколько?" in _text(anna)

    await anna.send("40")
    assert "К какому сроку" in _text(anna)  # plain digits: no read-back


async def test_followers_against_an_aim_typed_in_words_warn_and_quote_them(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _project(
        anna,
        session_factory,
        {"aim": "other", "aim.words": "набрать группу на весенний курс"},
    )
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("+300 подписчиков в ВК")

    assert "набрать группу на весенний курс" in _text(anna)  # the client's own words
    assert "заявки" in _text(anna)  # what serves them is suggested
    assert "Оставить мою" in " ".join(anna.buttons())


async def test_a_percent_in_words_is_kept_as_a_percent(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _project(anna, session_factory, {"aim": "sales"})
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("хочу больше продаж")

    await anna.send("двадцать процентов")
    assert "«двадцать процентов» — это <b>20 %</b>" in _text(anna)
    await anna.click("Да, верно")
    assert "К какому сроку" in _text(anna)
    draft = anna.last.text or ""
    assert "20 %" in draft  # the checklist's M is a percent, not 20 sales
