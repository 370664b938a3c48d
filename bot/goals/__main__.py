"""The batch command of docs/goal-spec.md §10: ``python -m bot.goals < in.jsonl > out.jsonl``.

One JSON object per input line in, one per output line out, same order. A line that is not a
goal object gets ``{"id": null, "error": ...}`` and the run goes on; the exit status is non-zero
only when standard input itself cannot be read. It calls the very :func:`extract_goal` the bot
uses and never touches the network or the database.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import IO

from bot.goals.dates import local_today
from bot.goals.extraction import extract_goal
from bot.goals.scenario import run_scenario


def _today(item: dict[str, object], tz: str) -> date:
    """``today`` as given; else derived from ``now_utc`` (or the clock) in the user's zone."""
    raw_today = item.get("today")
    if isinstance(raw_today, str) and raw_today:
        return date.fromisoformat(raw_today[:10])
    raw_now = item.get("now_utc")
    now = (
        datetime.fromisoformat(raw_now.replace("Z", "+00:00")) if isinstance(raw_now, str) else None
    )
    return local_today(tz, now)


def process_line(line: str) -> dict[str, object]:
    """The output object for one input line (an error object when the line is not a goal)."""
    try:
        item = json.loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"invalid JSON: {exc}"}
    if not isinstance(item, dict):
        return {"id": None, "error": "a goal line must be a JSON object"}
    goal_id = item.get("id")
    text = item.get("text")
    if not isinstance(text, str):
        return {"id": goal_id, "error": "missing 'text'"}
    raw_tz = item.get("tz")
    tz = raw_tz if isinstance(raw_tz, str) and raw_tz else "UTC"
    try:
        today = _today(item, tz)
    except (ValueError, KeyError) as exc:  # a bad date or an unknown time zone
        return {"id": goal_id, "error": f"bad 'today', 'now_utc' or 'tz': {exc}"}
    return {"id": goal_id, **extract_goal(text, today, tz).to_json()}


def run(
    stdin: IO[bytes],
    stdout: IO[str],
    process: Callable[[str], dict[str, object]] = process_line,
) -> int:
    for raw in stdin:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            result: dict[str, object] = {"id": None, "error": f"not UTF-8: {exc}"}
        else:
            result = process(line)
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    stdout.flush()
    return 0


def check_line(line: str) -> dict[str, object]:
    """The ``check`` command's output for one scenario line (docs/goal-spec.md §12)."""
    try:
        item = json.loads(line)
    except ValueError as exc:
        return {"id": None, "error": f"invalid JSON: {exc}"}
    if not isinstance(item, dict) or not isinstance(item.get("goal"), str):
        return {"id": None, "error": "a scenario line must be a JSON object with a 'goal'"}
    if not item.get("today"):
        item = {**item, "today": _today(item, str(item.get("tz") or "UTC")).isoformat()}
    try:
        return run_scenario(item)
    except (ValueError, KeyError, TypeError) as exc:
        return {"id": item.get("id"), "error": f"bad scenario: {exc}"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    process = check_line if args[:1] == ["check"] else process_line
    try:
        return run(sys.stdin.buffer, sys.stdout, process)
    except OSError as exc:
        print(f"cannot read standard input: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
