"""The sandbox's movable clock: one process moves time, another sees it at once."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import build_clock
from bot.clock import FileOffsetClock, SystemClock
from bot.config import Settings

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"


def close_to(moment: datetime, expected: datetime) -> bool:
    return abs(moment - expected) < timedelta(seconds=5)


def test_no_file_means_real_time(tmp_path: Path) -> None:
    clock = FileOffsetClock(tmp_path / "clock")
    assert clock.offset() == timedelta()
    assert close_to(clock.now(), datetime.now(UTC))


def test_a_reader_sees_every_advance_of_a_writer(tmp_path: Path) -> None:
    writer, reader = FileOffsetClock(tmp_path / "clock"), FileOffsetClock(tmp_path / "clock")
    assert reader.offset() == timedelta()  # cached: nothing to re-read until the file changes
    writer.advance(timedelta(hours=1))
    assert reader.offset() == timedelta(hours=1)
    writer.advance(timedelta(days=1))  # the same second, even the same mtime tick
    assert reader.offset() == timedelta(days=1, hours=1)
    assert close_to(reader.now(), datetime.now(UTC) + timedelta(days=1, hours=1))


def test_the_file_is_parsed_again_only_when_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "clock"
    path.write_text("60\n")
    reads: list[Path] = []
    read_text = Path.read_text

    def counting_read(self: Path, *args: object, **kwargs: object) -> str:
        reads.append(self)
        return read_text(self)

    monkeypatch.setattr(Path, "read_text", counting_read)
    clock = FileOffsetClock(path)
    for _ in range(100):
        assert clock.offset() == timedelta(minutes=1)
    assert len(reads) == 1


def test_a_garbled_file_keeps_the_last_offset(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "clock"
    clock = FileOffsetClock(path)
    clock.advance(timedelta(days=7))
    path.write_text("next tuesday\n")
    os.utime(path, ns=(1, 1))
    assert clock.offset() == timedelta(days=7)
    assert "unreadable" in caplog.text


def test_removing_the_file_returns_to_real_time(tmp_path: Path) -> None:
    clock = FileOffsetClock(tmp_path / "clock")
    clock.advance(timedelta(days=1))
    (tmp_path / "clock").unlink()
    assert clock.offset() == timedelta()


def test_only_the_sandbox_setting_makes_the_bot_clock_movable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SANDBOX_CLOCK_FILE", raising=False)
    assert isinstance(build_clock(Settings(bot_token=TOKEN, _env_file=None)), SystemClock)  # type: ignore[call-arg]
    monkeypatch.setenv("SANDBOX_CLOCK_FILE", str(tmp_path / "clock"))
    clock = build_clock(Settings(bot_token=TOKEN, _env_file=None))  # type: ignore[call-arg]
    FileOffsetClock(tmp_path / "clock").advance(timedelta(hours=1))
    assert close_to(clock.now(), datetime.now(UTC) + timedelta(hours=1))
