"""A fake Telegram Bot API server for end-to-end tests, benchmarks and a future web sandbox.

Start :class:`FakeBotAPI` in-process (``async with FakeBotAPI() as api``) or as a subprocess
(``python -m tests.fakebotapi --port N``), point the bot at ``api.url``, and drive the human side
with :class:`FakeBotAPIClient`. Nothing in here may be imported by the bot itself.
"""

from .client import Call, ChatMessage, ControlError, FakeBotAPIClient, Injected, SimUser
from .images import make_png
from .server import FakeBotAPI
from .state import BotState, Event

__all__ = [
    "BotState",
    "Call",
    "ChatMessage",
    "ControlError",
    "Event",
    "FakeBotAPI",
    "FakeBotAPIClient",
    "Injected",
    "SimUser",
    "make_png",
]
