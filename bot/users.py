"""Use cases around the person talking to the bot: first contact, language, time zone, hours.

None commits (the update does, see `bot.db.middleware`); a zone, days or hours change the
person's reminders too, so /settings goes through `bot.projects.profile`, which re-plans them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import dialect_insert
from bot.db.models import User, utcnow
from bot.i18n import pick_language
from bot.timezones import is_iana_zone, repair_setting

log = logging.getLogger(__name__)

#: Working days as `date.weekday()` counts them: 0 = Monday … 6 = Sunday.
WEEKDAYS = range(7)


def clean_work_days(values: Iterable[object] | None) -> list[int]:
    """The valid weekday numbers among `values`, sorted and unique; anything else (8, a 20-digit
    number, "mon", True) is dropped."""
    days = {v for v in values or () if isinstance(v, int) and not isinstance(v, bool)}
    return sorted(days & set(WEEKDAYS))


def repair_profile(user: User, now: datetime) -> bool:
    """Make a profile the code can use — a zone `zoneinfo` loads, weekdays 0–6, both hours or
    neither — whatever a hand edit or an older version left in the row. What cannot be read
    becomes "not set", which means the defaults. Returns whether anything changed (the caller's
    transaction stores it); each change is logged with the person's id."""
    changed = False
    zone = repair_setting(user.timezone, now)
    if zone != user.timezone:
        log.warning("user %s: time zone %r repaired to %r", user.id, user.timezone, zone)
        user.timezone, changed = zone, True
    if user.work_days is not None:
        days = clean_work_days(user.work_days) or None
        if days != user.work_days:
            log.warning("user %s: working days %r repaired to %r", user.id, user.work_days, days)
            user.work_days, changed = days, True
    if (user.work_start is None) != (user.work_end is None):
        log.warning("user %s: working hours %s–%s reset", user.id, user.work_start, user.work_end)
        user.work_start, user.work_end, changed = None, None, True
    return changed


#: Built once and run with the id as a parameter: on SQLite, building a select costs about half
#: as much as running it, and this one runs on every update.
_BY_TELEGRAM_ID = select(User).where(User.telegram_id == bindparam("telegram_id"))


async def get_or_create_user(
    session: AsyncSession,
    *,
    telegram_id: int,
    first_name: str,
    username: str | None,
    language_code: str | None,
    default_language: str,
) -> User:
    """Load the user once per update; the first contact fixes the language from the client's."""
    user = await session.scalar(_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
    if user is None:
        # Two first updates of a new person can arrive at once (aiogram handles them concurrently):
        # insert-if-absent, then read whichever row won.
        insert = dialect_insert(session)(User).values(
            telegram_id=telegram_id,
            first_name=first_name[:128],
            username=username,
            language=pick_language(language_code, default_language),
            created_at=utcnow(),
            updated_at=utcnow(),
            is_specialist=False,
            onboarded=False,
            blocked=False,
        )
        await session.execute(insert.on_conflict_do_nothing(index_elements=[User.telegram_id]))
        user = await session.scalar(_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
        assert user is not None
        return user
    if user.first_name != first_name[:128] or user.username != username:
        user.first_name, user.username = first_name[:128], username
    if user.blocked:
        user.blocked = False  # writing to the bot again means they unblocked it
    repair_profile(user, utcnow())
    return user


async def set_language(session: AsyncSession, user: User, language: str) -> None:
    user.language = language


async def set_timezone(session: AsyncSession, user: User, zone: str) -> None:
    """Raises ValueError for anything `zoneinfo` cannot load: what is stored is always usable."""
    if not is_iana_zone(zone):
        raise ValueError(f"not a time zone: {zone!r}")
    user.timezone = zone


async def set_role(session: AsyncSession, user: User, *, specialist: bool) -> None:
    user.is_specialist = specialist


async def set_work_days(session: AsyncSession, user: User, days: list[int]) -> None:
    """Raises ValueError for anything but weekday numbers 0–6: callers check what they got from a
    person first, so nothing else ever reaches the profile."""
    cleaned = clean_work_days(days)
    if not cleaned or len(cleaned) != len(set(days)):
        raise ValueError(f"working days are weekday numbers 0..6, got {days!r}")
    user.work_days = cleaned


async def set_work_hours(session: AsyncSession, user: User, start: time, end: time) -> None:
    user.work_start, user.work_end = start, end


async def finish_onboarding(session: AsyncSession, user: User) -> None:
    user.onboarded = True
