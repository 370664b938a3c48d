"""What each screen offered, remembered for a bounded number of screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, KeyboardButton

from dialogs.drawn_keyboards import DrawnKeyboards


def button(data: str | None, text: str = "·") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data, url=None if data else "https://t.me")


def test_a_screen_offers_the_callback_data_of_its_buttons_as_drawn_last() -> None:
    drawn = DrawnKeyboards()
    assert drawn.offered(("ctx", "Q:question")) is None  # never drawn here
    drawn.remember(("ctx", "Q:question"), [[button("s:1a2b3c:multi:vk"), button(None)]])
    drawn.remember(("ctx", "Q:question"), [[button("s:9f8e7d:skip")], [KeyboardButton(text="x")]])
    assert drawn.offered(("ctx", "Q:question")) == {"s:9f8e7d:skip"}  # the last drawing only
    assert drawn.offered(("other", "Q:question")) is None


def test_the_least_recently_drawn_screens_are_forgotten_first() -> None:
    drawn = DrawnKeyboards(remembered=2)
    drawn.remember(("a", "S"), [[button("1")]])
    drawn.remember(("b", "S"), [[button("2")]])
    drawn.remember(("a", "S"), [[button("3")]])  # drawn again: now the newest
    drawn.remember(("c", "S"), [[button("4")]])
    assert drawn.offered(("b", "S")) is None
    assert drawn.offered(("a", "S")) == {"3"} and drawn.offered(("c", "S")) == {"4"}
