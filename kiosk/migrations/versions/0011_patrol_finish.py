"""newuser: incomplete patrols (with the officer's reason) and checklist items' failure wording

Revision ID: 0011_patrol_finish
Revises: 0004_offline
Create Date: 2026-12-04 15:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_patrol_finish'
down_revision = '0010_calendar'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('patrol', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incomplete', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('incomplete_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('template_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fail_zh', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fail_en', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('template_item', schema=None) as batch_op:
        batch_op.drop_column('fail_en')
        batch_op.drop_column('fail_zh')
    with op.batch_alter_table('patrol', schema=None) as batch_op:
        batch_op.drop_column('incomplete_reason')
        batch_op.drop_column('incomplete')
