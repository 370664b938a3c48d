"""Column types shared by the models."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import DateTime, Time
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always hands back aware UTC.

    SQLite has no time zone type and returns naive values; without this every comparison with
    `Clock.now()` would fail or, worse, silently compare local and UTC times.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class LenientTime(TypeDecorator[time]):
    """A wall-clock time that reads as None when the stored value is no time at all.

    SQLite keeps times as text, so a row written by hand or by an older bug can hold "25:00:00";
    the plain type raises while loading the row, and every query that touches that person (their
    own updates, every project they are in, the start-up re-plan) would fail with it. None means
    "not set", which callers already read as the default hours.
    """

    impl = Time
    cache_ok = True

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], time | None] | None:
        inner = super().result_processor(dialect, coltype)
        if inner is None:
            return None

        def process(value: Any) -> time | None:
            try:
                result: time | None = inner(value)
            except ValueError:
                log.warning("unreadable time %r read as not set", value)
                return None
            return result

        return process
