"""Telegram's size limits, and cutting text to fit them without breaking it.

Telegram refuses, rather than shortens, a text over its limit: a callback answer over 200
characters shows nothing at all, a message over 4 096 is not sent. Lengths are Telegram's: UTF-16
code units of the text after HTML parsing (an emoji outside the Basic Multilingual Plane counts
twice, a tag nothing, ``&lt;`` one). Cutting never splits an HTML tag or entity and closes the tags
it leaves open; plain text (alerts, button labels) is cut by characters. A cut text ends in «…».
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from bot.briefs.telegram_html import split_markup, telegram_length

ALERT_LIMIT = 200
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64

ELLIPSIS = "…"

#: The largest id a database row can have (a signed 64-bit integer in SQLite and PostgreSQL).
MAX_ROW_ID = 2**63 - 1
#: A row id read from callback data, which anyone can forge: a button whose id is no possible row
#: (zero, negative, past 64 bits) does not parse, so it never reaches the database.
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cut_plain(text: str, limit: int) -> str:
    """`text` if it fits, else its longest prefix that fits together with «…»."""
    if utf16_length(text) <= limit:
        return text
    budget = limit - utf16_length(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for char in text:
        width = utf16_length(char)
        if used + width > budget:
            break
        kept.append(char)
        used += width
    return "".join(kept).rstrip() + ELLIPSIS


def cut_markup(markup: str, limit: int) -> str:
    """Well-formed Telegram HTML cut to `limit` visible characters: whole tags and entities only,
    every tag it opened closed again."""
    if telegram_length(markup) <= limit:
        return markup
    first = split_markup(markup, limit - utf16_length(ELLIPSIS))[0]
    return _before_closing_tags(first) + ELLIPSIS + first[len(_before_closing_tags(first)) :]


def _before_closing_tags(markup: str) -> str:
    """The markup without the closing tags at its very end, so «…» goes inside them."""
    end = len(markup)
    while markup.endswith(">", 0, end):
        start = markup.rfind("<", 0, end)
        if start < 0 or not markup.startswith("</", start):
            break
        end = start
    return markup[:end]
