"""Zones stored by older versions ("UTC+03:00", junk) are repaired by migration 0007b."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa

from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.db.models import Base
from bot.db.repairs import repair_zones
from tests.servers import both_databases

T = TypeVar("T")

AT = datetime(2026, 12, 3, 12, tzinfo=UTC)
STORED = {
    1: "UTC+03:00",
    2: "UTC+05:30",
    3: "UTC-04:00",
    4: "Asia/Yekaterinburg",
    5: "Mars/Olympus",
    6: None,
    7: "UTC+99:00",
}
REPAIRED = {
    1: "Europe/Moscow",
    2: "Asia/Kolkata",
    3: "Etc/GMT+4",
    4: "Asia/Yekaterinburg",
    5: None,
    6: None,
    7: None,
}
ANSWERS = {
    ("timezone.specialist", '"UTC+07:00"'): '"Asia/Novosibirsk"',
    ("timezone.client", '{"skipped": true}'): '{"skipped": true}',
    ("timezone.client", '"Europe/Berlin"'): '"Europe/Berlin"',
    ("brand_voice", '"UTC+03:00"'): '"UTC+03:00"',  # not a zone question: left alone
}


def _fill(connection: sa.Connection) -> None:
    for user_id, zone in STORED.items():
        connection.execute(
            sa.text(
                "INSERT INTO users (id, telegram_id, first_name, language, timezone, is_specialist,"
                " onboarded, blocked, created_at, updated_at) VALUES (:id, :tg, 'x', 'ru', :zone,"
                " FALSE, TRUE, FALSE, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ),
            {"id": user_id, "tg": 1000 + user_id, "zone": zone},
        )
    for project_id, (key, value) in enumerate(ANSWERS, 1):
        connection.execute(
            sa.text(
                "INSERT INTO projects (id, specialist_id, brand, niche, status, created_at,"
                " updated_at) VALUES (:id, 1, 'x', 'x', 'questionnaire', '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00')"
            ),
            {"id": project_id},
        )
        connection.execute(
            sa.text(
                "INSERT INTO answers (project_id, key, value, answered_by, answered_at)"
                " VALUES (:project, :key, :value, 1, '2026-01-01 00:00:00')"
            ),
            {"project": project_id, "key": key, "value": value},
        )


def _zones(connection: sa.Connection) -> dict[int, str | None]:
    return dict(connection.execute(sa.text("SELECT id, timezone FROM users")).all())


def _answers(connection: sa.Connection) -> list[tuple[str, str]]:
    rows = connection.execute(
        sa.text("SELECT key, CAST(value AS TEXT) FROM answers ORDER BY project_id")
    )
    return [(key, value) for key, value in rows]


def test_repair_zones_fixes_offsets_and_clears_junk() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        _fill(connection)
        changed = repair_zones(connection, AT)
        assert _zones(connection) == REPAIRED
        assert _answers(connection) == [
            ("timezone.specialist", '"Asia/Novosibirsk"'),
            ("timezone.client", '{"skipped": true}'),
            ("timezone.client", '"Europe/Berlin"'),
            ("brand_voice", '"UTC+03:00"'),
        ]
        assert changed == 6  # five users and one answer
        assert repair_zones(connection, AT) == 0  # a second run finds nothing to do


def test_an_unreadable_zone_answer_is_removed_so_it_is_asked_again() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        connection.execute(
            sa.text(
                "INSERT INTO answers (project_id, key, value, answered_by, answered_at)"
                " VALUES (1, 'timezone.client', '\"Нарния\"', 1, '2026-01-01 00:00:00')"
            )
        )
        assert repair_zones(connection, AT) == 1
        assert _answers(connection) == []


@both_databases
def test_migration_0007b_repairs_rows_stored_before_it(database_url: str) -> None:
    """Synchronous on purpose: alembic's env runs its own event loop."""
    upgrade(database_url, "0006")
    _on(database_url, _fill)
    upgrade(database_url)
    zones = _on(database_url, _zones)
    answers = _on(database_url, _answers)
    assert zones == REPAIRED
    assert [(key, json.loads(value)) for key, value in answers] == [
        ("timezone.specialist", "Asia/Novosibirsk"),
        ("timezone.client", {"skipped": True}),
        ("timezone.client", "Europe/Berlin"),
        ("brand_voice", "UTC+03:00"),
    ]


def _on(url: str, work: Callable[[sa.Connection], T]) -> T:
    """Runs `work` in a transaction of its own (the async driver of `url`, as the bot uses)."""

    async def run() -> T:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())
