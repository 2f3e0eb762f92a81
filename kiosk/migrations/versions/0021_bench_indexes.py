"""indexes found by the benchmark at two years of a large site: the lobby board's expected
visitors (visit.expected_visit_id), a phone's last 4 digits within the site, the household-file
access log by site and time, a kiosk's submissions of the last minute (its rate limit)

Revision ID: 0021_bench_indexes
Revises: 0020_order_engineer
Create Date: 2026-12-06 23:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_bench_indexes'
down_revision = '0020_order_engineer'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_visit_expected_visit_id", "visit", ["expected_visit_id"])
    op.drop_index("ix_visit_phone_last4", table_name="visit")
    op.create_index("ix_visit_site_phone_last4", "visit", ["site_id", "phone_last4"])
    op.create_index("ix_file_look_site_at", "file_look", ["site_id", "at", "id"])
    op.create_index("ix_idempotency_key_device_received", "idempotency_key", ["device_id", "received_at"])


def downgrade():
    op.drop_index("ix_idempotency_key_device_received", table_name="idempotency_key")
    op.drop_index("ix_file_look_site_at", table_name="file_look")
    op.drop_index("ix_visit_site_phone_last4", table_name="visit")
    op.create_index("ix_visit_phone_last4", "visit", ["phone_last4"])
    op.drop_index("ix_visit_expected_visit_id", table_name="visit")
