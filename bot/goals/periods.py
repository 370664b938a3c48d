"""Calendar landmarks offered as deadline buttons: the end of this month and of this quarter."""

from __future__ import annotations

import calendar
from datetime import date


def end_of_month(today: date) -> date:
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def end_of_quarter(today: date) -> date:
    last_month = (today.month - 1) // 3 * 3 + 3
    return date(today.year, last_month, calendar.monthrange(today.year, last_month)[1])
