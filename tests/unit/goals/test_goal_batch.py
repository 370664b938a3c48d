"""The batch command ``python -m bot.goals`` (docs/goal-spec.md §10), run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot.goals"], input=stdin, capture_output=True, cwd=ROOT, check=False
    )


def test_json_lines_in_and_out_in_order() -> None:
    lines = [
        {
            "id": "g001",
            "text": "+700 подписчиков в ТГ-канал до конца года",
            "today": "2026-11-22",
            "tz": "Europe/Moscow",
        },
        {
            "id": "g002",
            "text": "Make $5k from our Shopify site in January",
            "today": "2026-11-22",
            "tz": "UTC",
            "x": 1,
        },
    ]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    done = _run(stdin + b"not json\n")
    assert done.returncode == 0
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert out[0] == {
        "id": "g001",
        "metric": "followers",
        "target": 700,
        "unit": "people",
        "channel": "telegram",
        "deadline": "2026-12-31",
        "missing": [],
        "baseline": None,
        "kind": "gain",
        "period": None,
    }
    assert (out[1]["id"], out[1]["metric"], out[1]["target"], out[1]["unit"]) == (
        "g002",
        "revenue",
        5000,
        "usd",
    )
    assert out[2]["id"] is None and "error" in out[2]
    assert len(out) == 3


def test_without_today_the_date_comes_from_now_utc_in_the_zone() -> None:
    line = {
        "id": "tz",
        "text": "до конца квартала 50 заявок",
        "now_utc": "2026-06-30T21:10:00Z",
        "tz": "Asia/Novosibirsk",
    }
    done = _run((json.dumps(line) + "\n").encode())
    assert json.loads(done.stdout)["deadline"] == "2026-09-30"


def test_bad_lines_do_not_stop_the_run() -> None:
    done = _run(b'[1, 2]\n{"id": "x"}\n\xff\xfe\n{"id": "y", "text": "50 leads", "today": "bad"}\n')
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 0
    assert [o["id"] for o in out] == [None, "x", None, "y"]
    assert all("error" in o for o in out)
