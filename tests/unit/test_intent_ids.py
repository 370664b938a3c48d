"""Dialogs opened within one second get distinct ids."""

from __future__ import annotations

from aiogram_dialog.api.entities import stack

from dialogs.intent_ids import use_unique_intent_ids


def test_ids_made_in_one_second_do_not_collide() -> None:
    use_unique_intent_ids()
    ids = [stack.new_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert max(len(i) for i in ids) <= 9  # callback data stays short
