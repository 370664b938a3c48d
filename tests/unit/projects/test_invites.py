from __future__ import annotations

import asyncio
import base64
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.models import Invite, Project, Reminder, User
from bot.projects.invites import (
    DEFAULT_TTL,
    MAX_TOKEN_LENGTH,
    InviteStatus,
    accept_invite,
    hash_token,
    invite_link,
    issue_invite,
    revoke_invites,
)
from bot.reminders.rules import ReminderKind
from tests.servers import both_databases
from tests.unit.projects.conftest import MakeProject, MakeUser

DEEP_LINK = re.compile(r"[A-Za-z0-9_-]+")


@pytest.fixture
async def team(make_user: MakeUser) -> tuple[User, User, User]:
    """Anna the specialist, Boris the client-to-be, Vera who should not get in."""
    return await make_user("Анна"), await make_user("Борис"), await make_user("Вера")


async def _invites(session: AsyncSession) -> list[Invite]:
    return list(
        await session.scalars(
            select(Invite).order_by(Invite.id).execution_options(populate_existing=True)
        )
    )


# --- tokens -----------------------------------------------------------------------------------


async def test_tokens_are_long_random_and_deep_link_safe(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna = team[0]
    project = await make_project(anna)

    tokens = [await issue_invite(session, project, anna, now) for _ in range(300)]

    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert DEEP_LINK.fullmatch(token) and len(token) == 32 <= MAX_TOKEN_LENGTH
        assert len(base64.urlsafe_b64decode(token)) * 8 >= 128
    # 9 600 characters drawn uniformly from 64 symbols: every symbol shows up
    assert set("".join(tokens)) == set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    )


async def test_only_the_hash_is_stored(
    session: AsyncSession,
    engine: AsyncEngine,
    sqlite_path: Path,
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
) -> None:
    anna = team[0]
    project = await make_project(anna)

    token = await issue_invite(session, project, anna, now)
    await session.commit()  # as the update does before showing the link

    [invite] = await _invites(session)
    assert invite.token_hash == hash_token(token) and re.fullmatch(
        r"[0-9a-f]{64}", token_hash := invite.token_hash
    )
    assert token_hash != token
    await engine.dispose()  # flush everything to disk, WAL included
    on_disk = b"".join(p.read_bytes() for p in sqlite_path.parent.glob(sqlite_path.name + "*"))
    assert token_hash.encode() in on_disk
    assert token.encode() not in on_disk


async def test_invite_lasts_a_week_by_default_or_the_given_ttl(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna = team[0]
    project = await make_project(anna)

    await issue_invite(session, project, anna, now)
    await issue_invite(session, project, anna, now, ttl=timedelta(hours=1))

    first, second = await _invites(session)
    assert (first.created_by, first.created_at, first.expires_at) == (
        anna.id,
        now,
        now + DEFAULT_TTL,
    )
    assert timedelta(days=7) == DEFAULT_TTL
    assert second.expires_at == now + timedelta(hours=1)


def test_invite_link() -> None:
    assert invite_link("smartbrief_bot", "a-B_9") == "https://t.me/smartbrief_bot?start=a-B_9"


# --- issuing and revoking ---------------------------------------------------------------------


async def test_a_new_invite_revokes_the_earlier_unused_ones_only(
    session: AsyncSession,
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
) -> None:
    anna, boris, _ = team
    project, other_project = await make_project(anna), await make_project(anna)
    other_token = await issue_invite(session, other_project, anna, now)
    used = await issue_invite(session, project, anna, now)
    assert (await accept_invite(session, used, boris, now)).status is InviteStatus.ACCEPTED
    old = await issue_invite(session, project, anna, now)
    later = now + timedelta(minutes=5)

    new = await issue_invite(session, project, anna, later)

    by_hash = {invite.token_hash: invite for invite in await _invites(session)}
    assert by_hash[hash_token(old)].revoked_at == later
    assert by_hash[hash_token(used)].revoked_at is None  # history of who joined stays intact
    assert by_hash[hash_token(new)].revoked_at is None
    assert by_hash[hash_token(other_token)].revoked_at is None


async def test_revoke_invites_closes_open_links(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
) -> None:
    anna, boris, _ = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)
    later = now + timedelta(hours=1)

    await revoke_invites(session, project, later)
    await revoke_invites(session, project, later + timedelta(hours=1))  # keeps the first time
    await session.commit()  # the update's commit

    async with session_factory() as other:
        [invite] = await _invites(other)
        assert invite.revoked_at == later
        outcome = await accept_invite(other, token, boris, later)
    assert outcome.status is InviteStatus.REVOKED
    assert outcome.project is not None and outcome.project.id == project.id


# --- accepting --------------------------------------------------------------------------------


async def test_accepting_binds_the_client_onboards_and_plans_nudges_without_committing(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
) -> None:
    anna, boris, _ = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)
    await session.commit()
    later = now + timedelta(days=2)

    outcome = await accept_invite(session, token, boris, later)

    assert outcome.status is InviteStatus.ACCEPTED
    assert outcome.project is project and project.client_id == boris.id
    assert boris.onboarded  # the questionnaire asks what onboarding would
    nudged = await session.scalars(
        select(Reminder.recipient_id).where(
            Reminder.project_id == project.id, Reminder.kind == ReminderKind.QUESTIONS_PENDING
        )
    )
    assert boris.id in set(nudged)  # planned in the same transaction as the claim
    async with session_factory() as other:  # the update commits, before its reply
        stored = await other.get(Project, project.id)
        assert stored is not None and stored.client_id is None
    await session.commit()
    async with session_factory() as other:
        stored = await other.get(Project, project.id)
        assert stored is not None and stored.client_id == boris.id
        [invite] = await _invites(other)
        assert (invite.used_at, invite.used_by, invite.revoked_at) == (later, boris.id, None)


async def test_the_same_client_opening_the_link_again_just_continues(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna, boris, _ = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)
    await accept_invite(session, token, boris, now)

    again = await accept_invite(session, token, boris, now + timedelta(hours=1))
    long_after = await accept_invite(session, token, boris, now + DEFAULT_TTL * 10)

    assert again.status is long_after.status is InviteStatus.ALREADY_CLIENT
    assert again.project is project
    [invite] = await _invites(session)
    assert invite.used_at == now  # not re-stamped


async def test_someone_else_opening_a_used_link(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna, boris, vera = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)
    await accept_invite(session, token, boris, now)

    outcome = await accept_invite(session, token, vera, now)

    assert (outcome.status, outcome.project) == (InviteStatus.USED, project)
    assert project.client_id == boris.id


async def test_the_specialist_opening_their_own_link(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna = team[0]
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)

    outcome = await accept_invite(session, token, anna, now)

    assert (outcome.status, outcome.project) == (InviteStatus.OWN_LINK, project)
    assert project.client_id is None
    [invite] = await _invites(session)
    assert invite.used_at is None  # the real client can still use it


async def test_a_project_with_another_client_is_taken(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna, boris, vera = team
    project = await make_project(anna)
    await accept_invite(session, await issue_invite(session, project, anna, now), boris, now)
    second = await issue_invite(session, project, anna, now)

    outcome = await accept_invite(session, second, vera, now)

    assert (outcome.status, outcome.project) == (InviteStatus.TAKEN, project)
    assert project.client_id == boris.id


async def test_expiry_is_exclusive_of_the_deadline(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna, boris, vera = team
    late, in_time = await make_project(anna), await make_project(anna)
    late_token = await issue_invite(session, late, anna, now)
    in_time_token = await issue_invite(session, in_time, anna, now)

    expired = await accept_invite(session, late_token, vera, now + DEFAULT_TTL)
    accepted = await accept_invite(
        session, in_time_token, boris, now + DEFAULT_TTL - timedelta(microseconds=1)
    )

    assert (expired.status, expired.project) == (InviteStatus.EXPIRED, late)
    assert late.client_id is None
    assert accepted.status is InviteStatus.ACCEPTED


async def test_a_superseded_link_is_revoked(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna, boris, _ = team
    project = await make_project(anna)
    old = await issue_invite(session, project, anna, now)
    await issue_invite(session, project, anna, now)

    outcome = await accept_invite(session, old, boris, now)

    assert (outcome.status, outcome.project) == (InviteStatus.REVOKED, project)
    assert project.client_id is None


@pytest.mark.parametrize(
    "token",
    [
        "",
        "x" * (MAX_TOKEN_LENGTH + 1),
        "with space",
        "slash/inside",
        "plus+sign",
        "кириллица",
        "padded==",
        "new\nline",
    ],
)
async def test_malformed_tokens_are_unknown_even_if_their_hash_were_stored(
    session: AsyncSession,
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
    token: str,
) -> None:
    anna, boris, _ = team
    project = await make_project(anna)
    session.add(
        Invite(
            project_id=project.id,
            token_hash=hash_token(token) if token.isascii() else "0" * 64,
            created_by=anna.id,
            created_at=now,
            expires_at=now + DEFAULT_TTL,
        )
    )
    await session.commit()

    outcome = await accept_invite(session, token, boris, now)

    assert (outcome.status, outcome.project) == (InviteStatus.UNKNOWN, None)
    assert project.client_id is None


async def test_a_well_formed_but_unknown_token(
    session: AsyncSession, make_project: MakeProject, team: tuple[User, User, User], now: datetime
) -> None:
    anna, boris, _ = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)

    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * MAX_TOKEN_LENGTH, "a"):
        outcome = await accept_invite(session, guess, boris, now)
        assert (outcome.status, outcome.project) == (InviteStatus.UNKNOWN, None)


# --- races ------------------------------------------------------------------------------------


@both_databases
@pytest.mark.parametrize("attempt", range(5))
async def test_two_people_racing_for_one_link_yield_one_client(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
    attempt: int,
) -> None:
    anna, boris, vera = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)
    await session.commit()

    async def accept(user: User) -> InviteStatus:
        async with session_factory() as own:
            status = (await accept_invite(own, token, user, now)).status
            await own.commit()  # as the update does, right before its reply
            return status

    racers = (boris, vera) if attempt % 2 else (vera, boris)
    statuses = await asyncio.gather(*(accept(user) for user in racers))

    assert sorted(statuses) == sorted([InviteStatus.ACCEPTED, InviteStatus.USED])
    winner = racers[statuses.index(InviteStatus.ACCEPTED)]
    await session.refresh(project)
    assert project.client_id == winner.id
    [invite] = await _invites(session)
    assert invite.used_by == winner.id


@both_databases
async def test_a_double_tap_by_the_same_person(
    session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
) -> None:
    anna, boris, _ = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)
    await session.commit()

    async def accept() -> InviteStatus:
        async with session_factory() as own:
            status = (await accept_invite(own, token, boris, now)).status
            await own.commit()
            return status

    statuses = await asyncio.gather(accept(), accept())

    assert sorted(statuses) == sorted([InviteStatus.ACCEPTED, InviteStatus.ALREADY_CLIENT])


@pytest.fixture
def interleave(engine: AsyncEngine, sqlite_path: Path) -> Iterator[list[str]]:
    """Runs the given SQL from another connection right before the first claim's UPDATE.

    That is the worst moment: this session has already read the invite as open and is about to
    write. Yields the list to fill with statements.
    """
    statements: list[str] = []
    fired = False

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal fired
        if fired or not statement.lstrip().upper().startswith("UPDATE PROJECTS"):
            return
        fired = True
        with sqlite3.connect(sqlite_path) as other:
            for sql in statements:
                other.execute(sql)
        other.close()

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    yield statements
    event.remove(engine.sync_engine, "before_cursor_execute", before)


STAMP = "'2026-03-02 09:30:00.000000'"


@pytest.mark.parametrize(
    ("competitor", "expected", "competitor_is_client"),
    [
        (
            [
                "UPDATE projects SET client_id = {vera}",
                "UPDATE invites SET used_at = " + STAMP + ", used_by = {vera}",
            ],
            InviteStatus.USED,
            True,
        ),
        (["UPDATE invites SET revoked_at = " + STAMP], InviteStatus.REVOKED, False),
        (["UPDATE invites SET used_at = " + STAMP], InviteStatus.USED, False),
        (["UPDATE projects SET client_id = {vera}"], InviteStatus.TAKEN, True),
    ],
    ids=["accepted-by-another", "revoked", "used", "client-bound-otherwise"],
)
async def test_a_change_committed_between_reading_and_claiming_wins(
    session: AsyncSession,
    interleave: list[str],
    make_project: MakeProject,
    team: tuple[User, User, User],
    now: datetime,
    competitor: list[str],
    expected: InviteStatus,
    competitor_is_client: bool,
) -> None:
    anna, boris, vera = team
    project = await make_project(anna)
    token = await issue_invite(session, project, anna, now)
    await session.commit()
    interleave.extend(sql.format(vera=vera.id) for sql in competitor)

    outcome = await accept_invite(session, token, boris, now)

    assert (outcome.status, outcome.project) == (expected, project)
    assert project.client_id == (vera.id if competitor_is_client else None)
    [invite] = await _invites(session)
    assert invite.used_by != boris.id
