"""The questionnaire's order, worked out from the catalogue and the answers given so far.

One generic dialog asks whatever `Flow.next_step()` says, shows `Flow.progress()` («Шаг 4 из 11»),
goes back with `Flow.previous_step()` and lists `Flow.sections()` in the summary; nothing else
decides what is asked when. Because the steps are recomputed from the stored answers every
time, a person can leave and come back days later and land on the first open question.

Answer keys (the contract with storage):

- a plain question: its key, `aim`;
- a per-channel question: `channel.<channel>.<key>`, `channel.vk.audience`;
- a question both sides answer for themselves: `<key>.<role>`, `work_hours.client`.

A skipped optional question holds the skip marker (`answers.skip_marker()`) so it is not asked
again; a required question never counts as answered by a skip marker.

Pure logic: no Telegram, no database, no text for people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.questionnaire.answers import is_skipped
from bot.questionnaire.catalogue import (
    CHANNEL_PREFIX,
    Catalogue,
    Option,
    Question,
    Section,
    Who,
    load_catalogue,
)
from bot.roles import Role


@dataclass(frozen=True, slots=True)
class Step:
    """One question as one person meets it: for one channel, or as one side's own copy."""

    question: Question
    key: str
    channel: Option | None = None
    owner: Role | None = None

    def text(self, language: str) -> str:
        """The question's wording with the channel's name filled in where the catalogue asks."""
        wording = self.question.text.get(language)
        if self.channel is None:
            return wording
        return wording.format(channel=self.channel.label.get(language))

    def label(self, language: str) -> str:
        """The short name review screens show, with the channel's name filled in likewise."""
        label = self.question.label.get(language)
        if self.channel is None:
            return label
        return label.format(channel=self.channel.label.get(language))

    def example(self, language: str) -> str:
        """The channel's own example where the catalogue gives one, else the question's."""
        own = self.channel.example_for(self.question.key) if self.channel is not None else None
        return own or self.question.example.get(language)


def answer_key(question: Question, *, channel: str | None = None, owner: Role | None = None) -> str:
    if question.per_channel:
        if channel is None:
            raise ValueError(f"question {question.key!r} is asked per channel")
        return f"{CHANNEL_PREFIX}.{channel}.{question.key}"
    if question.who is Who.BOTH:
        if owner is None:
            raise ValueError(f"question {question.key!r} is answered by each side separately")
        return f"{question.key}.{owner}"
    return question.key


class Flow:
    """The steps one role answers (or, with `role=None`, every step — for the brief's summary)."""

    def __init__(
        self,
        role: Role | None,
        answers: Mapping[str, object],
        catalogue: Catalogue | None = None,
    ) -> None:
        self.role = role
        self.answers = answers
        self.catalogue = catalogue or load_catalogue()
        self.steps, self._index = _plan(self.catalogue, role, answers)

    def step(self, key: str) -> Step | None:
        """The step behind an answer key — for Edit from the summary; None if no longer asked."""
        index = self._index.get(key)
        return None if index is None else self.steps[index]

    def is_done(self, step: Step) -> bool:
        if step.key not in self.answers or self.answers[step.key] is None:
            return False
        return step.question.optional or not is_skipped(self.answers[step.key])

    def next_step(self) -> Step | None:
        """Where to resume: the first step neither answered nor skipped; None when all are done."""
        return next((step for step in self.steps if not self.is_done(step)), None)

    def following_step(self, step: Step) -> Step | None:
        """The step right after this one in order, answered or not (Next after going Back)."""
        index = self._position(step) + 1
        return self.steps[index] if index < len(self.steps) else None

    def previous_step(self, step: Step) -> Step | None:
        index = self._position(step)
        return self.steps[index - 1] if index else None

    def progress(self, step: Step, already_done: int = 0) -> tuple[int, int]:
        """(this step's number, number of steps) for «Шаг 4 из 11». The number counts the steps
        done, not the position, so it moves by one per answer even where a question further on
        was answered elsewhere (by the other side) — no jump from 2 to 8 — and the total is what
        `remaining()` counts down from. ``already_done``: steps that were done before the person
        opened the questionnaire (from the profile, by the other side); they are counted in
        neither, so the first question is «1 of n». The total grows only when channels are added."""
        self._position(step)  # a step no longer asked is an error, not a number
        done = sum(1 for other in self.steps if other.key != step.key and self.is_done(other))
        total = max(len(self.steps) - already_done, 1)
        return min(max(done - already_done, 0) + 1, total), total

    def done_count(self) -> int:
        return sum(1 for step in self.steps if self.is_done(step))

    def remaining(self) -> int:
        """Steps not done yet: what the project card counts, the same count the steps show."""
        return sum(1 for step in self.steps if not self.is_done(step))

    def sections(self) -> tuple[tuple[Section, tuple[Step, ...]], ...]:
        """Sections in catalogue order with their steps; sections with no step are left out."""
        grouped = []
        for section in self.catalogue.sections:
            steps = tuple(step for step in self.steps if step.question.section == section.key)
            if steps:
                grouped.append((section, steps))
        return tuple(grouped)

    def missing_required(self) -> tuple[Step, ...]:
        return tuple(
            step for step in self.steps if not step.question.optional and not self.is_done(step)
        )

    def _position(self, step: Step) -> int:
        try:
            return self._index[step.key]
        except KeyError:
            raise ValueError(f"step {step.key!r} is not asked with these answers") from None


def missing_required(
    answers: Mapping[str, object], catalogue: Catalogue | None = None
) -> dict[Role, tuple[Step, ...]]:
    """What each side still owes before the brief can be sent (shared questions count for both)."""
    return {role: Flow(role, answers, catalogue).missing_required() for role in Role}


def unused_answers(answers: Mapping[str, object], catalogue: Catalogue | None = None) -> list[str]:
    """Stored keys no step asks any more, e.g. the audience of a channel that was unticked."""
    asked = {step.key for step in Flow(None, answers, catalogue).steps}
    return [key for key in answers if key not in asked]


def chosen_channels(catalogue: Catalogue, answers: Mapping[str, object]) -> tuple[Option, ...]:
    """The channels picked so far, in the catalogue's order, ignoring keys it does not know."""
    picked = answers.get(catalogue.channel_question)
    if not isinstance(picked, list):
        return ()
    return tuple(option for option in catalogue.channels if option.key in picked)


Plan = tuple[tuple[Step, ...], dict[str, int]]  # the steps, and each one's position by key

#: Plans already worked out, one per catalogue, role and set of channels picked: the steps depend
#: on nothing else, and a flow is made several times per update.
_plans: dict[tuple[int, Role | None, tuple[str, ...]], tuple[Catalogue, Plan]] = {}


def _plan(catalogue: Catalogue, role: Role | None, answers: Mapping[str, object]) -> Plan:
    channels = chosen_channels(catalogue, answers)
    key = (id(catalogue), role, tuple(option.key for option in channels))
    known = _plans.get(key)
    if known is not None and known[0] is catalogue:  # not another catalogue at a reused id
        return known[1]
    steps = tuple(_steps(catalogue, role, channels))
    plan = steps, {step.key: index for index, step in enumerate(steps)}
    _plans[key] = (catalogue, plan)
    return plan


def _steps(catalogue: Catalogue, role: Role | None, channels: tuple[Option, ...]) -> list[Step]:
    steps: list[Step] = []
    questions = catalogue.questions
    index = 0
    while index < len(questions):
        question = questions[index]
        if not question.per_channel:
            steps.extend(_copies(question, role))
            index += 1
            continue
        # Consecutive per-channel questions of a section are asked channel by channel:
        # VK link, VK audience, then Telegram link, Telegram audience.
        run = [question]
        while (
            index + len(run) < len(questions)
            and questions[index + len(run)].per_channel
            and questions[index + len(run)].section == question.section
        ):
            run.append(questions[index + len(run)])
        for channel in channels:
            for member in run:
                if _answers(role, member.who):
                    key = answer_key(member, channel=channel.key)
                    steps.append(Step(member, key, channel=channel))
        index += len(run)
    return steps


def _copies(question: Question, role: Role | None) -> list[Step]:
    if question.who is Who.BOTH:
        owners = list(Role) if role is None else [role]
        return [Step(question, answer_key(question, owner=owner), owner=owner) for owner in owners]
    if _answers(role, question.who):
        return [Step(question, question.key)]
    return []


def _answers(role: Role | None, who: Who) -> bool:
    return role is None or who in (Who.BOTH, Who.EITHER) or who.value == role.value
