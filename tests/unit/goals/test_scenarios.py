"""The scenario suite (tests/data/scenarios.jsonl): 261 goals with their project, expected values
written from SMM practice before the check ran them. Scored through the very path the dialog and
the batch ``check`` command use."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.goals.scorecard import DEFAULT_SUITE, read_suite, score

ROOT = Path(__file__).resolve().parents[3]
SUITE = read_suite(DEFAULT_SUITE)


def test_the_suite_is_big_mostly_russian_and_covers_every_kind() -> None:
    assert len(SUITE) >= 250
    languages = Counter(item["lang"] for item in SUITE)
    assert languages["ru"] >= len(SUITE) * 0.6
    kinds = Counter(item["expect"]["kind"] for item in SUITE)
    assert set(kinds) == {"level", "gain", "total", "rate", "average"}
    assert min(kinds.values()) >= 25
    budgets = {item["project"]["ad_budget"] for item in SUITE}
    assert any("$" in b for b in budgets) and any("тенге" in b for b in budgets)


def test_kind_and_verdict_on_the_whole_suite() -> None:
    card = score(SUITE)
    report = "\n".join(card.misses)
    assert card.share(card.kind_ok) >= 0.9, report
    assert card.share(card.verdict_ok) >= 0.9, report
    assert not card.text_failures, "\n".join(card.text_failures)


def test_the_batch_check_command_writes_one_line_per_scenario() -> None:
    seed = next(item for item in SUITE if item["goal"].startswith("Продать 350 вещей"))
    lines = json.dumps(seed, ensure_ascii=False) + "\nnot json\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot.goals", "check"],
        input=lines.encode(),
        capture_output=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    first, second = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert (first["kind"], first["metric"], first["target"], first["aim"]) == (
        "total",
        "units_sold",
        350,
        "sell_stock",
    )
    assert first["attainability"] in seed["expect"]["verdict"]
    assert "400 штук" in first["text"].replace("\xa0", " ")  # the stock from the notes
    assert all(c["target"] != 350 for c in first["counter"])
    assert second["id"] is None and "error" in second
