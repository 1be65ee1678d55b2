"""Paying an order through Midtrans: checkout starts a Snap transaction whose amount and lines
are the order's money; POST /api/payments/webhooks/midtrans stores every notification, checks
signature, amount and (through the Core API) the status, moves the order forward only and
exactly once — with the stand-in page, and with the real midtransclient against a fake
Midtrans on 127.0.0.1."""
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from models import (Order, OrderEvent, PaymentNotification, StandinTransaction, StoreMenuStock,
                    User, UserPoint, db)
from models.orders import CANCEL, CART, CHECKOUT, PAID
from services.gateways.midtrans import PaymentGatewayError, gross_amount_text, signature_key
from services.payments.operations import checkout_and_pay, snap_parameters
from tests.factories.accounts import make_user
from tests.factories.catalog import make_promotion
from tests.factories.orders import make_stocked_cart
from tests.factories.payments import make_checked_out_order, pay_on_standin_page
from tests.gateways.fake_midtrans import FakeMidtrans

WEBHOOK = "/api/payments/webhooks/midtrans"
SANDBOX_KEY = "SB-Mid-server-uji-sandbox-42"


def notification(order, status="settlement", code=None, amount=None, key=None, **extra):
    """A notification signed as Midtrans signs it (with the app's server key unless told)."""
    from flask import current_app

    code = code or {"settlement": "200", "pending": "201", "expire": "407"}.get(status, "202")
    amount = amount if amount is not None else gross_amount_text(order.grand_totals)
    key = key or current_app.config["MIDTRANS_SERVER_KEY"]
    body = {"transaction_time": "2026-11-30 10:00:00", "transaction_status": status,
            "transaction_id": "9aed5972-5b6a-401e-894b-a32c91ed1a3a", "status_code": code,
            "payment_type": "bank_transfer", "order_id": order.order_code,
            "gross_amount": amount, "fraud_status": "accept", "currency": "IDR",
            "signature_key": signature_key(order.order_code, code, amount, key)}
    body.update(extra)
    return body


def stored(outcome=None):
    """The stored notifications (with that outcome)."""
    db.session.expire_all()
    query = select(PaymentNotification).order_by(PaymentNotification.id)
    if outcome:
        query = query.where(PaymentNotification.outcome == outcome)
    return db.session.scalars(query).all()


def fresh(order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


def paid_events(order) -> int:
    return db.session.scalar(select(func.count(OrderEvent.id)).where(
        OrderEvent.id_orders == order.id, OrderEvent.action == "paid"))


@pytest.fixture
def customer():
    return make_user(users_fullname="Didit Velliz")


@pytest.fixture
def sandbox(app, data_app, monkeypatch):
    """Both apps on Midtrans sandbox at a fake Midtrans; yields the fake."""
    with FakeMidtrans() as fake:
        for application in (app, data_app):
            for key, value in {"MIDTRANS_MODE": "sandbox", "MIDTRANS_SERVER_KEY": SANDBOX_KEY,
                               "MIDTRANS_CLIENT_KEY": "SB-Mid-client-uji",
                               "MIDTRANS_SNAP_BASE_URL": fake.base_url + "/snap/v1",
                               "MIDTRANS_API_BASE_URL": fake.base_url}.items():
                monkeypatch.setitem(application.config, key, value)
        fake.answers[("POST", "/snap/v1/transactions")] = (201, {
            "token": "tok-123", "redirect_url": "https://app.sandbox.midtrans.com/snap/v3/"
                                                "redirection/tok-123"})
        yield fake


def core_says(fake, order, status, amount=None):
    """The fake Core API's status answer for the order."""
    amount = gross_amount_text(order.grand_totals if amount is None else amount)
    fake.answers[("GET", f"/v2/{order.order_code}/status")] = (200, {
        "status_code": "200" if status == "settlement" else "201", "order_id": order.order_code,
        "transaction_status": status, "gross_amount": amount, "payment_type": "qris",
        "fraud_status": "accept", "settlement_time": "2026-11-30 10:05:00"})


# ---- checkout starts the Snap transaction ------------------------------------------------
def test_checkout_creates_the_snap_transaction_of_the_grand_total(customer):
    customer.total_point = 3000
    db.session.commit()
    order, _item, _row = make_stocked_cart(customer, qty=2, price=100000, courier_price=20000)
    order.id_promo_discount_applied = make_promotion(type="NOMINAL", value=10000).id
    order.poin_used = 3000
    db.session.commit()
    from flask import current_app
    with current_app.test_request_context():
        created = checkout_and_pay(order, customer)
        parameters = snap_parameters(order)
    order = fresh(order)
    assert order.status == CHECKOUT and order.grand_totals == 200000 - 10000 - 3000 + 20000
    assert order.payment_token == created.token
    assert order.payment_redirect_url == \
        f"http://testserver.local/payments/standin/{created.token}"
    assert parameters["transaction_details"] == {"order_id": order.order_code,
                                                 "gross_amount": order.grand_totals}
    lines = parameters["item_details"]
    assert sum(line["price"] * line["quantity"] for line in lines) == order.grand_totals
    assert {line["id"]: line["price"] for line in lines if line["price"] < 0} == \
        {"discount": -10000, "points": -3000}
    assert any(line["id"] == "courier" and line["price"] == 20000 for line in lines)
    record = db.session.scalar(select(StandinTransaction))
    assert (record.order_id, record.gross_amount) == (order.order_code, order.grand_totals)


def test_order_codes_are_unique_per_type_and_day(customer):
    first, _, _ = make_checked_out_order(customer)
    second, _, _ = make_checked_out_order(make_user())
    assert first.order_code != second.order_code
    assert first.order_code[:11] == second.order_code[:11]  # E-YYYYMMDD-
    assert {first.order_code[-3:], second.order_code[-3:]} == {"001", "002"}


def test_checkout_through_midtransclient_sends_the_same_numbers(sandbox, customer):
    order, _, _ = make_checked_out_order(customer)
    [sent] = sandbox.requests
    assert sent["server_key"] == SANDBOX_KEY
    assert sent["body"]["transaction_details"]["gross_amount"] == fresh(order).grand_totals
    assert sum(line["price"] * line["quantity"] for line in sent["body"]["item_details"]) == \
        fresh(order).grand_totals
    assert fresh(order).payment_token == "tok-123"


def test_snap_request_leaves_out_empty_customer_details(sandbox):
    customer = make_user(users_email=None)
    make_checked_out_order(customer)
    details = sandbox.requests[0]["body"]["customer_details"]
    assert "email" not in details and details["first_name"] == customer.users_fullname
    assert details["shipping_address"]["address"] == "Jl. Dago 1"


def test_checkout_is_undone_when_midtrans_refuses(sandbox, customer):
    sandbox.answers[("POST", "/snap/v1/transactions")] = (500, {"status_code": "500"})
    order, _item, row = make_stocked_cart(customer, quantity=5, qty=2)
    from flask import current_app
    with current_app.test_request_context(), pytest.raises(PaymentGatewayError):
        checkout_and_pay(order, customer)
    order = fresh(order)
    assert order.status == CART and order.payment_token == ""
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 5  # given back


# ---- the stand-in page takes an order to PAID ----------------------------------------------
def test_paying_on_the_standin_page_marks_the_order_paid(customer):
    order, _, _ = make_checked_out_order(customer)
    status, answer = pay_on_standin_page(order)
    assert status == 200 and answer["outcome"] == "paid"
    order = fresh(order)
    assert order.status == PAID and order.is_paid and order.pay_channel == "bank_transfer"
    snapshot = json.loads(order.invoice_snapshot)
    assert snapshot["order_code"] == order.order_code
    [row] = stored()
    assert (row.outcome, row.signature_ok, row.id_orders) == ("paid", True, order.id)
    assert json.loads(row.payload)["transaction_status"] == "settlement"


@pytest.mark.parametrize("outcome, expected", [("batalkan", "cancelled"),
                                               ("kedaluwarsa", "expired")])
def test_cancel_or_expiry_on_the_page_cancels_and_gives_back(customer, outcome, expected):
    order, _item, row = make_checked_out_order(customer, quantity=5, qty=2)
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 3
    status, answer = pay_on_standin_page(order, outcome)
    assert status == 200 and answer["outcome"] == expected
    assert fresh(order).status == CANCEL
    db.session.expire_all()
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 5


# ---- refusals: every one stored, nothing moved -----------------------------------------------
def test_bad_signature_is_403_and_stored(client, customer):
    order, _, _ = make_checked_out_order(customer)
    forged = notification(order, key="SB-Mid-server-tebakan")
    answer = client.post(WEBHOOK, json=forged)
    assert answer.status_code == 403
    assert answer.get_json()["exception"]["error_code"] == "bad_signature"
    [row] = stored()
    assert (row.outcome, row.signature_ok, row.order_code) == ("bad_signature", False,
                                                               order.order_code)
    assert fresh(order).status == CHECKOUT


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"), (b"[1, 2]", "application/json"),
    (b"", "application/json"), (b"order_id=E-1", "application/x-www-form-urlencoded")])
def test_malformed_notification_is_400_and_stored(client, body, content_type):
    answer = client.post(WEBHOOK, data=body, content_type=content_type)
    assert answer.status_code == 400 and answer.get_json()["status"] == "error"
    [row] = stored()
    assert row.outcome == "malformed" and row.payload == body.decode()


def test_signed_notification_of_an_unknown_order_is_404(client, customer):
    order, _, _ = make_checked_out_order(customer)
    body = notification(order)
    body["order_id"] = "E-19990101-999"
    body["signature_key"] = signature_key("E-19990101-999", "200", body["gross_amount"],
                                          client.application.config["MIDTRANS_SERVER_KEY"])
    assert client.post(WEBHOOK, json=body).status_code == 404
    assert [row.outcome for row in stored()] == ["unknown_order"]


def test_amount_that_is_not_the_grand_total_is_refused(client, customer):
    order, _, _ = make_checked_out_order(customer)
    pay_on_standin = notification(order, amount=gross_amount_text(order.grand_totals - 1000))
    answer = client.post(WEBHOOK, json=pay_on_standin)
    assert answer.status_code == 409
    assert answer.get_json()["exception"]["error_code"] == "amount_mismatch"
    assert [row.outcome for row in stored()] == ["amount_mismatch"]
    assert fresh(order).status == CHECKOUT


def test_a_correctly_signed_settlement_midtrans_does_not_confirm_changes_nothing(client,
                                                                                 customer):
    """Anyone who knows the (development) key can sign; the Core API still says pending."""
    order, _, _ = make_checked_out_order(customer)
    answer = client.post(WEBHOOK, json=notification(order))
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "no_change_pending"
    assert fresh(order).status == CHECKOUT


def test_midtrans_unreachable_for_the_status_check_is_502(client, sandbox, customer):
    order, _, _ = make_checked_out_order(customer)
    sandbox.answers[("GET", f"/v2/{order.order_code}/status")] = (500, {"status_code": "500"})
    answer = client.post(WEBHOOK, json=notification(order))
    assert answer.status_code == 502
    assert [row.outcome for row in stored()] == ["status_check_failed"]
    assert fresh(order).status == CHECKOUT


def test_core_api_amount_must_match_too(client, sandbox, customer):
    order, _, _ = make_checked_out_order(customer)
    core_says(sandbox, order, "settlement", amount=1000)
    assert client.post(WEBHOOK, json=notification(order)).status_code == 409
    assert [row.outcome for row in stored()] == ["not_confirmed"]
    assert fresh(order).status == CHECKOUT


# ---- through the real midtransclient ------------------------------------------------------------
def test_sandbox_settlement_confirmed_by_the_core_api_pays(client, sandbox, customer):
    order, _, _ = make_checked_out_order(customer)
    core_says(sandbox, order, "settlement")
    answer = client.post(WEBHOOK, json=notification(order))
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "paid"
    order = fresh(order)
    assert order.status == PAID and order.pay_channel == "qris"
    assert order.paid_date.strftime("%Y-%m-%d %H:%M:%S") == "2026-11-30 10:05:00"
    status_calls = [sent for sent in sandbox.requests if sent["method"] == "GET"]
    assert [sent["path"] for sent in status_calls] == [f"/v2/{order.order_code}/status"]
    assert status_calls[0]["server_key"] == SANDBOX_KEY


def test_the_confirmed_status_counts_not_the_notified_one(client, sandbox, customer):
    """An 'expire' notification for an order Midtrans says is settled pays it."""
    order, _, _ = make_checked_out_order(customer)
    core_says(sandbox, order, "settlement")
    answer = client.post(WEBHOOK, json=notification(order, "expire"))
    assert answer.get_json()["outcome"] == "paid" and fresh(order).status == PAID


# ---- duplicates, late and out of order: forward only, once -----------------------------------
def test_ten_identical_notifications_pay_once(client, customer):
    order, _, _ = make_checked_out_order(customer)
    status, _answer = pay_on_standin_page(order)
    assert status == 200
    body = notification(order, transaction_id=fresh(order).payment_token)
    for _ in range(9):
        answer = client.post(WEBHOOK, json=body)
        assert answer.status_code == 200 and answer.get_json()["outcome"] == "already_paid"
    order = fresh(order)
    assert order.status == PAID and paid_events(order) == 1
    earned = db.session.scalar(select(func.count(UserPoint.id)).where(
        UserPoint.id_orders == order.id, UserPoint.add_point > 0))
    assert earned == 1
    assert len(stored()) == 10 and len(stored("paid")) == 1


def test_ten_identical_notifications_at_once_pay_once(app, customer):
    """Ten threads post the same settlement to the live app at the same moment."""
    order, _, _ = make_checked_out_order(customer)
    from flask import current_app
    with current_app.test_request_context():
        from services.gateways import midtrans_standin as standin
        standin.decide(fresh(order).payment_token, "bayar")  # paid, not yet notified
    body = notification(order)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}{WEBHOOK}"
    barrier = threading.Barrier(10)

    def post(_):
        barrier.wait()
        return requests.post(url, json=body, timeout=30)

    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(pool.map(post, range(10)))
    finally:
        server.shutdown()
        thread.join()
    assert [answer.status_code for answer in answers] == [200] * 10, \
        [answer.text for answer in answers if answer.status_code != 200]
    outcomes = sorted(answer.json()["outcome"] for answer in answers)
    assert outcomes == ["already_paid"] * 9 + ["paid"]
    order = fresh(order)
    assert order.status == PAID and paid_events(order) == 1
    assert len(stored()) == 10
    user = db.session.get(User, customer.id)
    ledger = db.session.scalar(select(func.sum(UserPoint.add_point - UserPoint.use_point))
                               .where(UserPoint.id_users == customer.id))
    assert user.total_point == ledger == order.points_earned > 0


def test_late_expiry_after_payment_changes_nothing(client, sandbox, customer):
    order, _, _ = make_checked_out_order(customer)
    core_says(sandbox, order, "settlement")
    client.post(WEBHOOK, json=notification(order))
    core_says(sandbox, order, "expire")  # whatever Midtrans says later
    for late in ("expire", "cancel", "deny", "pending"):
        answer = client.post(WEBHOOK, json=notification(order, late))
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["outcome"] in ("already_paid", "no_change_paid",
                                                "no_change_expire")
    order = fresh(order)
    assert order.status == PAID and order.is_paid and paid_events(order) == 1


def test_payment_after_cancel_is_stored_not_applied(client, sandbox, customer):
    order, _, _ = make_checked_out_order(customer)
    core_says(sandbox, order, "expire")
    assert client.post(WEBHOOK, json=notification(order, "expire")).get_json()["outcome"] == \
        "expired"
    core_says(sandbox, order, "settlement")  # the money came after all: staff decide
    answer = client.post(WEBHOOK, json=notification(order))
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "paid_while_cancelled"
    assert fresh(order).status == CANCEL
    assert [row.outcome for row in stored()] == ["expired", "paid_while_cancelled"]


def test_pending_then_settlement_in_any_order(client, sandbox, customer):
    order, _, _ = make_checked_out_order(customer)
    core_says(sandbox, order, "pending")
    assert client.post(WEBHOOK, json=notification(order, "pending")).get_json()["outcome"] == \
        "no_change_pending"
    core_says(sandbox, order, "settlement")
    assert client.post(WEBHOOK, json=notification(order)).get_json()["outcome"] == "paid"
    late_pending = client.post(WEBHOOK, json=notification(order, "pending"))
    assert late_pending.get_json()["outcome"] == "already_paid"
    assert fresh(order).status == PAID


def test_notifications_are_rate_limited(client, app, customer, monkeypatch):
    monkeypatch.setitem(app.config, "MIDTRANS_WEBHOOK_RATE_LIMIT", "3 per minute")
    for _ in range(3):
        assert client.post(WEBHOOK, data=b"x").status_code == 400
    assert client.post(WEBHOOK, data=b"x").status_code == 429


def test_oversized_notification_is_refused_and_its_start_stored(client):
    assert client.post(WEBHOOK, data=b"{" + b" " * 70_000 + b"}",
                       content_type="application/json").status_code == 413
    [row] = stored()
    assert row.outcome == "too_large" and row.payload.startswith("{")


# ---- PUT /api/orders/{?}/checkout --------------------------------------------------------------
def test_checkout_endpoint_answers_token_page_and_the_order(client, auth, customer):
    order, _item, _row = make_stocked_cart(customer, qty=2, price=100000)
    answer = client.put(f"/api/orders/{order.id}/checkout", headers=auth.headers(customer),
                        json={"nama_penerima": "Jofita", "notelp_pemesan": "0812-3456-7890",
                              "catatan_order": "Titip satpam"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    order = fresh(order)
    assert body["token"] == order.payment_token != ""
    assert body["redirect_url"] == order.payment_redirect_url
    placed = body["orders"]
    assert placed["status"] == CHECKOUT and placed["order_code"] == order.order_code
    assert placed["token"] == body["token"]
    assert placed["payment_redirect_url"] == body["redirect_url"]
    assert placed["CLIENT_KEY"] == client.application.config["MIDTRANS_CLIENT_KEY"]
    assert placed["CLIENT_URL"].endswith("/static/js/midtrans-standin.js")
    assert [line["qty"] for line in placed["items"]] == [2]
    assert (order.nama_penerima, order.catatan_order) == ("Jofita", "Titip satpam")


def test_checkout_then_the_standin_page_then_the_invoice(client, auth, customer):
    """`make run`'s way to PAID: checkout, the stand-in page's Bayar, the invoice."""
    from tests.conftest import csrf_from

    order, _item, _row = make_stocked_cart(customer)
    headers = auth.headers(customer)
    token = client.put(f"/api/orders/{order.id}/checkout", headers=headers,
                       json={}).get_json()["token"]
    page = client.get(f"/payments/standin/{token}")
    paid = client.post(f"/payments/standin/{token}/bayar",
                       data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert paid.status_code == 200 and "diterima (200)" in paid.get_data(as_text=True)
    assert fresh(order).status == PAID
    invoice = client.get(f"/api/orders/{order.id}/invoices", headers=headers)
    assert invoice.status_code == 200 and invoice.data.startswith(b"%PDF-")


@pytest.mark.parametrize("body, field", [
    ({"notelp_pemesan": "bukan nomor"}, "notelp_pemesan"),
    ({"alamat_kirim": "x" * 256}, "alamat_kirim"),
    ({"catatan_order": ["daftar"]}, "catatan_order"),
    ({"nama_penerima": 12}, "nama_penerima"),
])
def test_checkout_refuses_bad_fields_and_takes_nothing(client, auth, customer, body, field):
    order, _item, row = make_stocked_cart(customer, quantity=5, qty=2)
    answer = client.put(f"/api/orders/{order.id}/checkout", headers=auth.headers(customer),
                        json=body)
    assert answer.status_code == 422 and field in answer.get_json()["exception"]["fields"]
    assert fresh(order).status == CART
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 5


def test_checkout_of_another_customers_cart_is_404(client, auth, customer):
    order, _item, _row = make_stocked_cart(customer)
    stranger = make_user()
    answer = client.put(f"/api/orders/{order.id}/checkout", headers=auth.headers(stranger),
                        json={})
    assert answer.status_code == 404 and fresh(order).status == CART
    assert client.put(f"/api/orders/{order.id}/checkout", json={}).status_code == 401


def test_checkout_twice_is_409_naming_the_state(client, auth, customer):
    order, _item, _row = make_stocked_cart(customer)
    headers = auth.headers(customer)
    assert client.put(f"/api/orders/{order.id}/checkout", headers=headers,
                      json={}).status_code == 200
    again = client.put(f"/api/orders/{order.id}/checkout", headers=headers, json={})
    assert again.status_code == 409 and "CHECKOUT" in again.get_json()["exception"]["message"]
    assert db.session.scalar(select(func.count(StandinTransaction.id))) == 1


def test_checkout_when_midtrans_is_down_is_502_and_the_cart_stays(client, auth, sandbox,
                                                                   customer):
    sandbox.answers[("POST", "/snap/v1/transactions")] = (503, {"status_code": "503"})
    order, _item, row = make_stocked_cart(customer, quantity=5, qty=2)
    answer = client.put(f"/api/orders/{order.id}/checkout", headers=auth.headers(customer),
                        json={})
    assert answer.status_code == 502
    assert answer.get_json()["exception"]["error_code"] == "payment_gateway"
    assert fresh(order).status == CART
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 5


def test_office_checks_out_for_a_customer(client, auth, customer):
    order, _item, _row = make_stocked_cart(customer)
    staff = make_user(roles=("USERS",))
    answer = client.put(f"/api/orders/{order.id}/checkout", headers=auth.headers(staff),
                        json={})
    assert answer.status_code == 200 and fresh(order).status == CHECKOUT
