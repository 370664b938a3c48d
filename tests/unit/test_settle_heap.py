"""The bot keeps the garbage collector off its long-lived objects once it has started."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.__main__ import YOUNG_GC_THRESHOLD, settle_heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_gc")
def test_what_exists_at_start_is_frozen_and_young_collections_are_rarer() -> None:
    gc.unfreeze()
    long_lived = [object() for _ in range(100)]  # created before the bot settles
    settle_heap()
    assert gc.get_freeze_count() >= len(long_lived)
    assert gc.get_threshold()[0] == YOUNG_GC_THRESHOLD > 700
