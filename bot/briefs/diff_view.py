"""Field-level changes between two brief versions, labelled and formatted for people.

``versioning.diff_snapshots`` says *where* something changed (a path into the snapshot); this
module says it the way the brief itself does: the question's short name with its channel or side
(«ВКонтакте · Аудитория сейчас»), goal fields by name, and values formatted exactly as the brief
shows them, so "old → new" reads like the two documents. Labels are raw text; values are
``Markup`` (escaped here or by ``format_answer``). It never sends or stores anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from bot.briefs.versioning import Change, ChangeKind
from bot.briefs.view import field_label, format_amount, safe_text
from bot.i18n import Translator
from bot.questionnaire.catalogue import (
    CHANNEL_PREFIX,
    WORDS_SUFFIX,
    AnswerType,
    Catalogue,
    Question,
)
from bot.questionnaire.display import format_answer
from bot.roles import Role

VALUE_LIMIT = 200
"""Long answers are cut in the diff: the full text is in the brief itself."""
_GOAL_NAME_LIMIT = 60
_PERSON_FIELD_TYPES = {
    "work_days": AnswerType.DAYS,
    "work_hours": AnswerType.HOURS,
    "timezone": AnswerType.TIMEZONE,
}


@dataclass(frozen=True, slots=True)
class ChangeView:
    label: str
    old: Markup
    new: Markup
    kind: ChangeKind


def build_changes(
    changes: list[Change],
    i18n: Translator,
    catalogue: Catalogue,
    snapshot: Mapping[str, Any] | None = None,
) -> tuple[ChangeView, ...]:
    """``snapshot`` (the new version) lets a goal be named by its wording instead of its id."""
    namer = _Namer(i18n, catalogue, snapshot)
    return tuple(namer.view(change) for change in changes)


class _Namer:
    def __init__(
        self, i18n: Translator, catalogue: Catalogue, snapshot: Mapping[str, Any] | None
    ) -> None:
        self.i18n = i18n
        self.catalogue = catalogue
        goals = snapshot.get("goals", []) if snapshot else []
        self.goal_texts = {goal["id"]: goal["text"] for goal in goals}

    def view(self, change: Change) -> ChangeView:
        label, render = self.describe(change.path)
        return ChangeView(
            label, self.value(render, change.old), self.value(render, change.new), change.kind
        )

    def value(self, render: Any, value: object) -> Markup:
        if value is None:
            return Markup(escape(self.i18n("brief.none")))
        result: Markup = render(value)
        return result

    def describe(self, path: tuple[str | int, ...]) -> tuple[str, Any]:
        """The label for a path and the function that formats values found there."""
        match path:
            case ("answers", str(key)):
                return self.answer(key)
            case ("goals", goal_id):
                return self.i18n("brief.diff.goal"), lambda goal: self.text(goal["text"])
            case ("goals", goal_id, str(field)):
                return self.goal_field(goal_id, field)
            case ("participants", str(role)) if role in set(Role):
                return self.i18n(f"brief.role.{role}"), lambda person: self.text(person["name"])
            case ("participants", str(role), str(field)) if role in set(Role):
                return self.person_field(role, field)
            case ("project", str(field)) if self.i18n.has(f"brief.diff.project_field.{field}"):
                return self.i18n(f"brief.diff.project_field.{field}"), self.text
        return " · ".join(str(part) for part in path), self.raw

    def answer(self, key: str) -> tuple[str, Any]:
        parts = key.split(".")
        prefix = None
        question_key = key
        if len(parts) == 3 and parts[0] == CHANNEL_PREFIX:
            option = self.catalogue.question(self.catalogue.channel_question).option(parts[1])
            prefix = option.label.get(self.i18n.language) if option else parts[1]
            question_key = parts[2]
        elif len(parts) == 2 and parts[1] == WORDS_SUFFIX:  # the aim in the client's words
            question_key = parts[0]
        elif len(parts) == 2 and parts[1] in set(Role):
            prefix = self.i18n(f"brief.role.{parts[1]}")
            question_key = parts[0]
        try:
            question = self.catalogue.question(question_key)
        except KeyError:
            return key, self.raw
        label = field_label(question, self.i18n)
        return (f"{prefix} · {label}" if prefix else label), self.answer_value(question)

    def answer_value(self, question: Question) -> Any:
        def render(value: object) -> Markup:
            return Markup(format_answer(question, value, self.i18n, limit=VALUE_LIMIT))

        return render

    def goal_field(self, goal_id: str | int, field: str) -> tuple[str, Any]:
        text = self.goal_texts.get(goal_id)
        if text is None:
            name = f"{self.i18n('brief.diff.goal')} #{goal_id}"
        else:
            short = text if len(text) <= _GOAL_NAME_LIMIT else text[: _GOAL_NAME_LIMIT - 1] + "…"
            name = f"{self.i18n('brief.diff.goal')} «{short}»"
        key = f"brief.diff.goal_field.{field}"
        label = f"{name} · {self.i18n(key)}" if self.i18n.has(key) else f"{name} · {field}"
        return label, self.goal_value(field)

    def goal_value(self, field: str) -> Any:
        i18n = self.i18n
        renderers: dict[str, Any] = {
            "text": self.text,
            "relevance_reason": self.text,
            "deadline": lambda value: Markup(escape(i18n.format_date(date.fromisoformat(value)))),
            "verdict": lambda value: self.known(f"brief.verdict.{value}", value),
            "metric": lambda value: self.known(f"brief.metric.{value}", value),
            "channel": self.channel,
            "target": lambda value: format_amount(i18n, value, None),
            "baseline": lambda value: format_amount(i18n, value, None),
            "unit": lambda value: self.known(f"brief.amount.{value}", value, value=""),
            "target_is_gain": self.flag,
            "kind": lambda value: self.known(f"goalcheck.kind.{value}", value),
            "serves_aim": self.flag,
        }
        return renderers.get(field, self.raw)

    def person_field(self, role: str, field: str) -> tuple[str, Any]:
        key = f"brief.diff.person_field.{field}"
        name = self.i18n(key) if self.i18n.has(key) else field
        label = f"{self.i18n(f'brief.role.{role}')} · {name}"
        kind = _PERSON_FIELD_TYPES.get(field)
        if kind is not None:
            question = next(q for q in self.catalogue.questions if q.type is kind)
            return label, self.answer_value(question)
        return label, self.text

    def channel(self, value: object) -> Markup:
        option = self.catalogue.question(self.catalogue.channel_question).option(str(value))
        if option is not None:
            return Markup(escape(option.label.get(self.i18n.language)))
        return self.known(f"brief.channel.{value}", value)

    def known(self, key: str, fallback: object, **params: Any) -> Markup:
        if self.i18n.has(key):
            return Markup(safe_text(self.i18n, key, **params).strip())
        return self.text(fallback)

    def flag(self, value: object) -> Markup:
        return Markup(escape(self.i18n("brief.diff.yes" if value else "brief.diff.no")))

    def text(self, value: object) -> Markup:
        text = str(value)
        if len(text) > VALUE_LIMIT:
            text = text[: VALUE_LIMIT - 1] + "…"
        return Markup(escape(text))

    def raw(self, value: object) -> Markup:
        """A value at a path the brief does not know (a newer snapshot format): shown as JSON."""
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return self.text(shown)
