"""docker-compose.yml cannot be run here (no Docker engine), so it is read and checked: two bot
replicas of this image in webhook mode on PostgreSQL and Redis, healthchecks on /healthz, the
proxy spreading the webhook over both, and only settings the bot really has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from testkit.process import ROOT

COMPOSE = ROOT / "docker-compose.yml"


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def _bots(services: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: service for name, service in services.items() if name.startswith("bot")}


def test_two_bot_replicas_in_webhook_mode_on_postgresql_and_redis() -> None:
    services = _compose()["services"]
    bots = _bots(services)
    assert len(bots) == 2
    for service in bots.values():
        assert service["build"] == "."  # the Dockerfile, whose command is `python -m bot`
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["WEBHOOK_URL"].startswith("https://")
        assert env["WEBHOOK_SECRET"] and env["LOG_FORMAT"] == "json"
        assert env["WEBHOOK_HOST"] == "0.0.0.0"
        unknown = {key for key in env if key.lower() not in Settings.model_fields}
        assert not unknown, f"the bot has no such settings: {unknown}"
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        probe = " ".join(service["healthcheck"]["test"])
        assert f"127.0.0.1:{env['WEBHOOK_PORT']}/healthz" in probe
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"]


def test_the_proxy_serves_the_webhook_path_from_both_replicas() -> None:
    services = _compose()["services"]
    bots = _bots(services)
    mount = next(v for v in services["proxy"]["volumes"] if v.endswith(":/etc/caddy/Caddyfile:ro"))
    caddyfile = (ROOT / Path(mount.split(":")[0])).read_text()
    for name, service in bots.items():
        assert re.search(
            rf"reverse_proxy[^\n]*\b{name}:{service['environment']['WEBHOOK_PORT']}\b", caddyfile
        )
    paths = {service["environment"]["WEBHOOK_PATH"] for service in bots.values()}
    assert len(paths) == 1 and f"handle {paths.pop()} {{" in caddyfile
    assert "health_uri /healthz" in caddyfile
