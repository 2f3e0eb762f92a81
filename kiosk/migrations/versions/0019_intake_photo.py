"""an optional photo with a repair or a problem reported on the lobby kiosk (C1): the
stored JPEG's path under the photo root and its SHA-256

Revision ID: 0019_intake_photo
Revises: 0018_order_work
Create Date: 2026-12-06 02:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019_intake_photo'
down_revision = '0018_order_work'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("intake") as batch:
        batch.add_column(sa.Column("photo_path", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("photo_sha256", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("intake") as batch:
        batch.drop_column("photo_sha256")
        batch.drop_column("photo_path")
