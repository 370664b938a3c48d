"""Brief versions: a canonical form to hash, a field-by-field diff, and the sign-off rule.

A brief snapshot is a plain JSON-able value (dicts with string keys, lists, str, int, float, bool,
None; dates may be ``date`` objects or ISO strings). Two snapshots that mean the same thing hash
the same: key order, 1 versus 1.0, composed versus decomposed Unicode and ``date`` versus its ISO
string make no difference. Lists keep their order in the hash, so builders should emit lists in a
stable order.

This module never stores, renders or words anything: callers get bytes, hashes and ``Change``
records and turn them into messages through the i18n catalogs.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.roles import Role

SHORT_HASH_LENGTH = 8
_HEX = re.compile(r"[0-9a-f]+")

PathPart = str | int


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions.

    ``path`` walks from the root: a string is a dict key, and inside a list of items that carry
    an ``"id"`` the item's id (str or int) stands for the item. ``old`` is None for ADDED and
    ``new`` is None for REMOVED.
    """

    path: tuple[PathPart, ...]
    old: Any
    new: Any
    kind: ChangeKind


@dataclass(frozen=True, slots=True)
class Approval:
    role: Role
    content_hash: str


@dataclass(frozen=True, slots=True)
class SignoffState:
    approved: frozenset[Role]

    @property
    def pending(self) -> frozenset[Role]:
        return frozenset(Role) - self.approved

    @property
    def signed(self) -> bool:
        return not self.pending


def canonical_json(snapshot: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces, so equal content gives equal bytes."""
    return _dump(_normalise(snapshot)).encode("utf-8")


def content_hash(snapshot: Any) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def short_hash(full_hash: str) -> str:
    """The prefix printed on the brief; long enough for two people to compare by eye."""
    if len(full_hash) < SHORT_HASH_LENGTH or not _HEX.fullmatch(full_hash):
        raise ValueError("expected a lowercase hex digest")
    return full_hash[:SHORT_HASH_LENGTH]


def diff_snapshots(old: Any, new: Any) -> list[Change]:
    """Field-level changes from ``old`` to ``new``; lists of items with ids are matched by id."""
    changes: list[Change] = []
    _diff((), _normalise(old), _normalise(new), changes)
    return changes


def signoff_state(current_hash: str, approvals: Iterable[Approval]) -> SignoffState:
    """Who approved the current version; approving an earlier version does not carry over."""
    return SignoffState(
        approved=frozenset(a.role for a in approvals if a.content_hash == current_hash)
    )


def _normalise(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("NaN and infinity have no JSON form")
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, datetime):
        raise TypeError("snapshots hold dates, not datetimes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"snapshot keys must be strings, got {key!r}")
            name = unicodedata.normalize("NFC", key)
            if name in result:
                raise ValueError(f"two keys normalise to {name!r}")
            result[name] = _normalise(item)
        return result
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not JSON-able")


def _dump(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _diff(path: tuple[PathPart, ...], old: Any, new: Any, out: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            if key not in new:
                out.append(Change((*path, key), old[key], None, ChangeKind.REMOVED))
            elif key not in old:
                out.append(Change((*path, key), None, new[key], ChangeKind.ADDED))
            else:
                _diff((*path, key), old[key], new[key], out)
        return
    old_items, new_items = _by_id(old), _by_id(new)
    if old_items is not None and new_items is not None:
        for item_id, item in new_items.items():
            if item_id in old_items:
                _diff((*path, item_id), old_items[item_id], item, out)
            else:
                out.append(Change((*path, item_id), None, item, ChangeKind.ADDED))
        for item_id, item in old_items.items():
            if item_id not in new_items:
                out.append(Change((*path, item_id), item, None, ChangeKind.REMOVED))
        return
    # JSON text compares types too: true is not 1, although True == 1 in Python.
    if _dump(old) != _dump(new):
        out.append(Change(path, old, new, ChangeKind.CHANGED))


def _by_id(value: Any) -> dict[PathPart, Any] | None:
    """Items keyed by their id when every item is a dict with a distinct str/int id."""
    if not isinstance(value, list):
        return None
    items: dict[PathPart, Any] = {}
    for item in value:
        if not isinstance(item, dict):
            return None
        item_id = item.get("id")
        if isinstance(item_id, bool) or not isinstance(item_id, str | int) or item_id in items:
            return None
        items[item_id] = item
    return items
