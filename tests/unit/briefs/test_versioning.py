import hashlib
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.briefs.versioning import (
    Approval,
    Change,
    ChangeKind,
    canonical_json,
    content_hash,
    diff_snapshots,
    short_hash,
    signoff_state,
)
from bot.roles import Role

SNAPSHOT: dict[str, Any] = {
    "aim": {"kind": "sell_stock", "text": "Распродать прошлый сезон"},
    "channels": ["vk", "telegram"],
    "goals": [
        {"id": 1, "metric": "units_sold", "target": 300, "deadline": "2026-05-31"},
        {"id": 2, "metric": "leads", "target": 40.5, "deadline": "2026-04-30"},
    ],
    "budget": None,
    "approval_each_post": True,
}

# --- canonical form and hash ------------------------------------------------------------------


def test_canonical_json_is_compact_sorted_utf8() -> None:
    assert canonical_json({"b": [1, 2.5, None, True], "a": "ё"}) == (
        '{"a":"ё","b":[1,2.5,null,true]}'.encode()
    )


def test_hash_ignores_key_order() -> None:
    reordered = {key: SNAPSHOT[key] for key in reversed(SNAPSHOT)}
    reordered["aim"] = {"text": SNAPSHOT["aim"]["text"], "kind": "sell_stock"}
    assert content_hash(reordered) == content_hash(SNAPSHOT)


def test_integral_floats_hash_like_ints() -> None:
    assert content_hash({"target": 1.0}) == content_hash({"target": 1})
    assert content_hash({"target": -0.0}) == content_hash({"target": 0})
    assert content_hash({"target": 1.5}) != content_hash({"target": 1})


def test_unicode_is_nfc_normalised_in_keys_and_values() -> None:
    decomposed = unicodedata.normalize("NFD", "Ёлка")
    assert decomposed != "Ёлка"
    assert content_hash({decomposed: decomposed}) == content_hash({"Ёлка": "Ёлка"})


def test_dates_hash_like_their_iso_strings_and_tuples_like_lists() -> None:
    assert content_hash({"d": date(2026, 5, 31), "l": (1, 2)}) == content_hash(
        {"d": "2026-05-31", "l": [1, 2]}
    )


def test_booleans_are_not_numbers() -> None:
    assert content_hash({"x": True}) != content_hash({"x": 1})


def test_list_order_is_content() -> None:
    assert content_hash({"l": [1, 2]}) != content_hash({"l": [2, 1]})


def test_content_hash_is_sha256_of_the_canonical_bytes() -> None:
    digest = content_hash(SNAPSHOT)
    assert digest == hashlib.sha256(canonical_json(SNAPSHOT)).hexdigest()
    assert content_hash({}) == hashlib.sha256(b"{}").hexdigest()


@pytest.mark.parametrize(
    ("snapshot", "error"),
    [
        ({"x": float("nan")}, ValueError),
        ({"x": float("inf")}, ValueError),
        ({1: "x"}, TypeError),
        ({"x": datetime(2026, 1, 1, tzinfo=UTC)}, TypeError),
        ({"x": {1, 2}}, TypeError),
        ({"Ё": 1, unicodedata.normalize("NFD", "Ё"): 2}, ValueError),
    ],
)
def test_values_without_one_json_form_are_refused(snapshot: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        canonical_json(snapshot)


def test_short_hash() -> None:
    digest = content_hash(SNAPSHOT)
    assert short_hash(digest) == digest[:8]


@pytest.mark.parametrize("bad", ["abc", "ABCDEF0123", "xyz12345678"])
def test_short_hash_refuses_what_is_not_a_digest(bad: str) -> None:
    with pytest.raises(ValueError, match="hex"):
        short_hash(bad)


# --- diff -------------------------------------------------------------------------------------


def edited(**changes: Any) -> dict[str, Any]:
    return {**SNAPSHOT, **changes}


def test_identical_snapshots_have_no_changes() -> None:
    assert diff_snapshots(SNAPSHOT, edited()) == []


def test_scalar_field_change_has_its_path() -> None:
    new = edited(aim={"kind": "leads", "text": SNAPSHOT["aim"]["text"]})
    assert diff_snapshots(SNAPSHOT, new) == [
        Change(("aim", "kind"), "sell_stock", "leads", ChangeKind.CHANGED)
    ]


def test_added_and_removed_keys() -> None:
    new = {k: v for k, v in SNAPSHOT.items() if k != "budget"} | {"taboos": "политика"}
    assert diff_snapshots(SNAPSHOT, new) == [
        Change(("budget",), None, None, ChangeKind.REMOVED),
        Change(("taboos",), None, "политика", ChangeKind.ADDED),
    ]


def test_reordering_goals_is_not_a_change() -> None:
    assert diff_snapshots(SNAPSHOT, edited(goals=SNAPSHOT["goals"][::-1])) == []


def test_changed_goal_shows_field_level_changes_by_id() -> None:
    goals = [dict(SNAPSHOT["goals"][1], target=50), SNAPSHOT["goals"][0]]
    assert diff_snapshots(SNAPSHOT, edited(goals=goals)) == [
        Change(("goals", 2, "target"), 40.5, 50, ChangeKind.CHANGED)
    ]


def test_added_and_removed_goals() -> None:
    third = {"id": 3, "metric": "clicks", "target": 1000, "deadline": "2026-06-30"}
    new = edited(goals=[SNAPSHOT["goals"][0], third])
    assert diff_snapshots(SNAPSHOT, new) == [
        Change(("goals", 3), None, third, ChangeKind.ADDED),
        Change(("goals", 2), SNAPSHOT["goals"][1], None, ChangeKind.REMOVED),
    ]


def test_first_goal_added_to_an_empty_list() -> None:
    goal = {"id": "a1", "metric": "leads"}
    assert diff_snapshots({"goals": []}, {"goals": [goal]}) == [
        Change(("goals", "a1"), None, goal, ChangeKind.ADDED)
    ]


def test_plain_lists_are_compared_as_values() -> None:
    new = edited(channels=["telegram", "vk"])
    assert diff_snapshots(SNAPSHOT, new) == [
        Change(("channels",), ["vk", "telegram"], ["telegram", "vk"], ChangeKind.CHANGED)
    ]


def test_lists_with_repeated_ids_are_compared_as_values() -> None:
    old = {"l": [{"id": 1, "v": 1}, {"id": 1, "v": 2}]}
    new = {"l": [{"id": 1, "v": 2}, {"id": 1, "v": 1}]}
    assert diff_snapshots(old, new) == [Change(("l",), old["l"], new["l"], ChangeKind.CHANGED)]


def test_normalisation_applies_to_the_diff() -> None:
    assert (
        diff_snapshots({"t": 1, "s": "Ёж"}, {"t": 1.0, "s": unicodedata.normalize("NFD", "Ёж")})
        == []
    )
    assert diff_snapshots({"x": True}, {"x": 1}) == [Change(("x",), True, 1, ChangeKind.CHANGED)]


def test_type_change_is_one_change() -> None:
    assert diff_snapshots({"budget": None}, {"budget": {"rub": 10000}}) == [
        Change(("budget",), None, {"rub": 10000}, ChangeKind.CHANGED)
    ]


# --- sign-off ---------------------------------------------------------------------------------

CURRENT = content_hash(SNAPSHOT)
OLDER = content_hash(edited(budget=5000))


def test_nobody_approved_yet() -> None:
    state = signoff_state(CURRENT, [])
    assert state.approved == frozenset()
    assert state.pending == {Role.SPECIALIST, Role.CLIENT}
    assert not state.signed


def test_one_side_is_not_enough() -> None:
    state = signoff_state(CURRENT, [Approval(Role.SPECIALIST, CURRENT)])
    assert state.approved == {Role.SPECIALIST}
    assert state.pending == {Role.CLIENT}
    assert not state.signed


def test_both_sides_on_the_current_hash_sign_it() -> None:
    approvals = [Approval(Role.CLIENT, CURRENT), Approval(Role.SPECIALIST, CURRENT)]
    state = signoff_state(CURRENT, approvals)
    assert state.signed
    assert state.pending == frozenset()


def test_approvals_of_an_older_version_do_not_count() -> None:
    approvals = [
        Approval(Role.SPECIALIST, OLDER),
        Approval(Role.CLIENT, OLDER),
        Approval(Role.SPECIALIST, CURRENT),
    ]
    state = signoff_state(CURRENT, approvals)
    assert state.approved == {Role.SPECIALIST}
    assert not state.signed
