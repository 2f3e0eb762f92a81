"""indexes for the boards and the dashboard: ranges on status and time instead of scans
(the lobby board's "left today", the supervisor dashboard's open and overdue counts)

Revision ID: 0016_board_indexes
Revises: 0015_case_services
Create Date: 2026-12-05 08:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_board_indexes'
down_revision = '0015_case_services'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_visit_site_departed", "visit", ["site_id", "departed_at"]),
    ("ix_visit_site_status_action", "visit", ["site_id", "status", "action_at"]),
    ("ix_intake_site_status_received", "intake", ["site_id", "status", "received_at"]),
    ("ix_work_order_site_status_created", "work_order", ["site_id", "status", "created_at"]),
    ("ix_work_order_site_status_callback", "work_order", ["site_id", "status", "callback_due"]),
    ("ix_work_order_site_completed", "work_order", ["site_id", "completed_at"]),
    ("ix_complaint_site_status_received", "complaint", ["site_id", "status", "received_at"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
