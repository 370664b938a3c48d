"""Questionnaire load test: ``python bench/questionnaire.py [--users 200]``.

Target (issue "Onboarding questionnaire"): the real bot (``python -m bot`` on SQLite) keeps ≥ 70 %
of a bare aiogram echo bot's throughput, and its p99 latency is at most 30 ms above the echo bot's.
``--floor`` adds the bare aiogram-dialog bot and prints ``vs floor: N%`` (issue «The update path
close to the framework's floor»: ≥ 50 %). ``--human 1000`` is that issue's other figure: 1 000
people at once at a person's pace (3–8 s between actions, an open loop), p99 under 250 ms.

Both bots run as their own processes against the in-process fake Bot API on loopback. Every
simulated user starts at once and is a closed loop: act, wait until the bot has finished the
update (aiogram's "Update id=N is handled" log line, printed after the database commit), read
the newest bot message, decide the next action. Questionnaire users go from ``/start`` through
onboarding and ``/new`` to the final summary (when the bot apologises for a failure they try the
same action again, and the failures are counted); echo users send as many texts as a
questionnaire user needed updates. Latency is from the fake handing the update out (``BotState.served_at``) to
the arrival of the bot's last Bot API call for that chat while handling it (the screen the user
ends up looking at); throughput is updates over the time from the first hand-out to the last
reply. CPU time per update of the bot process is printed too: on a shared machine it is the
figure other load distorts least. The benchmark must never touch the bot's database or code: it sees only what a Telegram
user would see.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import gc
import math
import random
import re
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.sandbox.botapi.control import inject_message, press_button, sim_user, text_message
from bot.sandbox.botapi.state import BotState, StoredMessage
from testkit import FakeBotAPI, SimUser
from testkit.process import TOKEN, bot_env, running

ROOT = Path(__file__).resolve().parents[1]

ECHO_TOKEN = "987654321:AAEchoEchoEchoEchoEchoEchoEchoEcho00"
EXAMPLE = re.compile(r"Например: (.+)")
FIRST_USER_ID = 10_000
#: A questionnaire user needs about 40 updates; more means the script is going in circles.
MAX_ACTIONS = 200
MAX_RETRIES = 3  # of one action after the bot's apology
ECHO_MESSAGES_ALONE = 38  # echo texts per user when the questionnaire is not run alongside
HUMAN_PAUSE = (3.0, 8.0)  # seconds a person takes between two actions, at --human

FAILED = "что-то пошло не так"  # the start of the bot's apology when a handler fails
FINISH = "✅ Всё верно"
NEXT = "Дальше →"
DONE = "Готово"
SKIP = "Пропустить"
CHECKED = "✅ "
#: Buttons that move through a dialog rather than answer its question.
NAVIGATION = frozenset(
    {"← Назад", SKIP, NEXT, "📋 Все ответы", DONE, "Отменить", FINISH, "✏️ Изменить"}
)


class ScriptError(RuntimeError):
    """A simulated user met a screen the script cannot answer, or went in circles."""


# --- the bot under test as a process ---------------------------------------------------------
class Bot(Protocol):
    """What a simulated user needs of the bot: to know when it has finished an update."""

    def handled(self, update_id: int) -> Awaitable[None]: ...


# --- one simulated person ---------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """Type ``text`` or press the inline button labelled ``button``."""

    text: str | None = None
    button: str | None = None


def screen(state: BotState, chat_id: int) -> StoredMessage:
    """The newest bot message the person sees in the chat."""
    for message in reversed(state.chats[chat_id].messages.values()):
        if message.outgoing and not message.deleted:
            return message
    raise ScriptError(f"chat {chat_id} has no bot message")


def buttons(message: StoredMessage) -> list[str]:
    markup = message.data.get("reply_markup") or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


def next_action(message: StoredMessage) -> Action | None:
    """What a specialist filling in the questionnaire does on this screen; None at the summary."""
    text, labels = message.data.get("text") or "", buttons(message)
    options = [label for label in labels if label not in NAVIGATION and not label.startswith("✏️")]
    if FINISH in labels:
        return None
    if "Я SMM-специалист" in labels:
        return Action(button="Я SMM-специалист")
    if "📅 В какие дни" in text:  # onboarding; the questionnaire asks again, with «Готово»
        return _multi(options, NEXT, wanted=1)
    if "⏰ В какие часы" in text:
        return Action(text="10-19")
    if "/new" in text and not labels:
        return Action(text="/new")
    if "Как называется бренд" in text:
        return Action(text="Кофейня Зерно")
    if "Чем занимается клиент" in text:
        return Action(text="кофе навынос")
    if "Проверьте, всё ли верно" in text and NEXT in labels:
        return Action(button=NEXT)  # a section's summary: on to the next section
    if SKIP in labels:
        return Action(button=SKIP)
    if DONE in labels:
        return _multi(options, DONE, wanted=2 if _channels(options) else 1)
    if options:
        return Action(button=options[0])
    if example := EXAMPLE.search(text):
        return Action(text=example.group(1).strip())
    raise ScriptError(f"no rule for the screen {text!r} with buttons {labels}")


def _channels(options: list[str]) -> bool:
    """The first specialist question, where two channels are picked."""
    return any(label.removeprefix(CHECKED) == "ВКонтакте" for label in options)


def _multi(options: list[str], confirm: str, wanted: int) -> Action:
    """Tick options one press at a time until ``wanted`` are ticked, then confirm."""
    if sum(label.startswith(CHECKED) for label in options) >= wanted:
        return Action(button=confirm)
    return Action(button=next(label for label in options if not label.startswith(CHECKED)))


@dataclass
class Tracker:
    """The updates each simulated user caused, for latency attribution afterwards."""

    updates: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    finished: set[int] = field(default_factory=set)
    failed: int = 0  # updates the bot answered with its "something went wrong" apology
    stuck: list[str] = field(default_factory=list)  # people who could not go on, and why


async def act(state: BotState, bot: Bot, tracker: Tracker, user: SimUser, action: Action) -> None:
    person = sim_user(user.to_json())
    if action.text is not None:
        _, update = inject_message(state, person, text_message(action.text))
    else:
        _, _, update = press_button(state, person, button_text=action.button)
    if update is None:
        raise ScriptError(f"the bot does not take this kind of update: {action}")
    tracker.updates[user.id].append(update["update_id"])
    await bot.handled(update["update_id"])


async def fill_questionnaire(
    state: BotState,
    bot: Bot,
    tracker: Tracker,
    user: SimUser,
    pause: Callable[[], float] | None = None,
) -> None:
    """From ``/start`` to the summary. Without ``pause`` each action follows the bot's answer at
    once; with it, each comes ``pause()`` seconds after the one before was sent (an open loop: a
    slow bot does not slow the person down — the next action waits only if the screen it needs has
    not arrived by then)."""
    loop = asyncio.get_running_loop()
    recent: deque[str] = deque(maxlen=6)  # what went wrong, if the script goes in circles
    action: Action | None = Action(text="/start")
    retries = 0
    for _ in range(MAX_ACTIONS):
        assert action is not None
        sent = loop.time()
        await act(state, bot, tracker, user, action)
        shown = screen(state, user.id)
        recent.append(f"{action} -> {shown.data.get('text')!r} {buttons(shown)}")
        if FAILED in (shown.data.get("text") or ""):
            tracker.failed += 1  # the bot apologised; as it asks, the person tries again
            retries += 1
            if retries > MAX_RETRIES:
                break
        else:
            retries = 0
            action = next_action(shown)
            if action is None:
                tracker.finished.add(user.id)
                return
        if pause is not None:
            await asyncio.sleep(max(0.0, sent + pause() - loop.time()))
    steps = "\n".join(recent)
    raise ScriptError(f"user {user.id} did not reach the summary:\n{steps}")


def at_human_pace(seed: int = 17) -> Callable[[BotState, Bot, Tracker, SimUser], Awaitable[None]]:
    """People who arrive within the first ``HUMAN_PAUSE[1]`` seconds and then take 3–8 s (at
    random) between actions; one who meets a screen the script cannot answer is counted as
    stuck instead of stopping everyone."""
    rng = random.Random(seed)

    def pause() -> float:
        return rng.uniform(*HUMAN_PAUSE)

    async def person(state: BotState, bot: Bot, tracker: Tracker, user: SimUser) -> None:
        await asyncio.sleep(rng.uniform(0, HUMAN_PAUSE[1]))
        try:
            await fill_questionnaire(state, bot, tracker, user, pause)
        except ScriptError as error:
            tracker.stuck.append(str(error))

    return person


def echo_chat(
    messages: int,
) -> Callable[[BotState, Bot, Tracker, SimUser], Awaitable[None]]:
    async def chat(state: BotState, bot: Bot, tracker: Tracker, user: SimUser) -> None:
        for number in range(messages):
            text = f"сообщение {number}"
            await act(state, bot, tracker, user, Action(text=text))
            if screen(state, user.id).data.get("text") != text:
                raise ScriptError(f"user {user.id} got no echo of {text!r}")
        tracker.finished.add(user.id)

    return chat


# --- measuring -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunResult:
    name: str
    users: int
    finished: int
    updates: int
    seconds: float
    latencies_ms: list[float]  # sorted
    failed: int
    cpu_seconds: float  # the bot process's, while the users were at it
    unanswered: int = 0  # updates the bot took but made no Bot API call for
    stuck: int = 0  # people who met a screen they could not answer (--human goes on without them)
    driver_cpu_seconds: float = math.nan  # this process's: the Bot API server and the people

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu_seconds / self.updates if self.updates else math.nan

    @property
    def updates_per_user(self) -> int:
        return round(self.updates / self.users) if self.users else 0

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile: the smallest latency at least ``share`` of updates meet."""
        if not self.latencies_ms:
            return float("nan")
        rank = max(1, math.ceil(len(self.latencies_ms) * share))
        return self.latencies_ms[rank - 1]

    def line(self) -> str:
        return (
            f"{self.name:>13}: {self.updates_per_second:8.1f} updates/s  "
            f"p50 {self.percentile(0.50):7.1f} ms  p99 {self.percentile(0.99):7.1f} ms  "
            f"CPU {self.cpu_ms_per_update:5.1f} ms/update  "
            f"({self.updates} updates, {self.failed} failed, "
            f"{self.finished}/{self.users} users done, {self.seconds:.1f} s)"
        )


def measure(
    name: str,
    state: BotState,
    tracker: Tracker,
    cpu_seconds: float,
    driver_cpu_seconds: float = math.nan,
) -> RunResult:
    """Attribute every Bot API call for a chat to the latest update of that chat served before it."""
    served: dict[int, list[tuple[float, int]]] = {
        chat: sorted((state.served_at[u], u) for u in ids if u in state.served_at)
        for chat, ids in tracker.updates.items()
    }
    replied: dict[int, float] = {}
    for call in state.calls:
        timeline = served.get(call.chat_id) if call.chat_id is not None else None
        if not timeline:
            continue
        index = bisect.bisect_right(timeline, (call.at, float("inf"))) - 1
        if index >= 0:
            update_id = timeline[index][1]
            replied[update_id] = max(replied.get(update_id, 0.0), call.at)
    starts = [at for timeline in served.values() for at, _ in timeline]
    latencies = sorted(
        (replied[u] - at) * 1000
        for timeline in served.values()
        for at, u in timeline
        if u in replied
    )
    updates = sum(len(ids) for ids in tracker.updates.values())
    seconds = max(replied.values()) - min(starts) if replied and starts else 0.0
    return RunResult(
        name,
        len(tracker.updates),
        len(tracker.finished),
        updates,
        seconds,
        latencies,
        tracker.failed,
        cpu_seconds,
        unanswered=sum(1 for t in served.values() for _, u in t if u not in replied),
        stuck=len(tracker.stuck),
        driver_cpu_seconds=driver_cpu_seconds,
    )


Script = Callable[[BotState, Bot, Tracker, SimUser], Awaitable[None]]


async def run_users(
    name: str,
    token: str,
    command: Sequence[str],
    env_for: Callable[[str], dict[str, str]],
    script: Script,
    users: int,
    within: float,
    partial: bool = False,
) -> RunResult:
    """``partial``: at the time limit, measure what was done instead of failing."""
    async with FakeBotAPI() as api:
        state = api.bot(token)
        async with running(command, env_for(api.url)) as bot:
            tracker = Tracker()
            people = [SimUser(id=FIRST_USER_ID + n, first_name=f"Бенч{n}") for n in range(users)]
            cpu_before, driver_before = bot.cpu_seconds(), time.process_time()
            # The driver (the Bot API server and the people) keeps every update, call and message
            # of the run: its full collections grew to 0.4 s at 1 000 people at human pace, and a
            # reply that arrives during one is stamped late — the driver's pause, counted as the
            # bot's latency. It collects after the run instead.
            gc.disable()
            try:
                async with asyncio.timeout(within):
                    await asyncio.gather(*(script(state, bot, tracker, p) for p in people))
            except TimeoutError:
                if partial:  # what was served is still measured; the rest count as stuck
                    missing = users - len(tracker.finished) - len(tracker.stuck)
                    tracker.stuck.extend(["not done in time"] * missing)
                    return measure(
                        name,
                        state,
                        tracker,
                        bot.cpu_seconds() - cpu_before,
                        time.process_time() - driver_before,
                    )
                raise RuntimeError(
                    f"{name}: {len(tracker.finished)}/{users} users done in {within:.0f} s\n"
                    f"{bot.tail()}"
                ) from None
            except ScriptError as error:
                raise ScriptError(f"{error}\n{name} log:\n{bot.first_error()}") from None
            finally:
                gc.enable()
            if tracker.failed:  # the log goes with the bot's folder: its cause is said now
                print(f"{name}: {tracker.failed} failed, the first:\n{bot.first_error()}")
            return measure(
                name,
                state,
                tracker,
                bot.cpu_seconds() - cpu_before,
                time.process_time() - driver_before,
            )


async def run_questionnaire(
    users: int, within: float, script: Script = fill_questionnaire, name: str = "questionnaire"
) -> RunResult:
    with tempfile.TemporaryDirectory(prefix="smartbrief-bench-") as folder:
        database = Path(folder) / "bench.db"
        return await run_users(
            name,
            TOKEN,
            [sys.executable, "-m", "bot"],
            lambda url: bot_env(url, database),
            script,
            users,
            within,
            partial=script is not fill_questionnaire,
        )


def human_line(result: RunResult) -> str:
    """The figure a person feels: how long after their update reached the bot its answer came.

    Failed counts the updates the bot apologised for or never answered and the people who could
    not go on."""
    failed = result.failed + result.unanswered + result.stuck
    return (
        f"human pace: p50 {result.percentile(0.50):.0f} ms p95 {result.percentile(0.95):.0f} ms "
        f"p99 {result.percentile(0.99):.0f} ms, {failed} failed"
    )


async def run_echo(users: int, messages: int, within: float, name: str = "echo") -> RunResult:
    """Echo users against ``bench/<name>_bot.py``: the echo bot, or the bare dialog bot."""

    def env_for(url: str) -> dict[str, str]:
        return bot_env(url, Path(tempfile.gettempdir()) / "unused.db") | {"BOT_TOKEN": ECHO_TOKEN}

    return await run_users(
        name,
        ECHO_TOKEN,
        [sys.executable, str(ROOT / "bench" / f"{name}_bot.py")],
        env_for,
        echo_chat(messages),
        users,
        within,
    )


def vs_floor(rounds: Sequence[tuple[RunResult, RunResult]]) -> str:
    """The questionnaire's capacity as a share of the bare aiogram-dialog bot's, from CPU time per
    update (the figure a busy shared machine distorts least; target ≥ 50 %, i.e. at most twice the
    floor's CPU), then the detail: CPU per update and throughput of both. Over several rounds
    (questionnaire, floor, questionnaire, floor…) the median round's: the machine's speed drifts
    between runs — the floor alone by a fifth — and each round compares two runs side by side."""
    shares = sorted(
        (floor.cpu_ms_per_update / bot.cpu_ms_per_update, index)
        for index, (bot, floor) in enumerate(rounds)
    )
    share, median = shares[(len(shares) - 1) // 2]
    bot, floor = rounds[median]
    each = ""
    if len(rounds) > 1:
        each = f"; rounds: {', '.join(f'{s:.0%}' for s, _ in sorted(shares, key=lambda x: x[1]))}"
    return (
        f"vs floor: {share:.0%}\n"
        f"{'':>13}  (CPU per update {bot.cpu_ms_per_update:.1f} ms vs the floor's "
        f"{floor.cpu_ms_per_update:.1f} ms = {1 / share:.1f}×, target ≤ 2×; throughput "
        f"{bot.updates_per_second / floor.updates_per_second:.0%} of the floor's{each})"
    )


async def main(argv: Sequence[str] | None = None) -> list[RunResult]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=200, help="simulated users, all at once")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--echo-only", action="store_true", help="measure just the echo bot")
    only.add_argument("--bot-only", action="store_true", help="measure just the real bot")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure a bare aiogram-dialog bot (bench/dialog_bot.py): the framework's cost",
    )
    only.add_argument(
        "--human",
        type=int,
        metavar="PEOPLE",
        help="instead: PEOPLE people through onboarding and the questionnaire at human pace "
        f"({HUMAN_PAUSE[0]:.0f}–{HUMAN_PAUSE[1]:.0f} s between actions), the real bot only",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="with --floor: run the questionnaire and the floor in turn this many times and "
        "report the median round",
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per bot, at most")
    args = parser.parse_args(argv)
    results: list[RunResult] = []
    if args.human:
        human = await run_questionnaire(args.human, args.timeout, at_human_pace(), "human pace")
        print(human.line())
        driver = 1000 * human.driver_cpu_seconds / human.updates if human.updates else math.nan
        print(
            f"{'load':>13}: {human.updates_per_second:.0f} updates/s offered; the bot's CPU "
            f"{human.cpu_seconds / human.seconds:.0%} of a core, the driver's (Bot API server and "
            f"people) {human.driver_cpu_seconds / human.seconds:.0%} ({driver:.1f} ms/update)"
        )
        print(human_line(human), flush=True)
        return [human]
    messages = ECHO_MESSAGES_ALONE
    if not args.echo_only:
        bot = await run_questionnaire(args.users, args.timeout)
        print(bot.line(), flush=True)
        results.append(bot)
        messages = bot.updates_per_user
    if not args.bot_only:
        echo = await run_echo(args.users, messages, args.timeout)
        print(echo.line(), flush=True)
        results.append(echo)
    if args.floor:
        floor = await run_echo(args.users, messages, args.timeout, name="dialog")
        print(floor.line(), flush=True)
        if not args.bot_only:
            share = floor.updates_per_second / results[-1].updates_per_second
            print(f"{'floor ratio':>13}: {share:.0%} of the echo bot's throughput", flush=True)
        if not args.echo_only:
            rounds = [(results[0], floor)]
            for _ in range(args.rounds - 1):
                again = await run_questionnaire(args.users, args.timeout)
                print(again.line(), flush=True)
                floor = await run_echo(args.users, messages, args.timeout, name="dialog")
                print(floor.line(), flush=True)
                rounds.append((again, floor))
            print(vs_floor(rounds), flush=True)
    if len(results) == 2:
        bot, echo = results
        ratio = bot.updates_per_second / echo.updates_per_second
        added = bot.percentile(0.99) - echo.percentile(0.99)
        print(f"{'ratio':>13}: {ratio:.0%} of the echo bot's throughput (target ≥ 70 %)")
        print(f"{'added p99':>13}: {added:.1f} ms (target ≤ 30 ms)")
    return results


if __name__ == "__main__":
    started = time.monotonic()
    asyncio.run(main())
    print(f"{'wall time':>13}: {time.monotonic() - started:.0f} s")
