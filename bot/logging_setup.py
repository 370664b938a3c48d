"""Logging set-up; the token is scrubbed from every record, whatever library wrote it."""

from __future__ import annotations

import logging


class RedactFilter(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._secret and self._secret in message:
            record.msg, record.args = message.replace(self._secret, "<BOT_TOKEN>"), None
        return True


def setup_logging(level: str, secret: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secret))
    logging.basicConfig(level=level, handlers=[handler], force=True)
