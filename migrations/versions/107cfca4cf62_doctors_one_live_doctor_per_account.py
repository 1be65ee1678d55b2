"""doctors: one live doctor per account

Revision ID: 107cfca4cf62
Revises: c013616d3257
Create Date: 2026-11-28 14:40:23.791337

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '107cfca4cf62'
down_revision = 'c013616d3257'
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
    with rebuilt_table("doctors") as batch:
        # the foreign key keeps an index of its own before the unique one goes (MariaDB)
        batch.create_index("ix_doctors_id_users", ["id_users"])
        batch.drop_constraint("uq_doctors_id_users", type_="unique")
        batch.add_column(sa.Column("live_id_users", sa.Integer(), nullable=True))
        batch.create_unique_constraint("uq_doctors_live_id_users", ["live_id_users"])
    op.execute("UPDATE doctors SET live_id_users = id_users WHERE deleted_at IS NULL")


def downgrade():
    with rebuilt_table("doctors") as batch:
        batch.drop_constraint("uq_doctors_live_id_users", type_="unique")
        batch.drop_column("live_id_users")
        batch.create_unique_constraint("uq_doctors_id_users", ["id_users"])
        batch.drop_index("ix_doctors_id_users")
