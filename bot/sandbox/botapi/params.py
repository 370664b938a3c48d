"""Typed access to Bot API call parameters, whichever way the client encoded them.

aiogram sends url-encoded or multipart forms in which strings travel raw, numbers and booleans
JSON-encoded and nested objects as JSON strings; other clients send one JSON body. This module
turns either into typed values and uploaded files, answering Telegram's 400s for bad input. It
must never know what any particular method means.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp.web import FileField

from .state import bad_request


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    content_type: str


class Params:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, FileField):
            raise bad_request(f"{name} must be a string")
        return json.dumps(value) if isinstance(value, dict | list) else str(value)

    def required_str(self, name: str, empty: str | None = None) -> str:
        value = self.get_str(name)
        if not value:
            raise bad_request(empty or f"{name} is empty")
        return value

    def get_int(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        try:
            return int(str(value))
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def required_int(self, name: str) -> int:
        value = self.get_int(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def get_bool(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in {"true", "1"}
        return bool(value)

    def get_json(self, name: str) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_id(self) -> int:
        """Only numeric chat ids exist in the fake world; ``@username`` finds no chat."""
        value = self.get_str("chat_id")
        if not value:
            raise bad_request("chat_id is empty")
        try:
            return int(value)
        except ValueError:
            raise bad_request("chat not found") from None

    def file(self, name: str) -> Upload | str:
        """An uploaded file (direct part or ``attach://`` reference) or a file_id/URL string."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self.values.get(value.removeprefix("attach://"))
        if isinstance(value, FileField):
            return Upload(value.file.read(), value.filename, value.content_type)
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {name} in the request")
        return value
