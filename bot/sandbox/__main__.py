"""``python -m bot.sandbox`` (``make demo``): try the bot without Telegram, a token or a network.

Starts the built-in Bot API server on a loopback port, the real bot (``python -m bot``, unchanged)
as a child process pointed at it with a throwaway token, its own SQLite file and a movable clock,
and the web chat on ``http://127.0.0.1:8080``. Ctrl-C (or SIGTERM) stops the bot first — it
finishes what it is handling — then the servers. Each start is a fresh sandbox unless ``--keep``:
the Bot API keeps chats in memory, so an old database would remember people the chats forgot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import secrets
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from bot.clock import FileOffsetClock

from .botapi import FakeBotAPI
from .botapi.control import sim_user
from .web import Person, SandboxWeb

PEOPLE = {  # the two simulated people (role, id, name, @username), by their Telegram language
    "ru": (("specialist", 1001, "Анна", "anna_smm"), ("client", 1002, "Борис", "boris_knit")),
    "en": (("specialist", 1001, "Anna", "anna_smm"), ("client", 1002, "Boris", "boris_knit")),
}
STOP_GRACE = 15.0  # seconds the bot gets to finish its updates after SIGTERM
# Settings of the bot that the sandbox decides, whatever the shell or .env says.
_OVERRIDDEN = ("REDIS_URL", "WEBHOOK_URL", "WEBHOOK_SECRET")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.sandbox", description=__doc__.split("\n\n", 1)[0]
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="a loopback address (default %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8080, help="the web page's port; 0 picks one")
    parser.add_argument(
        "--data-dir", type=Path, default=Path("data"), help="where sandbox.db and its log go"
    )
    parser.add_argument(
        "--language",
        choices=sorted(PEOPLE),
        default="ru",
        help="the two people's Telegram language",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the previous sandbox's database and clock"
    )
    return parser.parse_args(argv)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def throwaway_token() -> str:
    """A token in Telegram's shape that no real bot has; the built-in server accepts any."""
    return f"{secrets.randbelow(9 * 10**8) + 10**8}:{secrets.token_urlsafe(26)}"


def fresh_start(database: Path, clock_file: Path) -> None:
    """Forget the last sandbox: its database (with SQLite's WAL and shared-memory files) and the
    time it was moved to."""
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    clock_file.unlink(missing_ok=True)


def bot_environment(api_url: str, token: str, database: Path, clock_file: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=token,
        TELEGRAM_API_URL=api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        SANDBOX_CLOCK_FILE=str(clock_file),
    )
    env.update(dict.fromkeys(_OVERRIDDEN, ""))  # an empty value beats .env and means "not set"
    return env


async def run(args: argparse.Namespace) -> int:
    data = args.data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True)
    database, clock_file, log_file = (
        data / "sandbox.db",
        data / "sandbox-clock",
        data / "sandbox-bot.log",
    )
    if not args.keep:
        fresh_start(database, clock_file)
    token = throwaway_token()
    people = [
        Person(
            role,
            sim_user(
                {
                    "id": uid,
                    "first_name": name,
                    "username": username,  # the brief lists contacts as @usernames
                    "language_code": args.language,
                }
            ),
        )
        for role, uid, name, username in PEOPLE[args.language]
    ]

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    async with FakeBotAPI() as api:
        page = SandboxWeb(lambda: api.bot(token), people, FileOffsetClock(clock_file))
        runner = web.AppRunner(page.app, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, args.host, args.port).start()
        except OSError as error:
            await runner.cleanup()
            print(
                f"Cannot open the sandbox page on {args.host}:{args.port}: {error.strerror}. "
                "Try another --port.",
                file=sys.stderr,
            )
            return 2
        address = runner.addresses[0]
        host = f"[{address[0]}]" if ":" in address[0] else address[0]
        url = f"http://{host}:{address[1]}"
        print(f"Built-in Bot API on {api.url} (throwaway token {token})", flush=True)
        print(f"Starting the bot; its log is {log_file}", flush=True)
        with log_file.open("wb") as log:
            bot = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                env=bot_environment(api.url, token, database, clock_file),
                stdout=log,
                stderr=log,
                start_new_session=True,  # Ctrl-C reaches the sandbox, which stops the bot in order
            )
        try:
            code = await serve(api, token, bot, stop, url)
        finally:
            await stop_bot(bot)
            await runner.cleanup()
    if code:
        tail = log_file.read_text(errors="replace").splitlines()[-20:]
        print("The bot stopped unexpectedly; the end of its log:", *tail, sep="\n", file=sys.stderr)
    else:
        print("Sandbox stopped.", flush=True)
    return code


async def serve(
    api: FakeBotAPI, token: str, bot: asyncio.subprocess.Process, stop: asyncio.Event, url: str
) -> int:
    """Until Ctrl-C (0) or the bot's death (1); says where to go once the bot takes updates."""
    exited = asyncio.ensure_future(bot.wait())
    stopping = asyncio.ensure_future(stop.wait())
    ready = asyncio.ensure_future(_polling(api, token))
    try:
        done, _ = await asyncio.wait({exited, stopping, ready}, return_when=asyncio.FIRST_COMPLETED)
        if ready in done:
            print(f"Ready: open {url} in a browser (Ctrl-C stops the sandbox)", flush=True)
            done, _ = await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
        return 1 if exited in done and not stop.is_set() else 0
    finally:
        for task in (exited, stopping, ready):
            task.cancel()


async def _polling(api: FakeBotAPI, token: str) -> None:
    state = api.bot(token)
    while not state.polled:
        await state.wait_arrival()  # a getUpdates call wakes this


async def stop_bot(bot: asyncio.subprocess.Process) -> None:
    if bot.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            bot.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.wait(), STOP_GRACE)
        except TimeoutError:
            bot.kill()
            await bot.wait()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not is_loopback(args.host):
        print(
            f"The sandbox serves this computer only: --host must be a loopback address such as "
            f"127.0.0.1 or ::1, not {args.host!r}.",
            file=sys.stderr,
        )
        return 2
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
