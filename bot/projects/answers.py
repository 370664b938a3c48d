"""Storing and reading a project's questionnaire answers, with who gave each one and when.

Values are stored exactly as the questionnaire's parsers return them (shapes in
`bot.questionnaire.answers`); this module never interprets them. It does not check access either:
callers pass a project they loaded through `access.load_project_for`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert_for
from bot.db.models import Answer, Project, User
from bot.questionnaire.answers import JsonValue


@functools.cache
def upsert_statement(dialect_name: str) -> Any:
    """One statement rather than read-then-write, so a double tap (two updates racing for the same
    key) cannot trip over the unique constraint. Both dialects we run on spell it the same way.

    Built once per dialect and executed with the row as parameters: building an upsert (its
    ``excluded`` alias copies every column) costs more than running it on SQLite."""
    insert = insert_for(dialect_name)(Answer.__table__)
    return insert.on_conflict_do_update(
        index_elements=[Answer.project_id, Answer.key],
        set_={
            "value": insert.excluded.value,
            "answered_by": insert.excluded.answered_by,
            "answered_at": insert.excluded.answered_at,
        },
    )


async def save_answer(
    session: AsyncSession,
    project: Project,
    user: User,
    key: str,
    value: JsonValue,
    now: datetime,
) -> None:
    """Part of the caller's transaction: in a dialog the answer commits together with the
    dialog's position, right before the next question is shown (bot/db/middleware.py)."""
    await save_answers(session, project, user, {key: value}, now)


async def save_answers(
    session: AsyncSession,
    project: Project,
    user: User,
    values: Mapping[str, JsonValue],
    now: datetime,
) -> None:
    """Several answers by one person in one statement, like `save_answer`."""
    rows = [
        {
            "project_id": project.id,
            "key": key,
            "value": value,
            "answered_by": user.id,
            "answered_at": now,
        }
        for key, value in values.items()
    ]
    if rows:
        statement = upsert_statement(session.get_bind().dialect.name)
        # One row (every answer typed or pressed) as a plain execute; only several as executemany.
        await session.execute(statement, rows[0] if len(rows) == 1 else rows)


async def clear_answers(session: AsyncSession, project: Project, keys: Iterable[str]) -> None:
    """Forget answers that no longer apply (a dropped channel), so they are asked afresh if back.
    Part of the caller's transaction, like `save_answer`."""
    await session.execute(
        delete(Answer).where(Answer.project_id == project.id, Answer.key.in_(list(keys)))
    )


#: Built once (see `upsert_statement`): every questionnaire step reads the answers. From the table,
#: not the mapped class: plain rows skip the ORM's result handling (a quarter of the statement).
_TABLE = cast(Table, Answer.__table__)
_ANSWERS = select(_TABLE.c.key, _TABLE.c.value).where(
    _TABLE.c.project_id == bindparam("project_id")
)


async def load_answers(session: AsyncSession, project_id: int) -> dict[str, JsonValue]:
    rows = await session.execute(_ANSWERS, {"project_id": project_id})
    return {key: value for key, value in rows}


async def answer_meta(session: AsyncSession, project_id: int) -> dict[str, tuple[int, datetime]]:
    """Per key, the user id who answered last and when — for the summary and the brief."""
    rows = await session.execute(
        select(Answer.key, Answer.answered_by, Answer.answered_at).where(
            Answer.project_id == project_id
        )
    )
    return {key: (who, when) for key, who, when in rows}
