"""report rollups: per-day (and per-month) summaries of the report figures, filled from the
orders and appointments already there

Revision ID: b91e4d2a7c05
Revises: b9e4d2a7c615
Create Date: 2026-12-01 12:00:00.000000

A year of a busy clinic is 300k paid orders and 800k order lines: summing them per request
cannot answer in 100 ms, whatever the index. These tables hold the sums per clinic day (and
per month for the two largest), kept exact by services/reports/rollups.py inside every
transaction that changes their sources; the report queries read them (bench/RESULTS.md).
ix_orders_status_figures gains is_paid and is_canceled: the orders still to handle (a few
thousand) are counted and sorted from the index alone.
The backfill below is the same INSERT … SELECT the application recomputes a day with
(services/reports/rollups.py), over every day at once, in SQL that SQLite and MariaDB share.
"""
from datetime import date, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b91e4d2a7c05'
down_revision = 'b9e4d2a7c615'
branch_labels = None
depends_on = None

PRODUCT_SUMS = ("qty", "price_total")
APPOINTMENT_SUMS = ("booked", "done", "cancelled", "waiting", "revenue")


def _product_columns():
    return [sa.Column('order_type', sa.String(length=1), nullable=False),
            sa.Column('id_menu', sa.Integer(), autoincrement=False, nullable=False),
            sa.Column('qty', sa.BigInteger(), nullable=False),
            sa.Column('price_total', sa.BigInteger(), nullable=False)]


def _appointment_columns():
    return [sa.Column('id_doctors', sa.Integer(), autoincrement=False, nullable=False),
            sa.Column('id_services', sa.Integer(), autoincrement=False, nullable=False),
            sa.Column('booked', sa.Integer(), nullable=False),
            sa.Column('done', sa.Integer(), nullable=False),
            sa.Column('cancelled', sa.Integer(), nullable=False),
            sa.Column('waiting', sa.Integer(), nullable=False),
            sa.Column('revenue', sa.BigInteger(), nullable=False)]


STATUS_FIGURES = ["status", "deleted_at", "order_type", "is_paid", "is_canceled", "paid_date"]


def upgrade():
    op.drop_index('ix_orders_status_figures', table_name='orders')
    op.create_index('ix_orders_status_figures', 'orders', STATUS_FIGURES)
    op.create_table('report_day_orders',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('order_type', sa.String(length=1), nullable=False),
    sa.Column('id_brandstore', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('total_price', sa.BigInteger(), nullable=False),
    sa.Column('total_discount', sa.BigInteger(), nullable=False),
    sa.Column('courier_price', sa.BigInteger(), nullable=False),
    sa.Column('poin_used', sa.BigInteger(), nullable=False),
    sa.Column('grand_totals', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'order_type', 'id_brandstore',
                            name=op.f('pk_report_day_orders'))
    )
    op.create_table('report_day_products',
    sa.Column('day', sa.Date(), nullable=False),
    *_product_columns(),
    sa.PrimaryKeyConstraint('day', 'order_type', 'id_menu', name=op.f('pk_report_day_products'))
    )
    op.create_table('report_month_products',
    sa.Column('month', sa.Date(), nullable=False),
    *_product_columns(),
    sa.PrimaryKeyConstraint('month', 'order_type', 'id_menu',
                            name=op.f('pk_report_month_products'))
    )
    op.create_table('report_day_consultations',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('order_type', sa.String(length=1), nullable=False),
    sa.Column('id_doctors', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('qty', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'order_type', 'id_doctors',
                            name=op.f('pk_report_day_consultations'))
    )
    op.create_table('report_day_appointments',
    sa.Column('day', sa.Date(), nullable=False),
    *_appointment_columns(),
    sa.PrimaryKeyConstraint('day', 'id_doctors', 'id_services',
                            name=op.f('pk_report_day_appointments'))
    )
    op.create_table('report_month_appointments',
    sa.Column('month', sa.Date(), nullable=False),
    *_appointment_columns(),
    sa.PrimaryKeyConstraint('month', 'id_doctors', 'id_services',
                            name=op.f('pk_report_month_appointments'))
    )
    op.create_table('report_member_days',
    sa.Column('id_member', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('prev_day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id_member', 'day', name=op.f('pk_report_member_days'))
    )
    op.create_index('ix_report_member_days_day', 'report_member_days', ['day', 'prev_day'])
    op.create_index('ix_report_member_days_prev_day', 'report_member_days',
                    ['prev_day', 'day'])
    op.create_table('report_latches',
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_report_latches'))
    )
    _backfill()


# ---- the backfill: the rollups of every day already there -----------------------------------
orders = sa.table('orders', *(sa.column(name) for name in (
    'id', 'id_member', 'paid_date', 'order_type', 'id_brandstore', 'is_paid', 'is_canceled', 'status',
    'deleted_at', 'total_price', 'total_discount', 'courier_price', 'poin_used',
    'grand_totals')))
items = sa.table('order_items', *(sa.column(name) for name in (
    'id_order', 'id_menu', 'qty', 'price', 'is_canceled')))
extras = sa.table('order_extras', *(sa.column(name) for name in (
    'id_orders', 'id_doctors', 'qty', 'extra_prices')))
appointments = sa.table('user_schedules', *(sa.column(name) for name in (
    'id', 'tanggal', 'id_doctors', 'id_services', 'status', 'custom_price')))


def _rollup(name, *columns):
    return sa.table(name, *(sa.column(column, sa.Date()) if column in ('day', 'month',
                                                                       'prev_day')
                            else sa.column(column) for column in columns))


def _counted():
    return sa.and_(orders.c.is_paid == sa.true(), orders.c.is_canceled == sa.false(),
                   orders.c.status != 'CANCEL', orders.c.deleted_at.is_(None),
                   orders.c.paid_date.isnot(None))


def _backfill():
    connection = op.get_bind()
    day = sa.func.date(orders.c.paid_date)
    store = sa.func.coalesce(orders.c.id_brandstore, 0)
    connection.execute(sa.insert(_rollup(
        'report_day_orders', 'day', 'order_type', 'id_brandstore', 'orders', 'total_price',
        'total_discount', 'courier_price', 'poin_used', 'grand_totals')).from_select(
        ['day', 'order_type', 'id_brandstore', 'orders', 'total_price', 'total_discount',
         'courier_price', 'poin_used', 'grand_totals'],
        sa.select(day, orders.c.order_type, store, sa.func.count(orders.c.id),
                  sa.func.sum(orders.c.total_price), sa.func.sum(orders.c.total_discount),
                  sa.func.sum(orders.c.courier_price), sa.func.sum(orders.c.poin_used),
                  sa.func.sum(orders.c.grand_totals))
        .where(_counted()).group_by(day, orders.c.order_type, store)))
    connection.execute(sa.insert(_rollup(
        'report_day_products', 'day', 'order_type', 'id_menu', *PRODUCT_SUMS)).from_select(
        ['day', 'order_type', 'id_menu', *PRODUCT_SUMS],
        sa.select(day, orders.c.order_type, items.c.id_menu, sa.func.sum(items.c.qty),
                  sa.func.sum(items.c.price * items.c.qty))
        .select_from(items.join(orders, orders.c.id == items.c.id_order))
        .where(_counted(), items.c.is_canceled == sa.false())
        .group_by(day, orders.c.order_type, items.c.id_menu)))
    doctor = sa.func.coalesce(extras.c.id_doctors, 0)
    connection.execute(sa.insert(_rollup(
        'report_day_consultations', 'day', 'order_type', 'id_doctors', 'qty', 'amount'))
        .from_select(
        ['day', 'order_type', 'id_doctors', 'qty', 'amount'],
        sa.select(day, orders.c.order_type, doctor, sa.func.sum(extras.c.qty),
                  sa.func.sum(extras.c.extra_prices * extras.c.qty))
        .select_from(extras.join(orders, orders.c.id == extras.c.id_orders))
        .where(_counted()).group_by(day, orders.c.order_type, doctor)))
    a = appointments.c
    done = a.status == 'DONE'
    connection.execute(sa.insert(_rollup(
        'report_day_appointments', 'day', 'id_doctors', 'id_services', *APPOINTMENT_SUMS))
        .from_select(
        ['day', 'id_doctors', 'id_services', *APPOINTMENT_SUMS],
        sa.select(a.tanggal, a.id_doctors, a.id_services, sa.func.count(a.id),
                  sa.func.count(sa.case((done, a.id))),
                  sa.func.count(sa.case((a.status == 'CANCEL', a.id))),
                  sa.func.count(sa.case((a.status.in_(('BOOKING', 'RESCHEDULE')), a.id))),
                  sa.func.coalesce(sa.func.sum(sa.case((done, a.custom_price), else_=0)), 0))
        .where(a.tanggal.isnot(None))
        .group_by(a.tanggal, a.id_doctors, a.id_services)))
    # each customer's paid days, with the one before (1900-01-01 for the first)
    member_days = sa.select(orders.c.id_member.label('id_member'), day.label('day')) \
        .where(_counted()).distinct().subquery()
    previous = sa.func.lag(member_days.c.day).over(partition_by=member_days.c.id_member,
                                                   order_by=member_days.c.day)
    connection.execute(sa.insert(_rollup('report_member_days', 'id_member', 'day', 'prev_day'))
                       .from_select(['id_member', 'day', 'prev_day'], sa.select(
                           member_days.c.id_member, member_days.c.day,
                           sa.func.coalesce(previous, sa.literal(date(1900, 1, 1), sa.Date())))))
    _backfill_months(connection, 'report_day_products', 'report_month_products',
                     ('order_type', 'id_menu'), PRODUCT_SUMS)
    _backfill_months(connection, 'report_day_appointments', 'report_month_appointments',
                     ('id_doctors', 'id_services'), APPOINTMENT_SUMS)


def _backfill_months(connection, day_name, month_name, keys, sums):
    days = _rollup(day_name, 'day', *keys, *sums)
    first, last = connection.execute(sa.select(sa.func.min(days.c.day),
                                               sa.func.max(days.c.day))).one()
    if first is None:
        return
    first, last = (date.fromisoformat(str(value)[:10]) for value in (first, last))
    month = first.replace(day=1)
    while month <= last:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        connection.execute(sa.insert(_rollup(month_name, 'month', *keys, *sums)).from_select(
            ['month', *keys, *sums],
            sa.select(sa.literal(month, sa.Date()), *(days.c[key] for key in keys),
                      *(sa.func.sum(days.c[name]) for name in sums))
            .where(days.c.day >= month, days.c.day < following)
            .group_by(*(days.c[key] for key in keys))))
        month = following


def downgrade():
    op.drop_index('ix_orders_status_figures', table_name='orders')
    op.create_index('ix_orders_status_figures', 'orders',
                    ["status", "deleted_at", "order_type", "paid_date"])
    op.drop_table('report_latches')
    op.drop_index('ix_report_member_days_prev_day', table_name='report_member_days')
    op.drop_index('ix_report_member_days_day', table_name='report_member_days')
    op.drop_table('report_member_days')
    op.drop_table('report_month_appointments')
    op.drop_table('report_day_appointments')
    op.drop_table('report_day_consultations')
    op.drop_table('report_month_products')
    op.drop_table('report_day_products')
    op.drop_table('report_day_orders')
