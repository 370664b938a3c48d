"""An update that saves nothing costs one database connection and one transaction, however
often aiogram and the dialogs read their state (a step that shows a new screen commits before
sending it, on the same connection)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

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


async def test_an_updates_session_is_freed_when_the_update_ends(anna: ChatUser) -> None:
    """No reference cycle keeps it: the session and everything it loaded go at once, not at some
    later garbage collection (which, with thousands of updates between collections, was megabytes
    of people's rows held for nothing and a collection that had more to walk)."""
    await anna.send("/start")
    sessions: list[weakref.ref[Session]] = []

    def on_transaction(session: Session, _transaction: Any) -> None:
        sessions.append(weakref.ref(session))

    gc.collect()
    gc.disable()
    event.listen(Session, "after_transaction_create", on_transaction)
    try:
        await anna.send("/help")
        await anna.click(".")  # a press too: the dialog's own reads and writes
        # Callbacks the update scheduled (a write lock handed on) hold a copy of its context
        # until the loop runs them: one turn, then nothing but a cycle could keep the session.
        await asyncio.sleep(0)
        alive = [ref for ref in sessions if ref() is not None]  # before any collection
    finally:
        event.remove(Session, "after_transaction_create", on_transaction)
        gc.enable()
    assert sessions
    assert alive == []


async def test_every_commit_of_an_update_reaches_the_database(
    anna: ChatUser, engine: AsyncEngine
) -> None:
    """An update commits before each thing it shows; a commit that would carry nothing (the
    previous one took it all) is skipped instead of costing the ORM an empty transaction."""
    await anna.send("/new")
    sessions: list[None] = []
    connections: list[None] = []

    def on_session_commit(_session: Session) -> None:
        sessions.append(None)

    def on_connection_commit(_connection: Any) -> None:
        connections.append(None)

    event.listen(Session, "after_commit", on_session_commit)
    event.listen(engine.sync_engine, "commit", on_connection_commit)
    try:
        await anna.send("Зерно")
        await anna.send("кофе")  # the project is made and its first question shown
        await anna.click("ВКонтакте")  # a tick: the press is answered and the keyboard edited
        await anna.click("^Готово$")
        await anna.send("/help")  # reads only
    finally:
        event.remove(Session, "after_commit", on_session_commit)
        event.remove(engine.sync_engine, "commit", on_connection_commit)
    assert "Шаг" in (anna.messages[-2].text or "") and "/new" in (anna.last.text or "")
    assert len(connections) >= 5  # each update committed what it did
    assert len(sessions) == len(connections)
