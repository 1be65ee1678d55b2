"""doctor_services: soft delete, one live offer per doctor and service

Revision ID: 5b2e9d0c4a17
Revises: 107cfca4cf62
Create Date: 2026-12-02 10:15:00.000000

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b2e9d0c4a17'
down_revision = '107cfca4cf62'
branch_labels = None
depends_on = None


@contextmanager
def rebuilt_table(name):
    """Batch-alter a table that other tables reference. SQLite alters it by copying it and
    dropping the original, which its foreign keys refuse while rows point at it: there they
    are switched off (outside a transaction, the only place the pragma works) around one
    transaction of their own, checked before the commit."""
    if op.get_bind().dialect.name != "sqlite":
        with op.batch_alter_table(name) as batch:
            yield batch
        return
    with op.get_context().autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
        try:
            op.execute("BEGIN")
            with op.batch_alter_table(name) as batch:
                yield batch
            broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").first()
            op.execute("ROLLBACK" if broken else "COMMIT")
            if broken:
                raise RuntimeError(f"foreign key check failed after altering {name}: {broken}")
        finally:
            op.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with rebuilt_table("doctor_services") as batch:
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
    with rebuilt_table("doctor_services") as batch:
        batch.drop_constraint("uq_doctor_services_id_doctors_live_id_services", type_="unique")
        batch.create_unique_constraint("uq_doctor_services_id_doctors_id_services",
                                       ["id_doctors", "id_services"])
        batch.drop_column("live_id_services")
        batch.drop_index("ix_doctor_services_deleted_at")
        batch.drop_column("deleted_at")
