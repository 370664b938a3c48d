"""Structured logs: one JSON object per line when asked, plain text otherwise, never the token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.types import ErrorEvent, Message, Update

from bot.log_context import LogContextMiddleware
from bot.logging_setup import REDACTED, LogFormat, build_handler

Capture = tuple[logging.Logger, io.StringIO, list[logging.Handler]]
TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"


@pytest.fixture
def capture() -> Iterator[Capture]:
    logger = logging.getLogger("tests.logging_setup")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    stream = io.StringIO()
    handlers: list[logging.Handler] = []
    yield logger, stream, handlers
    for handler in handlers:
        logger.removeHandler(handler)
    logger.propagate = True


def _use(capture: Capture, log_format: LogFormat) -> tuple[logging.Logger, io.StringIO]:
    logger, stream, handlers = capture
    handler = build_handler(TOKEN, log_format)
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    logger.addHandler(handler)
    handlers.append(handler)
    return logger, stream


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _fail_with_token() -> None:
    raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")


def test_json_lines_carry_time_level_logger_and_message(capture: Capture) -> None:
    logger, stream = _use(capture, "json")
    logger.info("started as @%s", "smartbrief_bot")
    logger.warning("two\nlines")
    first, second = _lines(stream)
    assert first["level"] == "INFO"
    assert first["logger"] == "tests.logging_setup"
    assert first["message"] == "started as @smartbrief_bot"
    assert datetime.fromisoformat(str(first["time"])).utcoffset() is not None
    assert "exception" not in first and "update_id" not in first
    assert second["message"] == "two\nlines"  # still one line on the stream
    assert len(stream.getvalue().splitlines()) == 2


def test_the_token_never_appears_in_json_whether_in_args_or_a_traceback(capture: Capture) -> None:
    logger, stream = _use(capture, "json")
    logger.info("token %s, encoded %s", TOKEN, TOKEN.replace(":", "%3A"))
    try:
        _fail_with_token()
    except RuntimeError:
        logger.exception("calling Telegram failed")
    output = stream.getvalue()
    assert TOKEN not in output and TOKEN.replace(":", "%3A") not in output
    plain, failed = _lines(stream)
    assert plain["message"] == f"token {REDACTED}, encoded {REDACTED}"
    exception = str(failed["exception"])
    assert "Traceback" in exception and "_fail_with_token" in exception
    assert f"bot{REDACTED}/getMe" in exception


def test_the_token_never_appears_in_text_logs_either(capture: Capture) -> None:
    logger, stream = _use(capture, "text")
    try:
        _fail_with_token()
    except RuntimeError:
        logger.exception("with %s", TOKEN)
    output = stream.getvalue()
    assert TOKEN not in output
    assert f"ERROR tests.logging_setup: with {REDACTED}" in output
    assert f"bot{REDACTED}/getMe" in output
    with pytest.raises(json.JSONDecodeError):
        json.loads(output.splitlines()[0])


async def test_lines_written_while_handling_an_update_name_it_and_its_sender(
    capture: Capture,
) -> None:
    logger, stream = _use(capture, "json")
    router = Router()

    @router.message()
    async def note(message: Message) -> None:
        logger.info("handling")

    dispatcher = Dispatcher()
    dispatcher.update.outer_middleware(LogContextMiddleware())
    dispatcher.include_router(router)
    update = Update.model_validate(
        {
            "update_id": 4242,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 77, "type": "private"},
                "from": {"id": 77, "is_bot": False, "first_name": "Анна"},
                "text": "hi",
            },
        }
    )
    bot = Bot(TOKEN)
    try:
        await dispatcher.feed_update(bot, update)
    finally:
        await bot.session.close()
    logger.info("after")
    inside, after = _lines(stream)
    assert (inside["update_id"], inside["user_id"]) == (4242, 77)
    assert "update_id" not in after


async def test_lines_written_by_an_error_handler_name_the_failed_update(
    capture: Capture,
) -> None:
    """Error handlers run outside the update's middlewares; the error observer names it too."""
    logger, stream = _use(capture, "json")
    router = Router()

    @router.message()
    async def fail(message: Message) -> None:
        raise RuntimeError("injected")

    @router.errors()
    async def report(event: ErrorEvent) -> None:
        logger.info("failed")

    dispatcher = Dispatcher()
    dispatcher.update.outer_middleware(LogContextMiddleware())
    dispatcher.errors.outer_middleware(LogContextMiddleware())
    dispatcher.include_router(router)
    update = Update.model_validate(
        {
            "update_id": 4343,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 78, "type": "private"},
                "from": {"id": 78, "is_bot": False, "first_name": "Анна"},
                "text": "hi",
            },
        }
    )
    bot = Bot(TOKEN)
    try:
        await dispatcher.feed_update(bot, update)
    finally:
        await bot.session.close()
    (line,) = _lines(stream)
    assert (line["message"], line["update_id"], line["user_id"]) == ("failed", 4343, 78)
