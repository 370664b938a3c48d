"""What the tests, the benchmarks and the sandbox's tests share to drive the bot from outside.

The built-in Bot API server itself is product code (:mod:`bot.sandbox.botapi`, ``make demo``
runs on it); this package adds its test driver (:class:`FakeBotAPIClient`, simulated users),
re-exports the server, and holds the bot as a process (``process``), several webhook replicas
behind a proxy (``replicas``), throwaway PostgreSQL and Redis (``servers``) and a sample brief
(``brief_sample``). It imports nothing from ``tests``; nothing under ``bot``, ``handlers`` or
``dialogs`` may import it (an import-linter contract in pyproject.toml).
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
