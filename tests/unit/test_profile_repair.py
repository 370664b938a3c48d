"""A profile is only ever stored with weekdays 0–6, and one that holds anything else is repaired."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.db.models import User
from bot.users import clean_work_days, repair_profile, set_timezone, set_work_days

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0, 1, 2, 3, 4, 7, 99999999999999999999], [0, 1, 2, 3, 4]),
        ([6, 6, 5], [5, 6]),
        ([-1, "mon", 3.0, True, None], []),
        (None, []),
    ],
)
def test_clean_work_days(values: list[object] | None, expected: list[int]) -> None:
    assert clean_work_days(values) == expected


class _Session:
    async def commit(self) -> None:
        return None


@pytest.mark.parametrize("days", [[0, 7], [99999999999999999999], [-1], []])
async def test_set_work_days_refuses_anything_but_weekdays(days: list[int]) -> None:
    user = User(work_days=[0, 1])
    with pytest.raises(ValueError, match="weekday"):
        await set_work_days(_Session(), user, days)  # type: ignore[arg-type]
    assert user.work_days == [0, 1]


def test_repair_profile_keeps_what_is_valid_and_clears_the_rest() -> None:
    user = User(
        id=7,
        timezone="UTC+05:00",
        work_days=[0, 1, 2, 3, 4, 7, 99999999999999999999],
        work_start=time(9),
        work_end=None,
    )
    assert repair_profile(user, NOW)
    assert (user.timezone, user.work_days, user.work_start, user.work_end) == (
        "Asia/Yekaterinburg",
        [0, 1, 2, 3, 4],
        None,
        None,
    )
    assert not repair_profile(user, NOW)  # nothing left to repair


def test_a_profile_with_nothing_readable_falls_back_to_not_set() -> None:
    user = User(id=8, timezone="Mars/Olympus", work_days=[8, 9])
    assert repair_profile(user, NOW)
    assert (user.timezone, user.work_days) == (None, None)


@pytest.mark.parametrize("zone", ["UTC+03:00", "Mars/Olympus", "", "../../etc/passwd"])
async def test_set_timezone_stores_only_zones_zoneinfo_loads(zone: str) -> None:
    user = User(timezone="Europe/Moscow")
    with pytest.raises(ValueError, match="not a time zone"):
        await set_timezone(_Session(), user, zone)  # type: ignore[arg-type]
    assert user.timezone == "Europe/Moscow"
    await set_timezone(_Session(), user, "Etc/GMT-13")  # type: ignore[arg-type]
    assert user.timezone == "Etc/GMT-13"
