"""the supervisor dashboard's change counter: per site, a number moved by every write to a case
record, so that its live refresh reads one row instead of counting the whole history

Revision ID: 0022_case_change_counter
Revises: 0021_bench_indexes
Create Date: 2026-12-06 23:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_case_change_counter'
down_revision = '0021_bench_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_change_counter",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"]),
        sa.PrimaryKeyConstraint("site_id"),
    )


def downgrade():
    op.drop_table("case_change_counter")
