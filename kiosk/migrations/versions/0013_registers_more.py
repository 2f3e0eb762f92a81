"""registers: the companies' signatories on file for goods going out (V6)

Revision ID: 0013_registers_more
Revises: 0012_keys_households
Create Date: 2026-12-05 08:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_registers_more'
down_revision = '0012_keys_households'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_signatory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_name', sa.String(length=80), nullable=False),
    sa.Column('company_key', sa.String(length=80), nullable=False),
    sa.Column('person_name', sa.String(length=50), nullable=False),
    sa.Column('person_key', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('remove_reason', sa.String(length=200), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['removed_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('company_signatory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_signatory_company_key'), ['company_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_signatory_site_id'), ['site_id'], unique=False)


def downgrade():
    with op.batch_alter_table('company_signatory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_signatory_site_id'))
        batch_op.drop_index(batch_op.f('ix_company_signatory_company_key'))
    op.drop_table('company_signatory')
