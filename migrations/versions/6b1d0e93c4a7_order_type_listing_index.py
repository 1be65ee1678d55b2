"""order type listing index: the orders of one type, newest first, from an index alone

Revision ID: 6b1d0e93c4a7
Revises: 2fe6c91da3b1
Create Date: 2026-12-01 06:05:00.000000

orders (deleted_at, order_type, order_date, id, status): the admin order list narrowed to a
type (Pesanan → Daftar, "Jenis: Konsultasi") and explore's `order_type` filter. On MariaDB the
list of consultations (C, 15 % of the orders) intersected ix_orders_order_type with
ix_orders_deleted_at (index_merge) and sorted the result: its page took 658 ms and its count
(carts left out, so status is read) 352 ms at bench size (404k orders); with this index both
read one range of it: 0.6 ms and 22 ms. SQLite counted through ix_orders_paid_figures (42 ms
→ 7–10 ms); its pages were already fast. The unfiltered list keeps ix_orders_listing on both.

SQLite picks an index by the statistics of ANALYZE when the database has them (sqlite_stat1):
without a row for the new index it took it for the unfiltered list too and sorted every order
(0.1 → 59 ms), so the statistics are brought up to date here when the database keeps them.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '6b1d0e93c4a7'
down_revision = '2fe6c91da3b1'
branch_labels = None
depends_on = None

TYPE_LISTING = ["deleted_at", "order_type", "order_date", "id", "status"]


def upgrade():
    op.create_index("ix_orders_type_listing", "orders", TYPE_LISTING)
    _refresh_sqlite_statistics()


def downgrade():
    op.drop_index("ix_orders_type_listing", table_name="orders")
    _refresh_sqlite_statistics()


def _refresh_sqlite_statistics():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # MariaDB keeps an index's statistics from its creation
    kept = bind.execute(sa.text(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar()
    if kept:
        bind.execute(sa.text("ANALYZE orders"))
