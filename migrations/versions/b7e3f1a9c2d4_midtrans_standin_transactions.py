"""midtrans_standin_transactions: what the local Midtrans stand-in was asked and answered

Revision ID: b7e3f1a9c2d4
Revises: 7c2e9b4d1a30
Create Date: 2026-11-30 17:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3f1a9c2d4'
down_revision = '7c2e9b4d1a30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "midtrans_standin_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=50), nullable=False),
        sa.Column("gross_amount", sa.Integer(), nullable=False),
        sa.Column("transaction_status", sa.String(length=20), nullable=False),
        sa.Column("payment_type", sa.String(length=30), nullable=False),
        sa.Column("transaction_time", sa.DateTime(), nullable=False),
        sa.Column("settlement_time", sa.DateTime(), nullable=True),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_midtrans_standin_transactions")),
        sa.UniqueConstraint("token", name=op.f("uq_midtrans_standin_transactions_token")),
        sa.UniqueConstraint("transaction_id",
                            name=op.f("uq_midtrans_standin_transactions_transaction_id")),
    )
    op.create_index("ix_midtrans_standin_transactions_order_id",
                    "midtrans_standin_transactions", ["order_id"])


def downgrade():
    op.drop_index("ix_midtrans_standin_transactions_order_id",
                  table_name="midtrans_standin_transactions")
    op.drop_table("midtrans_standin_transactions")
