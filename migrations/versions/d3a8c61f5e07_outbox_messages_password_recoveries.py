"""outbox_messages (what the FCM, Wablas and SMTP stand-ins "sent") and password_recoveries
(single-use recovery tokens, hashed)

Revision ID: d3a8c61f5e07
Revises: b7e3f1a9c2d4
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a8c61f5e07'
down_revision = 'b7e3f1a9c2d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    op.create_index("ix_outbox_messages_channel_id", "outbox_messages", ["channel", "id"])
    op.create_index("ix_outbox_messages_created", "outbox_messages", ["created"])
    op.create_table(
        "password_recoveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_users", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["id_users"], ["users.id"],
                                name=op.f("fk_password_recoveries_id_users_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_recoveries")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_recoveries_token_hash")),
    )
    op.create_index("ix_password_recoveries_id_users", "password_recoveries", ["id_users"])


def downgrade():
    op.drop_index("ix_password_recoveries_id_users", table_name="password_recoveries")
    op.drop_table("password_recoveries")
    op.drop_index("ix_outbox_messages_created", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_channel_id", table_name="outbox_messages")
    op.drop_table("outbox_messages")
