"""Channel rules (docs/goal-spec.md §4)."""

from __future__ import annotations

import pytest

from bot.goals.channels import CHANNELS, find_channel
from bot.numbers import normalize_text


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("в ТГ-канал", "telegram"),
        ("в телеге", "telegram"),
        ("в инсте", "instagram"),
        ("Instagram* Reels", "instagram"),
        ("шортсы", "youtube"),
        ("клипы ВК", "vk"),
        ("VK Реклама", "vk"),
        ("рассылка ВК", "vk"),
        ("Telegram-бот", "telegram"),
        ("email newsletter", "email"),
        ("на ВБ", "wildberries"),
        ("в ОК", "ok"),
        ("ЯМ", "yandex_market"),
        ("on X", "x"),
        ("Facebook ads", "facebook"),
        ("интернет-магазин", "website"),
        ("в ВК и Telegram", "multi"),
        ("переходы на лендинг из ВК", "vk"),
        ("clicks to the store from Pinterest", "pinterest"),
        ("переходы на Wildberries из тг", "telegram"),
        ("переходы на сайт из соцсетей", "website"),
        ("в соцсетях и на маркетплейсах", None),
        ("реклама в канале", None),
        ("ок, давайте", None),
        ("институт", None),
        ("x2 продаж", None),
    ],
)
def test_channel(text: str, channel: str | None) -> None:
    assert find_channel(text, normalize_text(text)) == channel


def test_vocabulary_is_loaded_from_vocab_json() -> None:
    assert "yandex_market" in CHANNELS and "multi" in CHANNELS
