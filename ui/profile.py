"""The person's profile as a screen shows it: shared by /settings and the end of onboarding
(``dialogs/settings.py`` and ``dialogs/onboarding.py``, which must not import each other)."""

from __future__ import annotations

import html

from bot.db.models import User
from bot.i18n import Translator
from bot.timezones import zone_label


def profile_summary(i18n: Translator, user: User) -> dict[str, str]:
    """Zone, working days and hours as /settings and the end of onboarding show them."""
    names = i18n.locale.days["format"]["abbreviated"]
    not_set = i18n("settings.not_set")
    return {
        "zone": html.escape(zone_label(user.timezone, i18n.language)) if user.timezone else not_set,
        "days": ", ".join(names[day] for day in sorted(user.work_days) if 0 <= day < 7)
        if user.work_days
        else not_set,
        "hours": i18n(
            "settings.hours_value",
            start=user.work_start.strftime("%H:%M"),
            end=user.work_end.strftime("%H:%M"),
        )
        if user.work_start and user.work_end
        else not_set,
    }
