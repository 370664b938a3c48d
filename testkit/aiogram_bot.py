"""A real aiogram :class:`Bot` pointed at the built-in Bot API server, for tests."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer


class LoopbackSession(AiohttpSession):
    """Closes at once: aiogram's 250 ms grace period is for TLS sockets, and loopback has none."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(url: str, token: str) -> Bot:
    return Bot(token, session=LoopbackSession(api=TelegramAPIServer.from_base(url)))
