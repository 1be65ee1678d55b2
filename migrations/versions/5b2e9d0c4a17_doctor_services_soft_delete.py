"""doctor_services: soft delete, one live offer per doctor and service

Revision ID: 5b2e9d0c4a17
Revises: 107cfca4cf62
Create Date: 2026-12-02 10:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b2e9d0c4a17'
down_revision = '107cfca4cf62'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("doctor_services") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_doctor_services_deleted_at", ["deleted_at"])
        batch.add_column(sa.Column("live_id_services", sa.Integer(), nullable=True))
        # ix_doctor_services_id_doctors keeps the foreign key indexed on MariaDB
        batch.drop_constraint("uq_doctor_services_id_doctors_id_services", type_="unique")
        batch.create_unique_constraint("uq_doctor_services_id_doctors_live_id_services",
                                       ["id_doctors", "live_id_services"])
    op.execute("UPDATE doctor_services SET live_id_services = id_services")


def downgrade():
    # Deleted offers become live again: the downgrade fails when one of them doubles a
    # live offer of the same doctor and service (delete that row by hand first).
    with op.batch_alter_table("doctor_services") as batch:
        batch.drop_constraint("uq_doctor_services_id_doctors_live_id_services", type_="unique")
        batch.create_unique_constraint("uq_doctor_services_id_doctors_id_services",
                                       ["id_doctors", "id_services"])
        batch.drop_column("live_id_services")
        batch.drop_index("ix_doctor_services_deleted_at")
        batch.drop_column("deleted_at")
