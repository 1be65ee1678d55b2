"""Admin "Pesanan" (issue 10 item 12): the board by state with counts and filters, an order's
drawer, every step from the state that allows it (and a wrong state refused with the flow's
message), who may act, CSRF, the list of old orders, and the number of queries the board and
the drawer take whatever the number of orders."""
import json
from datetime import timedelta

import pytest

from models import Order, OrderEvent, clinic_now, db
from models.orders import CANCEL, CART, CHECKOUT, DONE, PAID, PICKUP, PREPARED, PROCESSING
from services.orders.flow import OrderFlow
from services.orders.money import compute_totals
from tests.conftest import count_queries, csrf_from, make_user
from tests.factories.orders import add_consultation, make_cart, make_stocked_cart

PATH = {CART: [], CHECKOUT: ["checkout"], PAID: ["checkout", "paid"],
        PROCESSING: ["checkout", "paid", "processing"],
        PREPARED: ["checkout", "paid", "processing", "prepared"],
        PICKUP: ["checkout", "paid", "processing", "prepared", "noresi", "pickup"],
        DONE: ["checkout", "paid", "processing", "prepared", "noresi", "pickup", "consignee"],
        CANCEL: ["checkout", "cancel"]}
CALLS = {"checkout": lambda flow: flow.checkout(), "paid": lambda flow: flow.mark_paid("QRIS"),
         "processing": lambda flow: flow.start_processing(),
         "prepared": lambda flow: flow.mark_prepared(),
         "noresi": lambda flow: flow.record_receipt_number("JNE0012345"),
         "pickup": lambda flow: flow.hand_to_courier(),
         "consignee": lambda flow: flow.confirm_received(),
         "cancel": lambda flow: flow.cancel("Stok habis")}


def order_in(state, staff, customer=None, **kw):
    """A product order brought to `state` through OrderFlow."""
    order, _item, _row = make_stocked_cart(customer, **kw)
    for step in PATH[state]:
        CALLS[step](OrderFlow(order, staff))
    return order


def fresh(order_id):
    db.session.rollback()
    return db.session.get(Order, order_id)


def trigger_of(response):
    return json.loads(response.headers.get("HX-Trigger", "{}"))


@pytest.fixture
def office(auth, client):
    """Office staff signed in to /admin, with a CSRF token."""
    user = make_user(roles=("USERS",), users_fullname="Sari Wulandari")
    assert auth.admin_login(user).status_code == 302
    token = csrf_from(client.get("/admin/orders/").get_data(as_text=True))
    return {"user": user, "token": token}


def post(client, office, order, action, **form):
    return client.post(f"/admin/orders/{order.id}/{action}",
                       data={"csrf_token": office["token"], **form},
                       headers={"HX-Request": "true"})


# ---- the board -------------------------------------------------------------------------------
def test_board_shows_a_column_per_state_with_counts_and_cards(client, office):
    customer = make_user(users_fullname="Rita Ambar", users_phone="081299887766")
    paid = order_in(PAID, office["user"], customer)
    order_in(PAID, office["user"])
    order_in(PROCESSING, office["user"])
    done = order_in(DONE, office["user"])
    make_stocked_cart()  # an open cart: counted, not shown
    response = client.get("/admin/orders/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    for label in ("Menunggu pembayaran", "Dibayar", "Diproses", "Siap dikirim", "Dikirim",
                  "Selesai", "Dibatalkan"):
        assert f">{label}</h2>" in html
    assert "1 keranjang masih terbuka" in html
    paid_column = html[html.index('id="column-paid"'):html.index('id="column-processing"')]
    assert 'order-count" title="2 pesanan">2<' in paid_column
    assert paid.order_code in paid_column and "Rita Ambar" in paid_column
    assert f"Rp {paid.grand_totals:,}".replace(",", ".") in paid_column
    assert done.order_code in html[html.index('id="column-done"'):]
    assert "/static/css/orders.css" in html and "/static/js/orders.js" in html
    assert "<script>" not in html and " style=" not in html
    assert 'aria-current="page"' in html and "segera" not in html.split("Pesanan")[1][:200]


def test_board_filters_by_type_code_customer_and_date(client, office):
    rita = make_user(users_fullname="Rita Ambar", users_phone="081299887766")
    product = order_in(PAID, office["user"], rita)
    other = order_in(PAID, office["user"])
    consultation = make_cart(order_type="C")
    add_consultation(consultation)
    OrderFlow(consultation, office["user"]).checkout()

    def cards(**args):
        html = client.get("/admin/orders/", query_string=args,
                          headers={"HX-Request": "true"}).get_data(as_text=True)
        return {order.id for order in (product, other, consultation)
                if f'id="order-card-{order.id}"' in html}, html

    assert cards()[0] == {product.id, other.id, consultation.id}
    assert cards(type="C")[0] == {consultation.id}
    assert cards(type="E")[0] == {product.id, other.id}
    assert cards(kode=product.order_code.lower())[0] == {product.id}
    assert cards(pelanggan="rita")[0] == {product.id}
    assert cards(pelanggan="0812 9988")[0] == {product.id}
    today = clinic_now().date()
    assert cards(dari=f"{today:%d/%m/%Y}", sampai=f"{today:%d/%m/%Y}")[0] == \
        {product.id, other.id, consultation.id}
    tomorrow = today + timedelta(days=1)
    assert cards(dari=f"{tomorrow:%d/%m/%Y}")[0] == set()
    found, html = cards(dari="31/02/2026", type="X")
    assert found == {product.id, other.id, consultation.id}  # ignored, and said so
    assert "Tanggal tidak valid" in html
    partial = client.get("/admin/orders/", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and 'class="order-board"' in partial


def test_old_done_and_cancelled_orders_leave_the_board_but_stay_in_the_list(client, office):
    done = order_in(DONE, office["user"])
    long_ago = clinic_now() - timedelta(days=60)
    done.done_datetime = long_ago
    db.session.commit()
    html = client.get("/admin/orders/").get_data(as_text=True)
    assert f'id="order-card-{done.id}"' not in html
    listing = client.get("/admin/orders/list", query_string={"status": DONE}).get_data(as_text=True)
    assert done.order_code in listing and "1 pesanan" in listing


# ---- the drawer and the steps --------------------------------------------------------------
def test_drawer_shows_lines_totals_shipping_payment_timeline_and_the_allowed_steps(client, office):
    order = order_in(PAID, office["user"])
    response = client.get(f"/admin/orders/{order.id}", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    totals = compute_totals(fresh(order.id))
    assert f"Rp {totals.grand_totals:,}".replace(",", ".") in html
    assert "Ongkos kirim" in html and "Rp 20.000" in html
    assert order.items[0].menu.nama_menus in html and "Jl. Dago 1" in html
    assert "QRIS" in html and "Ditandai dibayar" in html and "Masuk ke pembayaran" in html
    assert 'id="action-processing"' in html and 'id="action-unpaid"' in html
    assert 'id="action-cancel"' in html
    for absent in ("prepared", "pickup", "consignee", "uncancel", "complete"):
        assert f'id="action-{absent}"' not in html
    page = client.get(f"/admin/orders/{order.id}")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)


def test_each_step_from_its_state_moves_the_order_and_refreshes_the_board(client, office):
    order = order_in(CHECKOUT, office["user"])
    response = post(client, office, order, "paid", pay_channel="Tunai")
    assert response.status_code == 200, response.get_data(as_text=True)
    trigger = trigger_of(response)
    assert trigger["orders:refresh"] is True and "ditandai dibayar" in trigger["toast"]["message"]
    assert fresh(order.id).status == PAID and fresh(order.id).pay_channel == "Tunai"
    for action, state in (("processing", PROCESSING), ("prepared", PREPARED)):
        assert post(client, office, order, action).status_code == 200
        assert fresh(order.id).status == state
    refused = post(client, office, order, "pickup")
    assert refused.status_code == 409 and "nomor resi" in trigger_of(refused)["toast"]["message"]
    assert post(client, office, order, "noresi", nomor_resi="JNE777").status_code == 200
    html = post(client, office, order, "pickup").get_data(as_text=True)
    assert fresh(order.id).status == PICKUP and "JNE777" in html
    assert post(client, office, order, "consignee").status_code == 200
    assert fresh(order.id).status == DONE
    events = [event.action for event in fresh(order.id).events]
    assert events == ["checkout", "paid", "processing", "prepared", "noresi", "pickup",
                      "consignee"]
    assert fresh(order.id).events[1].username == office["user"].username


def test_undo_steps_and_cancel_with_a_reason_then_uncancel(client, office):
    order = order_in(PREPARED, office["user"])
    assert post(client, office, order, "unprepare").status_code == 200
    assert fresh(order.id).status == PROCESSING
    assert post(client, office, order, "unprocessing").status_code == 200
    assert fresh(order.id).status == PAID
    missing = post(client, office, order, "cancel", cancel_reason="  ")
    assert missing.status_code == 422 and "Alasan wajib diisi" in missing.get_data(as_text=True)
    assert fresh(order.id).status == PAID
    assert post(client, office, order, "cancel", cancel_reason="Alamat tidak ditemukan") \
        .status_code == 200
    cancelled = fresh(order.id)
    assert cancelled.status == CANCEL and cancelled.cancel_reason == "Alamat tidak ditemukan"
    assert post(client, office, order, "uncancel").status_code == 200
    assert fresh(order.id).status == PAID
    assert post(client, office, order, "unpaid").status_code == 200
    assert fresh(order.id).status == CHECKOUT


def test_a_consultation_is_completed_from_paid(client, office):
    consultation = make_cart(order_type="C")
    add_consultation(consultation)
    OrderFlow(consultation, office["user"]).checkout()
    OrderFlow(consultation, office["user"]).mark_paid("QRIS")
    html = client.get(f"/admin/orders/{consultation.id}",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="action-complete"' in html and 'id="action-processing"' not in html
    assert post(client, office, consultation, "processing").status_code == 409
    assert post(client, office, consultation, "complete").status_code == 200
    assert fresh(consultation.id).status == DONE


@pytest.mark.parametrize("state,action", [(CHECKOUT, "processing"), (PAID, "prepared"),
                                          (PROCESSING, "pickup"), (DONE, "cancel"),
                                          (PAID, "consignee"), (CANCEL, "paid")])
def test_a_step_from_the_wrong_state_is_refused_with_the_flow_message(client, office, state,
                                                                      action):
    order = order_in(state, office["user"])
    response = post(client, office, order, action, pay_channel="QRIS", cancel_reason="x")
    assert response.status_code == 409
    message = trigger_of(response)["toast"]["message"]
    assert f"({state})" in message and trigger_of(response)["toast"]["level"] == "danger"
    assert response.headers["HX-Reswap"] == "none"
    assert fresh(order.id).status == state


def test_bad_pay_channel_and_unknown_step_or_order(client, office):
    order = order_in(CHECKOUT, office["user"])
    bad = post(client, office, order, "paid", pay_channel="Emas batangan")
    assert bad.status_code == 422 and "Pilih cara pembayaran" in bad.get_data(as_text=True)
    assert fresh(order.id).status == CHECKOUT
    assert post(client, office, order, "teleport").status_code == 404
    assert client.get("/admin/orders/999999").status_code == 404
    long_resi = order_in(PREPARED, office["user"])
    assert post(client, office, long_resi, "noresi", nomor_resi="X" * 61).status_code == 422


def test_without_htmx_a_refusal_is_the_error_page_with_its_status(client, office):
    order = order_in(CHECKOUT, office["user"])
    response = client.post(f"/admin/orders/{order.id}/processing",
                           data={"csrf_token": office["token"]})
    assert response.status_code == 409
    assert "tidak dapat diproses" in response.get_data(as_text=True)


def test_csrf_is_required(client, office):
    order = order_in(CHECKOUT, office["user"])
    response = client.post(f"/admin/orders/{order.id}/paid", data={"pay_channel": "QRIS"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert fresh(order.id).status == CHECKOUT


@pytest.mark.parametrize("roles", [("DOCTOR",), ("CUSTOMER",)])
def test_doctors_and_customers_see_nothing_here(client, auth, roles):
    staff = make_user(roles=("USERS",))
    order = order_in(CHECKOUT, staff)
    user = make_user(roles=roles)
    auth.admin_login(user)
    for path in ("/admin/orders/", "/admin/orders/list", f"/admin/orders/{order.id}"):
        assert client.get(path).status_code in (302, 403), path
    token = csrf_from(client.get("/admin/account/password").get_data(as_text=True)) \
        if roles == ("DOCTOR",) else ""
    response = client.post(f"/admin/orders/{order.id}/paid",
                           data={"csrf_token": token, "pay_channel": "QRIS"})
    assert response.status_code in ((302, 403) if token else (302, 400, 403))
    assert fresh(order.id).status == CHECKOUT
    if roles == ("DOCTOR",):
        home = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
        assert "/admin/orders/" not in home


# ---- the list --------------------------------------------------------------------------------
def test_list_sorts_pages_and_searches(client, office):
    orders = [order_in(PAID, office["user"], courier_price=price)
              for price in (10000, 30000, 20000)]
    html = client.get("/admin/orders/list", query_string={"sort": "grand_totals",
                                                          "dir": "asc"}).get_data(as_text=True)
    positions = [html.index(order.order_code) for order in orders]
    assert positions[0] < positions[2] < positions[1]
    html = client.get("/admin/orders/list", query_string={"sort": "grand_totals",
                                                          "dir": "desc"}).get_data(as_text=True)
    assert html.index(orders[1].order_code) < html.index(orders[0].order_code)
    found = client.get("/admin/orders/list", query_string={"kode": orders[2].order_code},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "1 pesanan" in found and "<html" not in found
    paged = client.get("/admin/orders/list", query_string={"page": "abc", "sort": "nope"})
    assert paged.status_code == 200


def test_list_pages_through_many_orders(client, office, monkeypatch):
    from services.orders import board
    monkeypatch.setattr(board, "PAGE_SIZE", 2)
    for _ in range(5):
        order_in(CHECKOUT, office["user"])
    html = client.get("/admin/orders/list", query_string={"page": 3}).get_data(as_text=True)
    assert "5 pesanan" in html and html.count('id="order-row-') == 1
    assert 'aria-label="Halaman"' in html


# ---- queries ---------------------------------------------------------------------------------
def _board_queries(client):
    with count_queries() as statements:
        assert client.get("/admin/orders/", headers={"HX-Request": "true"}).status_code == 200
    return len(statements)


def test_the_board_takes_the_same_queries_for_two_orders_or_twelve(client, office):
    for state in (PAID, PROCESSING):
        order_in(state, office["user"])
    few = _board_queries(client)
    for state in (CHECKOUT, PAID, PROCESSING, PREPARED, PICKUP, DONE, CANCEL, PAID, PAID, DONE):
        order_in(state, office["user"])
    assert _board_queries(client) == few
    assert few <= 5  # the session's user, the counts, the cards


def test_the_drawer_takes_the_same_queries_for_one_line_or_many(client, office):
    from tests.factories.orders import add_item
    order = order_in(CHECKOUT, office["user"])
    with count_queries() as one:
        client.get(f"/admin/orders/{order.id}", headers={"HX-Request": "true"})
    cart, _item, _row = make_stocked_cart()
    for _ in range(4):
        add_item(cart)
    cart.courier = "jne"
    db.session.commit()
    db.session.add(OrderEvent(id_orders=cart.id, action="note", note="x"))
    db.session.commit()
    with count_queries() as many:
        client.get(f"/admin/orders/{cart.id}", headers={"HX-Request": "true"})
    assert len(many) == len(one)


def test_the_invoice_is_offered_once_paid_and_downloads(client, office):
    cart = order_in(CHECKOUT, office["user"])
    html = client.get(f"/admin/orders/{cart.id}", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert 'id="order-invoice"' not in html  # nothing to download before payment
    assert client.get(f"/admin/orders/{cart.id}/invoice").status_code == 409
    order = order_in(PAID, office["user"])
    html = client.get(f"/admin/orders/{order.id}", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert 'id="order-invoice"' in html
    answer = client.get(f"/admin/orders/{order.id}/invoice")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF")


@pytest.mark.parametrize("sort, direction", [("order_date", "desc"), ("grand_totals", "asc"),
                                             ("status", "desc")])
def test_every_page_of_the_list_holds_the_rows_of_the_full_order(client, office, monkeypatch,
                                                                 sort, direction):
    """Pages of the second half are read from the end (in the reverse order): every page
    still holds exactly its rows of the one order, ties broken by the id."""
    from services.orders import board
    monkeypatch.setattr(board, "PAGE_SIZE", 2)
    moment = clinic_now().replace(microsecond=0)
    orders = []
    for number, state in enumerate((CHECKOUT, PAID, CHECKOUT, DONE, PAID, CANCEL, PAID)):
        order = order_in(state, office["user"])
        order.order_date = moment - timedelta(hours=number // 3)  # threes share a time
        orders.append(order)
    db.session.commit()
    column = {"order_date": "order_date", "grand_totals": "grand_totals",
              "status": "status"}[sort]
    expected = sorted(orders, key=lambda order: (getattr(order, column), order.id),
                      reverse=direction == "desc")
    codes = [order.order_code for order in expected]
    seen = []
    for page in range(1, 5):
        html = client.get("/admin/orders/list", query_string={
            "sort": sort, "dir": direction, "page": page}).get_data(as_text=True)
        shown = sorted((html.index(code), code) for code in codes if code in html)
        seen += [code for _position, code in shown]
    assert seen == codes


def test_a_column_shows_its_latest_cards_only(client, office, monkeypatch):
    from services.orders import board
    monkeypatch.setattr(board, "CARDS_PER_COLUMN", 2)
    paid = [order_in(PAID, office["user"]) for _ in range(3)]
    moment = clinic_now().replace(microsecond=0)
    for age, order in enumerate(paid):
        order.order_date = moment - timedelta(days=age)
    db.session.commit()
    html = client.get("/admin/orders/", headers={"HX-Request": "true"}).get_data(as_text=True)
    column = html[html.index('id="column-paid"'):html.index('id="column-processing"')]
    assert 'order-count" title="3 pesanan">3<' in column
    assert [f'id="order-card-{order.id}"' in column for order in paid] == [True, True, False]
    assert column.index(f'order-card-{paid[0].id}"') < column.index(f'order-card-{paid[1].id}"')
