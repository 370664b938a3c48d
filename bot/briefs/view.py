"""A snapshot turned into what the brief templates show, in one reader's language.

Both templates (the chat message and the document) take the same ``BriefView``, so the chat and
the PDF can never disagree about what was agreed. Values fall into two kinds, and the types keep
them apart: ``str`` is raw text (user input or catalogue labels) that the template escapes, and
``Markup`` is a fragment already made safe here (answers through ``format_answer``, which escapes,
and catalogue templates whose parameters are escaped by ``safe_text``).

Words come from the i18n catalog (``brief.*``) and the question catalogue; this module holds none.
It never sends, stores or changes a snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from markupsafe import Markup, escape

from bot.briefs.versioning import short_hash
from bot.i18n import Translator
from bot.questionnaire.catalogue import AnswerType, Catalogue, Question, Who
from bot.questionnaire.display import format_answer
from bot.questionnaire.flow import answer_key, chosen_channels
from bot.roles import Role
from bot.timezones import is_valid_setting, zone_from_setting, zone_label

# Where a side's questionnaire answer is missing, their profile setting of the same kind stands in.
_PROFILE_FIELDS = {
    AnswerType.DAYS: "work_days",
    AnswerType.HOURS: "work_hours",
    AnswerType.TIMEZONE: "timezone",
}


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    value: Markup


@dataclass(frozen=True, slots=True)
class Group:
    """A titled list of rows: one channel, or one side's availability."""

    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class PersonView:
    role: str
    name: str
    username: str | None


@dataclass(frozen=True, slots=True)
class Signature:
    """One approval of the version being shown, as the database recorded it.

    ``at`` is UTC; ``timezone`` is the signer's own zone setting, so each signature is dated in the
    zone of the person who gave it (what they saw on their clock), whoever reads the document."""

    role: Role
    name: str
    username: str | None
    at: datetime
    timezone: str | None


@dataclass(frozen=True, slots=True)
class SignatureView:
    role: str
    name: str
    username: str | None
    when: str
    zone: str


@dataclass(frozen=True, slots=True)
class GoalView:
    """One goal with each SMART letter already spelled out."""

    number: int
    text: str
    specific: Markup
    measurable: Markup
    attainable: Markup
    verdict: str | None
    relevant: Markup
    time_bound: str


@dataclass(frozen=True, slots=True)
class BriefView:
    brand: str
    niche: str
    people: tuple[PersonView, ...]
    client_joined: bool
    aim: tuple[Row, ...]
    channels: tuple[Group, ...]
    content: tuple[Row, ...]
    cadence: tuple[Row, ...]
    availability: tuple[Group, ...]
    approval: tuple[Row, ...]
    goals: tuple[GoalView, ...]
    budget: tuple[Row, ...]
    reporting: tuple[Row, ...]
    deadlines: tuple[Row, ...]
    version: int
    created: str
    created_date: str
    zone: str
    short_hash: str
    full_hash: str
    signatures: tuple[SignatureView, ...]
    signed: bool
    """Every side has approved this version: the document is the signed copy."""


def safe_text(i18n: Translator, key: str, /, **params: Any) -> Markup:
    """A catalog entry (trusted markup) with every string parameter escaped."""
    escaped = {
        name: escape(value) if isinstance(value, str) else value for name, value in params.items()
    }
    return Markup(i18n(key, **escaped))


def field_label(question: Question, i18n: Translator) -> str:
    """The brief's short name for a question, or its full wording for one added since."""
    key = f"brief.field.{question.key}"
    if i18n.has(key):
        return i18n(key)
    return question.text.get(i18n.language).replace("{channel}", "").strip(" :")


def format_amount(i18n: Translator, value: float, unit: str | None) -> Markup:
    number = i18n.format_number(value)
    if unit is not None and i18n.has(f"brief.amount.{unit}"):
        return safe_text(i18n, f"brief.amount.{unit}", value=number)
    if unit is None:
        return Markup(escape(number))
    return Markup(escape(f"{number} {unit}"))


def build_view(
    snapshot: Mapping[str, Any],
    i18n: Translator,
    catalogue: Catalogue,
    *,
    content_hash: str,
    timezone: str | None = None,
    signatures: Sequence[Signature] = (),
) -> BriefView:
    """``signatures`` are the approvals of exactly this version (never of an earlier one)."""
    answers: Mapping[str, object] = snapshot["answers"]
    participants: Mapping[str, Any] = snapshot["participants"]
    setting = timezone or participants["specialist"].get("timezone")
    if setting is not None and not is_valid_setting(setting):
        setting = None
    zone: tzinfo = zone_from_setting(setting) if setting else UTC
    created_at = datetime.fromisoformat(snapshot["created_at"])
    builder = _Builder(i18n, catalogue, answers)
    return BriefView(
        brand=snapshot["project"]["brand"],
        niche=snapshot["project"]["niche"],
        people=builder.people(participants),
        client_joined=participants.get("client") is not None,
        aim=builder.rows("aim"),
        channels=builder.channels(),
        content=builder.rows("content"),
        cadence=builder.cadence(),
        availability=builder.availability(participants),
        approval=builder.rows("availability", who=Who.EITHER),
        goals=builder.goals(snapshot["goals"]),
        budget=builder.rows("budget"),
        reporting=builder.rows("cadence"),
        deadlines=builder.deadlines(snapshot["goals"]),
        version=snapshot["version"],
        created=i18n.format_datetime(created_at, zone),
        created_date=i18n.format_date(created_at.astimezone(zone).date()),
        zone=zone_label(setting, i18n.language) if setting else "UTC",
        short_hash=short_hash(content_hash),
        full_hash=content_hash,
        signatures=tuple(_signature(i18n, signature) for signature in signatures),
        signed=participants.get("client") is not None
        and {signature.role for signature in signatures} >= set(Role),
    )


def _signature(i18n: Translator, signature: Signature) -> SignatureView:
    setting = signature.timezone
    if setting is not None and not is_valid_setting(setting):
        setting = None
    zone: tzinfo = zone_from_setting(setting) if setting else UTC
    return SignatureView(
        role=i18n(f"brief.role.{signature.role.value}"),
        name=signature.name or i18n("brief.former_participant"),
        username=signature.username,
        when=i18n.format_datetime(signature.at, zone),
        zone=zone_label(setting, i18n.language) if setting else "UTC",
    )


class _Builder:
    def __init__(
        self, i18n: Translator, catalogue: Catalogue, answers: Mapping[str, object]
    ) -> None:
        self.i18n = i18n
        self.catalogue = catalogue
        self.answers = answers

    def row(self, question: Question, key: str, fallback: object = None) -> Row:
        value = self.answers.get(key)
        if value is None:
            value = fallback
        shown = Markup(format_answer(question, value, self.i18n))
        words = self.answers.get(question.words_key) if question.free_text else None
        if isinstance(words, str):  # the aim in the client's own words, next to its option
            shown = safe_text(self.i18n, "questionnaire.value.own_words", option=shown, words=words)
        return Row(field_label(question, self.i18n), shown)

    def rows(self, section: str, *, who: Who | None = None) -> tuple[Row, ...]:
        """A section's shared questions (per-channel and per-side ones are grouped elsewhere)."""
        return tuple(
            self.row(question, question.key)
            for question in self.catalogue.questions_in(section)
            if not question.per_channel
            and question.who is not Who.BOTH
            and question.key != self.catalogue.channel_question
            and (who is None or question.who is who)
        )

    def people(self, participants: Mapping[str, Any]) -> tuple[PersonView, ...]:
        people = []
        for role in Role:
            person = participants.get(role.value)
            if person is not None:
                people.append(
                    PersonView(
                        role=self.i18n(f"brief.role.{role.value}"),
                        # blanked by `snapshot.without_former` once the person used /forget
                        name=person["name"] or self.i18n("brief.former_participant"),
                        username=person["username"],
                    )
                )
        return tuple(people)

    def channels(self) -> tuple[Group, ...]:
        # The cadence section lists each channel's posts per week with their total: not here too.
        per_channel = [
            question
            for question in self.catalogue.questions
            if question.per_channel and question.section != "cadence"
        ]
        return tuple(
            Group(
                channel.label.get(self.i18n.language),
                tuple(
                    self.row(question, answer_key(question, channel=channel.key))
                    for question in per_channel
                ),
            )
            for channel in chosen_channels(self.catalogue, self.answers)
        )

    def cadence(self) -> tuple[Row, ...]:
        questions = [q for q in self.catalogue.questions_in("cadence") if q.per_channel]
        rows = []
        total = 0.0
        for question in questions:
            for channel in chosen_channels(self.catalogue, self.answers):
                key = answer_key(question, channel=channel.key)
                value = self.answers.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    total += value
                rows.append(
                    Row(
                        channel.label.get(self.i18n.language),
                        Markup(format_answer(question, value, self.i18n)),
                    )
                )
        if rows:
            rows.append(
                Row(
                    self.i18n("brief.cadence.total"), Markup(escape(self.i18n.format_number(total)))
                )
            )
        return tuple(rows)

    def availability(self, participants: Mapping[str, Any]) -> tuple[Group, ...]:
        questions = [
            question
            for question in self.catalogue.questions_in("availability")
            if question.who is Who.BOTH
        ]
        groups = []
        for role in Role:
            profile = participants.get(role.value) or {}
            rows = []
            for question in questions:
                field = _PROFILE_FIELDS.get(question.type)
                fallback = profile.get(field) if field else None
                rows.append(self.row(question, answer_key(question, owner=role), fallback))
            groups.append(Group(self.i18n(f"brief.role.{role.value}"), tuple(rows)))
        return tuple(groups)

    def goals(self, goals: list[Mapping[str, Any]]) -> tuple[GoalView, ...]:
        return tuple(self.goal(number, goal) for number, goal in enumerate(goals, start=1))

    def goal(self, number: int, goal: Mapping[str, Any]) -> GoalView:
        i18n = self.i18n
        verdict = goal["verdict"]
        attainable = (
            safe_text(i18n, f"brief.verdict.{verdict}")
            if verdict
            else safe_text(i18n, "brief.smart.not_assessed")
        )
        return GoalView(
            number=number,
            text=goal["text"],
            specific=safe_text(
                i18n,
                "brief.smart.specific",
                metric=self.metric_label(goal["metric"]),
                channel=self.goal_channel(goal["channel"]),
            ),
            measurable=self.measurable(goal),
            attainable=attainable,
            verdict=verdict,
            relevant=self.relevant(goal),
            time_bound=i18n.format_date(date.fromisoformat(goal["deadline"])),
        )

    def metric_label(self, metric: str) -> str:
        key = f"brief.metric.{metric}"
        return self.i18n(key) if self.i18n.has(key) else metric

    def goal_channel(self, channel: str | None) -> str:
        if channel is None:
            return self.i18n("brief.smart.no_channel")
        option = self.catalogue.question(self.catalogue.channel_question).option(channel)
        if option is not None:
            return option.label.get(self.i18n.language)
        key = f"brief.channel.{channel}"
        return self.i18n(key) if self.i18n.has(key) else channel

    def measurable(self, goal: Mapping[str, Any]) -> Markup:
        i18n, unit = self.i18n, goal["unit"]
        target = format_amount(i18n, goal["target"], unit)
        if goal["target_is_gain"]:
            target = safe_text(i18n, "brief.smart.gain", amount=target)
        # The kind says how the number counts (issue #14): «30 заявок в месяц», «350 шт. — сумма
        # за период»; snapshots signed before kinds existed have neither key.
        if goal.get("kind") == "rate" and goal.get("period"):
            target = Markup(f"{target} {escape(i18n('goalcheck.period.' + goal['period']))}")
        elif goal.get("kind") == "total":
            target = Markup(f"{target} — {escape(i18n('goalcheck.kind.total'))}")
        baseline = goal["baseline"]
        if baseline is None or goal.get("kind") == "total":  # a total counts from zero
            return safe_text(i18n, "brief.smart.target_only", target=target)
        # A relative gain («+20 %») starts from a count, not from a percentage.
        baseline_unit = None if goal["target_is_gain"] and unit == "percent" else unit
        return safe_text(
            i18n,
            "brief.smart.measurable",
            baseline=format_amount(i18n, baseline, baseline_unit),
            target=target,
        )

    def relevant(self, goal: Mapping[str, Any]) -> Markup:
        aim_question = self.catalogue.question("aim")
        aim = Markup(format_answer(aim_question, self.answers.get("aim"), self.i18n))
        if goal["serves_aim"]:
            return safe_text(self.i18n, "brief.smart.serves", aim=aim)
        if goal["relevance_reason"]:
            return safe_text(self.i18n, "brief.smart.kept", reason=goal["relevance_reason"])
        if goal["serves_aim"] is False:
            return safe_text(self.i18n, "brief.smart.not_serves", aim=aim)
        return safe_text(self.i18n, "brief.smart.not_assessed")

    def deadlines(self, goals: list[Mapping[str, Any]]) -> tuple[Row, ...]:
        ordered = sorted(goals, key=lambda goal: str(goal["deadline"]))
        return tuple(
            Row(
                goal["text"],
                Markup(escape(self.i18n.format_date(date.fromisoformat(goal["deadline"])))),
            )
            for goal in ordered
        )
