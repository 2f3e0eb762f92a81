"""complaints: the category chosen on grading, for the quarterly analysis (C5); existing
complaints stay NULL (not yet categorised)

Revision ID: 0017_complaint_category
Revises: 0016_board_indexes
Create Date: 2026-12-06 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_complaint_category'
down_revision = '0016_board_indexes'
branch_labels = None
depends_on = None

CATEGORIES = (
    'SERVICE_ATTITUDE', 'REPAIR_QUALITY', 'CLEANING', 'SECURITY', 'FACILITIES', 'CHARGES', 'NEIGHBOURS', 'OTHER'
)


def upgrade():
    with op.batch_alter_table('complaint') as batch:
        batch.add_column(
            sa.Column(
                'category',
                sa.Enum(*CATEGORIES, name='complaintcategory', native_enum=False, length=20),
                nullable=True,
            )
        )


def downgrade():
    with op.batch_alter_table('complaint') as batch:
        batch.drop_column('category')
