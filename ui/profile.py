"""The person's profile as a screen shows it: shared by /settings and the end of onboarding
(``dialogs/settings.py`` and ``dialogs/onboarding.py``, which must not import each other)."""

from __future__ import annotations

import html

from bot.db.models import User
from bot.i18n import Translator
from bot.timezones import zone_label
from bot.users import clean_work_days


def profile_summary(i18n: Translator, user: User) -> dict[str, str]:
    """Zone, working days and hours as /settings and the end of onboarding show them."""
    not_set = i18n("settings.not_set")
    return {
        "zone": html.escape(zone_label(user.timezone, i18n.language)) if user.timezone else not_set,
        "days": i18n.format_weekdays(clean_work_days(user.work_days)) or not_set,
        "hours": i18n(
            "settings.hours_value",
            start=user.work_start.strftime("%H:%M"),
            end=user.work_end.strftime("%H:%M"),
        )
        if user.work_start and user.work_end
        else not_set,
    }
