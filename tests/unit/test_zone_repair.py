"""Zones stored by older versions ("UTC+03:00", junk) are repaired by migration 0007b."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bot.db.migrate import upgrade
from bot.db.models import Base
from bot.db.repairs import repair_zones

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
                " 0, 1, 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ),
            {"id": user_id, "tg": 1000 + user_id, "zone": zone},
        )
    for project_id, (key, value) in enumerate(ANSWERS, 1):
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
    rows = connection.execute(sa.text("SELECT key, value FROM answers ORDER BY project_id"))
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


def test_migration_0007b_repairs_rows_stored_before_it(tmp_path: Path) -> None:
    """Synchronous on purpose: alembic's env runs its own event loop."""
    path = tmp_path / "old.db"
    upgrade(f"sqlite+aiosqlite:///{path}", "0006")
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        _fill(connection)
    upgrade(f"sqlite+aiosqlite:///{path}")
    with engine.connect() as connection:
        zones = _zones(connection)
        answers = _answers(connection)
    engine.dispose()
    assert zones[1] == "Europe/Moscow"
    assert zones[5] is None and zones[7] is None
    assert zones[4] == "Asia/Yekaterinburg"
    assert answers[0] == ("timezone.specialist", '"Asia/Novosibirsk"')
    assert answers[3] == ("brand_voice", '"UTC+03:00"')
