"""order_code_counters: the last order number given per type and day, so concurrent
checkouts never get the same order code

Revision ID: 7c2e9b4d1a30
Revises: 45215f6bd50e
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2e9b4d1a30'
down_revision = '45215f6bd50e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('order_code_counters',
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', name=op.f('pk_order_code_counters'))
    )


def downgrade():
    op.drop_table('order_code_counters')
