"""The brief's layout as a reader sees it: one participant per line, each fact once."""

from __future__ import annotations

import pytest

from bot.briefs.render import render_chat
from bot.briefs.snapshot import brief_hash
from testkit import brief_sample as sample


@pytest.mark.parametrize(
    ("language", "specialist", "client"),
    [("ru", "SMM-специалист", "Заказчик"), ("en", "SMM specialist", "Client")],
)
def test_each_participant_is_on_a_line_of_their_own(
    language: str, specialist: str, client: str
) -> None:
    snapshot = sample.snapshot(goal_count=1, channels=1)
    chat = "\n".join(render_chat(snapshot, language, content_hash=brief_hash(snapshot)))
    lines = chat.splitlines()
    assert f"• {specialist}: <b>Анна Смирнова</b> (@anna_smm)" in lines
    assert f"• {client}: <b>Борис Котов</b> (@boris_knit)" in lines


def test_posts_per_week_appear_once_per_channel() -> None:
    snapshot = sample.snapshot(goal_count=1, channels=2)
    chat = "\n".join(render_chat(snapshot, "ru", content_hash=brief_hash(snapshot)))
    channels_section = chat.split("📣")[1].split("🗓")[0]
    cadence_section = chat.split("🗓")[1].split("🕐")[0]
    assert "в неделю" not in channels_section.lower()
    assert "2,5" in cadence_section and "3" in cadence_section
