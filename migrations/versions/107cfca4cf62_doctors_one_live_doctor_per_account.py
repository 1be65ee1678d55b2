"""doctors: one live doctor per account

Revision ID: 107cfca4cf62
Revises: c013616d3257
Create Date: 2026-11-28 14:40:23.791337

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '107cfca4cf62'
down_revision = 'c013616d3257'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("doctors") as batch:
        # the foreign key keeps an index of its own before the unique one goes (MariaDB)
        batch.create_index("ix_doctors_id_users", ["id_users"])
        batch.drop_constraint("uq_doctors_id_users", type_="unique")
        batch.add_column(sa.Column("live_id_users", sa.Integer(), nullable=True))
        batch.create_unique_constraint("uq_doctors_live_id_users", ["live_id_users"])
    op.execute("UPDATE doctors SET live_id_users = id_users WHERE deleted_at IS NULL")


def downgrade():
    with op.batch_alter_table("doctors") as batch:
        batch.drop_constraint("uq_doctors_live_id_users", type_="unique")
        batch.drop_column("live_id_users")
        batch.create_unique_constraint("uq_doctors_id_users", ["id_users"])
        batch.drop_index("ix_doctors_id_users")
