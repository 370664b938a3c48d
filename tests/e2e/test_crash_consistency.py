"""A crash at the worst instant — the next screen shown, the update not finished — loses nothing
the person saw confirmed, and the next press and the next text land where the screen says.

The fake Bot API kills the bot process right after it has carried out the chosen call (the edited
tick, the next question) and before it answers it; the bot is then started again on the same
database. Before the fix, the answer was committed at once but the dialog's position only when
the update finished, and ticks only then too: a restart lost the ticks and put the dialog one
step behind the screen, so the next typed answer was stored under the previous question.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.engine import create_engine
from bot.db.models import Answer
from bot.questionnaire.answers import skip_marker
from testkit.client import ChatMessage, FakeBotAPIClient, Injected, SimUser
from testkit.process import WAIT, BotProcess
from tests.e2e.flow import has

ANNA = SimUser(id=801, first_name="Анна", language_code="ru")


async def _answers(database: Path) -> dict[str, Any]:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(Answer.key, Answer.value))
            return {key: value for key, value in rows}
    finally:
        await engine.dispose()


class Crashes:
    """Arms the kill hook for Anna's chat, waits for the kill and starts the bot again."""

    def __init__(self, bot: BotProcess, tg: FakeBotAPIClient) -> None:
        self.bot, self.tg, self.starts = bot, tg, 1

    async def arm(self, method: str) -> None:
        assert self.bot.process is not None
        await self.tg.kill_on(method, self.bot.process.pid, chat_id=ANNA.id)

    async def restart(self) -> None:
        await self.bot.wait_killed()
        self.bot.start()
        self.starts += 1
        await self.bot.wait_until_running(starts=self.starts)

    async def press_and_crash(self, label: str, shown: str) -> ChatMessage:
        """Press `label`; the bot is killed the moment the edited screen (showing `shown`) is
        accepted; then it runs again. Returns the screen the person is left looking at."""
        await self.arm("editMessageText")
        pressed = await self.tg.press_button(ANNA, text=label)
        return await self._after(pressed, shown)

    async def say_and_crash(self, text: str, shown: str) -> ChatMessage:
        await self.arm("sendMessage")
        sent = await self.tg.send_text(ANNA, text)
        return await self._after(sent, shown)

    async def _after(self, injected: Injected, shown: str) -> ChatMessage:
        screen = await self.tg.wait_for_message(
            ANNA.id, lambda m: shown in f"{m.text} {m.buttons}", since=injected.seq, within=WAIT
        )
        await self.restart()
        return screen


async def _new_project(bot: BotProcess, tg: FakeBotAPIClient) -> Crashes:
    """The bot running and Anna at the first question of a new project: the channels."""
    bot.start()
    await bot.wait_until_running()
    sent = await tg.send_text(ANNA, "/new")
    await tg.wait_for_message(ANNA.id, has("Новый проект"), since=sent.seq, within=WAIT)
    sent = await tg.send_text(ANNA, "Зерно")
    await tg.wait_for_message(ANNA.id, has("Чем занимается"), since=sent.seq, within=WAIT)
    sent = await tg.send_text(ANNA, "кофейня")
    await tg.wait_for_message(ANNA.id, has("Где будем работать"), since=sent.seq, within=WAIT)
    return Crashes(bot, tg)


async def test_ticks_and_done_survive_a_kill_at_the_edited_screen(
    bot_process: BotProcess, tg: FakeBotAPIClient, tmp_path: Path
) -> None:
    crashes = await _new_project(bot_process, tg)

    await crashes.press_and_crash("ВКонтакте", "✅ ВКонтакте")
    screen = await crashes.press_and_crash("LinkedIn", "✅ LinkedIn")
    assert "✅ ВКонтакте" in str(screen.buttons)  # the first tick was still on the screen
    await crashes.press_and_crash("Готово", "ВКонтакте: пришлите ссылку")
    assert set((await _answers(tmp_path / "bot.db"))["channels"]) == {"vk", "linkedin"}

    # The next text answers the question on the screen.
    sent = await tg.send_text(ANNA, "@zerno_vk")
    await tg.wait_for_message(
        ANNA.id, has("ВКонтакте: сколько там сейчас подписчиков"), since=sent.seq, within=WAIT
    )
    answers = await _answers(tmp_path / "bot.db")
    assert set(answers.pop("channels")) == {"vk", "linkedin"}
    assert answers == {"channel.vk.handle": "@zerno_vk"}
    assert "Traceback" not in bot_process.output()


async def test_text_and_button_answers_survive_a_kill_at_the_next_question(
    bot_process: BotProcess, tg: FakeBotAPIClient, tmp_path: Path
) -> None:
    crashes = await _new_project(bot_process, tg)
    for label in ("ВКонтакте", "LinkedIn"):
        pressed = await tg.press_button(ANNA, text=label)
        await tg.wait_for_message(
            ANNA.id,
            lambda m, shown=f"✅ {label}": shown in str(m.buttons),
            since=pressed.seq,
            within=WAIT,
        )
    pressed = await tg.press_button(ANNA, text="Готово")
    await tg.wait_for_message(
        ANNA.id, has("ВКонтакте: пришлите ссылку"), since=pressed.seq, within=WAIT
    )

    await crashes.say_and_crash("@zerno_vk", "ВКонтакте: сколько там сейчас подписчиков")
    sent = await tg.send_text(ANNA, "1200")  # the next text answers the question on the screen
    await tg.wait_for_message(
        ANNA.id, has("LinkedIn: пришлите ссылку"), since=sent.seq, within=WAIT
    )
    await crashes.press_and_crash("Пропустить", "LinkedIn: сколько там сейчас подписчиков")

    sent = await tg.send_text(ANNA, "300")
    await tg.wait_for_message(ANNA.id, has("Проверьте"), since=sent.seq, within=WAIT)
    pressed = await tg.press_button(ANNA, text="Дальше →")  # the next press goes on from there
    await tg.wait_for_message(
        ANNA.id, has("ВКонтакте: какие форматы"), since=pressed.seq, within=WAIT
    )

    answers = await _answers(tmp_path / "bot.db")
    assert set(answers.pop("channels")) == {"vk", "linkedin"}
    assert answers == {
        "channel.vk.handle": "@zerno_vk",
        "channel.vk.audience": 1200,
        "channel.linkedin.handle": skip_marker(),
        "channel.linkedin.audience": 300,
    }
    assert "Traceback" not in bot_process.output()
