"""order list indexes: the orders' lists, deep pages and the admin board read indexes, not rows

Revision ID: 2fe6c91da3b1
Revises: cddf0e8054fa
Create Date: 2026-12-01 06:00:00.000000

Measured by `make bench` (the orders cases of bench/RESULTS.md, issue 13):
- orders (deleted_at, order_date, id): the live orders newest first — the lists' order
  (orders/explore, search, table, the admin list /admin/orders/list). A page's ids are picked
  from the index alone ("late row lookup", services/engine/core.py) and a page in the second
  half is read backwards, so the first and the last page cost the same; SQLite sorted all
  400k live orders for every page ("USE TEMP B-TREE FOR ORDER BY").
- orders (status, deleted_at, order_date, id, done_datetime, cancel_datetime): the admin board
  (services/orders/board.py) — each state's latest cards a range of the index read newest
  first, and the counts per state (the finished and cancelled ones of the last 30 days
  included) from the index alone (MariaDB is told to take it: FORCE INDEX in board.py); also
  explore's `status` filter in the lists' order.
Bench, BENCH_SCALE=1 (p50, SQLite / MariaDB): orders/explore deep page 188 → 23 ms / 132 → 63 ms,
the admin list's last page 14.9 s → 0.14 s / 2.9 s → 0.2 s, the board 1.1 s → 0.11 s /
3.3 s → 0.13 s.
The lines and ratings lists (order_items, order_extras, ratings) need no index: for the office
they now read "not among the deleted orders" (services/orders/queries.of_reachable_orders)
and walk their primary key.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '2fe6c91da3b1'
down_revision = 'cddf0e8054fa'
branch_labels = None
depends_on = None

LISTING = ["deleted_at", "order_date", "id"]
STATUS_LISTING = ["status", "deleted_at", "order_date", "id", "done_datetime",
                  "cancel_datetime"]


def upgrade():
    op.create_index("ix_orders_listing", "orders", LISTING)
    op.create_index("ix_orders_status_listing", "orders", STATUS_LISTING)


def downgrade():
    op.drop_index("ix_orders_status_listing", table_name="orders")
    op.drop_index("ix_orders_listing", table_name="orders")
