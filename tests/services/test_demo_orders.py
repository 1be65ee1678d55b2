"""Issue 10 item 13: the demo data holds orders in every state over the last months (products
and consultations, some cancelled), built through OrderFlow with totals as money.py computes
them, the stock never negative; seeding again adds none."""
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from models import Order, OrderEvent, StoreMenuStock, User, UserPoint, clinic_now
from models.orders import ORDER_STATUSES
from services.demo import seed_demo
from services.orders.money import compute_totals


def test_demo_orders_cover_every_state_over_the_last_months(app):
    added = seed_demo()
    assert added["orders"] >= 40
    orders = db.session.execute(select(Order)).scalars().all()
    states = Counter(order.status for order in orders)
    assert set(states) == set(ORDER_STATUSES), states
    assert {order.order_type for order in orders} == {"E", "C"}
    now = clinic_now()
    oldest = min(order.order_date for order in orders)
    # four months back at least, since 1 January when that is longer (the dashboard's year)
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0)
    assert min(now - timedelta(days=125), year_start) <= oldest <= now - timedelta(days=90)
    if now - timedelta(days=125) > year_start:
        assert oldest.year == now.year
    months = {(order.order_date.year, order.order_date.month) for order in orders}
    assert len(months) >= 4
    for order in orders:
        assert order.grand_totals == compute_totals(order).grand_totals > 0, order.id
        if order.status != "SHOPPING CARTS":
            assert order.order_code.startswith(f"{order.order_type}-{order.order_date:%Y%m%d}-")
            assert order.events and order.events[0].action == "checkout"
            assert order.events[0].created == order.order_date
            assert all(event.created <= now for event in order.events)
        if order.is_paid:
            assert order.order_date <= order.paid_date <= now
            assert f'"paid_date": "{order.paid_date}' in order.invoice_snapshot
        if order.status == "DONE" and order.order_type == "E":
            assert order.nomor_resi or order.courier == "sameday"
            assert order.paid_date < order.done_datetime
    assert any(order.status == "CANCEL" and order.cancel_reason for order in orders)
    assert db.session.execute(select(func.min(StoreMenuStock.quantitytotal))).scalar_one() >= 0
    # the points ledger still adds up to each customer's total
    for user in db.session.execute(select(User)).scalars():
        ledger = db.session.execute(select(
            func.coalesce(func.sum(UserPoint.add_point - UserPoint.use_point), 0))
            .where(UserPoint.id_users == user.id)).scalar_one()
        assert ledger == user.total_point, user.username


def test_seeding_again_adds_no_orders(app):
    seed_demo()
    counts = (db.session.execute(select(func.count(Order.id))).scalar_one(),
              db.session.execute(select(func.count(OrderEvent.id))).scalar_one())
    stock = db.session.execute(select(func.sum(StoreMenuStock.quantitytotal))).scalar_one()
    again = seed_demo()
    assert again["orders"] == 0
    assert counts == (db.session.execute(select(func.count(Order.id))).scalar_one(),
                      db.session.execute(select(func.count(OrderEvent.id))).scalar_one())
    assert stock == db.session.execute(select(func.sum(StoreMenuStock.quantitytotal))).scalar_one()
