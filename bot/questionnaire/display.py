"""Stored answers → short human text, for the questionnaire's summary and the brief.

User text comes back HTML-escaped, because everything this module returns goes into HTML
messages or templates next to markup of our own.
"""

from __future__ import annotations

import html

from babel.numbers import format_currency

from bot.i18n import Translator
from bot.questionnaire.answers import is_skipped
from bot.questionnaire.catalogue import AnswerType, Question
from bot.questionnaire.hours import Hours
from bot.timezones import is_valid_setting, zone_label

SUMMARY_TEXT_LIMIT = 120


def format_answer(
    question: Question, value: object, i18n: Translator, *, limit: int | None = None
) -> str:
    if value is None:
        return i18n("questionnaire.summary.not_answered")
    if is_skipped(value):
        return i18n("questionnaire.summary.skipped")
    match question.type:
        case AnswerType.SINGLE_CHOICE if isinstance(value, str):
            return _label(question, value, i18n)
        case AnswerType.MULTI_CHOICE if isinstance(value, list):
            return ", ".join(_label(question, str(key), i18n) for key in value)
        case AnswerType.DAYS if isinstance(value, list):
            return i18n.format_weekdays(day for day in value if isinstance(day, int))
        case AnswerType.HOURS if isinstance(value, dict):
            hours = Hours.from_json({k: str(v) for k, v in value.items()})
            if hours.all_day:
                return i18n("questionnaire.value.all_day")
            return i18n(
                "questionnaire.value.hours", start=f"{hours.start:%H:%M}", end=f"{hours.end:%H:%M}"
            )
        case AnswerType.NUMBER if isinstance(value, int | float):
            return i18n.format_number(value)
        case AnswerType.MONEY if isinstance(value, dict):
            amount, currency = value.get("amount"), value.get("currency", "RUB")
            if isinstance(amount, int | float) and isinstance(currency, str):
                return format_currency(
                    amount, currency, format="#,##0.## ¤", locale=i18n.locale, currency_digits=False
                )
        case AnswerType.TIMEZONE if isinstance(value, str) and is_valid_setting(value):
            return html.escape(zone_label(value, i18n.language))
    text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text)


def _label(question: Question, key: str, i18n: Translator) -> str:
    option = question.option(key)
    return option.label.get(i18n.language) if option else html.escape(key)
