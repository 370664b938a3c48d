"""project archive and /forget: when a project was archived and the status it goes back to;
when a person had their data deleted

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 10:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('archived_from', sa.String(length=16), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forgotten_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('forgotten_at')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('archived_from')
        batch_op.drop_column('archived_at')
