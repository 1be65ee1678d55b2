"""The Midtrans stand-in in a real browser: the app's Snap script opens the local payment
page, "Bayar" sends the signed notification and the order is PAID — no network."""
from playwright.sync_api import expect

from app.extensions import db
from models import Order, PaymentNotification
from tests.conftest import make_user
from tests.factories.payments import make_checked_out_order


def test_snap_pay_opens_the_standin_page_and_bayar_pays(page, live_server, artifacts_dir):
    customer = make_user(users_fullname="Rikki Andika")
    order, _item, _row = make_checked_out_order(customer, qty=2, price=125000)
    base = live_server

    # what the mobile app's web view does with payments/webhooks/clients' snap_js
    page.goto(f"{base}/payments/standin/{order.payment_token}")
    page.add_script_tag(url=f"{base}/static/js/midtrans-standin.js")
    page.evaluate("token => window.snap.pay(token)", order.payment_token)
    page.wait_for_url(f"{base}/payments/standin/{order.payment_token}")
    expect(page.locator("[data-field=order_id]")).to_have_text(order.order_code)
    expect(page.locator("[data-field=gross_amount]")).to_have_text(
        f"Rp {order.grand_totals:,}".replace(",", "."))
    for label in ("Bayar", "Batalkan", "Kedaluwarsa"):
        expect(page.get_by_role("button", name=label)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "payments-standin-pending.png"), full_page=True)

    page.get_by_role("button", name="Bayar").click()
    expect(page.get_by_role("status")).to_contain_text("diterima (200)")
    expect(page.locator("[data-field=status]")).to_have_text("Lunas")
    expect(page.get_by_role("button", name="Bayar")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "payments-standin-paid.png"), full_page=True)

    db.session.expire_all()
    paid = db.session.get(Order, order.id)
    assert paid.status == "PAID" and paid.is_paid
    assert [row.outcome for row in db.session.query(PaymentNotification)] == ["paid"]
    assert page.browser_errors.unexpected() == []
