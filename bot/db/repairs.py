"""Data repairs run by migrations: rows an older version stored in a shape the code no longer reads.

Written against a plain synchronous `Connection` and lightweight table descriptions (not the ORM
models), so a migration keeps working whatever the models become later.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.timezones import repair_setting

log = logging.getLogger(__name__)

_users = sa.table("users", sa.column("id", sa.Integer), sa.column("timezone", sa.String))
_answers = sa.table(
    "answers", sa.column("id", sa.Integer), sa.column("key", sa.String), sa.column("value", sa.JSON)
)
#: Answer keys of the questionnaire's zone question, one per side (`Flow` keys a BOTH question so).
ZONE_ANSWER_KEYS = ("timezone.specialist", "timezone.client")


def repair_zones(connection: Connection, at: datetime) -> int:
    """Every stored zone made one `zoneinfo` loads: typed offsets stored as "UTC+03:00" become the
    zone they most likely mean at `at`, anything unreadable is cleared (a person's zone falls back
    to the default until they pick one; an answer is asked again). Returns how many rows changed."""
    changed = 0
    for user_id, stored in connection.execute(
        sa.select(_users.c.id, _users.c.timezone).where(_users.c.timezone.is_not(None))
    ):
        repaired = repair_setting(stored, at)
        if repaired != stored:
            connection.execute(
                sa.update(_users).where(_users.c.id == user_id).values(timezone=repaired)
            )
            log.warning("user %s: time zone %r repaired to %r", user_id, stored, repaired)
            changed += 1
    for answer_id, stored in connection.execute(
        sa.select(_answers.c.id, _answers.c.value).where(_answers.c.key.in_(ZONE_ANSWER_KEYS))
    ):
        if not isinstance(stored, str):
            continue  # a skip marker
        repaired = repair_setting(stored, at)
        if repaired == stored:
            continue
        if repaired is None:
            connection.execute(sa.delete(_answers).where(_answers.c.id == answer_id))
        else:
            connection.execute(
                sa.update(_answers).where(_answers.c.id == answer_id).values(value=repaired)
            )
        log.warning("answer %s: time zone %r repaired to %r", answer_id, stored, repaired)
        changed += 1
    return changed
