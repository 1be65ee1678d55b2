"""users: locked_until, a sign-in lock that lifts by itself

Revision ID: 9d41c3e7a2b8
Revises: 5b2e9d0c4a17
Create Date: 2026-11-30 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d41c3e7a2b8'
down_revision = '5b2e9d0c4a17'
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN on both engines (no table rebuild: many tables reference users)
    op.add_column("users", sa.Column("locked_until", sa.DateTime(), nullable=True))


def downgrade():
    # a plain DROP COLUMN (SQLite 3.35 and later, MariaDB): no rebuild of users either
    op.drop_column("users", "locked_until")
