"""Someone else's buttons, forged and malformed callback data, from a second person: every press
gets a readable alert, nothing in the first person's project changes, and the log has a WARNING
for it, never an ERROR."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import CallbackQuery, Message
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Base, FSMRecord, User
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.scenes import signed_off_project

Factory = async_sessionmaker[AsyncSession]

ANNA, BORIS, EVE = 1001, 1002, 1003
#: The refusal of a project's button, and of a brief version's, to a non-member.
FOREIGN = re.compile("чужого проекта|не из вашего проекта")
BROKEN = "не работает"


def _callback_prefixes() -> set[str]:
    """Every `CallbackData` prefix declared in the application's source."""
    root = Path(__file__).resolve().parents[2]
    found: set[str] = set()
    for folder in ("bot", "ui", "handlers", "dialogs"):
        for path in (root / folder).rglob("*.py"):
            found |= set(re.findall(r"CallbackData, prefix=\"(\w+)\"", path.read_text("utf-8")))
    return found


#: Each prefix's actions and whether its id is a project's ("p") or a brief version's ("v").
FOREIGN_DATA = {
    "bp": [("send", "p"), ("fill", "p"), ("goals", "p"), ("card", "p")],
    "br": [("ok", "v"), ("chg", "v"), ("pdf", "v"), ("full", "v")],
    "rp": [("sz", "p"), ("mu", "p"), ("um", "p")],
    "rm": [("ci", "p"), ("nx", "p"), ("br", "p"), ("q", "p")],
    "gp": [("", "p")],  # /goals' project choice: the id alone
}

MALFORMED = [
    "br:ok:abc",
    "bp:send:1:2",
    "rp:mu:1e3",
    "rp:zz:1",
    "bp:send:-1",
    "bp:send:1000000000000",
    "bp:send:99999999999999999999",
    "rm:q:",
    "gp:abc",
    "gp:-1",
    "fg:1:abc",
    "fg:1:-1",
    "fg:maybe:1",
    "nonsense",
]


#: Prefixes whose id is a person's, not a project's: forged below with their own test.
PERSONAL = {"fg"}  # /forget's confirmation, bound to the person it was offered to


def test_every_callback_prefix_of_the_app_is_forged_below() -> None:
    assert _callback_prefixes() == set(FOREIGN_DATA) | PERSONAL


@pytest.fixture
def people(dispatcher: Dispatcher, bot: Bot) -> tuple[ChatUser, ChatUser, ChatUser]:
    return (
        ChatUser(dispatcher, bot, ANNA, name="Анна"),
        ChatUser(dispatcher, bot, BORIS, name="Борис"),
        ChatUser(dispatcher, bot, EVE, name="Ева"),
    )


async def _everything_but(factory: Factory, telegram_id: int) -> dict[str, list[Any]]:
    """Every row of every table, except the presser's own user and dialog rows."""
    rows: dict[str, list[Any]] = {}
    async with factory() as session:
        for table in Base.metadata.sorted_tables:
            found = [tuple(r) for r in await session.execute(text(f"SELECT * FROM {table.name}"))]
            if table.name == "users":
                found = [r for r in found if telegram_id not in r]
            if table.name == "fsm_records":
                found = [r for r in found if f":{telegram_id}:" not in str(r[0])]
            rows[table.name] = sorted(found, key=repr)
    return rows


async def _press(person: ChatUser, data: str, message: Message) -> None:
    await person._feed(
        callback_query=CallbackQuery(
            id=f"forged-{data}-{message.chat.id}",
            from_user=person.user,
            chat_instance="ci",
            message=message,
            data=data,
        )
    )


def _answers(bot: Bot, data: str, chat_id: int) -> list[AnswerCallbackQuery]:
    return [
        call
        for call in bot.session.sent(AnswerCallbackQuery)  # type: ignore[attr-defined]
        if call.callback_query_id == f"forged-{data}-{chat_id}"
    ]


def _sent_to(bot: Bot, *chats: int) -> int:
    return sum(int(c.chat_id) in chats for c in bot.session.sent(SendMessage))  # type: ignore[attr-defined]


@dataclass
class Scene:
    """Anna's signed-off project (Boris its client), a dialog of Anna's open, and Eve, who is in
    neither, with a message of her own to press forged data on."""

    anna: ChatUser
    eve: ChatUser
    ids: dict[str, int]
    dialog_data: list[str]
    before: dict[str, list[Any]]
    sent_before: int


@pytest.fixture
async def scene(
    people: tuple[ChatUser, ChatUser, ChatUser], session_factory: Factory, bot: Bot
) -> Scene:
    anna, boris, eve = people
    ids = await signed_off_project(session_factory, anna, boris)
    await anna.send("/goals")  # an open dialog of Anna's, whose buttons Eve copies
    markup = anna.last.reply_markup
    assert markup is not None
    dialog_data = [b.callback_data or "" for row in markup.inline_keyboard for b in row]
    assert dialog_data and all("\x1d" in d for d in dialog_data)
    await eve.send("/help")
    before = await _everything_but(session_factory, EVE)
    return Scene(anna, eve, ids, dialog_data, before, _sent_to(bot, ANNA, BORIS))


FOREIGN_PRESSES = [
    (prefix, action, kind) for prefix, actions in FOREIGN_DATA.items() for action, kind in actions
]


async def _refused(
    scene: Scene,
    data: str,
    message: Message,
    bot: Bot,
    factory: Factory,
    caplog: pytest.LogCaptureFixture,
) -> str:
    """Eve presses `data` on `message`: one alert, nothing changed anywhere but in her own rows,
    nothing sent to the others, a WARNING without traceback and no ERROR. Returns the alert."""
    caplog.clear()
    caplog.set_level(logging.INFO)
    await _press(scene.eve, data, message)

    answers = _answers(bot, data, message.chat.id)
    assert len(answers) == 1 and answers[0].show_alert and answers[0].text
    assert await _everything_but(factory, EVE) == scene.before
    assert _sent_to(bot, ANNA, BORIS) == scene.sent_before
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert all(r.exc_info is None for r in caplog.records if r.levelno == logging.WARNING)
    return answers[0].text


@pytest.mark.parametrize(("prefix", "action", "kind"), FOREIGN_PRESSES)
async def test_a_button_of_someone_elses_project_is_refused_as_foreign(
    scene: Scene,
    bot: Bot,
    session_factory: Factory,
    caplog: pytest.LogCaptureFixture,
    prefix: str,
    action: str,
    kind: str,
) -> None:
    data = ":".join(part for part in (prefix, action, str(scene.ids[kind])) if part)
    alert = await _refused(scene, data, scene.eve.last, bot, session_factory, caplog)

    assert FOREIGN.search(alert), alert
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == [f"refused: user {EVE} pressed {data!r} (not a member of that project)"]


@pytest.mark.parametrize("data", MALFORMED)
async def test_malformed_callback_data_is_refused_as_a_broken_button(
    scene: Scene,
    bot: Bot,
    session_factory: Factory,
    caplog: pytest.LogCaptureFixture,
    data: str,
) -> None:
    alert = await _refused(scene, data, scene.eve.last, bot, session_factory, caplog)
    assert BROKEN in alert or FOREIGN.search(alert), alert


@pytest.mark.parametrize("on", ["her own message", "Anna's message"])
@pytest.mark.parametrize("button", [0, 1])
async def test_someone_elses_dialog_button_is_refused(
    scene: Scene,
    bot: Bot,
    session_factory: Factory,
    caplog: pytest.LogCaptureFixture,
    on: str,
    button: int,
) -> None:
    message = scene.eve.last if on == "her own message" else scene.anna.last
    alert = await _refused(scene, scene.dialog_data[button], message, bot, session_factory, caplog)
    assert BROKEN in alert, alert


async def test_commands_with_a_foreign_project_id_answer_like_without_one(
    people: tuple[ChatUser, ChatUser, ChatUser],
    session_factory: Factory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    anna, boris, eve = people
    ids = await signed_off_project(session_factory, anna, boris)
    for command in ("/goals", "/mygoals"):
        await eve.send(command)
        plain = eve.last.text
        await eve.send(f"{command} {ids['p']}")
        assert eve.last.text == plain, command
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_press_on_someone_elses_dialog_message_leaves_no_row_under_their_key(
    people: tuple[ChatUser, ChatUser, ChatUser], session_factory: Factory, bot: Bot
) -> None:
    """The empty `aiogd:stack:<1003>` row once found under Anna's chat: Eve's press on Anna's
    message made aiogram-dialog load Eve's (empty) stack in Anna's chat, and its error handler
    saved it outside any update's transaction."""
    anna, _, eve = people
    await anna.send("/start")
    message = anna.last
    assert message.reply_markup is not None
    data = message.reply_markup.inline_keyboard[0][0].callback_data
    assert data is not None
    await eve.send("/help")
    await _press(eve, data, message)

    assert _answers(bot, data, ANNA)[0].show_alert
    async with session_factory() as session:
        keys = list(await session.scalars(select(FSMRecord.key)))
    assert not [key for key in keys if str(EVE) in key], keys


@pytest.mark.parametrize("item", ["99999999999999999999", "-1", "abc", "3:4"])
async def test_a_tampered_choice_on_ones_own_dialog_is_refused_as_a_broken_button(
    people: tuple[ChatUser, ChatUser, ChatUser],
    session_factory: Factory,
    bot: Bot,
    item: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The zone picker's buttons carry an index into the zones it offered; an index it never
    offered (`zone:99999999999999999999` used to raise IndexError) changes nothing and says so."""
    anna = people[0]
    await anna.send("/start")
    await anna.click("SMM-специалист")
    screen = anna.last
    assert screen.reply_markup is not None
    offered = [b.callback_data or "" for row in screen.reply_markup.inline_keyboard for b in row]
    zone_button = next(d for d in offered if "\x1dzone:" in d)
    tampered = zone_button.split("\x1dzone:")[0] + "\x1dzone:" + item
    async with session_factory() as session:
        before = await session.scalar(select(User.timezone).where(User.telegram_id == ANNA))

    await _press(anna, tampered, screen)

    answers = _answers(bot, tampered, ANNA)
    assert len(answers) == 1 and answers[0].show_alert
    assert BROKEN in (answers[0].text or "")
    async with session_factory() as session:
        after = await session.scalar(select(User.timezone).where(User.telegram_id == ANNA))
    assert after == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("confirm", ["1", "0"])
async def test_someone_elses_forget_confirmation_deletes_nothing(
    scene: Scene,
    bot: Bot,
    session_factory: Factory,
    caplog: pytest.LogCaptureFixture,
    confirm: str,
) -> None:
    async with session_factory() as session:
        anna_id = await session.scalar(select(User.id).where(User.telegram_id == ANNA))
    data = f"fg:{confirm}:{anna_id}"
    alert = await _refused(scene, data, scene.eve.last, bot, session_factory, caplog)
    assert alert
