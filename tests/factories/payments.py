"""Orders at the payment step: checked out through the configured Midtrans gateway (the
stand-in unless a test says otherwise), or paid through it."""
from flask import current_app

from services.gateways import midtrans_standin as standin
from services.payments.operations import checkout_and_pay

from .orders import make_stocked_cart


def make_checked_out_order(customer=None, **kw):
    """A cart of one stocked product checked out with its Snap transaction started; returns
    (order, item, store_menu)."""
    order, item, row = make_stocked_cart(customer, **kw)
    with current_app.test_request_context():
        checkout_and_pay(order, order.member)
    return order, item, row


def pay_on_standin_page(order, outcome="bayar"):
    """Decide the order's stand-in transaction and deliver its notification, as the page's
    button does; returns (HTTP status, JSON answer) of the webhook."""
    with current_app.test_request_context():
        record = standin.decide(order.payment_token, outcome)
        return standin.send_notification(record)
