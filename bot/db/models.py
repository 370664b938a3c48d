"""Typed ORM models. Later features add their tables here and an alembic revision beside them."""

from __future__ import annotations

import enum
from datetime import UTC, datetime, time
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, String, Text, Time
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.db.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), time: Time()}


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

    @property
    def display_name(self) -> str:
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

    specialist: Mapped[User] = relationship(foreign_keys=[specialist_id], lazy="joined")
    client: Mapped[User | None] = relationship(foreign_keys=[client_id], lazy="joined")


class FSMRecord(Base):
    """One aiogram FSM key (state + data); aiogram-dialog keeps its stacks and contexts here too."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str] = mapped_column(Text, default="{}")
