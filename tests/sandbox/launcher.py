"""``python -m bot.sandbox`` as the tests run it: a real child process on a free port."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
#: The zone of the sandbox's people and of the bot's default reminder window.
MOSCOW = ZoneInfo("Europe/Moscow")
#: The bot imports aiogram (4–7 s on a busy core) and migrates a new database before it polls.
START_WITHIN = 90.0
_API_LINE = re.compile(r"Built-in Bot API on (\S+) \(throwaway token (\S+)\)")
_READY_LINE = re.compile(r"Ready: open (\S+) ")


@dataclass
class Sandbox:
    """A running sandbox: ``url`` is the page, ``api_url`` and ``token`` its Bot API."""

    process: subprocess.Popen[str]
    data: Path
    url: str = ""
    api_url: str = ""
    token: str = ""
    lines: list[str] = field(default_factory=list)
    _lines: queue.Queue[str | None] = field(default_factory=queue.Queue)

    @classmethod
    def start(cls, data: Path, *extra: str) -> Sandbox:
        env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.sandbox", "--port", "0", "--data-dir", str(data), *extra],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        sandbox = cls(process, data)
        threading.Thread(target=sandbox._read, daemon=True).start()
        return sandbox

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for_line(self, pattern: re.Pattern[str], within: float) -> re.Match[str]:
        deadline = time.monotonic() + within
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {pattern.pattern!r} in {self.output()}") from None
            if line is None:
                raise AssertionError(f"the sandbox exited: {self.output()}")
            self.lines.append(line)
            if match := pattern.search(line):
                return match

    def wait_until_ready(self) -> Sandbox:
        api = self.wait_for_line(_API_LINE, START_WITHIN)
        self.api_url, self.token = api.group(1), api.group(2)
        self.url = self.wait_for_line(_READY_LINE, START_WITHIN).group(1)
        return self

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.load(response)

    def interrupt(self, within: float = 30.0) -> int:
        """Ctrl-C, as a person in the terminal would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(within)
        return self.process.returncode

    def output(self) -> str:
        bot_log = self.data / "sandbox-bot.log"
        tail = bot_log.read_text(errors="replace")[-3000:] if bot_log.exists() else ""
        return "\n".join(self.lines) + "\n--- bot log ---\n" + tail


def hours_to_window(
    moment: datetime, zone: ZoneInfo, *, weekdays: range, start: int, end: int
) -> int:
    """Whole hours from ``moment`` until it falls on one of ``weekdays`` (Monday is 0) between
    ``start`` and ``end`` o'clock in ``zone``."""
    for hours in range(24 * 7):
        local = (moment + timedelta(hours=hours)).astimezone(zone)
        if local.weekday() in weekdays and start <= local.hour < end:
            return hours
    raise AssertionError("no window within a week")
