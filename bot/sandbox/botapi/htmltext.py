"""Telegram-style parsing of ``parse_mode=HTML`` text into plain text and message entities.

The built-in Bot API needs this to answer like Telegram (and the sandbox's page renders the
entities it returns): count the length of what the user will
actually see, reject malformed markup with "can't parse entities", and return ``text`` plus
``entities`` so aiogram's ``Message.html_text`` round-trips. It follows tdlib's rules closely
enough for tests (tag whitelist, four named entities plus numeric ones, strict nesting); it must
never try to be a general HTML parser or sanitiser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_CHAR_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,4});")
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR = re.compile(r"\s*([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; the message is tdlib's wording."""


def utf16_len(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    offset: int
    byte_offset: int


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the visible text and its entities, or raise :class:`HtmlParseError`."""
    out: list[str] = []
    out_len = 0  # UTF-16 length of "".join(out), kept incrementally
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char == "&":
            ref = _CHAR_REF.match(source, i)
            decoded = _decode_ref(ref.group(1)) if ref else None
            if ref and decoded is not None:
                out.append(decoded)
                out_len += utf16_len(decoded)
                i = ref.end()
                continue
        elif char == "<":
            end = source.find(">", i)
            byte_offset = len(source[:i].encode())
            if end < 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset}")
            body = source[i + 1 : end]
            if body.startswith("/"):
                _close(body[1:].strip().lower(), stack, entities, out_len, byte_offset)
            else:
                stack.append(_open(body, out_len, byte_offset))
            i = end + 1
            continue
        out.append(char)
        out_len += utf16_len(char)
        i += 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _decode_ref(ref: str) -> str | None:
    if ref.startswith("#"):
        code = int(ref[2:], 16) if ref[1:2] in "xX" else int(ref[1:])
        return chr(code) if 0 < code <= 0x10FFFF else None
    return _NAMED.get(ref)


def _open(body: str, offset: int, byte_offset: int) -> _Open:
    match = _TAG_NAME.match(body)
    name = match.group(0).lower() if match else ""
    if match is None or name not in _TAG_ENTITY:
        raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
    attrs: dict[str, str] = {}
    rest = body[match.end() :].rstrip("/ \t\n")
    for attr in _ATTR.finditer(rest):
        value = attr.group(2) or ""
        attrs[attr.group(1).lower()] = value.strip("\"'")
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
    return _Open(name, attrs, offset, byte_offset)


def _close(
    name: str,
    stack: list[_Open],
    entities: list[dict[str, Any]],
    offset: int,
    byte_offset: int,
) -> None:
    if not stack:
        raise HtmlParseError(f"Unexpected end tag at byte offset {byte_offset}")
    tag = stack.pop()
    if tag.name != name:
        raise HtmlParseError(
            f'Unmatched end tag at byte offset {byte_offset}, expected "</{tag.name}>", '
            f'found "</{name}>"'
        )
    length = offset - tag.offset
    if length <= 0:
        return
    entity: dict[str, Any] = {"type": _TAG_ENTITY[name], "offset": tag.offset, "length": length}
    if name == "a":
        entity["url"] = tag.attrs.get("href", "")
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    elif name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "code" and stack and stack[-1].name == "pre":
        language = tag.attrs.get("class", "").removeprefix("language-")
        if language:
            stack[-1].attrs["language"] = language
        return  # <pre><code class=...> is one "pre" entity, not two
    elif name == "pre" and "language" in tag.attrs:
        entity["language"] = tag.attrs["language"]
    entities.append(entity)
