"""Telegram HTML by Telegram's own yardstick: visible length, and splitting under the message limit.

Telegram limits a message to 4 096 characters *after* parsing: tags weigh nothing, an entity such
as ``&lt;`` weighs one character, and characters are counted in UTF-16 code units (an emoji outside
the Basic Multilingual Plane counts twice). Counting raw markup would split far too early; counting
code points could overshoot on emoji.

Splitting prefers whole sections, then line breaks, then any character; a tag left open at a
split is closed at the end of one message and reopened at the start of the next, so every message
parses on its own. Input must be well-formed markup with text already escaped (as the jinja2
templates produce); this module never escapes, words or sends anything.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

MESSAGE_LIMIT = 4096
SECTION_SEPARATOR = "\n\n"

_TAG = re.compile(r"<[^>]*>")
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);|.", re.S)


@dataclass(frozen=True, slots=True)
class _Token:
    raw: str
    weight: int
    tag: str | None = None
    closing: bool = False


def telegram_length(markup: str) -> int:
    """What Telegram counts against the limit for this HTML."""
    text = _TAG.sub("", markup)
    if "&" in text:
        text = html.unescape(text)
    return _utf16_length(text)


def pack_sections(sections: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join sections into as few messages as fit; a section never straddles two unless it must."""
    # Sections close every tag they open, so lengths add up and each is measured only once.
    messages: list[str] = []
    current, current_length = "", 0
    separator = telegram_length(SECTION_SEPARATOR)
    for section in sections:
        length = telegram_length(section)
        if not length:
            continue
        if current and current_length + separator + length <= limit:
            current, current_length = (
                current + SECTION_SEPARATOR + section,
                current_length + separator + length,
            )
            continue
        if current:
            messages.append(current)
        if length > limit:
            *whole, current = split_markup(section, limit)
            messages.extend(whole)
            current_length = telegram_length(current)
        else:
            current, current_length = section, length
    if current:
        messages.append(current)
    return messages


def split_markup(markup: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut at the last line break that fits, else mid-line; open tags carry over to the next part."""
    if limit < 2:
        raise ValueError("the limit must fit at least one character of any width")
    tokens = _tokenise(markup)
    parts: list[str] = []
    carried: list[_Token] = []  # tags open where the previous part ended
    start = 0
    while start < len(tokens):
        open_tags = list(carried)
        length = 0
        line_break: tuple[int, list[_Token]] | None = None
        index = start
        while index < len(tokens):
            token = tokens[index]
            if token.tag is None:
                if length + token.weight > limit:
                    break
                if token.raw == "\n":
                    line_break = (index, list(open_tags))
                length += token.weight
            else:
                _track(open_tags, token)
            index += 1
        if index == len(tokens):
            end, resume, still_open = index, index, open_tags
        elif line_break is not None and line_break[0] > start:
            end, resume, still_open = line_break[0], line_break[0] + 1, line_break[1]
        else:
            end, resume, still_open = index, index, open_tags
        body = "".join(token.raw for token in tokens[start:end])
        part = (
            "".join(tag.raw for tag in carried)
            + body
            + "".join(f"</{tag.tag}>" for tag in reversed(still_open))
        )
        if telegram_length(part.strip()):
            parts.append(part.strip("\n"))
        carried, start = still_open, resume
    return parts


def _track(open_tags: list[_Token], token: _Token) -> None:
    if not token.closing:
        open_tags.append(token)
        return
    for position in range(len(open_tags) - 1, -1, -1):
        if open_tags[position].tag == token.tag:
            del open_tags[position]
            return


def _tokenise(markup: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(markup):
        raw = match.group(0)
        if match.group(2):
            tokens.append(_Token(raw, 0, match.group(2).lower(), bool(match.group(1))))
        else:
            text = html.unescape(raw) if raw.startswith("&") else raw
            tokens.append(_Token(raw, _utf16_length(text)))
    return tokens


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
