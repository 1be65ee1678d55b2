"""GET /api/orders/{?}/invoices: the PDF of a paid order, from the snapshot frozen at payment,
for the order's customer or the office only."""
import io

from pypdf import PdfReader

from models import Menu, Order, db
from tests.factories.accounts import make_user
from tests.factories.payments import make_checked_out_order, pay_on_standin_page


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def paid_order(customer):
    order, item, _row = make_checked_out_order(customer, qty=2, price=125000)
    status, _answer = pay_on_standin_page(order)
    assert status == 200
    db.session.expire_all()
    return db.session.get(Order, order.id), item


def test_customer_gets_the_pdf_of_their_paid_order(client, auth):
    customer = make_user(users_fullname="Rikki Andika")
    order, item = paid_order(customer)
    answer = client.get(f"/api/orders/{order.id}/invoices", headers=auth.headers(customer))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert f'filename="Faktur-{order.order_code}.pdf"' in answer.headers["Content-Disposition"]
    text = pdf_text(answer.data)
    assert order.order_code in text and "Rikki Andika" in text
    assert item.menu.nama_menus in text and "Rp 250.000" in text
    assert f"Rp {order.grand_totals:,}".replace(",", ".") in text
    assert "Transfer bank" in text


def test_invoice_is_frozen_at_payment(client, auth):
    customer = make_user()
    order, item = paid_order(customer)
    old_name = item.menu.nama_menus
    menu = db.session.get(Menu, item.id_menu)
    menu.nama_menus, menu.harga = "Nama Baru Produk", 999000
    order.nama_pemesan = "Nama Lain"
    db.session.commit()
    text = pdf_text(client.get(f"/api/orders/{order.id}/invoices",
                               headers=auth.headers(customer)).data)
    assert old_name in text and "Nama Baru Produk" not in text and "Rp 999.000" not in text
    assert "Nama Lain" not in text


def test_office_may_read_any_invoice(client, auth):
    order, _item = paid_order(make_user())
    staff = make_user(roles=("USERS",))
    answer = client.get(f"/api/orders/{order.id}/invoices", headers=auth.headers(staff))
    assert answer.status_code == 200 and order.order_code in pdf_text(answer.data)


def test_another_customer_or_nobody_gets_nothing(client, auth):
    order, _item = paid_order(make_user())
    stranger = make_user()
    assert client.get(f"/api/orders/{order.id}/invoices",
                      headers=auth.headers(stranger)).status_code == 404
    assert client.get(f"/api/orders/{order.id}/invoices").status_code == 401
    doctor_only = make_user(roles=("DOCTOR",))
    assert client.get(f"/api/orders/{order.id}/invoices",
                      headers=auth.headers(doctor_only)).status_code == 404


def test_no_invoice_before_payment(client, auth):
    customer = make_user()
    order, _item, _row = make_checked_out_order(customer)
    answer = client.get(f"/api/orders/{order.id}/invoices", headers=auth.headers(customer))
    assert answer.status_code == 409 and "setelah pesanan dibayar" in \
        answer.get_json()["exception"]["message"]


def test_unknown_or_deleted_order(client, auth):
    customer = make_user()
    headers = auth.headers(customer)
    for bad in ("999999", "abc", "0", "99999999999999999999"):
        assert client.get(f"/api/orders/{bad}/invoices", headers=headers).status_code == 404
    order, _item = paid_order(customer)
    from models import clinic_now
    order.deleted_at = clinic_now()
    db.session.commit()
    assert client.get(f"/api/orders/{order.id}/invoices", headers=headers).status_code == 404
