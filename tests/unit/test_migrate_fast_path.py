"""The migrations check at start-up: a SQLite database at the head revision is left alone without
loading alembic; anything else still goes through alembic, in a child process, so the bot never
keeps alembic in memory (tests/unit/projects/test_migrations.py covers the upgrades themselves)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from bot.db.migrate import (
    ROOT,
    MigrationFailed,
    bring_up_to_date,
    script_heads,
    stored_revisions,
    upgrade,
)


def test_the_heads_read_from_the_scripts_are_alembics() -> None:
    heads = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_heads()
    assert script_heads() == frozenset(heads)


def test_a_merge_revision_has_both_parents_revised(tmp_path: Path) -> None:
    scripts = {
        "a.py": "revision = 'a'\ndown_revision = None\n",
        "b.py": "revision: str = 'b'\ndown_revision: str | None = 'a'\n",
        "c.py": "revision = 'c'\ndown_revision = 'a'\n",
        "d.py": "revision = 'd'\ndown_revision = ('b', 'c')\n",
    }
    for name, text in scripts.items():
        (tmp_path / name).write_text(text)
    assert script_heads(tmp_path) == {"d"}
    (tmp_path / "e.py").write_text("revision = 'e'\ndown_revision = 'c'\n")
    assert script_heads(tmp_path) == {"d", "e"}


def test_a_revision_that_is_not_a_literal_matches_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("revision = make_id()\ndown_revision = None\n")
    assert script_heads(tmp_path) == frozenset()


def test_stored_revisions_of_missing_or_other_databases_are_unknown(tmp_path: Path) -> None:
    assert stored_revisions(f"sqlite+aiosqlite:///{tmp_path / 'none.db'}") is None
    assert stored_revisions("sqlite+aiosqlite://") is None
    assert stored_revisions("postgresql+asyncpg://u:p@localhost/db") is None
    (tmp_path / "empty.db").write_bytes(b"")
    assert stored_revisions(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}") is None


def tooling_loaded_by(call: str) -> str:
    """Which of alembic's tools a new interpreter holds after `call` (from `bot.db.migrate`)."""
    check = (
        "import sys\n"
        f"from bot.db.migrate import *\n{call}\n"
        "print(sorted(name for name in ('alembic', 'mako', 'pygments') if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_database_at_head_is_checked_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)  # a new database: alembic creates it
    assert stored_revisions(url) == script_heads()
    assert tooling_loaded_by(f"upgrade({url!r})") == "[]"


def test_an_older_database_is_still_upgraded(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    upgrade(url, "0005")
    assert stored_revisions(url) == {"0005"}
    upgrade(url)
    assert stored_revisions(url) == script_heads()


def test_a_new_database_is_migrated_by_a_child_and_alembic_stays_out_of_the_bot(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    assert tooling_loaded_by(f"bring_up_to_date({url!r})") == "[]"
    assert stored_revisions(url) == script_heads()


def test_a_migration_that_fails_is_reported_not_started_past(tmp_path: Path) -> None:
    broken = tmp_path / "bot.db"
    broken.write_bytes(b"this is not a SQLite database" * 100)
    with pytest.raises(MigrationFailed, match="migrations failed"):
        bring_up_to_date(f"sqlite+aiosqlite:///{broken}")
