"""Logging set-up: plain text for people, or one JSON object per line for log collectors.

The token is scrubbed from every line, whatever library wrote it and wherever it appears — the
message, its arguments or an exception's traceback — because the scrubbing is done on the
finished line, after formatting. While an update is being handled, its id and the sender's
Telegram id (see ``bot.log_context``) are added to every JSON line, so one person's steps can be
followed across replicas.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

from bot.log_context import current_update

LogFormat = Literal["text", "json"]

REDACTED = "<BOT_TOKEN>"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Redactor:
    """Replaces the secret, also in its URL-encoded form (``:`` → ``%3A`` in request URLs)."""

    def __init__(self, secret: str) -> None:
        self._forms = sorted({secret, quote(secret, safe="")} - {""}, key=len, reverse=True)

    def __call__(self, line: str) -> str:
        for form in self._forms:
            line = line.replace(form, REDACTED)
        return line


class RedactingTextFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__(TEXT_FORMAT)
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: ``time`` (UTC, ISO 8601), ``level``, ``logger``,
    ``message``, and ``exception`` (the traceback), ``update_id`` and ``user_id`` when known."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update = current_update.get()
        if update is not None:
            entry["update_id"] = update.update_id
            if update.user_id is not None:
                entry["user_id"] = update.user_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Escaping keeps every line one record; the token's characters are never escaped, so
        # scrubbing the finished line catches it in every field.
        return self._redact(json.dumps(entry, ensure_ascii=False, default=str))


def build_handler(secret: str, log_format: LogFormat = "text") -> logging.Handler:
    redact = Redactor(secret)
    handler = logging.StreamHandler()
    formatter = JsonFormatter(redact) if log_format == "json" else RedactingTextFormatter(redact)
    handler.setFormatter(formatter)
    return handler


def setup_logging(level: str, secret: str, log_format: LogFormat = "text") -> None:
    logging.basicConfig(level=level, handlers=[build_handler(secret, log_format)], force=True)
