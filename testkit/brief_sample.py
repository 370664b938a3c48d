"""A realistic brief for the brief tests and ``bench/brief.py``: any number of goals and channels."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from bot.briefs.snapshot import GoalInfo, PersonInfo, ProjectInfo, build_snapshot
from bot.questionnaire.catalogue import load_catalogue

CREATED_AT = datetime(2026, 8, 1, 9, 5, tzinfo=UTC)
SPECIALIST = PersonInfo(
    name="Анна Смирнова",
    username="anna_smm",
    timezone="Asia/Yekaterinburg",
    work_days=(0, 1, 2, 3, 4),
    work_start=time(10),
    work_end=time(19),
)
CLIENT = PersonInfo(
    name="Борис Котов",
    username="boris_knit",
    timezone="Europe/Moscow",
    work_days=(0, 1, 2, 3, 4, 5),
    work_start=time(9),
    work_end=time(18),
)
_GOALS = (
    ("Продать 40 курток прошлого сезона", "units_sold", 40.0, "units", "vk", 0.0, "realistic"),
    ("Получать 30 заявок в месяц", "leads", 30.0, "leads", "telegram", 10.0, "ambitious"),
    ("Выручка 500 000 ₽ в месяц", "revenue", 500_000.0, "rub", "ozon", 200_000.0, "unrealistic"),
    ("Переходы на сайт +20 %", "traffic", 20.0, "percent", "website", 900.0, None),
    ("+500 подписчиков в группе", "followers", 500.0, "people", "vk", 1200.0, "realistic"),
)


def answers(channels: int = 2, *, long_answer: str | None = None) -> dict[str, Any]:
    chosen = [option.key for option in load_catalogue().channels[:channels]]
    result: dict[str, Any] = {
        "aim": "sell_stock",
        "aim_success": long_answer or "К сентябрю на складе не осталось летней коллекции",
        "channels": chosen,
        "topics": "Новинки, как мы шьём, советы по уходу",
        "photos_by": "client",
        "product_info_by": "together",
        "tone": "Дружелюбно, на «вы»",
        "taboos": {"skipped": True},
        "report_frequency": "biweekly",
        "report_format": ["table", "call"],
        "approval": "weekly_plan",
        "ad_budget": {"amount": 30000, "currency": "RUB"},
        "constraints": "Распродажа до 31 августа, 12 сентября открываем второй магазин",
    }
    for index, channel in enumerate(chosen):
        result[f"channel.{channel}.handle"] = f"https://example.org/{channel}/cozy_knit"
        result[f"channel.{channel}.audience"] = 1000 + 250 * index
        result[f"channel.{channel}.formats"] = ["posts", "stories", "clips"]
        result[f"channel.{channel}.posts_per_week"] = 3 if index % 2 else 2.5
    for role in ("specialist", "client"):
        result[f"work_days.{role}"] = [0, 1, 2, 3, 4]
        result[f"work_hours.{role}"] = {"start": "10:00", "end": "19:00"}
        result[f"timezone.{role}"] = "Asia/Yekaterinburg" if role == "specialist" else "UTC+03:00"
        result[f"response_time.{role}"] = "few_hours"
    return result


def goals(count: int = 2) -> list[GoalInfo]:
    result = []
    for index in range(count):
        text, metric, target, unit, channel, baseline, verdict = _GOALS[index % len(_GOALS)]
        result.append(
            GoalInfo(
                id=index + 1,
                text=text,
                metric=metric,
                target=target,
                unit=unit,
                channel=channel,
                deadline=date(2026, 9 + index % 3, 30),
                baseline=baseline,
                target_is_gain=unit in ("percent", "people"),
                verdict=verdict,
                relevance_reason="Нужна узнаваемость перед открытием"
                if metric == "followers"
                else None,
            )
        )
    return result


def snapshot(
    *,
    goal_count: int = 2,
    channels: int = 2,
    long_answer: str | None = None,
    brand: str = "Уютный свитер",
    specialist: PersonInfo = SPECIALIST,
    client: PersonInfo | None = CLIENT,
    extra_answers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return build_snapshot(
        project=ProjectInfo(brand=brand, niche="Вязаная одежда ручной работы"),
        specialist=specialist,
        client=client,
        answers={**answers(channels, long_answer=long_answer), **(extra_answers or {})},
        goals=goals(goal_count),
        version=3,
        created_at=CREATED_AT,
    )
