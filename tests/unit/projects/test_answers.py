from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.projects.answers import (
    answer_meta,
    clear_answers,
    load_answers,
    save_answer,
    upsert_statement,
)
from bot.questionnaire.answers import JsonValue, skip_marker
from tests.unit.projects.conftest import MakeProject, MakeUser

SHAPES: dict[str, JsonValue] = {
    "aim": "sell_stock",
    "brand_story": "Семейная пекарня с 1998 года",
    "followers": 1200,
    "share": 0.5,
    "budget": {"amount": 50000, "currency": "RUB"},
    "channels": ["vk", "telegram"],
    "channel.vk.audience": 5400,
    "work_days.client": [0, 1, 2, 3, 4],
    "work_hours.client": {"start": "22:00", "end": "02:00"},
    "timezone.client": "UTC+05:30",
    "constraints": skip_marker(),
    "flag": True,
    "nothing": None,
}


async def test_answers_of_every_shape_survive_a_round_trip(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_user: MakeUser,
    make_project: MakeProject,
    now: datetime,
) -> None:
    anna = await make_user("Анна")
    project = await make_project(anna)

    for key, value in SHAPES.items():
        await save_answer(session, project, anna, key, value, now)
    async with session_factory() as other:  # the caller's transaction: not visible before commit
        assert await load_answers(other, project.id) == {}
    await session.commit()

    async with session_factory() as other:
        assert await load_answers(other, project.id) == SHAPES


async def test_saving_again_replaces_value_author_and_time(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    anna, boris = await make_user("Анна"), await make_user("Борис")
    project = await make_project(anna, client=boris)
    later = now + timedelta(hours=3)

    await save_answer(session, project, anna, "aim", "reach", now)
    await save_answer(session, project, anna, "channels", ["vk"], now)
    await save_answer(session, project, boris, "aim", "sell_stock", later)

    assert await load_answers(session, project.id) == {"aim": "sell_stock", "channels": ["vk"]}
    meta = await answer_meta(session, project.id)
    assert meta == {"aim": (boris.id, later), "channels": (anna.id, now)}
    assert all(
        when.tzinfo is not None and when.utcoffset() == timedelta(0) for _, when in meta.values()
    )


async def test_answers_are_kept_per_project(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    anna = await make_user("Анна")
    first, second = await make_project(anna), await make_project(anna)

    await save_answer(session, first, anna, "aim", "reach", now)
    await save_answer(session, second, anna, "aim", "sell_stock", now)

    assert await load_answers(session, first.id) == {"aim": "reach"}
    assert await load_answers(session, second.id) == {"aim": "sell_stock"}
    assert await load_answers(session, second.id + 1) == {}
    assert await answer_meta(session, second.id + 1) == {}


async def test_clear_answers_forgets_only_the_given_keys_of_that_project(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_user: MakeUser,
    make_project: MakeProject,
    now: datetime,
) -> None:
    anna = await make_user("Анна")
    project, other_project = await make_project(anna), await make_project(anna)
    for key in ("channels", "channel.vk.audience", "channel.vk.posts"):
        await save_answer(session, project, anna, key, 1, now)
    await save_answer(session, other_project, anna, "channel.vk.audience", 2, now)

    await clear_answers(session, project, iter(["channel.vk.audience", "channel.vk.posts"]))
    await clear_answers(session, project, [])
    await session.commit()

    async with session_factory() as other:
        assert await load_answers(other, project.id) == {"channels": 1}
        assert await answer_meta(other, project.id) == {"channels": (anna.id, now)}
        assert await load_answers(other, other_project.id) == {"channel.vk.audience": 2}


async def test_answers_go_with_their_project(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    anna = await make_user("Анна")
    project = await make_project(anna)
    await save_answer(session, project, anna, "aim", "reach", now)

    await session.delete(project)
    await session.commit()

    assert await load_answers(session, project.id) == {}


def test_upsert_is_one_statement_on_postgresql_too() -> None:
    sql = str(
        upsert_statement("postgresql").compile(dialect=make_url("postgresql://").get_dialect()())
    )

    assert "ON CONFLICT (project_id, key) DO UPDATE SET" in sql
    assert "value = excluded.value" in sql
    assert "answered_by = excluded.answered_by" in sql
    assert "answered_at = excluded.answered_at" in sql


def test_upsert_refuses_a_dialect_it_was_not_written_for() -> None:
    with pytest.raises(NotImplementedError):
        upsert_statement("mysql")
