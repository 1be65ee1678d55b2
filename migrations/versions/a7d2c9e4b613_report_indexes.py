"""report indexes: covering indexes for the report and dashboard figures of a busy year

Revision ID: a7d2c9e4b613
Revises: 3f8a1c6d2e57
Create Date: 2026-12-01 03:00:00.000000

Measured by `make bench` (bench/RESULTS.md holds the plans that use them):
- orders (deleted_at, paid_date, id, …money columns): the paid orders of a period are one range
  of the index, read without the table (sales stats, revenue and invoices per month, the
  overall list's count and its newest-first page). deleted_at leads because every orders query
  asks `deleted_at IS NULL`: SQLite otherwise takes ix_orders_deleted_at (NULL for nearly every
  row) and reads the whole table.
- orders (status, deleted_at, order_type, paid_date) replaces ix_orders_status: the orders
  still to handle.
- order_items (id_order, is_canceled, id_menu, qty, price): the product lines of those orders
  without the table (products sold, top products).
- user_schedules (tanggal, id_doctors, id_services, status, custom_price) replaces
  ix_user_schedules_tanggal: appointment performance and the upcoming appointments;
  (status, tanggal, id_services) replaces ix_user_schedules_status: the services done most.
- patients (created): the new patients of a period.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7d2c9e4b613'
down_revision = '3f8a1c6d2e57'
branch_labels = None
depends_on = None

ORDERS_PAID = ["deleted_at", "paid_date", "id", "is_paid", "is_canceled", "status", "order_type",
               "total_price", "total_discount", "id_member", "id_brandstore"]
ORDERS_STATUS = ["status", "deleted_at", "order_type", "paid_date"]
ORDER_ITEMS = ["id_order", "is_canceled", "id_menu", "qty", "price"]
APPOINTMENTS_DAY = ["tanggal", "id_doctors", "id_services", "status", "custom_price"]
APPOINTMENTS_STATUS = ["status", "tanggal", "id_services"]


def upgrade():
    op.create_index("ix_orders_paid_figures", "orders", ORDERS_PAID)
    op.drop_index("ix_orders_paid_date", table_name="orders")
    op.create_index("ix_orders_status_figures", "orders", ORDERS_STATUS)
    op.drop_index("ix_orders_status", table_name="orders")
    op.create_index("ix_order_items_order_figures", "order_items", ORDER_ITEMS)
    op.create_index("ix_user_schedules_day_figures", "user_schedules", APPOINTMENTS_DAY)
    op.drop_index("ix_user_schedules_tanggal", table_name="user_schedules")
    op.create_index("ix_user_schedules_status_day", "user_schedules", APPOINTMENTS_STATUS)
    op.drop_index("ix_user_schedules_status", table_name="user_schedules")
    op.create_index("ix_patients_created", "patients", ["created"])


def downgrade():
    op.drop_index("ix_patients_created", table_name="patients")
    op.create_index("ix_user_schedules_status", "user_schedules", ["status"])
    op.drop_index("ix_user_schedules_status_day", table_name="user_schedules")
    op.create_index("ix_user_schedules_tanggal", "user_schedules", ["tanggal"])
    op.drop_index("ix_user_schedules_day_figures", table_name="user_schedules")
    op.drop_index("ix_order_items_order_figures", table_name="order_items")
    op.create_index("ix_orders_status", "orders", ["status"])
    op.drop_index("ix_orders_status_figures", table_name="orders")
    op.create_index("ix_orders_paid_date", "orders", ["paid_date"])
    op.drop_index("ix_orders_paid_figures", table_name="orders")
