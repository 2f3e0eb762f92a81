"""work orders dispatched to an engineer of the department, not only to the department (C10)

Revision ID: 0020_order_engineer
Revises: 0019_intake_photo
Create Date: 2026-12-06 20:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020_order_engineer'
down_revision = '0019_intake_photo'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_order") as batch:
        batch.add_column(sa.Column("engineer_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_work_order_engineer_id_user", "user", ["engineer_id"], ["id"])
        batch.create_index("ix_work_order_engineer_id", ["engineer_id"])


def downgrade():
    with op.batch_alter_table("work_order") as batch:
        batch.drop_index("ix_work_order_engineer_id")
        batch.drop_constraint("fk_work_order_engineer_id_user", type_="foreignkey")
        batch.drop_column("engineer_id")
