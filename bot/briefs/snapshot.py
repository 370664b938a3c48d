"""A brief's snapshot: the plain, JSON-able record of one version, built from plain values.

The snapshot is what gets stored with a version, hashed for sign-off and diffed between versions.
It holds the project, both participants, the questionnaire answers that are still asked, and the
goals. Two keys describe the version rather than its content (``version`` and ``created_at``):
``brief_content`` leaves them out, so ``brief_hash`` and ``brief_changes`` compare only what people
agreed on, and rebuilding the same brief later gives the same hash.

Built for stable hashes: answers the questionnaire no longer asks (the audience of an unticked
channel) are dropped, goals are sorted by id, and the result has gone through the canonical JSON
form, so dates are ISO strings and text is NFC.

This module never renders, words or stores anything and imports nothing from Telegram or the
database: callers turn their rows into the dataclasses below.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from bot.briefs.versioning import Change, canonical_json, content_hash, diff_snapshots
from bot.goals.attainable import Verdict
from bot.goals.relevant import check_relevance
from bot.questionnaire.catalogue import Catalogue, load_catalogue
from bot.questionnaire.flow import Flow

SNAPSHOT_FORMAT = 2
"""Bumped when the snapshot's shape changes; it is part of the hash on purpose."""
VERSION_KEYS = ("version", "created_at")
"""Keys that describe the version, not the agreement: left out of the hash and the diff."""


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    brand: str
    niche: str = ""


@dataclass(frozen=True, slots=True)
class PersonInfo:
    """One side as their profile has it; ``timezone`` is a ``bot.timezones`` setting string.

    The interface language is deliberately absent: switching /lang must not change what was signed.
    """

    name: str
    username: str | None = None
    timezone: str | None = None
    work_days: Sequence[int] | None = None
    work_start: time | None = None
    work_end: time | None = None


@dataclass(frozen=True, slots=True)
class GoalInfo:
    """A confirmed goal; ``verdict`` is a ``Verdict`` value, ``relevance_reason`` why it was kept."""

    id: int | str
    text: str
    metric: str
    target: float
    deadline: date
    unit: str | None = None
    channel: str | None = None
    baseline: float | None = None
    target_is_gain: bool = False
    verdict: str | None = None
    relevance_reason: str | None = None
    kind: str | None = None
    """level, gain, total, rate or average (``bot.goals.kinds.Kind``); check-ins read it."""
    period: str | None = None


def build_snapshot(
    *,
    project: ProjectInfo,
    specialist: PersonInfo,
    client: PersonInfo | None,
    answers: Mapping[str, object],
    goals: Sequence[GoalInfo],
    version: int,
    created_at: datetime,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    verdicts = {verdict.value for verdict in Verdict}
    for goal in goals:
        if goal.verdict is not None and goal.verdict not in verdicts:
            raise ValueError(f"goal {goal.id!r}: unknown verdict {goal.verdict!r}")
    catalogue = catalogue or load_catalogue()
    steps = Flow(None, answers, catalogue).steps
    # A free-text choice's own words («набрать группу на курс») belong to the brief as well.
    asked = {step.key for step in steps} | {
        s.question.words_key for s in steps if s.question.free_text
    }
    aim = answers.get("aim")
    words, success = answers.get("aim.words"), answers.get("aim_success")
    told = (
        words if isinstance(words, str) else None,
        success if isinstance(success, str) else None,
    )
    raw = {
        "format": SNAPSHOT_FORMAT,
        "version": version,
        "created_at": created_at.astimezone(UTC).isoformat(),
        "project": {"brand": project.brand, "niche": project.niche},
        "participants": {
            "specialist": _person(specialist),
            "client": None if client is None else _person(client),
        },
        "answers": {key: value for key, value in answers.items() if key in asked},
        "goals": [
            _goal(goal, aim if isinstance(aim, str) else None, told)
            for goal in sorted(goals, key=_goal_order)
        ],
    }
    snapshot: dict[str, Any] = json.loads(canonical_json(raw))
    return snapshot


def brief_content(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot without its version number and date: what both sides sign."""
    return {key: value for key, value in snapshot.items() if key not in VERSION_KEYS}


def brief_hash(snapshot: Mapping[str, Any]) -> str:
    return content_hash(brief_content(snapshot))


def brief_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    return diff_snapshots(brief_content(old), brief_content(new))


def without_former(snapshot: Mapping[str, Any], former: Collection[str]) -> dict[str, Any]:
    """The snapshot as shown after members of ``former`` (role values) used /forget: their name
    and @username are blanked, which renderings show as «бывший участник». The stored snapshot
    and its hash stay as signed; this is only what is displayed."""
    participants = dict(snapshot["participants"])
    for role in former:
        person = participants.get(role)
        if person is not None:
            participants[role] = {**person, "name": "", "username": None}
    return {**snapshot, "participants": participants}


def _person(person: PersonInfo) -> dict[str, object]:
    hours = None
    if person.work_start is not None and person.work_end is not None:
        hours = {"start": f"{person.work_start:%H:%M}", "end": f"{person.work_end:%H:%M}"}
    return {
        "name": person.name,
        "username": person.username,
        "timezone": person.timezone,
        "work_days": None if person.work_days is None else sorted(set(person.work_days)),
        "work_hours": hours,
    }


def _goal(
    goal: GoalInfo, aim: str | None, told: tuple[str | None, str | None]
) -> dict[str, object]:
    return {
        "id": goal.id,
        "text": goal.text,
        "metric": goal.metric,
        "target": goal.target,
        "unit": goal.unit,
        "channel": goal.channel,
        "deadline": goal.deadline,
        "baseline": goal.baseline,
        "target_is_gain": goal.target_is_gain,
        "kind": goal.kind,
        "period": goal.period,
        "verdict": goal.verdict,
        "serves_aim": _serves(aim, goal.metric, told),
        "relevance_reason": goal.relevance_reason,
    }


def _serves(aim: str | None, metric: str, told: tuple[str | None, str | None]) -> bool | None:
    """Recorded with the version, so a later change of the aim table cannot rewrite a signed brief.

    ``told`` is what the client said in their own words — the typed aim and the success answer —
    read as the goal dialog reads them."""
    if aim is None:
        return None
    words, success = told
    try:
        return check_relevance(aim, metric, words=words, success=success).serves
    except ValueError:
        return None


def _goal_order(goal: GoalInfo) -> tuple[bool, int | str]:
    # Integer ids sort numerically (2 before 10); the flag keeps ints and strs from being compared.
    return isinstance(goal.id, str), goal.id
