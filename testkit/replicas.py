"""Several `python -m bot` processes in webhook mode behind a load balancer, as scale mode runs.

Test helpers, also used by ``bench/scale.py``:

* ``RoundRobinProxy`` stands where nginx would: the fake Bot API posts every update to it, and
  it forwards each to the replica after the one that served the same person last — so a
  person's consecutive updates are always served by different replicas, the hardest case for
  shared dialog state. A replica that does not answer is skipped, as a load balancer does.
  Telegram keeps up to 40 webhook posts open at once, the fake Bot API only one; for
  throughput (``bench/scale.py``) ``parallel`` makes the proxy answer the fake at once and
  forward in the background, that many at a time.
* ``ApiRelay`` stands between the replicas and the Bot API, one path prefix per replica, and can
  hold one replica's requests back: a test can then kill that replica at a moment when none of
  its messages is on its way (see tests/scale/test_reminders_failover.py).
* ``Replicas`` reads the replicas' logs: which replica handled which update.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import sys
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.webhook import READY_MESSAGE
from testkit.process import HANDLED, BotUnderTest, bot_env

SECRET = "scale_Test-secret"
WEBHOOK_PATH = "/telegram"
HANDLED_LINE = re.compile(r"Update id=(\d+) is handled")
_HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def sender_of(update: dict[str, object]) -> int | None:
    """The Telegram id of whoever caused the update (message, button press, ...)."""
    for key, value in update.items():
        if key != "update_id" and isinstance(value, dict):
            person = value.get("from")
            person_id = person.get("id") if isinstance(person, dict) else None
            if isinstance(person_id, int):
                return person_id
    return None


async def _serve(app: web.Application, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


class RoundRobinProxy:
    """Forwards webhook posts to ``backends``, each person's next update to the next replica."""

    def __init__(self, backends: Sequence[str], port: int, *, parallel: int = 0) -> None:
        self.backends, self.port = list(backends), port
        self.forwarded: Counter[int] = Counter()  # backend index -> updates it answered
        self.lost = 0  # in parallel mode: updates no replica accepted
        self._last: dict[int | None, int] = {}
        self._parallel = asyncio.Semaphore(parallel) if parallel else None
        self._background: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = await _serve(app, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._http is not None:
            await self._http.close()

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        person = sender_of(await request.json())
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        if self._parallel is None:
            status, answer = await self._pass_on(person, request.path_qs, body, headers)
            return web.Response(body=answer, status=status)
        task = asyncio.create_task(self._pass_on_later(person, request.path_qs, body, headers))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return web.Response()

    async def _pass_on_later(
        self, person: int | None, path: str, body: bytes, headers: dict[str, str]
    ) -> None:
        assert self._parallel is not None
        async with self._parallel:
            status, _ = await self._pass_on(person, path, body, headers)
        if status >= 300:
            self.lost += 1

    async def _pass_on(
        self, person: int | None, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        assert self._http is not None
        first = (self._last.get(person, -1) + 1) % len(self.backends)
        for step in range(len(self.backends)):
            index = self._last[person] = (first + step) % len(self.backends)
            try:
                async with self._http.post(
                    self.backends[index] + path, data=body, headers=headers
                ) as response:
                    answer = await response.read()
            except aiohttp.ClientConnectionError:
                continue  # that replica is down: the next one serves
            self.forwarded[index] += 1
            return response.status, answer
        return 502, b""


class ApiRelay:
    """Passes ``/<replica>/bot<token>/<method>`` on to the Bot API at ``upstream``; ``hold``
    keeps a replica's further requests from reaching it."""

    def __init__(self, upstream: str, port: int) -> None:
        self.upstream, self.port = upstream, port
        self.in_flight: Counter[str] = Counter()  # passed on, answer not yet back
        self.delivered: dict[str, list[int]] = defaultdict(list)  # chats sent to, by replica
        self._held: set[str] = set()
        self._release = asyncio.Event()
        self._http: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None

    def base_for(self, replica: str) -> str:
        return f"http://127.0.0.1:{self.port}/{replica}"

    def hold(self, replica: str) -> None:
        self._held.add(replica)

    async def start(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{replica}/{rest:.*}", self._relay)
        self._runner = await _serve(app, self.port)

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    async def _relay(self, request: web.Request) -> web.Response:
        assert self._http is not None
        replica = request.match_info["replica"]
        body = await request.read()
        while replica in self._held:
            await self._release.wait()  # until the replica is gone (its connection drops)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        self.in_flight[replica] += 1
        try:
            async with self._http.request(
                request.method,
                f"{self.upstream}/{request.match_info['rest']}",
                data=body,
                headers=headers,
            ) as response:
                answer = await response.read()
                if response.status == 200 and request.path.endswith("/sendMessage"):
                    payload = await response.json(content_type=None)
                    self.delivered[replica].append(payload["result"]["chat"]["id"])
                return web.Response(
                    body=answer, status=response.status, content_type=response.content_type
                )
        finally:
            self.in_flight[replica] -= 1


@dataclass
class Replicas:
    """The replicas' logs, read together."""

    processes: list[BotUnderTest]

    def handled(self, update_id: int) -> Awaitable[None]:
        """Resolves when any replica has handled the update (bench/questionnaire's ``Bot``)."""
        waiters = [asyncio.ensure_future(p.handled(update_id)) for p in self.processes]

        async def first() -> None:
            done, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            for waiter in pending:
                waiter.cancel()
            for waiter in done:
                waiter.result()

        return asyncio.ensure_future(first())

    def handled_count(self) -> int:
        return sum(
            sum(1 for line in process.lines if HANDLED_LINE.search(line))
            for process in self.processes
        )

    async def wait_handled(self, count: int, within: float = 10.0) -> None:
        """Until ``count`` updates are handled, whichever replica handled them."""
        deadline = asyncio.get_running_loop().time() + within
        while self.handled_count() < count:
            assert asyncio.get_running_loop().time() < deadline, self.tail()
            await asyncio.sleep(0.02)

    def tail(self) -> str:
        return "\n\n".join(process.tail() for process in self.processes)

    def served_by(self) -> dict[int, int]:
        """update id -> index of the replica that handled it, from the replicas' own logs."""
        return {
            int(match.group(1)): index
            for index, process in enumerate(self.processes)
            for line in process.lines
            if (match := HANDLED.search(line))
        }


def replica_env(
    api_url: str, database_url: str, redis_url: str, public_url: str, port: int
) -> dict[str, str]:
    env = bot_env(api_url, Path("unused.db"))  # DATABASE_URL is replaced below
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        WEBHOOK_URL=public_url,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_PATH=WEBHOOK_PATH,
    )
    return env


@contextlib.asynccontextmanager
async def webhook_replicas(
    api_url: str,
    database_url: str,
    redis_url: str,
    *,
    count: int = 2,
    api_urls: Sequence[str] | None = None,
    extra_env: dict[str, str] | None = None,
    parallel: int = 0,
) -> AsyncIterator[tuple[Replicas, RoundRobinProxy]]:
    """``count`` replicas started together (as an orchestrator does) behind one proxy, which is
    the public webhook URL. ``api_urls`` gives each replica its own Bot API address."""
    ports = [free_port() for _ in range(count)]
    proxy = RoundRobinProxy(
        [f"http://127.0.0.1:{port}" for port in ports], free_port(), parallel=parallel
    )
    await proxy.start()
    processes = [
        BotUnderTest(
            [sys.executable, "-m", "bot"],
            replica_env(
                api_urls[index] if api_urls else api_url,
                database_url,
                redis_url,
                proxy.url,
                port,
            )
            | (extra_env or {}),
            ready=READY_MESSAGE,
        )
        for index, port in enumerate(ports)
    ]
    try:
        await asyncio.gather(*(process.start(within=120) for process in processes))
        yield Replicas(processes), proxy
    finally:
        await asyncio.gather(*(process.stop() for process in processes))
        await proxy.stop()
