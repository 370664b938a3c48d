"""Fixtures for the tests that must also pass on PostgreSQL and Redis.

Each server (``testkit/servers.py``) is started once per test session and stopped at the end.
Every test gets a database of its own on PostgreSQL and an emptied Redis.

Where the binaries are missing the tests that need them are skipped, except in CI (the `CI`
environment variable is set): there a missing server fails the run, so the PostgreSQL and Redis
variants can never be silently skipped. This module must never touch a server it did not start.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
import redis

from testkit.servers import PostgresServer, ServerMissing, running_postgres, running_redis

#: Run a test on both databases: ``@both_databases`` above a test that uses ``database_url``.
both_databases = pytest.mark.parametrize(
    "database_backend", ["sqlite", "postgresql"], indirect=True
)


def _missing(error: ServerMissing) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{error}; CI must run the tests that need it", pytrace=False)
    pytest.skip(str(error))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with running_postgres() as server:
            yield server
    except ServerMissing as error:
        _missing(error)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    try:
        with running_redis() as url:
            yield url
    except ServerMissing as error:
        _missing(error)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's Redis, emptied for this test."""
    client = redis.Redis.from_url(redis_server)
    client.flushall()
    client.close()
    return redis_server


@pytest.fixture
def database_backend(request: pytest.FixtureRequest) -> str:
    """SQLite unless the test is marked `both_databases`."""
    backend: str = getattr(request, "param", "sqlite")
    return backend


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """The file behind `database_url` when the backend is SQLite."""
    return tmp_path / "test.db"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, database_backend: str, sqlite_path: Path) -> str:
    """An empty database of the backend under test."""
    if database_backend == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url: str = server.fresh_database()
        return url
    return f"sqlite+aiosqlite:///{sqlite_path}"
