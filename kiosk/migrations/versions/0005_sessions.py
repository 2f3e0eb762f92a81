"""sessions: a per-account session epoch, accounts awaiting a manager's approval,
one-time set-password links, login attempts counted per address

Revision ID: 0005_sessions
Revises: 0004_offline
Create Date: 2026-12-04 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_sessions'
down_revision = '0004_offline'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('awaiting_approval', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('password_link_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('password_link_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_password_link_digest'), ['password_link_digest'], unique=True)
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempt_remote_addr'), ['remote_addr'], unique=False)


def downgrade():
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempt_remote_addr'))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_password_link_digest'))
        batch_op.drop_column('password_link_expires_at')
        batch_op.drop_column('password_link_digest')
        batch_op.drop_column('awaiting_approval')
        batch_op.drop_column('session_epoch')
