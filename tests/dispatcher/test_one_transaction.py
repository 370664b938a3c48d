"""An update that saves nothing costs one database connection and one transaction, however
often aiogram and the dialogs read their state (a step that shows a new screen commits before
sending it, on the same connection)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.dispatcher.harness import ChatUser


async def test_an_update_checks_out_one_connection(anna: ChatUser, engine: AsyncEngine) -> None:
    await anna.send("/start")  # the person exists and a dialog is open: its state is read
    checkouts: list[Any] = []

    def on_checkout(*_: Any) -> None:
        checkouts.append(None)

    event.listen(engine.sync_engine.pool, "checkout", on_checkout)
    try:
        await anna.send("/help")
        assert len(checkouts) == 1
    finally:
        event.remove(engine.sync_engine.pool, "checkout", on_checkout)
