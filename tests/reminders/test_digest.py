"""The specialist's weekly digest through the queue and the sender: planned for Monday's window,
every project's stage and what is pending from whom, goals on track or behind, the next week's
planned once it goes, and nothing once it is turned off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from aiogram import Bot
from sqlalchemy import select

from bot.clock import ShiftedClock
from bot.db.models import CheckIn, Project, ProjectStatus, Reminder, ReminderStatus, User
from bot.reminders.planning import replan_project, set_weekly_digest
from bot.reminders.rules import ReminderKind
from bot.reminders.sender import ReminderSender, SenderSettings
from bot.roles import Role
from testkit import FakeBotAPIClient, SimUser
from tests.reminders.conftest import Sessions, eventually
from tests.reminders.signed import GoalSpec, add_version, person, signed_project
from ui.reminders import build_render

SIGNED = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday
SATURDAY = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 3, 16, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
ANNA, BORIS, GALYA = 601, 602, 603


async def digests(sessions: Sessions) -> list[Reminder]:
    async with sessions() as session:
        rows = await session.scalars(
            select(Reminder)
            .where(Reminder.kind == ReminderKind.WEEKLY_DIGEST)
            .order_by(Reminder.due_at)
        )
        return list(rows)


async def agency(sessions: Sessions) -> tuple[int, int]:
    """Anna runs a signed project (one goal on track, one behind), one waiting for the client's
    approval, one with no client yet, an archived one; and is the client of Galya's project."""
    async with sessions() as session, session.begin():
        anna = person(ANNA, zone="Europe/Moscow", name="Анна")
        anna.is_specialist = True
        boris = person(BORIS, zone="Asia/Novosibirsk", name="Борис")
        galya = person(GALYA, name="Галя")
        galya.is_specialist = True
        specs = [
            GoalSpec("1500 подписчиков", date(2026, 3, 31), 1500, baseline=1000),
            GoalSpec("2000 подписчиков <b>", date(2026, 3, 31), 2000, baseline=1000),
        ]
        signed, goals = await signed_project(session, anna, boris, specs, SIGNED, brand="Зерно")
        for goal, value in zip(goals, (1400, 1010), strict=True):
            at = datetime(2026, 3, 13, 9, 0, tzinfo=UTC)
            session.add(
                CheckIn(project_id=signed.id, goal_id=goal.id, value=value, at=at, by=anna.id)
            )
        waiting, _ = await signed_project(session, anna, boris, [], SIGNED, brand="Лавка")
        await add_version(
            session, waiting, [], number=2, created_at=SIGNED, approved={Role.SPECIALIST: SIGNED}
        )
        session.add(Project(specialist_id=anna.id, brand="Пряжа <Спицы>"))
        session.add(Project(specialist_id=anna.id, brand="Архив", status=ProjectStatus.ARCHIVED))
        session.add(galya)
        await session.flush()
        session.add(Project(specialist_id=galya.id, client_id=anna.id, brand="Чужой"))
        await session.flush()
        return signed.id, anna.id


async def test_the_digest_reaches_the_specialist_on_monday_with_every_project(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    project_id, anna_id = await agency(sessions)
    await client.send_texts([(SimUser(id=chat), "/start") for chat in (ANNA, BORIS, GALYA)])
    async with sessions() as session, session.begin():
        await replan_project(session, project_id, SATURDAY)
    [planned] = await digests(sessions)
    assert (planned.recipient_id, planned.due_at, planned.project_id) == (anna_id, MONDAY_10, None)

    clock.offset = MONDAY_10 - (clock.now() - clock.offset)
    sender = ReminderSender(
        sessions,
        bot,
        clock,
        build_render(sessions),
        "w1",
        settings=SenderSettings(poll_interval=0.02),
    )
    sender.start()
    try:
        await eventually(lambda: _received(client, ANNA))
    finally:
        await sender.stop()
    [text] = [m.text or "" for m in await client.received(ANNA) if "Сводка" in (m.text or "")]
    assert text.splitlines() == [
        "🗓 <b>Сводка недели</b>: 3 проекта",
        "",
        "<b>Пряжа &lt;Спицы&gt;</b> — заполняется анкета",
        "  ⏳ Заказчика в проекте ещё нет: ссылка-приглашение — в /projects",
        *text.splitlines()[4:5],  # how many questions: the catalogue's business
        "",
        "<b>Лавка</b> — версия 2 брифа ждёт утверждения",
        "  ⏳ От заказчика: утверждение",
        "",
        "<b>Зерно</b> — бриф подписан, версия 1",
        "  📈 Цели: 1 по плану, 1 отстаёт",
        "",
        "Сводка приходит по понедельникам; выключить — в /settings.",
    ]
    assert text.splitlines()[4].startswith("  ⏳ От вас:")
    assert await client.received(BORIS) == [] and await client.received(GALYA) == []

    # Claimed, it made way for next Monday's; turned off, that one is cancelled.
    rows = await digests(sessions)
    assert [(r.status, r.due_at) for r in rows] == [
        (ReminderStatus.SENT, MONDAY_10),
        (ReminderStatus.PLANNED, MONDAY_10 + timedelta(weeks=1)),
    ]
    async with sessions() as session, session.begin():
        anna = await session.get(User, anna_id)
        assert anna is not None
        await set_weekly_digest(session, anna, False, clock.now())
    assert [r.status for r in await digests(sessions)] == [
        ReminderStatus.SENT,
        ReminderStatus.CANCELLED,
    ]


async def _received(client: FakeBotAPIClient, chat: int) -> bool:
    return any("Сводка" in (m.text or "") for m in await client.received(chat))
