"""coordinates as double precision

Revision ID: c013616d3257
Revises: c8dd36936da6
Create Date: 2026-11-28 13:47:49.769586

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c013616d3257'
down_revision = 'c8dd36936da6'
branch_labels = None
depends_on = None


COLUMNS = (("brandstore", "lat", False), ("brandstore", "lng", False),
           ("patients", "lat", True), ("patients", "lng", True))


def upgrade():
    # FLOAT is single precision on MariaDB (about 15 m of error at Indonesian longitudes).
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.Double(),
                               existing_type=sa.Float(), existing_nullable=nullable)


def downgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.Float(), existing_type=sa.Double(),
                               existing_nullable=nullable)
