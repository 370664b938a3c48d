"""goals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:19:08.098193
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    
    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('target', sa.Double(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('baseline', sa.Double(), nullable=True),
    sa.Column('target_is_gain', sa.Boolean(), nullable=False),
    sa.Column('verdict', sa.String(length=32), nullable=True),
    sa.Column('relevance_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goals_project_id'), ['project_id'], unique=False)

    


def downgrade() -> None:
    
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_project_id'))
        batch_op.drop_index(batch_op.f('ix_goals_owner_id'))

    op.drop_table('goals')
    
