"""What one questionnaire answer reads from the database: the answers once, not again after
saving the new one (the view is the answers read at the start of the update plus the one saved)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

from bot.db.models import Answer, User
from bot.projects import access
from bot.projects.access import load_project_for
from bot.roles import Role
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project

READ_ANSWERS = 'SELECT answers."key", answers.value'


async def test_an_answer_reads_the_projects_answers_once(
    anna: ChatUser, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await new_project(anna)
    await anna.click("ВКонтакте")
    await anna.click("^Готово$")  # the first answer, which also plans the question nudges
    assert "Шаг 2 из" in (anna.last.text or "")
    reads: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if " ".join(statement.split()).startswith(READ_ANSWERS):
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        await anna.click("Пропустить")  # the VK link is optional
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", on_execute)
    assert "Шаг 3 из" in (anna.last.text or "")  # the next step, worked out from the answers
    assert len(reads) == 1
    async with session_factory() as session:
        saved = await session.scalar(select(Answer.value).where(Answer.key == "channel.vk.handle"))
    assert saved == {"skipped": True}


async def test_a_new_project_reads_its_versions_once_and_stores_the_profile_in_one_statement(
    anna: ChatUser, engine: AsyncEngine
) -> None:
    """A project with no brief version has no signed one either: one read, not two. The profile's
    zone, days and hours become the project's answers in one statement, not one each."""
    await anna.send("/start")
    await anna.click("SMM-специалист")
    await anna.click("Москва")
    await anna.click("Дальше")  # the working days as offered, Monday to Friday
    await anna.send("10-19")
    await anna.send("/new")
    await anna.send("Зерно")
    statements: list[tuple[str, bool]] = []

    def on_execute(
        _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, many: bool
    ) -> None:
        statements.append((" ".join(statement.split()), many))

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        await anna.send("кофе")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", on_execute)
    assert "Шаг 1 из" in (anna.last.text or "")
    versions = [s for s, _ in statements if s.startswith("SELECT brief_versions.")]
    assert len(versions) == 1
    answers = [many for s, many in statements if s.startswith("INSERT INTO answers ")]
    assert answers == [True]  # zone, days and hours in one executemany


async def test_a_project_is_loaded_by_a_statement_built_once_and_then_from_the_session(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await new_project(anna)
    executed: list[object] = []

    def on_orm_execute(state: ORMExecuteState) -> None:
        executed.append(state.statement)

    event.listen(Session, "do_orm_execute", on_orm_execute)
    try:
        async with session_factory() as session:
            user = await session.scalar(select(User).where(User.telegram_id == anna.user.id))
            assert user is not None
            executed.clear()
            first, role = await load_project_for(session, user, 1)
            again, _ = await load_project_for(session, user, 1)
    finally:
        event.remove(Session, "do_orm_execute", on_orm_execute)
    assert first is again and first.brand == "Зерно" and role is Role.SPECIALIST
    assert first.specialist is user and first.client is None  # loaded with it, as before
    assert executed == [access._BY_ID]  # the second came from the session
