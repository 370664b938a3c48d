"""The one place that picks the dialect's INSERT, for upserts (ON CONFLICT) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Insert = Callable[[Any], Any]


def insert_for(dialect_name: str) -> Insert:
    """`insert()` with `on_conflict_do_update` / `on_conflict_do_nothing` for this database.

    Other databases spell upserts differently; failing loudly beats a silently wrong statement.
    """
    inserts: dict[str, Insert] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
    try:
        return inserts[dialect_name]
    except KeyError:
        raise NotImplementedError(dialect_name) from None


def dialect_insert(session: AsyncSession) -> Insert:
    return insert_for(session.get_bind().dialect.name)
