"""Throwaway PostgreSQL and Redis servers, for the tests and for ``bench/scale.py`` (``python -m bench.scale``).

Each server is started from the Debian binaries, listens on a free loopback port, keeps its data
in a temporary directory and is stopped (and its data removed) when the block ends. Missing
binaries raise :class:`ServerMissing`; the pytest fixtures in ``tests/servers.py`` turn that into
a skip (or a failure in CI). This module must never touch a server it did not start.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import redis

STARTUP_TIMEOUT_S = 30.0
#: Where Debian's postgresql packages put each major version's binaries.
POSTGRES_ROOT = Path("/usr/lib/postgresql")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerMissing(RuntimeError):
    """The server's binaries are not installed (the tests skip, or fail in CI)."""


def _missing(what: str) -> NoReturn:
    raise ServerMissing(f"{what} is not installed (apt-get install postgresql redis-server)")


def _major(pg_ctl: Path) -> int:
    """/usr/lib/postgresql/<major>/bin/pg_ctl: the newest installed version wins."""
    return int(pg_ctl.parts[-3])


def _as_owner(command: Sequence[str]) -> list[str]:
    """PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user."""
    if os.geteuid() != 0:
        return list(command)
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresServer:
    bin_dir: Path
    port: int
    _names: Iterator[int] = field(default_factory=itertools.count)

    def fresh_database(self) -> str:
        """A new empty database; the URL the application would be given for it."""
        name = f"test_{next(self._names)}"
        self.psql(f"CREATE DATABASE {name}")
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, sql: str) -> None:
        subprocess.run(
            [
                *(str(self.bin_dir / "psql"), "-q", "-h", "127.0.0.1", "-p", str(self.port)),
                *("-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql),
            ],
            check=True,
            capture_output=True,
        )


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL for as long as the block runs (also used by bench/scale.py)."""
    found = sorted(POSTGRES_ROOT.glob("*/bin/pg_ctl"), key=_major)
    if not found:
        _missing("PostgreSQL")
    bin_dir = found[-1].parent
    root = Path(tempfile.mkdtemp(prefix="smartbrief-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    try:
        subprocess.run(
            _as_owner(
                [
                    *(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres"),
                    *("--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"),
                ]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_owner(
                [
                    *(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options),
                    *("-l", str(root / "server.log"), "-w", "-t", str(int(STARTUP_TIMEOUT_S))),
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        try:
            yield PostgresServer(bin_dir, port)
        finally:
            subprocess.run(
                _as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                check=False,
                capture_output=True,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def running_redis() -> Iterator[str]:
    """A throwaway redis-server for as long as the block runs; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        _missing("Redis")
    root, port = Path(tempfile.mkdtemp(prefix="smartbrief-redis-")), _free_port()
    process = subprocess.Popen(
        [
            *(binary, "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(root), "--daemonize", "no"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, "redis-server exited at start-up"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.02)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
