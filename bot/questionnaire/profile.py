"""Answers the questionnaire can take from a person's profile instead of asking again.

Time zone, working days and hours are set at first contact (/start, /settings); the availability
section asks the same for the brief. Pre-filling them keeps the person from typing them twice while
leaving them editable from the summary like any other answer.
"""

from __future__ import annotations

from datetime import time

from bot.questionnaire.answers import JsonValue
from bot.questionnaire.catalogue import AnswerType, Catalogue, Who, load_catalogue
from bot.questionnaire.flow import answer_key
from bot.questionnaire.hours import Hours
from bot.roles import Role


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
