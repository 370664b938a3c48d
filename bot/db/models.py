"""Typed ORM models. Later features add their tables here and an alembic revision beside them."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.db.types import LenientTime, UTCDateTime
from bot.questionnaire.answers import JsonValue
from bot.reminders.rules import ReminderKind
from bot.roles import Role


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), time: LenientTime()}


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True, index=True)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="ru")
    timezone: Mapped[str | None] = mapped_column(String(64))
    work_days: Mapped[list[int] | None] = mapped_column(JSON)
    work_start: Mapped[time | None]
    work_end: Mapped[time | None]
    is_specialist: Mapped[bool] = mapped_column(default=False)
    onboarded: Mapped[bool] = mapped_column(default=False)
    blocked: Mapped[bool] = mapped_column(default=False)
    # The specialist's Monday digest of every project (``bot.reminders.digest``); /settings turns
    # it off.
    weekly_digest: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Set by /forget (bot/forget.py): the row stays only as the signer of the briefs the other
    # side keeps, with nothing of the person left in it; renderings say «бывший участник».
    forgotten_at: Mapped[datetime | None]

    @property
    def display_name(self) -> str:
        if self.forgotten_at is not None:
            return "—"  # nothing of the person is left; briefs say «бывший участник» instead
        return self.first_name or (f"@{self.username}" if self.username else str(self.telegram_id))


class ProjectStatus(enum.StrEnum):
    QUESTIONNAIRE = "questionnaire"
    GOALS = "goals"
    SIGNOFF = "signoff"
    SIGNED = "signed"
    ARCHIVED = "archived"


class Project(Timestamped, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    specialist_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    brand: Mapped[str] = mapped_column(String(200))
    niche: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProjectStatus] = mapped_column(
        Enum(
            ProjectStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ProjectStatus.QUESTIONNAIRE,
    )
    # While archived (status ARCHIVED): when, and the status a restore puts back, so archiving
    # never loses where the project stood.
    archived_at: Mapped[datetime | None]
    archived_from: Mapped[str | None] = mapped_column(String(16))

    specialist: Mapped[User] = relationship(foreign_keys=[specialist_id], lazy="joined")
    client: Mapped[User | None] = relationship(foreign_keys=[client_id], lazy="joined")


class FSMRecord(Base):
    """One aiogram FSM key (state + data); aiogram-dialog keeps its stacks and contexts here too."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str] = mapped_column(Text, default="{}")


class Answer(Base):
    """One questionnaire answer of a project, under its answer key (see `bot.questionnaire.flow`).

    The value keeps the shapes documented in `bot.questionnaire.answers`; who answered and when are
    kept beside it because the summary and the brief show them.
    """

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_answers_project_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    value: Mapped[JsonValue] = mapped_column(JSON, nullable=False)
    answered_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime]


class Invite(Base):
    """A link that makes whoever opens it first the project's client.

    Only the token's SHA-256 is stored: a database leak must not hand out working invite links.
    """

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Goal(Timestamped, Base):
    """A SMART goal: of a project (1–5 each), or a specialist's personal one (`project_id` empty).

    The fields are those of `bot.goals.GoalDraft` once the person has confirmed or corrected them;
    the original text stays for the record. A goal kept despite a relevance warning keeps the
    reason the person gave.
    """

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(32))
    target: Mapped[float]
    unit: Mapped[str | None] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    deadline: Mapped[date]
    baseline: Mapped[float | None]
    target_is_gain: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str | None] = mapped_column(String(16))
    """level, gain, total, rate or average (`bot.goals.kinds.Kind`); None on rows saved before."""
    period: Mapped[str | None] = mapped_column(String(16))
    """The period of a rate: day, week, month, quarter or year."""
    verdict: Mapped[str | None] = mapped_column(String(32))
    relevance_reason: Mapped[str | None] = mapped_column(Text)


class ReminderStatus(enum.StrEnum):
    PLANNED = "planned"
    CLAIMED = "claimed"  # a sender holds it; see `claimed_at` and the lease in bot.reminders.queue
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt; `last_error` says why
    CANCELLED = "cancelled"  # no longer wanted, or the recipient blocked the bot


class Reminder(Base):
    """One reminder to deliver once: the durable queue behind `bot.reminders.sender`.

    `key` is the reminder rules' deterministic key, unique, so planning again updates instead of adding.
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(
        Enum(
            ReminderKind,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int | None]
    due_at: Mapped[datetime]
    status: Mapped[ReminderStatus] = mapped_column(
        Enum(
            ReminderStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ReminderStatus.PLANNED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    sent_at: Mapped[datetime | None]
    # The delivered message while its buttons are live: a later nudge of the same series takes
    # them away (one live nudge per series), and this is cleared once they are gone.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, JsonValue] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]


class BriefVersion(Base):
    """One immutable, numbered snapshot of a project's brief (`bot.briefs.snapshot`), as sent.

    Never updated: a change to the answers or goals makes a new row with the next number, so
    every version anyone approved stays readable exactly as it was.
    """

    __tablename__ = "brief_versions"
    __table_args__ = (
        UniqueConstraint("project_id", "number", name="uq_brief_versions_project_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Decision(enum.StrEnum):
    APPROVE = "approve"
    CHANGES = "changes"  # asked to change something, with a comment for the other side


class Approval(Base):
    """One person's decision on one brief version: who, in which role, when, and what they said.

    A partial unique index lets each person approve a version once, whatever races two taps
    start; requests for changes are comments and may be many.
    """

    __tablename__ = "approvals"
    __table_args__ = (
        Index(
            "uq_approvals_one_approval",
            "version_id",
            "user_id",
            unique=True,
            sqlite_where=text("decision = 'approve'"),
            postgresql_where=text("decision = 'approve'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("brief_versions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    decision: Mapped[Decision] = mapped_column(
        Enum(Decision, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class CheckIn(Base):
    """One value of a goal's metric, typed by the specialist at a check-in or at the deadline.

    ``goal_id`` is the goal's id as the signed brief holds it, deliberately without a foreign
    key: a signed version outlives later edits of the goal rows, and so must what was measured
    against it.
    """

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_project_goal_at", "project_id", "goal_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    goal_id: Mapped[int]
    value: Mapped[float]
    at: Mapped[datetime]
    by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReminderPreference(Base):
    """One person's say over one project's reminders: muted, or snoozed until an instant.

    Kept apart from the reminders themselves because planning rewrites those: the rules'
    output is filtered through these rows every time, so a mute or a snooze outlives re-planning.
    """

    __tablename__ = "reminder_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "project_id", name="uq_reminder_preferences_user_project"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    muted: Mapped[bool] = mapped_column(default=False)
    snoozed_until: Mapped[datetime | None]
