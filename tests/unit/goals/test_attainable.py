"""The growth and cost table every attainability verdict reads (bot/goals/data/growth_ranges.csv):
vocabulary values only, a source on every row, a generic row for every metric. The verdicts
themselves are tested in test_judge.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from bot.goals.attainable import Mode, find_row, load_growth_ranges

GOALS_DIR = Path(__file__).resolve().parents[3] / "bot" / "goals"


# --- the data table ------------------------------------------------------------------------------


def _vocab() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOALS_DIR / "vocab.json").read_text(encoding="utf-8"))
    return data


def test_every_row_uses_vocabulary_values_and_cites_a_source() -> None:
    vocab = _vocab()
    with (GOALS_DIR / "data" / "growth_ranges.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))

    assert rows
    for row in rows:
        assert row["metric"] in vocab["metric"], row
        assert row["channel"] == "*" or row["channel"] in vocab["channel"], row
        assert row["channel"] != "multi", row
        assert row["mode"] in ("organic", "paid"), row
        assert row["source"].strip(), row
        assert 0 < float(row["low"]) <= float(row["high"]), row
        expected = "rub_per_unit" if row["mode"] == "paid" else row["measure"]
        assert row["measure"] == expected, row
    keys = [(r["metric"], r["channel"], r["mode"], r["measure"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_every_metric_has_a_generic_organic_row() -> None:
    generic = {
        r.metric for r in load_growth_ranges() if r.channel == "*" and r.mode is Mode.ORGANIC
    }

    assert generic == set(_vocab()["metric"])
    assert find_row("engagement", "*", Mode.ORGANIC, "pp") is not None
    assert find_row("engagement", "*", Mode.ORGANIC, "growth_pct") is not None
