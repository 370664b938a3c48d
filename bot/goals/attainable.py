"""The "A" of SMART: the table of usual growth and costs that every attainability verdict reads.

``data/growth_ranges.csv`` holds one row per metric x channel x mode, each with its source;
channel ``*`` is the generic fallback:

* organic rows: how a metric usually moves without ads — ``growth_pct`` (percent a month, with
  an absolute weekly ``floor_per_week`` for audiences, so a small account is not judged by
  percentages alone), ``pp`` (percentage points a month for ratios), ``reduction_pct`` (a cost
  going down), ``posts_per_week`` (what one specialist sustains); ``ref_posts_per_week`` is the
  cadence the growth range assumes (near the Rival IQ median of about five brand posts a week);
* paid rows: ``rub_per_unit``, the usual cost of one unit bought with ads, in roubles (converted
  with the dated rates of ``data/fx_rates.csv``); for revenue it is spend per unit of revenue,
  1/ROAS, the same in every currency.

The judgement per kind of goal is :mod:`bot.goals.judge`. This module never imports aiogram or
SQLAlchemy and never returns prose.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

_RANGES_PATH = Path(__file__).resolve().parent / "data" / "growth_ranges.csv"

MONTH_DAYS = 365.25 / 12
STRETCH = 2.0
"""How far past the typical high end an ambitious (but possible) goal may go: top performers in
benchmark reports run at roughly twice the median — a rule of thumb."""
OUTPUT_STRETCH = 1.5
"""Publishing 50 % over what one specialist sustains is a crunch; beyond that it breaks."""
MAX_DEADLINE_DAYS = 5 * 365
"""A realistic deadline further than five years away is not a proposal anyone would sign."""
_GENERIC = "*"


class Verdict(StrEnum):
    REALISTIC = "realistic"
    AMBITIOUS = "ambitious"
    UNREALISTIC = "unrealistic"
    NEEDS_BASELINE = "needs_baseline"
    """Kept for goals saved before the quantity model; new checks say ``needs_input``."""
    NEEDS_INPUT = "needs_input"
    DEADLINE_PASSED = "deadline_passed"


class Mode(StrEnum):
    ORGANIC = "organic"
    PAID = "paid"


@dataclass(frozen=True, slots=True)
class RangeRow:
    """One row of the growth-range table; ``low``/``high`` are in the units of ``measure``."""

    metric: str
    channel: str
    mode: Mode
    measure: str
    low: float
    high: float
    floor_per_week: float | None
    ref_posts_per_week: float | None
    source: str


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def load_growth_ranges() -> tuple[RangeRow, ...]:
    """Read the range table once; the UI may show a row's ``source`` next to the verdict."""
    with _RANGES_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            RangeRow(
                metric=row["metric"],
                channel=row["channel"],
                mode=Mode(row["mode"]),
                measure=row["measure"],
                low=float(row["low"]),
                high=float(row["high"]),
                floor_per_week=_optional_float(row["floor_per_week"]),
                ref_posts_per_week=_optional_float(row["ref_posts_per_week"]),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


@cache
def _rows_by_key() -> dict[tuple[str, str, Mode, str], RangeRow]:
    return {(r.metric, r.channel, r.mode, r.measure): r for r in load_growth_ranges()}


def find_row(metric: str, channel: str | None, mode: Mode, measure: str) -> RangeRow | None:
    """The channel's own row, else the generic ``*`` row (``multi`` and unknown use ``*``)."""
    rows = _rows_by_key()
    if channel is not None and (own := rows.get((metric, channel, mode, measure))) is not None:
        return own
    return rows.get((metric, _GENERIC, mode, measure))
