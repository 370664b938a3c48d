"""Every way of typing a zone ends in an IANA zone that `/goals`, `/reminders` and `/calendar` use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram.methods import SendDocument
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ShiftedClock
from bot.db.models import User
from bot.reminders.planning import replan_project
from tests.dispatcher.harness import ChatUser
from tests.reminders.signed import GoalSpec, person, signed_project

WINTER = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
APOLOGY = "что-то пошло не так"


async def _user(factory: async_sessionmaker[AsyncSession], telegram_id: int) -> User:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


@pytest.mark.parametrize(
    ("typed", "zone", "shown"),
    [
        ("+3", "Europe/Moscow", "Москва (UTC+3)"),
        ("UTC+3", "Europe/Moscow", "Москва (UTC+3)"),
        ("GMT+05:00", "Asia/Yekaterinburg", "Екатеринбург (UTC+5)"),
        ("UTC-3:30", "America/St_Johns", "Сент-Джонс (UTC-3:30)"),
        ("МСК+4", "Asia/Novosibirsk", "Новосибирск (UTC+7)"),
        ("МСК", "Europe/Moscow", "Москва (UTC+3)"),
        ("-5", "America/New_York", "Нью-Йорк (UTC-5)"),
        ("+5:45", "Asia/Kathmandu", "Катманду (UTC+5:45)"),
        ("+13", "Etc/GMT-13", "UTC+13"),
    ],
)
async def test_a_typed_zone_is_confirmed_stored_as_iana_and_every_command_works(
    anna: ChatUser,
    session_factory: async_sessionmaker[AsyncSession],
    clock: ShiftedClock,
    typed: str,
    zone: str,
    shown: str,
) -> None:
    clock.offset = WINTER - clock.now()
    await anna.send("/start")
    await anna.click("заказчик")
    await anna.send(typed)
    confirm = anna.last.text or ""
    assert shown in confirm
    local = WINTER.astimezone(ZoneInfo(zone))
    assert f"{local:%H:%M}" in confirm  # the city's time now, so a wrong guess shows
    assert (await _user(session_factory, 1001)).timezone is None  # nothing stored before the yes
    await anna.click("Да, верно")
    user = await _user(session_factory, 1001)
    assert user.timezone == zone
    assert "ссылку-приглашение" in (anna.last.text or "")

    async with session_factory() as session:
        owner = await session.get(User, user.id)
        assert owner is not None
        goal = GoalSpec("Подписчики", date(2027, 1, 29), 2000, baseline=1000)
        client = person(1002, name="Борис")
        signed_at = WINTER - timedelta(days=2)
        project, _ = await signed_project(session, owner, client, [goal], signed_at)
        await replan_project(session, project.id, WINTER)
        await session.commit()
    await anna.send("/goals")
    assert "Цели проекта «Зерно»" in (anna.last.text or "")
    await anna.send("/reminders")
    listing = anna.last.text or ""
    assert f"ваш часовой пояс: {shown}" in listing and "внести цифры" in listing
    await anna.send("/calendar")
    (document,) = anna.session.sent(SendDocument)
    events = Calendar.from_ical(document.document.data).walk("VEVENT")
    checkins = [e for e in events if str(e["SUMMARY"]).startswith("📈")]
    assert checkins and all(e["DTSTART"].params["TZID"] == zone for e in checkins)
    assert all(APOLOGY not in (m.text or "") for m in anna.messages)


async def test_pick_another_returns_to_the_buttons_and_stores_nothing(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await anna.send("/start")
    await anna.click("заказчик")
    await anna.send("+7")
    await anna.click("Выбрать другой")
    assert "В каком вы часовом поясе" in (anna.last.text or "")
    assert (await _user(session_factory, 1001)).timezone is None
    await anna.click("Красноярск")
    assert (await _user(session_factory, 1001)).timezone == "Asia/Krasnoyarsk"


async def test_an_offset_no_zone_has_is_explained(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("заказчик")
    await anna.send("+3:17")
    assert any("нет ни у одного пояса" in (m.text or "") for m in anna.messages[-2:])
    assert "В каком вы часовом поясе" in (anna.last.text or "")
