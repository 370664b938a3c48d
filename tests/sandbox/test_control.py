"""The test-control surface: failure injection, call log, events, reset, running as a process."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter

from testkit import ControlError, FakeBotAPI, FakeBotAPIClient, SimUser

from .conftest import ANNA, TOKEN, make_bot

REPO = Path(__file__).resolve().parents[2]


async def test_flood_failure_raises_retry_after_then_recovers(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    await client.fail("sendMessage", "flood", count=2, retry_after=7)
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(anna_chat, "x")
        assert caught.value.retry_after == 7
    assert (await bot.send_message(anna_chat, "through")).text == "through"


async def test_blocked_failure_can_target_one_chat_until_cleared(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    boris = SimUser(id=777, first_name="Boris")
    await client.send_text(boris, "hi")
    await client.fail("sendMessage", "blocked", count=None, chat_id=anna_chat)
    for _ in range(3):
        with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
            await bot.send_message(anna_chat, "x")
    await bot.send_message(boris.id, "Boris is fine")
    await client.clear_failures()
    await bot.send_message(anna_chat, "unblocked")


async def test_call_log_has_method_chat_time_and_status(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    await client.fail("sendMessage", "flood")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(anna_chat, "a")
    await bot.send_message(anna_chat, "b")
    await bot.get_me()
    calls = await client.calls()
    assert [(c.method, c.chat_id, c.status) for c in calls] == [
        ("sendMessage", anna_chat, 429),
        ("sendMessage", anna_chat, 200),
        ("getMe", None, 200),
    ]
    assert calls[0].at <= calls[1].at <= calls[2].at
    assert [c.method for c in await client.calls(since=2)] == ["getMe"]


async def test_reset_forgets_the_world_but_update_ids_keep_growing(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    before = await client.send_text(ANNA, "before")
    await bot.send_message(anna_chat, "x")
    await client.reset()
    assert await client.chats() == [] and await client.calls() == []
    after = await client.send_text(ANNA, "after")
    assert after.update_id is not None and before.update_id is not None
    assert after.update_id > before.update_id and after.message_id == 1
    await client.reset_all()
    assert await client.chats() == []


async def test_subscribers_see_every_change_in_order(
    fake_api: FakeBotAPI, bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    state = fake_api.bot(TOKEN)
    queue = state.subscribe()
    sent = await bot.send_message(anna_chat, "one")
    await bot.edit_message_text("two", chat_id=anna_chat, message_id=sent.message_id)
    await bot.delete_message(anna_chat, sent.message_id)
    events = [queue.get_nowait() for _ in range(3)]
    assert [e.kind for e in events] == ["message", "edit", "delete"]
    assert [e.data["message"]["text"] for e in events] == ["one", "two", "two"]
    assert [e.seq for e in events] == [e.data["seq"] for e in events]
    state.unsubscribe(queue)
    over_http = await client.events(after=events[0].seq - 1)
    assert [e["kind"] for e in over_http] == ["message", "edit", "delete"]


async def test_event_long_poll_wakes_on_change(client: FakeBotAPIClient) -> None:
    waiting = asyncio.create_task(client.events(after=0, wait=5))
    await asyncio.sleep(0.05)
    await client.send_text(ANNA, "ping")
    [event] = await asyncio.wait_for(waiting, 2)
    assert (event["kind"], event["data"]["outgoing"]) == ("message", False)


async def test_bad_control_calls_are_refused(client: FakeBotAPIClient) -> None:
    with pytest.raises(ControlError, match="a positive chat id must be the user's own id"):
        await client.send_text(SimUser(id=1), "x", chat_id=5)
    with pytest.raises(ControlError, match="chat not found"):
        await client.messages(404)
    with pytest.raises(ControlError, match="malformed control call"):
        await client._call("POST", f"{client.base}/location", json={"user": {"id": 1}})


def test_only_loopback_addresses_can_be_bound() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FakeBotAPI(host="0.0.0.0")


async def test_runs_as_a_subprocess() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox.botapi",
        "--port",
        "0",
        cwd=REPO,
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 10)
        url = line.decode().removeprefix("listening on ").strip()
        assert url.startswith("http://127.0.0.1:")
        bot = make_bot(url)
        async with FakeBotAPIClient(url, TOKEN) as client:
            await client.send_text(ANNA, "/start")
            [update] = await bot.get_updates()
            assert update.message is not None and update.message.text == "/start"
        await bot.session.close()
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 10) == 0


async def test_batch_injection_keeps_order(bot: Bot, client: FakeBotAPIClient) -> None:
    boris = SimUser(id=777, first_name="Boris")
    injected = await client.send_texts([(ANNA, "a1"), (boris, "b1"), (ANNA, "a2")])
    assert [(i.chat_id, i.message_id) for i in injected] == [(ANNA.id, 1), (777, 1), (ANNA.id, 2)]
    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["a1", "b1", "a2"]


async def test_update_ids_grow_across_bots(fake_api: FakeBotAPI) -> None:
    async with fake_api.client("1:a") as first, fake_api.client("2:b") as second:
        injected = [
            await first.send_text(ANNA, "x"),
            await second.send_text(ANNA, "y"),
            await first.send_text(ANNA, "z"),
        ]
    ids = [i.update_id for i in injected if i.update_id is not None]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert fake_api.bot("1:a").id == 1 and fake_api.bot("2:b").id == 2


async def test_kill_hook_kills_the_process_after_the_nth_call_is_carried_out(
    bot: Bot, client: FakeBotAPIClient, anna_chat: int
) -> None:
    victim = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import time; time.sleep(60)"
    )
    try:
        await client.kill_on("sendMessage", victim.pid, nth=2, chat_id=anna_chat)
        await bot.send_message(anna_chat, "first")
        assert victim.returncode is None
        await bot.send_message(anna_chat, "second")  # carried out, then the kill
        assert await asyncio.wait_for(victim.wait(), 10) == -9
        texts = [m.text for m in await client.received(anna_chat)]
        assert texts[-2:] == ["first", "second"]
        await bot.send_message(anna_chat, "third")  # the hook is used up
    finally:
        if victim.returncode is None:
            victim.kill()
            await victim.wait()


async def test_kill_hooks_exist_only_on_a_server_built_for_crash_tests() -> None:
    async with FakeBotAPI() as api, api.client(TOKEN) as client:
        with pytest.raises(ControlError, match="404"):
            await client.kill_on("sendMessage", 12345)
