"""briefs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 17:38:42.636696
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('brief_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'number', name='uq_brief_versions_project_number')
    )
    with op.batch_alter_table('brief_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_versions_project_id'), ['project_id'], unique=False)

    op.create_table('approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('specialist', 'client', name='role', native_enum=False, length=16), nullable=False),
    sa.Column('decision', sa.Enum('approve', 'changes', name='decision', native_enum=False, length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['brief_versions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_version_id'), ['version_id'], unique=False)
        batch_op.create_index('uq_approvals_one_approval', ['version_id', 'user_id'], unique=True, sqlite_where=sa.text("decision = 'approve'"), postgresql_where=sa.text("decision = 'approve'"))



def downgrade() -> None:
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index('uq_approvals_one_approval', sqlite_where=sa.text("decision = 'approve'"), postgresql_where=sa.text("decision = 'approve'"))
        batch_op.drop_index(batch_op.f('ix_approvals_version_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('brief_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_versions_project_id'))

    op.drop_table('brief_versions')
