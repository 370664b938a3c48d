"""goal kind and period

Revision ID: 0008
Revises: 0007b
Create Date: 2026-12-03 20:10:00

The quantity model of issue #14: every goal is a level, a gain, a total, a rate or an average,
with the period of a rate. Rows saved before have neither; they read as before (a gain when
``target_is_gain``, otherwise the metric's default kind).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('period', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_column('period')
        batch_op.drop_column('kind')
