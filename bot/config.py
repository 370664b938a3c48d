"""Settings read from the environment and `.env`.

Everything configurable lives here so the rest of the code receives plain values; nothing else reads
`os.environ`. The token is a `SecretStr` so it never ends up in logs or reprs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_PATTERN = re.compile(r"^\d{5,16}:[A-Za-z0-9_-]{30,64}$")

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
    default_language: Literal["ru", "en"] = "ru"

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_PATTERN.fullmatch(value.get_secret_value().strip()):
            raise ValueError("malformed token")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("telegram_api_url", "redis_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


class ConfigError(Exception):
    """Raised with a sentence meant for the person running the bot, never with a traceback."""


def load_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as error:
        if any(err["loc"] == ("bot_token",) for err in error.errors()):
            raise ConfigError(TOKEN_HELP) from None
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in error.errors()
        )
        raise ConfigError(f"Configuration error: {problems}") from None
