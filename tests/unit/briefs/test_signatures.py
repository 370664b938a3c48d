"""The brief carries its own audit trail: who signed which version, when in their own zone, and
the version's hash — in the chat, the HTML document and the PDF people forward."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from bot.briefs.render import render_chat, render_html, render_pdf
from bot.briefs.snapshot import brief_hash
from bot.briefs.view import Signature
from bot.roles import Role
from testkit import brief_sample as sample

# 12:30 UTC: 17:30 in Yekaterinburg (UTC+5) for the specialist, 15:40 in Moscow for the client.
SIGNATURES = (
    Signature(
        Role.SPECIALIST,
        "Анна Смирнова",
        "anna_smm",
        datetime(2026, 8, 2, 12, 30, tzinfo=UTC),
        "Asia/Yekaterinburg",
    ),
    Signature(
        Role.CLIENT, "Борис Котов", None, datetime(2026, 8, 3, 12, 40, tzinfo=UTC), "Europe/Moscow"
    ),
)


def _pdf_text(pdf: bytes) -> str:
    """The PDF's words on one line: WeasyPrint hyphenates (U+2010 at a line end) and wraps."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\u2010\n", "").split())


def test_signed_pdf_records_who_when_in_their_zone_and_the_full_hash() -> None:
    snapshot = sample.snapshot(goal_count=1, channels=1)
    digest = brief_hash(snapshot)
    text = _pdf_text(render_pdf(snapshot, "ru", content_hash=digest, signatures=SIGNATURES))
    assert "Анна Смирнова: утверждено 2 августа 2026, 17:30, Екатеринбург (UTC+5)" in text
    assert "@anna_smm" in text
    assert "Борис Котов: утверждено 3 августа 2026, 15:40, Москва (UTC+3)" in text
    assert "Версия подписана обеими сторонами" in text
    assert digest in text


def test_html_and_chat_say_the_same_in_english() -> None:
    snapshot = sample.snapshot(goal_count=1, channels=1)
    digest = brief_hash(snapshot)
    document = render_html(snapshot, "en", content_hash=digest, signatures=SIGNATURES[:1])
    assert "Anna" not in document  # names are never translated
    assert "Анна Смирнова: approved 2 August 2026, 17:30, Yekaterinburg (UTC+5)" in document
    assert "Not everyone has signed" in document
    assert digest in document
    chat = "\n".join(render_chat(snapshot, "en", content_hash=digest, signatures=SIGNATURES))
    assert (
        "Анна Смирнова: approved 2 August 2026, 17:30, Yekaterinburg (UTC+5)" in chat
        and "@anna_smm" in chat
    )
    assert "Борис Котов: approved 3 August 2026, 15:40, Moscow (UTC+3)" in chat
    assert digest in chat


def test_unsigned_and_preview_documents_say_so() -> None:
    snapshot = sample.snapshot(goal_count=1, channels=1)
    digest = brief_hash(snapshot)
    assert "Подписей под этой версией пока нет" in render_html(snapshot, "ru", content_hash=digest)
    draft = render_html(snapshot, "ru", content_hash=digest, preview=True)
    assert "Черновик для проверки" in draft
    assert "утверждено" not in draft


def test_document_hyphenates_in_its_language() -> None:
    """WeasyPrint hyphenates (with Pyphen) only with `lang` set and `hyphens: auto` in the CSS."""
    snapshot = sample.snapshot(goal_count=1, channels=1)
    document = render_html(snapshot, "ru", content_hash=brief_hash(snapshot))
    assert '<html lang="ru">' in document
    assert "hyphens: auto" in document
