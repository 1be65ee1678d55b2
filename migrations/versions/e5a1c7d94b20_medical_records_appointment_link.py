"""patient_rekam_medis: id_user_schedules, the appointment a record belongs to

Revision ID: e5a1c7d94b20
Revises: 9d41c3e7a2b8
Create Date: 2026-12-03 09:30:00.000000

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a1c7d94b20'
down_revision = '9d41c3e7a2b8'
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
    # patient_rekam_medis_versions references the table: SQLite rebuilds it with the keys off
    with rebuilt_table("patient_rekam_medis") as batch:
        batch.add_column(sa.Column("id_user_schedules", sa.Integer(), nullable=True))
        batch.create_index("ix_patient_rekam_medis_id_user_schedules", ["id_user_schedules"])
        batch.create_foreign_key("fk_patient_rekam_medis_id_user_schedules_user_schedules",
                                 "user_schedules", ["id_user_schedules"], ["id"])


def downgrade():
    with rebuilt_table("patient_rekam_medis") as batch:
        # the foreign key goes before its index (MariaDB keeps an index under every key)
        batch.drop_constraint("fk_patient_rekam_medis_id_user_schedules_user_schedules",
                              type_="foreignkey")
        batch.drop_index("ix_patient_rekam_medis_id_user_schedules")
        batch.drop_column("id_user_schedules")
