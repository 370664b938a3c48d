"""the specialist's weekly digest: on unless turned off in /settings

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 13:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A constant default: with an expression (sa.true()) SQLite's batch mode rebuilds the users
    # table, and dropping the old one cascades to every project.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('weekly_digest', sa.Boolean(), server_default='1', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('weekly_digest')
