"""Checkouts whose payment never came: after CHECKOUT_EXPIRY_MINUTES the job asks Midtrans
(here its stand-in) first — a payment whose notification was lost pays the order, anything
else expires it and gives back its stock; younger checkouts wait; running it twice changes
nothing more."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Order, StoreMenuStock, clinic_now, db
from models.orders import CANCEL, CHECKOUT, PAID
from models.payments import StandinTransaction
from services.payments.operations import checkout_and_pay, expire_overdue_checkouts
from tests.factories.accounts import make_user
from tests.factories.orders import make_stocked_cart


@pytest.fixture(autouse=True)
def in_a_request(app):
    """Checkout answers with the stand-in payment page's URL: a request context around it."""
    with app.test_request_context():
        yield


def checked_out(app, age_minutes: int, quantity=5, qty=2):
    customer = make_user()
    order, _item, row = make_stocked_cart(customer, quantity=quantity, qty=qty)
    checkout_and_pay(order, customer)
    order.order_date = clinic_now() - timedelta(minutes=age_minutes)
    db.session.commit()
    return order, row


def stock(row) -> int:
    return db.session.execute(select(StoreMenuStock.quantitytotal).where(
        StoreMenuStock.id == row.stock.id)).scalar_one()


def test_overdue_unpaid_checkouts_expire_and_give_back_their_stock(app):
    app.config["CHECKOUT_EXPIRY_MINUTES"] = 60
    overdue, row = checked_out(app, age_minutes=90)
    young, young_row = checked_out(app, age_minutes=10)
    assert stock(row) == 3

    assert expire_overdue_checkouts() == {"expired": 1}
    db.session.expire_all()
    assert db.session.get(Order, overdue.id).status == CANCEL
    assert stock(row) == 5
    assert db.session.get(Order, young.id).status == CHECKOUT
    assert stock(young_row) == 3
    assert expire_overdue_checkouts() == {}  # nothing left to do


def test_a_payment_whose_notification_was_lost_pays_the_order(app):
    app.config["CHECKOUT_EXPIRY_MINUTES"] = 60
    order, row = checked_out(app, age_minutes=120)
    transaction = db.session.execute(select(StandinTransaction).where(
        StandinTransaction.order_id == order.order_code)).scalar_one()
    transaction.transaction_status = "settlement"
    transaction.settlement_time = clinic_now()
    db.session.commit()

    assert expire_overdue_checkouts() == {"paid": 1}
    db.session.expire_all()
    paid = db.session.get(Order, order.id)
    assert paid.status == PAID and paid.is_paid
    assert stock(row) == 3  # the stock stays with the paid order
