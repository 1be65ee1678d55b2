"""The Midtrans stand-in: Snap transactions stored in the database, its payment page, the
status answer signed with MIDTRANS_SERVER_KEY as Midtrans signs it."""
import re

import pytest

from models import StandinTransaction, db
from services.errors import Conflict
from services.gateways import midtrans_standin as standin
from services.gateways.midtrans import PaymentGatewayError, gateway, signature_is_valid

from ..conftest import csrf_from

PARAMETERS = {
    "transaction_details": {"order_id": "E-20261130-001", "gross_amount": 125000},
    "item_details": [{"id": "1", "name": "Sunscreen", "price": 60000, "quantity": 2},
                     {"id": "COURIER", "name": "Ongkir", "price": 10000, "quantity": 1},
                     {"id": "POINTS", "name": "Poin", "price": -5000, "quantity": 1}],
}


def _create(data_app, parameters=PARAMETERS):
    with data_app.test_request_context():
        created = gateway().create_transaction(parameters)
        db.session.commit()
    return created


def test_create_stores_a_pending_transaction_and_points_at_its_page(data_app):
    created = _create(data_app)
    assert created.redirect_url == f"http://testserver.local/payments/standin/{created.token}"
    record = db.session.query(StandinTransaction).one()
    assert (record.order_id, record.gross_amount, record.transaction_status) == \
        ("E-20261130-001", 125000, "pending")
    with data_app.test_request_context():
        status = gateway().transaction_status("E-20261130-001")
    assert status["transaction_status"] == "pending" and status["status_code"] == "201"


def test_items_that_do_not_sum_to_the_amount_are_refused_as_midtrans_does(data_app):
    wrong = {**PARAMETERS, "transaction_details": {"order_id": "E-1", "gross_amount": 130000}}
    with data_app.test_request_context(), pytest.raises(PaymentGatewayError) as refused:
        gateway().create_transaction(wrong)
    assert "not equal to the sum of item_details" in refused.value.message


@pytest.mark.parametrize("details", [None, {"order_id": "", "gross_amount": 1},
                                     {"order_id": "E-1", "gross_amount": 0},
                                     {"order_id": "E-1", "gross_amount": "100"}])
def test_bad_transaction_details_are_refused(data_app, details):
    with data_app.test_request_context(), pytest.raises(PaymentGatewayError):
        gateway().create_transaction({"transaction_details": details})


def test_unknown_order_has_no_status(data_app):
    with data_app.test_request_context():
        assert gateway().transaction_status("E-19990101-001") is None


def test_paid_order_code_cannot_be_used_again(data_app):
    created = _create(data_app)
    with data_app.test_request_context():
        standin.decide(created.token, "bayar")
        with pytest.raises(PaymentGatewayError):
            gateway().create_transaction(PARAMETERS)


@pytest.mark.parametrize("outcome, status, code", [
    ("bayar", "settlement", "200"), ("batalkan", "cancel", "202"),
    ("kedaluwarsa", "expire", "407")])
def test_decision_is_signed_like_a_midtrans_notification(data_app, outcome, status, code):
    created = _create(data_app)
    with data_app.test_request_context():
        record = standin.decide(created.token, outcome)
        body = standin.status_answer(record)
        assert gateway().transaction_status("E-20261130-001") == body
    assert body["transaction_status"] == status and body["status_code"] == code
    assert body["gross_amount"] == "125000.00" and body["order_id"] == "E-20261130-001"
    for field in ("transaction_id", "transaction_time", "payment_type", "fraud_status"):
        assert body[field]
    assert signature_is_valid(body, data_app.config["MIDTRANS_SERVER_KEY"])
    assert not signature_is_valid(body, "SB-Mid-server-lain")


def test_a_transaction_is_decided_once(data_app):
    created = _create(data_app)
    with data_app.test_request_context():
        standin.decide(created.token, "bayar")
        with pytest.raises(Conflict):
            standin.decide(created.token, "batalkan")
        assert gateway().transaction_status("E-20261130-001")["transaction_status"] == \
            "settlement"


def test_status_follows_the_paid_token_of_an_order_checked_out_twice(data_app):
    first = _create(data_app)
    second = _create(data_app)  # checked out again: a new Snap token for the same code
    assert first.token != second.token
    with data_app.test_request_context():
        standin.decide(first.token, "bayar")
        assert gateway().transaction_status("E-20261130-001")["transaction_status"] == \
            "settlement"


# ---- the page ------------------------------------------------------------------------------
def test_page_shows_order_code_amount_and_three_choices(client, data_app):
    created = _create(data_app)
    page = client.get(f"/payments/standin/{created.token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "E-20261130-001" in html and "Rp 125.000" in html
    for label in ("Bayar", "Batalkan", "Kedaluwarsa"):
        assert f">{label}</button>" in html
    assert "style=" not in html and "<script>" not in html  # strict CSP


def test_page_of_an_unknown_token_is_404(client):
    assert client.get("/payments/standin/bukan-token").status_code == 404
    assert client.get("/payments/standin/" + "x" * 300).status_code == 404


def test_page_needs_the_csrf_token(client, data_app):
    created = _create(data_app)
    assert client.post(f"/payments/standin/{created.token}/bayar").status_code == 400
    assert db.session.query(StandinTransaction).one().transaction_status == "pending"


def test_page_is_gone_outside_standin_mode_and_in_production(client, app, data_app,
                                                             monkeypatch):
    created = _create(data_app)
    monkeypatch.setitem(app.config, "MIDTRANS_MODE", "sandbox")
    assert client.get(f"/payments/standin/{created.token}").status_code == 404
    monkeypatch.setitem(app.config, "MIDTRANS_MODE", "standin")
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    assert client.get(f"/payments/standin/{created.token}").status_code == 404


def test_standin_status_reads_the_database_not_memory(data_app, app):
    """Another process (here: another app object on the same database) sees the decision."""
    created = _create(data_app)
    with app.test_request_context():
        standin.decide(created.token, "bayar")
        db.session.remove()
    with data_app.test_request_context():
        db.session.expire_all()
        assert gateway().transaction_status("E-20261130-001")["transaction_status"] == \
            "settlement"
    assert re.fullmatch(r"[0-9a-f-]{36}", created.token)


def test_paying_on_the_page_takes_the_order_to_paid(client, data_app):
    """The page's button sends Midtrans' signed notification to the app's own endpoint."""
    from models import Order, PaymentNotification
    from tests.factories.payments import make_checked_out_order

    order, _, _ = make_checked_out_order()
    page = client.get(f"/payments/standin/{order.payment_token}")
    assert order.order_code in page.get_data(as_text=True)
    answer = client.post(f"/payments/standin/{order.payment_token}/bayar",
                         data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "diterima (200)" in html and "Lunas" in html
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "PAID"
    [row] = db.session.query(PaymentNotification).all()
    body = __import__("json").loads(row.payload)
    assert row.signature_ok and row.outcome == "paid"
    assert body["transaction_status"] == "settlement" and body["status_code"] == "200"
    assert body["gross_amount"] == f"{order.grand_totals}.00"
    assert signature_is_valid(body, data_app.config["MIDTRANS_SERVER_KEY"])
    # a second click cannot decide it again, and sends nothing
    again = client.post(f"/payments/standin/{order.payment_token}/batalkan",
                        data={"csrf_token": csrf_from(html)})
    assert again.status_code == 409 and "sudah selesai" in again.get_data(as_text=True)
    assert db.session.query(PaymentNotification).count() == 1
