"""The sandbox page's server side, in-process: state, actions, the event stream, its guards."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BufferedInputFile
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import FileOffsetClock
from bot.sandbox.botapi.control import sim_user
from bot.sandbox.web import Person, SandboxWeb
from testkit import FakeBotAPI

from .conftest import TOKEN

ANNA = sim_user({"id": 1001, "first_name": "Анна", "language_code": "ru"})
BORIS = sim_user({"id": 1002, "first_name": "Boris", "language_code": "en"})


@pytest.fixture
async def page(
    fake_api: FakeBotAPI, tmp_path: Path
) -> AsyncIterator[tuple[TestClient[Any, Any], SandboxWeb]]:
    web = SandboxWeb(
        lambda: fake_api.bot(TOKEN),
        [Person("specialist", ANNA), Person("client", BORIS)],
        FileOffsetClock(tmp_path / "clock"),
    )
    async with TestClient(TestServer(web.app, host="127.0.0.1")) as client:
        yield client, web


async def post(client: TestClient[Any, Any], path: str, body: object) -> ClientResponse:
    return await client.post(path, json=body)


async def read_events(response: ClientResponse, count: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while len(events) < count:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode()
        if line.startswith("data: "):
            events.append(json.loads(line.removeprefix("data: ")))
    return events


async def test_typed_text_reaches_the_bot_as_that_person_verbatim(
    page: tuple[TestClient[Any, Any], SandboxWeb], fake_api: FakeBotAPI
) -> None:
    client, _ = page
    typed = "<b>not bold</b> & <script>alert(1)</script>"
    response = await post(client, "/api/specialist/message", {"text": typed})
    assert response.status == 200
    update = fake_api.bot(TOKEN).pending[-1]["message"]
    assert update["from"]["id"] == ANNA["id"] and update["text"] == typed
    assert "entities" not in update  # a person's text is never parsed as markup
    state = await (await client.get("/api/state")).json()
    assert state["people"]["specialist"]["messages"][0]["message"]["text"] == typed
    assert state["people"]["client"]["messages"] == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"text": "   "}, "type a message"),
        ({"text": "я" * 4097}, "at most 4096"),
        ({"text": 5}, "type a message"),
    ],
)
async def test_refuses_what_telegram_would_not_send(
    page: tuple[TestClient[Any, Any], SandboxWeb], body: dict[str, Any], reason: str
) -> None:
    client, _ = page
    response = await post(client, "/api/client/message", body)
    assert response.status == 400
    assert reason in (await response.json())["error"]


async def test_changes_need_json_from_a_loopback_host(
    page: tuple[TestClient[Any, Any], SandboxWeb],
) -> None:
    client, _ = page
    form = await client.post("/api/specialist/message", data={"text": "hi"})
    assert form.status == 415  # a plain cross-site form cannot post here
    rebound = await client.get("/api/state", headers={"Host": "evil.example:8080"})
    assert rebound.status == 403
    for host in ("localhost:8080", "127.0.0.1", "[::1]:8080"):
        assert (await client.get("/api/state", headers={"Host": host})).status == 200
    assert (await post(client, "/api/mallory/message", {"text": "hi"})).status == 404


async def test_presses_only_buttons_the_bot_showed_that_person(
    page: tuple[TestClient[Any, Any], SandboxWeb], fake_api: FakeBotAPI, bot: Bot
) -> None:
    client, _ = page
    await post(client, "/api/specialist/message", {"text": "/start"})
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    sent = await bot.send_message(ANNA["id"], "Pick", reply_markup=markup)
    good = await post(
        client, "/api/specialist/press", {"message_id": sent.message_id, "data": "go"}
    )
    assert good.status == 200
    query = fake_api.bot(TOKEN).pending[-1]["callback_query"]
    assert query["from"]["id"] == ANNA["id"] and query["data"] == "go"
    forged = await post(
        client, "/api/specialist/press", {"message_id": sent.message_id, "data": "x"}
    )
    assert forged.status == 400
    elsewhere = await post(
        client, "/api/client/press", {"message_id": sent.message_id, "data": "go"}
    )
    assert elsewhere.status == 400  # Boris has no such chat


async def test_offers_each_person_the_menu_in_their_language(
    page: tuple[TestClient[Any, Any], SandboxWeb], bot: Bot
) -> None:
    client, _ = page
    assert await (await client.get("/api/specialist/commands")).json() == []
    await bot.set_my_commands([BotCommand(command="start", description="Начать")])
    await bot.set_my_commands(
        [BotCommand(command="start", description="Start")], language_code="en"
    )
    ru = await (await client.get("/api/specialist/commands")).json()
    en = await (await client.get("/api/client/commands")).json()
    assert ru == [{"command": "start", "description": "Начать"}]
    assert en == [{"command": "start", "description": "Start"}]
    await bot.set_my_commands(
        [BotCommand(command="help", description="Только вам")],
        scope=BotCommandScopeChat(chat_id=ANNA["id"]),
    )
    mine = await (await client.get("/api/specialist/commands")).json()
    assert mine == [{"command": "help", "description": "Только вам"}]


async def test_files_the_bot_sent_open_under_their_own_name(
    page: tuple[TestClient[Any, Any], SandboxWeb], bot: Bot
) -> None:
    client, _ = page
    await post(client, "/api/specialist/message", {"text": "/brief"})
    pdf = b"%PDF-1.7 sandbox"
    sent = await bot.send_document(ANNA["id"], BufferedInputFile(pdf, "Бриф Зерно v1.pdf"))
    assert sent.document is not None
    response = await client.get(f"/api/files/{sent.document.file_id}")
    assert response.status == 200 and await response.read() == pdf
    assert response.content_type == "application/pdf"
    assert "inline" in response.headers["Content-Disposition"]
    assert "%D0%91%D1%80%D0%B8%D1%84" in response.headers["Content-Disposition"]
    assert (await client.get("/api/files/nope")).status == 404


async def test_the_event_stream_replays_what_a_page_missed_then_follows(
    page: tuple[TestClient[Any, Any], SandboxWeb], bot: Bot
) -> None:
    client, _ = page
    await post(client, "/api/specialist/message", {"text": "/start"})
    state = await (await client.get("/api/state")).json()
    await bot.send_message(ANNA["id"], "<b>Привет</b>", parse_mode="HTML")  # after the load
    async with client.get(f"/api/events?after={state['seq']}") as stream:
        first = await read_events(stream, 1)
        assert first[0]["kind"] == "message" and first[0]["data"]["role"] == "specialist"
        assert first[0]["data"]["message"]["entities"][0]["type"] == "bold"
        sent = await bot.send_message(ANNA["id"], "edited soon")
        await bot.edit_message_text("edited", chat_id=ANNA["id"], message_id=sent.message_id)
        live = await read_events(stream, 2)
    assert [e["kind"] for e in live] == ["message", "edit"]
    assert live[1]["data"]["message"]["text"] == "edited"
    assert live[0]["seq"] < live[1]["seq"]
    # A reconnecting EventSource sends the last id it saw and gets only what came after.
    headers = {"Last-Event-ID": str(live[0]["seq"])}
    async with client.get("/api/events", headers=headers) as again:
        assert [e["kind"] for e in await read_events(again, 1)] == ["edit"]


async def test_moving_time_forward_is_seen_by_the_bot_and_every_tab(
    page: tuple[TestClient[Any, Any], SandboxWeb], tmp_path: Path
) -> None:
    client, web = page
    bot_clock = FileOffsetClock(tmp_path / "clock")  # what the bot process reads
    async with client.get("/api/events?after=0") as stream:
        response = await post(client, "/api/clock", {"step": "day"})
        assert (await response.json())["offset_seconds"] == 86_400
        (event,) = await read_events(stream, 1)
    assert event["kind"] == "clock" and event["data"]["offset_seconds"] == 86_400
    assert bot_clock.offset() == timedelta(days=1)
    await post(client, "/api/clock", {"step": "hour"})
    await post(client, "/api/clock", {"step": "week"})
    assert bot_clock.offset() == timedelta(days=8, hours=1)
    assert (await post(client, "/api/clock", {"step": "-1 day"})).status == 400
    assert web.clock.offset() == timedelta(days=8, hours=1)


async def test_serves_the_page_without_anything_from_outside(
    page: tuple[TestClient[Any, Any], SandboxWeb],
) -> None:
    client, _ = page
    html = await (await client.get("/")).text()
    assert "/static/sandbox.js" in html and "http" not in html.replace("http-equiv", "")
    script = await (await client.get("/static/sandbox.js")).text()
    assert "innerHTML" not in script  # text goes into the page through textContent only
