"""The injectable clock: the only way code asks for "now".

Services and the scheduler receive a `Clock` instead of calling `datetime.now()`, so tests (and the
sandbox's "move time forward" control) can move time without sleeping.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class Clock(Protocol):
    def now(self) -> datetime:
        """Current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class ShiftedClock:
    """Real time plus an adjustable offset; used by tests and the sandbox."""

    offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class FileOffsetClock:
    """Real time plus an offset kept in a file, so another process can move this one's time.

    The sandbox's "move time forward" control writes the file (:meth:`advance`); the bot reads
    it. Reading costs one ``stat`` per :meth:`now` — the file is parsed again only when it was
    replaced — so a jump is seen by the very next question the bot asks about the time. A
    missing file means no offset; an unreadable one keeps the last offset and says so.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._seen: tuple[int, int, int] | None = None
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset()

    def offset(self) -> timedelta:
        try:
            stat = self._path.stat()
        except FileNotFoundError:
            self._seen, self._offset = None, timedelta()
            return self._offset
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if seen != self._seen:
            self._seen = seen
            try:
                self._offset = timedelta(seconds=float(self._path.read_text().strip()))
            except (OSError, ValueError, OverflowError) as error:
                log.warning(
                    "clock offset file %s unreadable (%s); keeping %s",
                    self._path,
                    error,
                    self._offset,
                )
        return self._offset

    def advance(self, delta: timedelta) -> None:
        """Move time forward by ``delta``, for every process reading the same file."""
        self._write(self.offset() + delta)

    def _write(self, offset: timedelta) -> None:
        """Replace the file in one step, so a reader never sees half a number."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._path.with_name(f".{self._path.name}.{os.getpid()}")
        temporary.write_text(f"{offset.total_seconds()}\n")
        temporary.replace(self._path)
        stat = self._path.stat()
        self._seen, self._offset = (stat.st_ino, stat.st_mtime_ns, stat.st_size), offset
