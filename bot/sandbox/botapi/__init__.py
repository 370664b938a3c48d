"""A local Telegram Bot API server: the sandbox's backend and the end-to-end tests' fake.

Start :class:`FakeBotAPI` in-process (``async with FakeBotAPI() as api``) or as a subprocess
(``python -m bot.sandbox.botapi --port N``) and point the bot at ``api.url``. It validates what
Telegram validates, keeps every chat's messages (:class:`BotState`) and publishes an
:class:`Event` stream, and binds loopback addresses only.
"""

from .images import make_png
from .server import FakeBotAPI
from .state import BotState, Event, StoredMessage

__all__ = ["BotState", "Event", "FakeBotAPI", "StoredMessage", "make_png"]
