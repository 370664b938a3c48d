"""Webhook settings: polling unless WEBHOOK_URL is set, and then a well-formed secret is required."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import WEBHOOK_SECRET_HELP, ConfigError, load_settings

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only what each test sets: no `.env` from the working copy, no inherited WEBHOOK_*."""
    monkeypatch.chdir(tmp_path)
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_HOST", "WEBHOOK_PORT", "WEBHOOK_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)


def test_polling_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "")
    settings = load_settings()
    assert settings.webhook_url is None
    assert settings.webhook_endpoint() is None
    assert (settings.webhook_host, settings.webhook_port, settings.webhook_path) == (
        "0.0.0.0",
        8080,
        "/telegram",
    )


def test_webhook_mode_builds_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com/")
    monkeypatch.setenv("WEBHOOK_SECRET", "a" * 256)
    monkeypatch.setenv("WEBHOOK_PATH", "/tg/updates")
    monkeypatch.setenv("WEBHOOK_PORT", "8443")
    settings = load_settings()
    assert settings.webhook_endpoint() == "https://bot.example.com/tg/updates"
    assert settings.webhook_port == 8443
    assert "a" * 256 not in repr(settings)


@pytest.mark.parametrize("secret", [None, "", "has space", "naïve", "x" * 257, "semi;colon"])
def test_webhook_mode_needs_a_well_formed_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com")
    if secret is not None:
        monkeypatch.setenv("WEBHOOK_SECRET", secret)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value) == WEBHOOK_SECRET_HELP
    assert "1 to 256 characters" in str(raised.value)


def test_a_malformed_secret_is_refused_even_in_polling_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", "not allowed!")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEBHOOK_URL", "bot.example.com"),
        ("WEBHOOK_URL", "ftp://bot.example.com"),
        ("WEBHOOK_PATH", "telegram"),
        ("WEBHOOK_PORT", "0"),
        ("WEBHOOK_PORT", "70000"),
    ],
)
def test_malformed_webhook_settings_are_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", "fine")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"^Configuration error: {name}: "):
        load_settings()
