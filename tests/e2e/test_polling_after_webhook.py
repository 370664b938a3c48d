"""Switching back from webhook mode to polling: Telegram answers getUpdates with 409 Conflict while
a webhook is set, so the bot must remove the one a webhook run left behind before it polls."""

from __future__ import annotations

import aiohttp

from testkit import FakeBotAPI
from testkit.client import FakeBotAPIClient, SimUser
from testkit.process import TOKEN, WAIT, BotProcess

ANNA = SimUser(id=511, first_name="Анна", language_code="ru")


async def test_polling_removes_a_webhook_left_from_webhook_mode(
    fake_api: FakeBotAPI, bot_process: BotProcess, tg: FakeBotAPIClient
) -> None:
    left_behind = "http://127.0.0.1:9/telegram"  # the discard port: nothing answers there
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{fake_api.url}/bot{TOKEN}/setWebhook", json={"url": left_behind}
        ) as response:
            assert (await response.json())["ok"] is True
        sent = await tg.send_text(ANNA, "/start")  # queued while the webhook was set
        bot_process.start()
        await bot_process.wait_until_running()
        reply = await tg.wait_for_message(ANNA.id, since=sent.seq, within=WAIT)
        assert "Привет, Анна" in (reply.text or ""), bot_process.output()
        async with http.post(f"{fake_api.url}/bot{TOKEN}/getWebhookInfo") as response:
            assert (await response.json())["result"]["url"] == ""
    assert f"removing the webhook {left_behind}" in bot_process.output()
    assert "Conflict" not in bot_process.output()
