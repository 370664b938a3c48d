"""Runs the fake Bot API as its own process: ``python -m bot.sandbox.botapi --port N``.

It prints ``listening on <url>`` once ready (so ``--port 0`` callers learn the port) and stops
on SIGTERM or SIGINT. It must never bind anything but a loopback address.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from .server import FakeBotAPI


async def serve(host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with FakeBotAPI(host, port) as api:
        print(f"listening on {api.url}", flush=True)
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox.botapi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
