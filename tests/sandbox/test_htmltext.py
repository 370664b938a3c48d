"""Telegram HTML parsing: visible text, UTF-16 entity offsets and tdlib's refusals."""

from __future__ import annotations

import pytest

from bot.sandbox.botapi.htmltext import HtmlParseError, parse_html, utf16_len
from bot.sandbox.botapi.images import image_size, make_png


def test_tags_become_entities_and_character_references_are_decoded() -> None:
    text, entities = parse_html('<b>Hi</b> &lt;x&gt; &amp; <a href="https://e.x">link</a>&#33;')
    assert text == "Hi <x> & link!"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "offset": 9, "length": 4, "url": "https://e.x"},
    ]


def test_offsets_count_utf16_code_units() -> None:
    text, entities = parse_html("😀 <i>да</i>")
    assert utf16_len("😀") == 2
    assert entities == [{"type": "italic", "offset": 3, "length": 2}]
    assert text == "😀 да"


def test_nested_and_special_tags() -> None:
    source = (
        '<b>a<i>b</i></b><pre><code class="language-python">x</code></pre>'
        '<blockquote expandable>q</blockquote><span class="tg-spoiler">s</span>'
    )
    _, entities = parse_html(source)
    assert {"type": "italic", "offset": 1, "length": 1} in entities
    assert {"type": "bold", "offset": 0, "length": 2} in entities
    assert {"type": "pre", "offset": 2, "length": 1, "language": "python"} in entities
    assert {"type": "expandable_blockquote", "offset": 3, "length": 1} in entities
    assert {"type": "spoiler", "offset": 4, "length": 1} in entities


def test_unknown_ampersand_sequences_stay_literal() -> None:
    assert parse_html("a & b &nbsp; c")[0] == "a & b &nbsp; c"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag"),
        ("a < b > c", 'Unsupported start tag ""'),
        ("<b", "Unclosed start tag"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
    ],
)
def test_malformed_html_is_refused(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError, match=reason.replace("(", r"\(")):
        parse_html(source)


def test_image_size_reads_png_gif_and_jpeg_headers() -> None:
    assert image_size(make_png(7, 3)) == (7, 3)
    assert image_size(b"GIF89a\x05\x00\x04\x00" + b"\x00" * 8) == (5, 4)
    jpeg = b"\xff\xd8\xff\xe0\x00\x04xx\xff\xc0\x00\x11\x08\x00\x09\x00\x0a" + b"\x00" * 10
    assert image_size(jpeg) == (10, 9)
    assert image_size(b"not an image") is None
