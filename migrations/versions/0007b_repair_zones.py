"""repair stored time zones

Typed offsets used to be stored as "UTC+03:00", which `zoneinfo` cannot load; they become the
IANA zone they most likely mean, and anything else unreadable is cleared (see
`bot.db.repairs.repair_zones`). Data only: the schema does not change, and there is no way back
to the old strings.

Revision ID: 0007b
Revises: 0006
Create Date: 2026-12-03 20:30:00
"""
from collections.abc import Sequence
from datetime import UTC, datetime

from alembic import op

from bot.db.repairs import repair_zones

revision: str = '0007b'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    repair_zones(op.get_bind(), datetime.now(UTC))


def downgrade() -> None:
    """The repaired zones stay: they are valid in the old code too."""
