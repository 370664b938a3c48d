"""The "R" of SMART: does the goal's metric serve the client's real business aim?

The seed story is the reason this exists: a specialist grew a VK community by +500 people while the
client needed to sell last season's stock. ``data/aim_metrics.json`` maps each questionnaire aim to
the metrics that serve it, best first; a vanity metric (followers, subscribers, reach, views,
engagement) set for a sales-type aim raises ``seed_warning`` so the UI can tell that story and
offer better metrics.

The client's own words count too (``bot.goals.aims``): an aim typed as «набрать группу на курс»
that stayed "other" is still read for what it mentions, so followers against it warn; and the
"how will you know it worked" answer puts the metrics it names first among the suggestions.

This module must never import aiogram or SQLAlchemy and never return prose: flags and vocabulary
values only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.goals.aims import aim_mentions, success_metrics

_HERE = Path(__file__).resolve().parent
_AIMS_PATH = _HERE / "data" / "aim_metrics.json"
_VOCAB_PATH = _HERE / "vocab.json"


@dataclass(frozen=True, slots=True)
class Relevance:
    """``suggested_metrics`` are the aim's other metrics, best first (empty for ``other``)."""

    aim: str
    metric: str
    serves: bool
    suggested_metrics: tuple[str, ...]
    seed_warning: bool


@dataclass(frozen=True, slots=True)
class _AimTable:
    aims: dict[str, tuple[str, ...]]
    accepts_all: frozenset[str]
    vanity_metrics: frozenset[str]
    seed_warning_aims: frozenset[str]


@cache
def _table() -> _AimTable:
    data = json.loads(_AIMS_PATH.read_text(encoding="utf-8"))
    return _AimTable(
        aims={aim: tuple(metrics) for aim, metrics in data["aims"].items()},
        accepts_all=frozenset(data["accepts_all"]),
        vanity_metrics=frozenset(data["vanity_metrics"]),
        seed_warning_aims=frozenset(data["seed_warning_aims"]),
    )


@cache
def _metrics() -> frozenset[str]:
    return frozenset(json.loads(_VOCAB_PATH.read_text(encoding="utf-8"))["metric"])


def aims() -> tuple[str, ...]:
    """The questionnaire's aim keys, in the order the data file lists them."""
    return tuple(_table().aims)


def metrics_for_aim(aim: str) -> tuple[str, ...]:
    """Metrics that serve ``aim``, best first; the UI offers them when a goal has no metric yet."""
    table = _table()
    if aim not in table.aims:
        raise ValueError(f"unknown aim {aim!r}")
    return table.aims[aim]


def check_relevance(
    aim: str, metric: str, *, words: str | None = None, success: str | None = None
) -> Relevance:
    """Check one goal's metric against the aim; raises ValueError for unknown aims or metrics.

    ``words`` is the aim as the client typed it and ``success`` their "how will you know it
    worked" answer. For an aim that accepts every metric ("other"), both are read for the aims
    they mention, and the goal must serve one of those; with no such words it passes. The
    metrics ``success`` names come first among the suggestions.
    """
    table = _table()
    serving = metrics_for_aim(aim)
    if metric not in _metrics():
        raise ValueError(f"unknown metric {metric!r}")
    mentioned: tuple[str, ...] = ()
    if aim in table.accepts_all:
        text = " ".join(part for part in (words, success) if part)
        mentioned = tuple(a for a in aim_mentions(text) if a in table.aims) if text else ()
        serving = tuple(dict.fromkeys(m for a in mentioned for m in table.aims[a]))
    serves = metric in serving or (aim in table.accepts_all and not mentioned)
    warning_aims = (aim, *mentioned)
    named = success_metrics(success) if success else ()
    preferred = [m for m in named if m in serving or not serving]
    suggested = tuple(dict.fromkeys([*preferred, *serving]))
    return Relevance(
        aim=aim,
        metric=metric,
        serves=serves,
        suggested_metrics=tuple(m for m in suggested if m != metric),
        seed_warning=not serves
        and metric in table.vanity_metrics
        and any(a in table.seed_warning_aims for a in warning_aims),
    )
