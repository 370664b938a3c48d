"""The test side of the built-in Bot API server (:mod:`bot.sandbox.botapi`).

The server itself is product code (the sandbox runs on it); this package adds the test driver
(:class:`FakeBotAPIClient`, simulated users) and re-exports the server so tests and benchmarks
import everything from one place. Nothing in here may be imported by the bot itself.
"""

from bot.sandbox.botapi import BotState, Event, StoredMessage, make_png
from bot.sandbox.botapi import FakeBotAPI as _Server

from .client import Call, ChatMessage, ControlError, FakeBotAPIClient, Injected, SimUser


class FakeBotAPI(_Server):
    """The built-in server plus :meth:`client`, the test driver bound to it."""

    def client(self, token: str) -> FakeBotAPIClient:
        """A test-side client for this server's control API (use it with ``async with``)."""
        return FakeBotAPIClient(self.url, token)


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
    "StoredMessage",
    "make_png",
]
