"""Answers the questionnaire can take from a person's profile instead of asking again.

Time zone, working days and hours are set at first contact (/start, /settings); the availability
section asks the same for the brief. They are one fact about the person, kept in two places: the
profile (which every reminder reads) and the project's answers (which the brief shows). Pre-filling
the answers from the profile keeps the person from typing them twice, and `profile_change` turns
an answer given in the questionnaire back into the profile fields it sets, so a client who joins by
invite (and never saw /start's onboarding) gets reminders in their own zone and hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.questionnaire.answers import JsonValue
from bot.questionnaire.catalogue import AnswerType, Catalogue, Who, load_catalogue
from bot.questionnaire.flow import answer_key
from bot.questionnaire.hours import Hours
from bot.roles import Role
from bot.timezones import is_valid_setting

#: The answer types that are profile fields, not facts about one project.
PROFILE_TYPES = (AnswerType.TIMEZONE, AnswerType.DAYS, AnswerType.HOURS)


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """The profile fields one questionnaire answer sets; ``None`` leaves a field as it is."""

    timezone: str | None = None
    work_days: tuple[int, ...] | None = None
    hours: Hours | None = None


def profile_answers(
    role: Role,
    *,
    timezone: str | None,
    work_days: list[int] | None,
    work_start: time | None,
    work_end: time | None,
    catalogue: Catalogue | None = None,
) -> dict[str, JsonValue]:
    known: dict[AnswerType, JsonValue] = {}
    if timezone:
        known[AnswerType.TIMEZONE] = timezone
    if work_days:
        known[AnswerType.DAYS] = [day for day in sorted(set(work_days))]
    if work_start is not None and work_end is not None:
        known[AnswerType.HOURS] = dict(Hours(work_start, work_end).to_json())
    return {
        answer_key(question, owner=role): known[question.type]
        for question in (catalogue or load_catalogue()).questions
        if question.who is Who.BOTH and question.type in known
    }


def profile_change(
    role: Role, key: str, value: JsonValue, catalogue: Catalogue | None = None
) -> ProfileChange | None:
    """What answering `key` with `value` as `role` changes in that person's profile, if anything.

    Only the person's own copy of a shared availability question counts (the client's zone never
    moves the specialist's); a value of the wrong shape (a skipped answer, a stale row) changes
    nothing rather than writing junk into the profile every reminder reads."""
    for question in (catalogue or load_catalogue()).questions:
        if question.who is not Who.BOTH or question.type not in PROFILE_TYPES:
            continue
        if answer_key(question, owner=role) != key:
            continue
        if question.type is AnswerType.TIMEZONE:
            if isinstance(value, str) and is_valid_setting(value):
                return ProfileChange(timezone=value)
        elif question.type is AnswerType.DAYS:
            days = value if isinstance(value, list) else []
            valid = sorted({d for d in days if isinstance(d, int) and 0 <= d <= 6})
            if valid:
                return ProfileChange(work_days=tuple(valid))
        elif isinstance(value, dict):
            try:
                hours = Hours.from_json({k: str(v) for k, v in value.items()})
            except (KeyError, ValueError):
                return None
            return ProfileChange(hours=hours)
        return None
    return None
