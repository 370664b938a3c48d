"""SQLStorage, the FSM storage in the application's database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_session_factory
from bot.db.models import FSMRecord
from bot.db.storage import SQLStorage, UpdateScope, update_scope
from tests.servers import both_databases

pytestmark = both_databases

ANNA = StorageKey(bot_id=1, chat_id=1001, user_id=1001)


@pytest.fixture
def statements(engine: AsyncEngine) -> list[str]:
    """Every SQL statement the engine sends, first word only (SELECT, INSERT, ...)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return seen


async def _committed_data(engine: AsyncEngine) -> str | None:
    """What another connection sees, bypassing the update's scope."""
    async with engine.connect() as connection:
        data: str | None = await connection.scalar(select(FSMRecord.data))
        return data


async def test_state_and_data_outlive_the_storage_object(engine: AsyncEngine) -> None:
    storage = SQLStorage(engine)
    assert (await storage.get_state(ANNA), await storage.get_data(ANNA)) == (None, {})

    await storage.set_state(ANNA, State("zone", group_name="Onboarding"))
    await storage.set_data(ANNA, {"brand": "Кофейня", "step": 2})

    again = SQLStorage(engine)  # a restarted process
    assert await again.get_state(ANNA) == "Onboarding:zone"
    assert await again.get_data(ANNA) == {"brand": "Кофейня", "step": 2}
    await again.set_state(ANNA, None)
    assert (await again.get_state(ANNA), await again.get_data(ANNA)) == (
        None,
        {"brand": "Кофейня", "step": 2},
    )


async def test_keys_do_not_see_each_other(engine: AsyncEngine) -> None:
    storage = SQLStorage(engine)
    others = [
        StorageKey(bot_id=1, chat_id=1002, user_id=1001),
        StorageKey(bot_id=1, chat_id=1001, user_id=1002),
        StorageKey(bot_id=2, chat_id=1001, user_id=1001),
        StorageKey(bot_id=1, chat_id=1001, user_id=1001, destiny="aiogd_stack"),
    ]
    await storage.set_state(ANNA, "Onboarding:role")
    await storage.set_data(ANNA, {"who": "anna"})
    for n, key in enumerate(others):
        await storage.set_data(key, {"who": n})

    assert await storage.get_data(ANNA) == {"who": "anna"}
    for n, key in enumerate(others):
        assert (await storage.get_state(key), await storage.get_data(key)) == (None, {"who": n})


async def test_an_update_reads_once_skips_unchanged_writes_and_commits_with_its_session(
    engine: AsyncEngine, statements: list[str]
) -> None:
    storage = SQLStorage(engine)
    await storage.set_data(ANNA, {"step": 1})
    statements.clear()

    async with create_session_factory(engine)() as session:
        token = update_scope.set(UpdateScope(session))
        try:
            for _ in range(3):
                assert await storage.get_data(ANNA) == {"step": 1}
                await storage.set_data(ANNA, {"step": 1})
            await storage.set_data(ANNA, {"step": 2})
            await storage.set_data(ANNA, {"step": 2})
            assert await storage.get_data(ANNA) == {"step": 2}
            assert await _committed_data(engine) == '{"step": 1}'
            await session.commit()
        finally:
            update_scope.reset(token)

    # one read, `_committed_data`, then the one write, sent with the commit
    assert [s for s in statements if s in {"SELECT", "INSERT"}] == ["SELECT", "SELECT", "INSERT"]
    assert await storage.get_data(ANNA) == {"step": 2}


async def test_an_update_reads_a_persons_rows_at_once_and_writes_them_in_one_statement(
    engine: AsyncEngine, statements: list[str]
) -> None:
    stack = StorageKey(bot_id=1, chat_id=1001, user_id=1001, destiny="aiogd_stack")
    context = StorageKey(bot_id=1, chat_id=1001, user_id=1001, destiny="aiogd_context")
    other = StorageKey(bot_id=1, chat_id=1001, user_id=10010)  # starts like Anna's keys
    storage = SQLStorage(engine)
    await storage.set_data(stack, {"intents": ["a"]})
    await storage.set_data(other, {"who": "other"})
    statements.clear()

    async with create_session_factory(engine)() as session:
        token = update_scope.set(UpdateScope(session))
        try:
            assert await storage.get_data(stack) == {"intents": ["a"]}
            assert await storage.get_data(context) == {}
            assert await storage.get_state(ANNA) is None
            assert await storage.get_data(other) == {"who": "other"}
            await storage.set_data(context, {"step": 1})
            await storage.set_data(stack, {"intents": ["a", "b"]})
            await session.commit()
        finally:
            update_scope.reset(token)

    # Anna's three keys in one read, the other person's in another, both writes in one statement
    assert [s for s in statements if s in {"SELECT", "INSERT"}] == ["SELECT", "SELECT", "INSERT"]
    assert await storage.get_data(context) == {"step": 1}
    assert await storage.get_data(stack) == {"intents": ["a", "b"]}
    assert await storage.get_data(other) == {"who": "other"}


async def test_a_rolled_back_update_writes_nothing(engine: AsyncEngine) -> None:
    storage = SQLStorage(engine)
    await storage.set_data(ANNA, {"step": 1})

    async with create_session_factory(engine)() as session:
        token = update_scope.set(UpdateScope(session))
        try:
            await storage.set_data(ANNA, {"step": 2})
            await session.rollback()
            assert await storage.get_data(ANNA) == {"step": 1}
            await session.commit()
        finally:
            update_scope.reset(token)

    assert await _committed_data(engine) == '{"step": 1}'


async def test_a_key_without_a_row_written_empty_sends_nothing(
    engine: AsyncEngine, statements: list[str]
) -> None:
    storage = SQLStorage(engine)
    await storage.set_data(ANNA, {"step": 1})  # Anna has rows, so her prefix is read at once
    stack = StorageKey(bot_id=1, chat_id=1001, user_id=1001, destiny="aiogd_stack")
    statements.clear()

    async with create_session_factory(engine)() as session:
        token = update_scope.set(UpdateScope(session))
        try:
            assert await storage.get_data(stack) == {}
            await storage.set_data(stack, {})
            await session.commit()
        finally:
            update_scope.reset(token)

    assert [s for s in statements if s in {"SELECT", "INSERT"}] == ["SELECT"]


async def test_a_savepoints_rollback_keeps_the_writes_made_before_it(engine: AsyncEngine) -> None:
    storage = SQLStorage(engine)

    async with create_session_factory(engine)() as session:
        token = update_scope.set(UpdateScope(session))
        try:
            await storage.set_data(ANNA, {"step": 2})
            savepoint = await session.begin_nested()
            await savepoint.rollback()
            await session.commit()
        finally:
            update_scope.reset(token)

    assert await _committed_data(engine) == '{"step": 2}'
