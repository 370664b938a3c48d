"""Apply alembic migrations from code, so `python -m bot` (make run, Docker) is up to date.

Nearly every start finds the database already at the head revision. Alembic's full machinery
(its import, the environment, an event loop and an engine of its own) costs about half a second
and a few megabytes to learn that, so a SQLite database is first asked directly: when the revision
it stores is the scripts' head, there is nothing to do. Anything else — a new database, an older
revision, PostgreSQL (where replicas take a lock to migrate one at a time) — goes through alembic,
which `bring_up_to_date` runs in a child process: what it imports (alembic, Mako, Pygments, some
10 MB) would otherwise stay in the bot's memory for as long as it runs.

``python -m bot.db.migrate`` is that child: it reads the database URL from its standard input (a
command line would show a password to anyone listing processes).
"""

from __future__ import annotations

import ast
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ROOT / "migrations" / "versions"


class MigrationFailed(RuntimeError):
    """Alembic could not bring the database to the head revision (its own error is printed
    above, by the child)."""


def bring_up_to_date(database_url: str) -> None:
    """What `python -m bot` does before it starts: the database at the head revision."""
    if stored_revisions(database_url) == script_heads():
        return
    child = subprocess.run(
        [sys.executable, "-m", "bot.db.migrate"], input=database_url, text=True, cwd=ROOT
    )
    if child.returncode != 0:
        raise MigrationFailed(f"database migrations failed (exit status {child.returncode})")


def upgrade(database_url: str, revision: str = "head") -> None:
    """Alembic's upgrade in this process."""
    if revision == "head" and stored_revisions(database_url) == script_heads():
        return
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    command.upgrade(config, revision)


def script_heads(versions: Path = VERSIONS) -> frozenset[str]:
    """The revisions no other revision revises, read from the scripts' source (not imported).

    Empty when a script does not declare its revisions as plain literals: then nothing matches
    and alembic decides."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in versions.glob("*.py"):
        values = _literals(path, {"revision", "down_revision"})
        revision = values.get("revision")
        if not isinstance(revision, str):
            return frozenset()
        revisions.add(revision)
        down = values.get("down_revision")
        if isinstance(down, str):
            revised.add(down)
        elif isinstance(down, tuple | list):  # a merge revision
            revised.update(str(parent) for parent in down)
        elif down is not None:
            return frozenset()
    return frozenset(revisions - revised)


def _literals(path: Path, names: set[str]) -> dict[str, object]:
    """Module-level ``name = literal`` (annotated or not) assignments of a script."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            target, value = node.targets[0].id, node.value
        else:
            continue
        if target in names and value is not None:
            try:
                found[target] = ast.literal_eval(value)
            except ValueError:
                found[target] = ...  # not a literal: neither a string, a tuple nor None
    return found


def stored_revisions(database_url: str) -> frozenset[str] | None:
    """The revisions an existing SQLite database records; None for a missing file or table,
    an unreadable database, and any other kind of database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return frozenset(str(version) for (version,) in rows)


if __name__ == "__main__":
    upgrade(sys.stdin.read().strip())
