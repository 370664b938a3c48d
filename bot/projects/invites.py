"""Invite links: the specialist forwards one, and whoever opens it first becomes the client.

A token is ≥128 bits of randomness in Telegram's deep-link alphabet; only its SHA-256 is stored,
so the database alone never yields a working link. This module must not check that the issuer
may manage the project (that is `access.load_project_for`), and must never store or log a token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Invite, Project, User
from bot.projects.access import load_project_for
from bot.reminders import planning
from bot.roles import Role

DEFAULT_TTL = timedelta(days=7)
TOKEN_BYTES = 24  # 192 bits; `token_urlsafe` turns them into exactly 32 characters
MAX_TOKEN_LENGTH = 64  # Telegram's limit for a /start parameter
_TOKEN_RE = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_TOKEN_LENGTH}}}")


class InviteStatus(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_CLIENT = "already_client"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"
    OWN_LINK = "own_link"
    TAKEN = "taken"
    UNKNOWN = "unknown"


#: The outcomes after which the person is the project's client (just now or already before).
JOINED = (InviteStatus.ACCEPTED, InviteStatus.ALREADY_CLIENT)


@dataclass(frozen=True, slots=True)
class InviteOutcome:
    status: InviteStatus
    project: Project | None = None


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """What the specialist is shown: the project, the token for the link, and when it expires."""

    project: Project
    token: str
    expires_at: datetime


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


async def issue_invite(
    session: AsyncSession,
    project: Project,
    by: User,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
) -> str:
    """A fresh token; earlier unused links stop working, so only the latest one forwarded counts."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await _revoke_open(session, project.id, now)
    session.add(
        Invite(
            project_id=project.id,
            token_hash=hash_token(token),
            created_by=by.id,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return token


async def revoke_invites(session: AsyncSession, project: Project, now: datetime) -> None:
    await _revoke_open(session, project.id, now)


async def invite_client(
    session: AsyncSession, user: User, project_id: int, now: datetime
) -> IssuedInvite:
    """The specialist's «invite» use case; raises `AccessDenied` for anyone else."""
    project, _role = await load_project_for(session, user, project_id, role=Role.SPECIALIST)
    token = await issue_invite(session, project, user, now)
    return IssuedInvite(project, token, now + DEFAULT_TTL)


async def close_invites(session: AsyncSession, user: User, project_id: int, now: datetime) -> None:
    """The specialist's «revoke the links» use case; raises `AccessDenied` for anyone else."""
    project, _role = await load_project_for(session, user, project_id, role=Role.SPECIALIST)
    await revoke_invites(session, project, now)


async def accept_invite(
    session: AsyncSession, token: str, user: User, now: datetime
) -> InviteOutcome:
    """Bind the user as the project's client, exactly once even when two people race for it.

    The claim is a single conditional UPDATE; whoever loses the race re-reads the committed state
    and gets the outcome that state implies (USED, TAKEN, REVOKED …). The state only moves forward,
    so the loop ends after at most one lost race. A won claim re-plans the project's reminders (the
    client's question nudges) in the same transaction, and a person who joined is onboarded (the
    questionnaire asks what onboarding would). Never commits: the update does, before the reply.
    """
    if _TOKEN_RE.fullmatch(token) is None:
        return InviteOutcome(InviteStatus.UNKNOWN)
    token_hash = hash_token(token)
    user_id = user.id
    while True:
        row = (
            await session.execute(
                select(Invite, Project)
                .join(Project, Project.id == Invite.project_id)
                .where(Invite.token_hash == token_hash)
                .execution_options(populate_existing=True)
            )
        ).first()
        if row is None:
            return InviteOutcome(InviteStatus.UNKNOWN)
        invite, project = row
        status = _refusal(invite, project, user_id, now)
        if status is not None:
            if status in JOINED:
                user.onboarded = True
            return InviteOutcome(status, project)
        if await _claim(session, invite, user_id, now):
            await session.refresh(project)
            user.onboarded = True
            await planning.replan_project(session, project.id, now)
            return InviteOutcome(InviteStatus.ACCEPTED, project)


def _refusal(invite: Invite, project: Project, user_id: int, now: datetime) -> InviteStatus | None:
    """Why this user cannot take this invite now, or None if they can.

    Who the person is comes first: the specialist and the bound client get a friendly answer
    whatever state the link is in.
    """
    if project.specialist_id == user_id:
        return InviteStatus.OWN_LINK
    if project.client_id == user_id:
        return InviteStatus.ALREADY_CLIENT
    if invite.used_at is not None:
        return InviteStatus.USED
    if invite.revoked_at is not None:
        return InviteStatus.REVOKED
    if invite.expires_at <= now:
        return InviteStatus.EXPIRED
    if project.client_id is not None:
        return InviteStatus.TAKEN
    return None


async def _claim(session: AsyncSession, invite: Invite, user_id: int, now: datetime) -> bool:
    """Set the client only if nobody has meanwhile, and only while the invite is still unused and
    unrevoked (expiry needs no re-check: it depends on `now` alone, already checked).

    The conditions sit in one UPDATE, so there is no window between checking and writing; once it
    matched, this transaction holds the project row (PostgreSQL) or the write lock (SQLite), so
    no other acceptor gets in before the invite is marked used.
    """
    result = await session.execute(
        update(Project)
        .where(
            Project.id == invite.project_id,
            Project.client_id.is_(None),
            exists().where(
                Invite.id == invite.id,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
            ),
        )
        .values(client_id=user_id)
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", result).rowcount != 1:
        return False
    await session.execute(
        update(Invite)
        .where(Invite.id == invite.id)
        .values(used_at=now, used_by=user_id)
        .execution_options(synchronize_session=False)
    )
    return True


async def _revoke_open(session: AsyncSession, project_id: int, now: datetime) -> None:
    await session.execute(
        update(Invite)
        .where(
            Invite.project_id == project_id,
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
