"""The alembic history must build exactly the schema the models describe (`alembic check`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from bot.db.migrate import ROOT, upgrade
from bot.db.models import Base


def test_migrations_match_the_models_and_step_back_cleanly(tmp_path: Path) -> None:
    """Synchronous on purpose: alembic's env runs its own event loop."""
    path = tmp_path / "migrated.db"
    url = f"sqlite+aiosqlite:///{path}"
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    head = ScriptDirectory.from_config(config).get_current_head()
    inspector_engine = create_engine(f"sqlite:///{path}")

    upgrade(url)

    with inspector_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []

    command.downgrade(config, "0001")
    with inspector_engine.connect() as connection:
        assert {"answers", "invites"}.isdisjoint(inspect(connection).get_table_names())

    upgrade(url)
    with inspector_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    inspector_engine.dispose()
