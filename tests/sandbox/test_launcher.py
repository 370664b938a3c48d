"""``python -m bot.sandbox``: loopback only, the real bot behind the page, a movable clock, Ctrl-C."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.config import TOKEN_PATTERN
from bot.sandbox.__main__ import bot_environment, fresh_start, throwaway_token
from tests.sandbox.launcher import MOSCOW, ROOT, Sandbox, hours_to_window

#: Generous: CI machines have two busy cores (as testkit/process.py WAIT).
WAIT = 20.0


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    running = Sandbox.start(tmp_path).wait_until_ready()
    yield running
    running.interrupt()


def bot_messages(sandbox: Sandbox, role: str) -> list[str]:
    messages = sandbox.get("/api/state")["people"][role]["messages"]
    return [m["message"].get("text") or "" for m in messages if m["outgoing"]]


def wait_for_text(sandbox: Sandbox, role: str, text: str, within: float = WAIT) -> str:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for message in bot_messages(sandbox, role):
            if text in message:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no {text!r} for the {role}: {bot_messages(sandbox, role)}")


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_refuses_any_address_but_loopback(host: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.sandbox", "--host", host, "--data-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "loopback" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "sandbox.db").exists()  # refused before anything started


def test_a_taken_port_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "bot.sandbox", "--port", port, "--data-dir", str(tmp_path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert "Try another --port" in result.stderr and "Traceback" not in result.stderr


def test_each_start_is_fresh_unless_kept(tmp_path: Path) -> None:
    database, clock = tmp_path / "sandbox.db", tmp_path / "sandbox-clock"
    for path in (database, tmp_path / "sandbox.db-wal", tmp_path / "sandbox.db-shm", clock):
        path.write_text("old")
    fresh_start(database, clock)
    assert list(tmp_path.iterdir()) == []


def test_the_bot_gets_a_throwaway_token_and_the_sandbox_settings(tmp_path: Path) -> None:
    token = throwaway_token()
    assert TOKEN_PATTERN.fullmatch(token) and token != throwaway_token()
    env = bot_environment("http://127.0.0.1:1", token, tmp_path / "s.db", tmp_path / "clock")
    assert env["BOT_TOKEN"] == token and env["TELEGRAM_API_URL"] == "http://127.0.0.1:1"
    assert env["DATABASE_URL"] == f"sqlite+aiosqlite:///{tmp_path / 's.db'}"
    assert env["SANDBOX_CLOCK_FILE"] == str(tmp_path / "clock")
    # Empty beats a REDIS_URL or WEBHOOK_URL in .env: the sandbox is one polling process.
    assert env["REDIS_URL"] == env["WEBHOOK_URL"] == env["WEBHOOK_SECRET"] == ""


def test_serves_the_page_with_the_real_bot_and_stops_on_ctrl_c(sandbox: Sandbox) -> None:
    with urllib.request.urlopen(sandbox.url, timeout=10) as response:
        assert b"smartbrief sandbox" in response.read()
    assert sandbox.url.startswith("http://127.0.0.1:")
    people = sandbox.get("/api/state")["people"]
    # Contacts in the brief are @usernames: the simulated people have them, as most people do.
    assert people["specialist"]["user"]["username"] == "anna_smm"
    assert people["client"]["user"]["username"] == "boris_knit"
    sandbox.post("/api/specialist/message", {"text": "/start"})
    wait_for_text(sandbox, "specialist", "Кто вы в этой истории?")  # the real bot answered

    # A page that is open (its event stream too) does not hold the sandbox up.
    with urllib.request.urlopen(sandbox.url + "/api/events", timeout=10) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        started = time.monotonic()
        assert sandbox.interrupt() == 0
    assert time.monotonic() - started < 10
    sandbox.wait_for_line(re.compile("^Sandbox stopped"), 5)
    assert "Polling stopped" in (sandbox.data / "sandbox-bot.log").read_text()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(sandbox.url, timeout=5)


def test_moving_time_forward_delivers_a_due_reminder(sandbox: Sandbox) -> None:
    """An answer plans "questions still open" nudges a day, three and seven days later; a week
    forward makes them due, and the bot's reminder sender notices within its poll interval."""
    sandbox.post("/api/specialist/message", {"text": "/new"})
    wait_for_text(sandbox, "specialist", "Новый проект")
    sandbox.post("/api/specialist/message", {"text": "Зерно"})
    wait_for_text(sandbox, "specialist", "Чем занимается")
    sandbox.post("/api/specialist/message", {"text": "кофе навынос"})
    wait_for_text(sandbox, "specialist", "Шаг 1 из")
    press(sandbox, "specialist", "ВКонтакте")
    wait_for_button(sandbox, "specialist", "✅ ВКонтакте")
    press(sandbox, "specialist", "Готово")
    wait_for_text(sandbox, "specialist", "Шаг 2 из")
    time.sleep(1.5)  # nothing is due yet: the first nudge is a day away
    assert not any("ждут ваших ответов" in text for text in bot_messages(sandbox, "specialist"))

    clock = sandbox.post("/api/clock", {"step": "week"})
    assert clock["offset_seconds"] == 7 * 24 * 3600
    # Overdue nudges wait for the person's window (10:00–20:00 Moscow time by default), so a
    # week forward from a late-evening run lands outside it: step on to the window's first hour.
    moved = datetime.fromisoformat(clock["now"])
    for _ in range(hours_to_window(moved, MOSCOW, weekdays=range(7), start=10, end=20)):
        assert not any("ждут ваших ответов" in text for text in bot_messages(sandbox, "specialist"))
        sandbox.post("/api/clock", {"step": "hour"})
    assert "ждут ваших ответов" in wait_for_text(sandbox, "specialist", "❓ ")


def find_button(sandbox: Sandbox, role: str, label: str) -> dict[str, object] | None:
    """The newest button with this label: its message and data."""
    messages = sandbox.get("/api/state")["people"][role]["messages"]
    for stored in reversed(messages):
        for row in (stored["message"].get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return {"message_id": stored["message_id"], "data": button["callback_data"]}
    return None


def wait_for_button(sandbox: Sandbox, role: str, label: str) -> None:
    deadline = time.monotonic() + WAIT
    while find_button(sandbox, role, label) is None:
        assert time.monotonic() < deadline, f"no {label!r} button for the {role}"
        time.sleep(0.1)


def press(sandbox: Sandbox, role: str, label: str) -> None:
    """Tap the newest button with this label, as a person would."""
    button = find_button(sandbox, role, label)
    assert button is not None, f"no {label!r} button for the {role}"
    sandbox.post(f"/api/{role}/press", button)
