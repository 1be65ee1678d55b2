"""The invoice on the admin "Pesanan" screen: a paid order's drawer links the PDF the payments
feature renders, and staff download it."""
import io

from pypdf import PdfReader

from tests.factories.accounts import make_user
from tests.factories.payments import make_checked_out_order, pay_on_standin_page


def test_staff_download_the_invoice_of_an_order_paid_through_midtrans(client, auth):
    customer = make_user(users_fullname="Rikki Andika")
    order, item, _row = make_checked_out_order(customer)
    assert pay_on_standin_page(order)[0] == 200
    staff = make_user(roles=("USERS",))
    assert auth.admin_login(staff).status_code == 302
    drawer = client.get(f"/admin/orders/{order.id}", headers={"HX-Request": "true"})
    assert f"/admin/orders/{order.id}/invoice" in drawer.get_data(as_text=True)
    answer = client.get(f"/admin/orders/{order.id}/invoice")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(answer.data)).pages[0].extract_text()
    assert order.order_code in text and "Rikki Andika" in text and item.menu.nama_menus in text


def test_no_invoice_before_payment_on_the_screen_either(client, auth):
    order, _item, _row = make_checked_out_order()
    staff = make_user(roles=("USERS",))
    auth.admin_login(staff)
    drawer = client.get(f"/admin/orders/{order.id}", headers={"HX-Request": "true"})
    assert f"/admin/orders/{order.id}/invoice" not in drawer.get_data(as_text=True)
    assert client.get(f"/admin/orders/{order.id}/invoice").status_code == 409
