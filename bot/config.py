"""Settings read from the environment and `.env`.

Everything configurable lives here so the rest of the code receives plain values; nothing else reads
`os.environ`. The token is a `SecretStr` so it never ends up in logs or reprs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_PATTERN = re.compile(r"^\d{5,16}:[A-Za-z0-9_-]{30,64}$")

WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

WEBHOOK_SECRET_HELP = (
    "WEBHOOK_SECRET is missing or malformed: webhook mode (WEBHOOK_URL is set) needs a secret of "
    "1 to 256 characters, only letters A-Z and a-z, digits, _ and -; make one with "
    'python -c "import secrets; print(secrets.token_urlsafe(32))" and put it into .env as '
    "WEBHOOK_SECRET=..."
)

TOKEN_HELP = (
    "BOT_TOKEN is missing or malformed: open @BotFather in Telegram, send /newbot, "
    "and put the token it gives you (like 123456789:AA...) into the .env file as BOT_TOKEN=..."
)


class DatabaseSettings(BaseSettings):
    """What migrations need: just the database, so `alembic` runs without a bot token."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default="sqlite+aiosqlite:///data/smartbrief.db")

    def sqlite_path(self) -> Path | None:
        """The SQLite file, so start-up can create its folder; None for other databases."""
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url.removeprefix(prefix))
        return None


class Settings(DatabaseSettings):
    """The bot's configuration; see the table in README.md."""

    bot_token: SecretStr
    telegram_api_url: str | None = None
    redis_url: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    default_language: Literal["ru", "en"] = "ru"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"  # a container must listen beyond its loopback
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_path: str = "/telegram"
    # Set only by the sandbox launcher (python -m bot.sandbox): its "move time forward" control.
    sandbox_clock_file: Path | None = None

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_PATTERN.fullmatch(value.get_secret_value().strip()):
            raise ValueError("malformed token")
        return SecretStr(value.get_secret_value().strip())

    @field_validator(
        "telegram_api_url",
        "redis_url",
        "webhook_url",
        "webhook_secret",
        "sandbox_clock_file",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", value):
            raise ValueError("must be a public base URL like https://bot.example.com")
        return value.rstrip("/") if value else value

    @field_validator("webhook_path")
    @classmethod
    def _webhook_path_shape(cls, value: str) -> str:
        if not re.fullmatch(r"/[A-Za-z0-9_\-./]*", value):
            raise ValueError("must start with / and contain only letters, digits, _ - . /")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_PATTERN.fullmatch(value.get_secret_value()):
            raise PydanticCustomError("webhook_secret", "malformed webhook secret")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        """Without a secret anyone who finds the URL could post forged updates."""
        if self.webhook_url and self.webhook_secret is None:
            raise PydanticCustomError("webhook_secret", "webhook mode needs a secret")
        return self

    def webhook_endpoint(self) -> str | None:
        """The full URL Telegram posts to, or None in polling mode."""
        return f"{self.webhook_url}{self.webhook_path}" if self.webhook_url else None


class ConfigError(Exception):
    """Raised with a sentence meant for the person running the bot, never with a traceback."""


def load_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as error:
        if any(err["loc"] == ("bot_token",) for err in error.errors()):
            raise ConfigError(TOKEN_HELP) from None
        if any(err["type"] == "webhook_secret" for err in error.errors()):
            raise ConfigError(WEBHOOK_SECRET_HELP) from None
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in error.errors()
        )
        raise ConfigError(f"Configuration error: {problems}") from None
