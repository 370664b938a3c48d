"""Cutting text to Telegram's limits: by Telegram's count, never inside a tag or an entity."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from bot.briefs.telegram_html import telegram_length
from bot.limits import ALERT_LIMIT, MAX_ROW_ID, RowId, cut_markup, cut_plain, utf16_length


def test_plain_text_that_fits_is_kept_as_it_is() -> None:
    assert cut_plain("Зерно", ALERT_LIMIT) == "Зерно"
    assert cut_plain("x" * 200, ALERT_LIMIT) == "x" * 200


def test_plain_text_over_the_limit_ends_in_an_ellipsis_within_it() -> None:
    cut = cut_plain("Кофейня " * 40, ALERT_LIMIT)
    assert cut.endswith("…") and utf16_length(cut) <= ALERT_LIMIT
    assert cut.startswith("Кофейня Кофейня")


def test_an_emoji_counts_twice_and_is_never_halved() -> None:
    cut = cut_plain("🙂" * 150, ALERT_LIMIT)  # 300 UTF-16 units
    assert cut == "🙂" * 99 + "…"  # 198 + 1 units


def test_markup_is_cut_by_visible_length_between_tags_and_entities() -> None:
    markup = "<b>" + "&lt;a&gt; " * 30 + "</b>"  # 120 visible characters
    cut = cut_markup(markup, 50)
    assert telegram_length(cut) <= 50
    assert cut.startswith("<b>&lt;a&gt; ") and cut.endswith("…</b>")
    assert "&lt" not in cut.replace("&lt;", "") and "&g" not in cut.replace("&gt;", "")


def test_markup_that_fits_is_untouched() -> None:
    assert cut_markup("<i>Зерно</i> &amp; кофе", 4096) == "<i>Зерно</i> &amp; кофе"


@pytest.mark.parametrize("value", [0, -1, MAX_ROW_ID + 1, 10**20])
def test_a_row_id_outside_what_a_database_can_hold_does_not_parse(value: int) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(RowId).validate_python(value)


def test_a_row_id_inside_parses() -> None:
    assert TypeAdapter(RowId).validate_python(1_000_000_000_000) == 1_000_000_000_000
