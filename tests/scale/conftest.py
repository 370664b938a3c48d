"""Scale-mode tests reuse the end-to-end fixtures: the fake Bot API and its test-side client."""

from tests.e2e.conftest import tg

__all__ = ["tg"]
