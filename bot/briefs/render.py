"""The brief rendered from ``templates/brief``: Telegram messages, an A4 HTML document, a PDF, a diff.

One view (``view.build_view``) feeds both templates, so the chat and the document always say the
same thing. Templates are jinja2 with autoescape on: user text is escaped where it is printed,
and the only unescaped fragments are catalog markup and answers already escaped by
``format_answer``. Chat messages are cut at section boundaries under Telegram's 4 096-character
limit as Telegram counts it (``telegram_html``).

This module renders and nothing else: it never sends, stores, or decides who may see a brief.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from bot.briefs.diff_view import build_changes
from bot.briefs.telegram_html import MESSAGE_LIMIT, pack_sections
from bot.briefs.versioning import Change
from bot.briefs.view import Signature, build_view, safe_text
from bot.i18n import Translator, translator
from bot.questionnaire.catalogue import Catalogue, load_catalogue

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "brief"
CHAT_SECTIONS = (
    "header",
    "participants",
    "aim",
    "channels",
    "cadence",
    "availability",
    "goals",
    "budget",
    "reporting",
    "signoff",
)
"""Macros of ``chat.html.j2`` in reading order; each is one unit that messages are packed from."""


def render_chat(
    snapshot: Mapping[str, Any],
    language: str,
    *,
    content_hash: str,
    timezone: str | None = None,
    catalogue: Catalogue | None = None,
    limit: int = MESSAGE_LIMIT,
    signatures: Sequence[Signature] = (),
) -> list[str]:
    """Telegram HTML messages, in order; ``timezone`` (the reader's setting) dates the version,
    ``signatures`` (this version's approvals) are listed in the sign-off section."""
    i18n = translator(language)
    view = build_view(
        snapshot,
        i18n,
        catalogue or load_catalogue(),
        content_hash=content_hash,
        timezone=timezone,
        signatures=signatures,
    )
    module = _template("chat.html.j2").module
    t = _catalog_markup(i18n)
    sections = (str(getattr(module, name)(view, t)).strip() for name in CHAT_SECTIONS)
    return pack_sections(sections, limit)


def render_html(
    snapshot: Mapping[str, Any],
    language: str,
    *,
    content_hash: str,
    timezone: str | None = None,
    catalogue: Catalogue | None = None,
    signatures: Sequence[Signature] = (),
    preview: bool = False,
) -> str:
    """A self-contained A4 document: inline CSS, no scripts, images or links to fetch. Its sign-off
    block is the audit trail (who approved, when in their own zone, the version's full hash), so a
    forwarded copy carries it; ``preview`` marks a draft that was never sent for sign-off."""
    i18n = translator(language)
    view = build_view(
        snapshot,
        i18n,
        catalogue or load_catalogue(),
        content_hash=content_hash,
        timezone=timezone,
        signatures=signatures,
    )
    return _template("document.html.j2").render(
        b=view, t=_catalog_markup(i18n), lang=i18n.language, preview=preview
    )


def render_pdf(
    snapshot: Mapping[str, Any],
    language: str,
    *,
    content_hash: str,
    timezone: str | None = None,
    catalogue: Catalogue | None = None,
    signatures: Sequence[Signature] = (),
    preview: bool = False,
) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only the PDF path needs.
    from weasyprint import HTML  # type: ignore[import-untyped]

    document = render_html(
        snapshot,
        language,
        content_hash=content_hash,
        timezone=timezone,
        catalogue=catalogue,
        signatures=signatures,
        preview=preview,
    )
    pdf: bytes = HTML(string=document).write_pdf()
    return pdf


def render_diff(
    changes: list[Change],
    language: str,
    catalogue: Catalogue,
    *,
    snapshot: Mapping[str, Any] | None = None,
) -> str:
    """One message listing each change as old → new; ``snapshot`` (the new one) names goals."""
    i18n = translator(language)
    items = build_changes(changes, i18n, catalogue, snapshot)
    return _template("diff.html.j2").render(items=items, t=_catalog_markup(i18n)).strip()


def _catalog_markup(i18n: Translator) -> Callable[..., Markup]:
    def t(key: str, /, **params: Any) -> Markup:
        return safe_text(i18n, key, **params)

    return t


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template(name: str) -> Template:
    return _environment().get_template(name)
