"""Use cases around the person talking to the bot: first contact, language, time zone, hours."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import dialect_insert
from bot.db.models import User, utcnow
from bot.i18n import pick_language


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
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
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
        await session.commit()
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user
    if user.first_name != first_name[:128] or user.username != username:
        user.first_name, user.username = first_name[:128], username
    if user.blocked:
        user.blocked = False  # writing to the bot again means they unblocked it
    return user


async def set_language(session: AsyncSession, user: User, language: str) -> None:
    user.language = language
    await session.commit()


async def set_timezone(session: AsyncSession, user: User, zone: str) -> None:
    user.timezone = zone
    await session.commit()


async def set_role(session: AsyncSession, user: User, *, specialist: bool) -> None:
    user.is_specialist = specialist
    await session.commit()


async def set_work_days(session: AsyncSession, user: User, days: list[int]) -> None:
    user.work_days = sorted(set(days))
    await session.commit()


async def set_work_hours(session: AsyncSession, user: User, start: time, end: time) -> None:
    user.work_start, user.work_end = start, end
    await session.commit()


async def finish_onboarding(session: AsyncSession, user: User) -> None:
    user.onboarded = True
    await session.commit()
