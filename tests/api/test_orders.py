"""The orders API: carts (init, the documented quantity semantics, prescription products,
captured prices, address), promotions and points on a cart, the transitions by the right
people, reach (another customer's order is 404), mass assignment ignored, bad input a clean
4xx, ratings once per DONE order, and the points ledger staying equal to users.total_point."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Order, OrderItem, PromotionUse, User, UserPoint, clinic_now, db
from models.orders import CART, CHECKOUT, DONE, PAID, PICKUP, PREPARED, PROCESSING
from tests.conftest import make_user
from tests.factories.appointments import make_patient_of
from tests.factories.catalog import make_promotion
from tests.factories.doctors import make_doctor
from tests.factories.orders import add_consultation, add_item, make_cart, make_stocked_cart
from tests.factories.stores import make_product


@pytest.fixture
def customer():
    return make_user(roles=("CUSTOMER",), users_address="Jl. Dago 1", total_point=1000)


@pytest.fixture
def headers(auth, customer):
    return auth.headers(customer)


@pytest.fixture
def staff_headers(auth):
    return auth.headers(make_user(roles=("USERS",), users_fullname="Staf Gudang"))


def put(client, path, headers, body=None):
    return client.put(f"/api/{path}", headers=headers, json=body if body is not None else {})


def order_in(status, customer, **kw):
    """A stocked product order of the customer put straight into `status`."""
    if status != CART:
        kw["cart_key"] = None  # not an open cart: the customer may hold one beside it
    order, _item, _row = make_stocked_cart(customer, **kw)
    if status != CART:
        order.status = status
        order.order_code = f"E-20260101-{order.id:03d}"
        order.is_paid = status in (PAID, PROCESSING, PREPARED, PICKUP, DONE)
        if status in (PREPARED, PICKUP):
            order.nomor_resi = "RESI-1"
        db.session.commit()
    return order


# ---- carts --------------------------------------------------------------------------------------
def test_init_opens_one_cart_per_type_with_the_members_contact(client, headers, customer):
    first = client.post("/api/orders/init", headers=headers, json={"order_type": "E"})
    assert first.status_code == 200, first.get_json()
    cart = first.get_json()["orders"]
    assert cart["status"] == "SHOPPING CARTS" and cart["member"]["id"] == customer.id
    assert cart["nama_pemesan"] == customer.users_fullname
    assert cart["alamat_kirim"] == "Jl. Dago 1" and cart["order_items"] == []
    again = client.post("/api/orders/init", headers=headers, json={"order_type": "e"})
    assert again.get_json()["orders"]["id"] == cart["id"]
    other = client.post("/api/orders/init", headers=headers, json={"order_type": "C"})
    assert other.get_json()["orders"]["id"] != cart["id"]


def test_a_customer_cannot_open_a_cart_for_someone_else_staff_can(client, headers,
                                                                 staff_headers, customer):
    other = make_user(roles=("CUSTOMER",))
    refused = client.post("/api/orders/init", headers=headers,
                          json={"order_type": "E", "id_users": other.id})
    assert refused.status_code == 403
    mine = client.post("/api/orders/init", headers=headers,
                       json={"order_type": "E", "id_users": customer.id})
    assert mine.get_json()["orders"]["member"]["id"] == customer.id
    patient = make_patient_of(other)
    for_them = client.post("/api/orders/init", headers=staff_headers,
                           json={"order_type": "C", "id_users": other.id,
                                 "id_patients": patient.id})
    body = for_them.get_json()["orders"]
    assert body["id_member"] == other.id and body["patients"]["id"] == patient.id
    foreign_patient = client.post("/api/orders/init", headers=headers,
                                  json={"order_type": "C", "id_patients": patient.id})
    assert foreign_patient.status_code == 422


@pytest.mark.parametrize("body", [{}, {"order_type": "X"}, {"order_type": 5},
                                  {"order_type": "E", "id_users": "abc"},
                                  {"order_type": "E", "id_users": 10 ** 30},
                                  {"order_type": {"a": [1]}}])
def test_init_bad_input_is_a_clean_4xx(client, headers, body):
    response = client.post("/api/orders/init", headers=headers, json=body)
    assert 400 <= response.status_code < 500 and response.get_json()["status"] == "error"


def _add(client, headers, cart, menu, qty):
    return client.post("/api/orders/e_add_to_carts", headers=headers,
                       json={"id_order": cart.id, "items": [{"id_menu": menu.id, "qty": qty}]})


def _qty(cart, menu):
    db.session.expire_all()
    return db.session.execute(select(OrderItem.qty).where(
        OrderItem.id_order == cart.id, OrderItem.id_menu == menu.id)).scalar_one_or_none()


@pytest.mark.parametrize("start,qty,after", [
    (None, "+", 1), (2, "+", 3), (2, "-", 1), (1, "-", None), (None, "-", None),
    (None, 4, 4), (2, 7, 7), (2, "5", 5), (2, 0, None), (None, 0, None), (3, "–", 2),
    (2, 999, 999)])
def test_the_documented_quantity_semantics(client, headers, customer, start, qty, after):
    cart = make_cart(customer)
    menu = make_product(harga=40000)
    if start is not None:
        assert _add(client, headers, cart, menu, start).status_code == 200
    response = _add(client, headers, cart, menu, qty)
    assert response.status_code == 200, response.get_json()
    assert _qty(cart, menu) == after
    db.session.refresh(cart)
    assert cart.total_price == 40000 * (after or 0)


@pytest.mark.parametrize("qty", [1000, -1, 2.5, "abc", True, None, [1], {"n": 1}, "++"])
def test_a_bad_quantity_is_refused_and_changes_nothing(client, headers, customer, qty):
    cart = make_cart(customer)
    menu = make_product()
    _add(client, headers, cart, menu, 2)
    response = _add(client, headers, cart, menu, qty)
    assert response.status_code == 422, response.get_json()
    assert _qty(cart, menu) == 2


def test_add_to_cart_answers_every_line_with_order_and_product(client, headers, customer):
    cart = make_cart(customer)
    first, second = make_product(harga=100000, berat=250, satuan="Jar"), make_product(harga=5000)
    response = client.post("/api/orders/e_add_to_carts", headers=headers, json={
        "id_order": cart.id, "items": [{"id_menu": first.id, "qty": 2},
                                       {"id_menu": second.id, "qty": "+"}]})
    lines = response.get_json()["order_items"]
    assert [line["menu"]["id"] for line in lines] == [first.id, second.id]
    assert lines[0]["price_total"] == 200000 and lines[0]["satuan"] == "Jar"
    assert lines[0]["order"]["total_price"] == 205000
    assert db.session.get(OrderItem, lines[0]["id"]).berat == 250


def test_the_price_is_captured_when_added_promotion_price_while_it_runs(client, headers,
                                                                        customer):
    now = clinic_now()
    menu = make_product(harga=100000, harga_promosi=80000,
                        mulai_harga_promosi=now - timedelta(days=1),
                        selesai_harga_promosi=now + timedelta(days=1))
    ended = make_product(harga=100000, harga_promosi=70000,
                         mulai_harga_promosi=now - timedelta(days=5),
                         selesai_harga_promosi=now - timedelta(days=1))
    cart = make_cart(customer)
    _add(client, headers, cart, menu, 1)
    _add(client, headers, cart, ended, 1)
    menu.harga_promosi = 0
    menu.harga = 200000
    db.session.commit()
    _add(client, headers, cart, menu, 3)  # a replaced qty keeps the captured price
    db.session.expire_all()
    prices = {item.id_menu: item.price for item in db.session.get(Order, cart.id).items}
    assert prices == {menu.id: 80000, ended.id: 100000}
    assert db.session.get(Order, cart.id).total_price == 3 * 80000 + 100000


def test_a_prescription_product_cannot_be_added_by_hand(client, headers, customer):
    cart = make_cart(customer)
    menu = make_product(is_resep_required=True, nama_menus="Tretinoin 0,05%")
    response = _add(client, headers, cart, menu, 1)
    assert response.status_code == 409
    body = response.get_json()["exception"]
    assert body["error_code"] == "prescription_required" and "resep" in body["message"]
    assert _qty(cart, menu) is None


def test_only_live_products_and_the_right_cart(client, headers, customer):
    cart = make_cart(customer)
    gone = make_product(deleted_at=clinic_now())
    assert _add(client, headers, cart, gone, 1).status_code == 422
    assert client.post("/api/orders/e_add_to_carts", headers=headers, json={
        "id_order": cart.id, "items": [{"id_menu": 99999, "qty": 1}]}).status_code == 422
    consultation_cart = make_cart(customer, order_type="C")
    assert _add(client, headers, consultation_cart, make_product(), 1).status_code == 409
    foreign = make_cart(make_user(roles=("CUSTOMER",)))
    assert _add(client, headers, foreign, make_product(), 1).status_code == 404
    closed = order_in(CHECKOUT, customer)
    assert _add(client, headers, closed, make_product(), 1).status_code == 409
    for body in ({"items": []}, {"id_order": cart.id}, {"id_order": cart.id, "items": "x"},
                 {"id_order": cart.id, "items": [5]}, {"id_order": "abc", "items": []}):
        response = client.post("/api/orders/e_add_to_carts", headers=headers, json=body)
        assert response.status_code == 422, (body, response.get_json())


def test_consultation_lines_take_the_doctors_price(client, headers, customer):
    cart = make_cart(customer, order_type="C")
    doctor = make_doctor(custom_price=175000)
    response = client.post("/api/orders/c_add_to_carts", headers=headers, json={
        "id_order": cart.id, "items": [{"id_doctors": doctor.id, "qty": 1}]})
    assert response.status_code == 200, response.get_json()
    line = response.get_json()["order_extras"][0]
    assert line["extra_prices"] == 175000 and line["items"]["id_doctors"] == doctor.id
    assert line["orders"]["total_price"] == 175000
    client.post("/api/orders/c_add_to_carts", headers=headers, json={
        "id_order": cart.id, "items": [{"id_doctors": doctor.id, "qty": 0}]})
    db.session.expire_all()
    assert db.session.get(Order, cart.id).extras == []
    inactive = make_doctor(is_active=False)
    assert client.post("/api/orders/c_add_to_carts", headers=headers, json={
        "id_order": cart.id, "items": [{"id_doctors": inactive.id, "qty": 1}]}).status_code == 422


def test_update_address_on_the_own_cart_drops_the_courier(client, headers, customer):
    cart = make_cart(customer, courier="jne", courier_price=20000, is_courier=True)
    add_item(cart, make_product(harga=50000))
    response = put(client, f"orders/{cart.id}/update/address", headers, {
        "lat_kirim": -6.9, "lng_kirim": 107.6, "kode_provinsi": 9, "kode_kota": "23",
        "kode_kecamatan": 349, "alamat_kirim": "Setraduta park"})
    assert response.get_json() == {"update_address": True}
    db.session.expire_all()
    order = db.session.get(Order, cart.id)
    assert order.alamat_kirim == "Setraduta park" and order.kode_kota == "23"
    assert order.courier == "" and order.courier_price == 0 and order.grand_totals == 50000 + \
        order.total_pajak
    for body in ({"lat_kirim": 200}, {"lat_kirim": "abc"}, {"alamat_kirim": "x" * 256}, {},
                 {"alamat_kirim": ["a"]}):
        assert put(client, f"orders/{cart.id}/update/address", headers, body).status_code == 422


# ---- promotions and points ------------------------------------------------------------------
def test_promotion_code_any_case_once_inside_validity_with_quota(client, headers, customer):
    cart = make_cart(customer)
    add_item(cart, make_product(harga=100000, pajak=0))
    make_promotion(display_codes="ULTAH5TH", type="NOMINAL", value=25000)
    answer = put(client, f"orders/{cart.id}/apply/promotions", headers,
                 {"display_codes": "ultah5th"})
    assert answer.get_json() == {"apply_promotions": True, "type": "NOMINAL", "value": 25000}
    db.session.expire_all()
    assert db.session.get(Order, cart.id).grand_totals == 75000
    assert put(client, f"orders/{cart.id}/unapply/promotions", headers).get_json() == \
        {"unapply_promotions": True}
    db.session.expire_all()
    assert db.session.get(Order, cart.id).grand_totals == 100000

    ended = make_promotion(current=False, display_codes="LAMA")
    later = make_promotion(display_codes="NANTI", start_datetime=clinic_now() + timedelta(days=1))
    empty = make_promotion(display_codes="HABIS", quota=3, used=3)
    used = make_promotion(display_codes="SEKALI")
    old_order = order_in(PAID, customer)
    db.session.add(PromotionUse(id_promotions=used.id, id_users=customer.id,
                                id_orders=old_order.id))
    db.session.commit()
    for code, error in ((ended.display_codes, "promotion_unavailable"),
                        (later.display_codes, "promotion_unavailable"),
                        (empty.display_codes, "promotion_unavailable"),
                        (used.display_codes, "promotion_used")):
        response = put(client, f"orders/{cart.id}/apply/promotions", headers,
                       {"display_codes": code})
        assert response.status_code == 409 and \
            response.get_json()["exception"]["error_code"] == error, code
    assert put(client, f"orders/{cart.id}/apply/promotions", headers,
               {"display_codes": "TIDAKADA"}).status_code == 422
    assert put(client, f"orders/{cart.id}/apply/promotions", headers, {}).status_code == 422


def test_points_within_the_balance_and_the_amount_payable(client, headers, customer):
    cart = make_cart(customer)
    add_item(cart, make_product(harga=800, pajak=0))
    answer = put(client, f"orders/{cart.id}/apply/points", headers, {"poin_used": 500})
    assert answer.get_json() == {"apply_points": True, "poin_used": 500}
    db.session.expire_all()
    assert db.session.get(Order, cart.id).grand_totals == 300
    assert put(client, f"orders/{cart.id}/apply/points", headers,
               {"poin_used": 900}).status_code == 422  # more than the order
    add_item(cart, make_product(harga=5000, pajak=0))
    assert put(client, f"orders/{cart.id}/apply/points", headers,
               {"poin_used": 1001}).status_code == 422  # more than the balance
    for value in ("abc", -5, 0, 10 ** 20, 1.5, None):
        assert put(client, f"orders/{cart.id}/apply/points", headers,
                   {"poin_used": value}).status_code == 422, value
    assert put(client, f"orders/{cart.id}/unapply/points", headers).get_json() == \
        {"unapply_points": True, "poin_used": 0}


# ---- transitions ------------------------------------------------------------------------------
def test_staff_move_an_order_forward_and_who_comes_from_the_account(client, staff_headers,
                                                                   customer):
    order = order_in(CHECKOUT, customer)
    paid = put(client, f"orders/{order.id}/paid", staff_headers,
               {"pic_admin": "Palsu", "id_admin": customer.id, "pay_channel": "QRIS"})
    assert paid.get_json() == {"paid": True}
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == PAID and order.pay_channel == "QRIS"
    assert order.pic_admin == "Staf Gudang" and order.id_admin != customer.id
    for step, answer, state in (("processing", "processing", PROCESSING),
                                ("prepared", "prepared", PREPARED),
                                ("process/noresi", "process_noresi", PREPARED),
                                ("pickup", "pickup", PICKUP), ("unpickup", "unpickup", PREPARED),
                                ("pickup", "pickup", PICKUP), ("consignee", "consignee", DONE)):
        body = {"nomor_resi": "000894328292333213"} if step == "process/noresi" else {}
        response = put(client, f"orders/{order.id}/{step}", staff_headers, body)
        assert response.get_json() == {answer: True}, (step, response.get_json())
        db.session.expire_all()
        assert db.session.get(Order, order.id).status == state


def test_wrong_state_is_the_flows_409(client, staff_headers, customer):
    order = order_in(CHECKOUT, customer)
    response = put(client, f"orders/{order.id}/processing", staff_headers)
    assert response.status_code == 409
    assert "CHECKOUT" in response.get_json()["exception"]["message"]
    assert put(client, f"orders/{order.id}/paid", staff_headers, {}).status_code == 422
    assert put(client, f"orders/{order.id}/paid", staff_headers,
               {"pay_channel": {"x": 1}}).status_code == 422


def test_a_customer_cancels_their_own_order_only_before_payment(client, headers, customer):
    waiting = order_in(CHECKOUT, customer)
    assert put(client, f"orders/{waiting.id}/cancel", headers,
               {"cancel_reason": "Salah pilih"}).get_json() == {"cancel": True}
    db.session.expire_all()
    assert db.session.get(Order, waiting.id).cancel_reason == "Salah pilih"
    paid = order_in(PAID, customer)
    assert put(client, f"orders/{paid.id}/cancel", headers).status_code == 409
    assert put(client, f"orders/{paid.id}/unpaid", headers).status_code == 403
    assert put(client, f"orders/{waiting.id}/uncancel", headers).status_code == 403
    foreign = order_in(CHECKOUT, make_user(roles=("CUSTOMER",)))
    assert put(client, f"orders/{foreign.id}/cancel", headers).status_code == 404
    assert put(client, "orders/999999/cancel", headers).status_code == 404
    assert put(client, "orders/abc/cancel", headers).status_code == 404


def test_the_customer_confirms_receipt_of_their_own_order(client, headers, customer):
    order = order_in(PICKUP, customer)
    assert put(client, f"orders/{order.id}/consignee", headers).get_json() == {"consignee": True}


# ---- reach, mass assignment, deleting ---------------------------------------------------------
def test_a_customer_sees_only_their_own_orders(client, headers, staff_headers, customer):
    mine = order_in(PAID, customer)
    theirs = order_in(PAID, make_user(roles=("CUSTOMER",)))
    listed = client.post("/api/orders/search", headers=headers, json={}).get_json()["orders"]
    assert [row["id"] for row in listed] == [mine.id]
    assert client.get(f"/api/orders/{theirs.id}", headers=headers).status_code == 404
    forged = client.post("/api/orders/explore", headers=headers,
                         json={"id_users": theirs.id_member}).get_json()
    assert forged["data"] == []
    everyone = client.post("/api/orders/search", headers=staff_headers, json={}).get_json()
    assert {row["id"] for row in everyone["orders"]} == {mine.id, theirs.id}
    detail = client.get(f"/api/orders/{mine.id}", headers=headers).get_json()["orders"]
    assert detail["total_amount"][0] == {"total_amount": str(mine.total_price),
                                         "types": "E-commerce"}
    assert detail["order_items"][0]["nama_menus"]


def test_a_doctor_reads_only_the_consultations_with_them(client, auth, customer):
    doctor = make_doctor()
    with_them = make_cart(customer, order_type="C")
    add_consultation(with_them, doctor)
    other = make_cart(make_user(roles=("CUSTOMER",)), order_type="C")
    add_consultation(other, make_doctor())
    products = order_in(PAID, customer)
    doctor_headers = auth.headers(doctor.user)
    listed = client.post("/api/orders/search", headers=doctor_headers, json={}).get_json()
    assert [row["id"] for row in listed["orders"]] == [with_them.id]
    assert client.get(f"/api/orders/{products.id}", headers=doctor_headers).status_code == 404
    assert put(client, f"orders/{with_them.id}/cancel", doctor_headers).status_code == 403


def test_order_item_update_reprices_and_ignores_mass_assignment(client, headers, customer):
    cart = make_cart(customer)
    item = add_item(cart, make_product(harga=30000, pajak=0), qty=1)
    response = put(client, f"order_items/{item.id}/update", headers, {
        "qty": 3, "catatan_menu": "Kirim pagi", "price": 1, "price_total": 1, "id_order": 999,
        "total_price": 0, "is_canceled": 1})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["order_items"]
    assert body["price"] == 30000 and body["price_total"] == 90000
    assert body["order"]["total_price"] == 90000 and body["order"]["id"] == cart.id
    for value in (0, 1000, "abc", -1):
        assert put(client, f"order_items/{item.id}/update", headers,
                   {"qty": value}).status_code == 422
    foreign_item = add_item(make_cart(make_user(roles=("CUSTOMER",))), make_product())
    assert put(client, f"order_items/{foreign_item.id}/update", headers,
               {"qty": 2}).status_code == 404
    assert client.delete(f"/api/order_items/{item.id}/delete", headers=headers).get_json() == \
        {"deleted": True}
    db.session.expire_all()
    assert db.session.get(Order, cart.id).total_price == 0


def test_lines_of_a_closed_order_do_not_change(client, headers, customer):
    order = order_in(PAID, customer)
    item = db.session.get(Order, order.id).items[0]
    assert put(client, f"order_items/{item.id}/update", headers, {"qty": 5}).status_code == 409
    assert client.delete(f"/api/order_items/{item.id}/delete", headers=headers).status_code == 409


def test_order_items_create_follows_the_cart_rules(client, headers, customer):
    cart = make_cart(customer)
    menu = make_product(harga=10000)
    created = client.post("/api/order_items/create", headers=headers, json={
        "id_order": cart.id, "id_menu": menu.id, "qty": 2, "price": 1})
    assert created.status_code == 200, created.get_json()
    assert created.get_json()["order_items"]["price"] == 10000
    again = client.post("/api/order_items/create", headers=headers,
                        json={"id_order": cart.id, "id_menu": menu.id})
    assert again.status_code == 409
    prescription = make_product(is_resep_required=True)
    assert client.post("/api/order_items/create", headers=headers, json={
        "id_order": cart.id, "id_menu": prescription.id}).status_code == 409


def test_order_extras_create_and_update_on_the_own_consultation_cart(client, headers, customer):
    cart = make_cart(customer, order_type="C")
    doctor = make_doctor(custom_price=0)
    created = client.post("/api/order_extras/create", headers=headers, json={
        "id_orders": cart.id, "id_doctors": doctor.id, "extra_prices": 1})
    assert created.status_code == 200, created.get_json()
    line = created.get_json()["order_extras"]
    assert line["extra_prices"] == 0 or line["extra_prices"] == doctor.service.services_price
    changed = put(client, f"order_extras/{line['id']}/update", headers, {"qty": 2})
    assert changed.get_json()["order_extras"]["qty"] == 2


def test_delete_only_a_cart_or_a_cancelled_order_and_a_new_cart_can_open(client, headers,
                                                                         customer):
    cart = make_cart(customer)
    assert client.delete(f"/api/orders/{cart.id}/delete", headers=headers).get_json() == \
        {"deleted": True}
    assert client.get(f"/api/orders/{cart.id}", headers=headers).status_code == 404
    fresh = client.post("/api/orders/init", headers=headers, json={"order_type": "E"})
    assert fresh.get_json()["orders"]["id"] != cart.id
    paid = order_in(PAID, customer)
    assert client.delete(f"/api/orders/{paid.id}/delete", headers=headers).status_code == 409
    foreign = make_cart(make_user(roles=("CUSTOMER",)))
    assert client.delete(f"/api/orders/{foreign.id}/delete", headers=headers).status_code == 404


def test_orders_have_no_generic_update(client, headers, customer):
    cart = make_cart(customer)
    response = client.put(f"/api/orders/{cart.id}/update", headers=headers,
                          json={"status": "PAID", "is_paid": 1, "grand_totals": 0})
    assert response.status_code in (404, 405)
    db.session.expire_all()
    assert db.session.get(Order, cart.id).status == CART


# ---- ratings ----------------------------------------------------------------------------------
def test_a_customer_rates_their_own_done_order_once(client, headers, auth, customer):
    done = order_in(DONE, customer)
    created = client.post("/api/ratings/create", headers=headers, json={
        "id_orders": done.id, "ratings": 5, "rating_desc": "Cepat sampai", "id_users": 1})
    assert created.status_code == 200, created.get_json()
    assert created.get_json()["ratings"]["id_users"] == customer.id
    detail = client.get(f"/api/orders/{done.id}", headers=headers).get_json()["orders"]
    assert detail["ratings"] == 5 and detail["rating_desc"] == "Cepat sampai"
    twice = client.post("/api/ratings/create", headers=headers,
                        json={"id_orders": done.id, "ratings": 4})
    assert twice.status_code == 409
    paid = order_in(PAID, customer)
    assert client.post("/api/ratings/create", headers=headers,
                       json={"id_orders": paid.id, "ratings": 4}).status_code == 409
    for value in (0, 6, "abc"):
        other = order_in(DONE, customer)
        assert client.post("/api/ratings/create", headers=headers,
                           json={"id_orders": other.id, "ratings": value}).status_code == 422
    foreign = order_in(DONE, make_user(roles=("CUSTOMER",)))
    assert client.post("/api/ratings/create", headers=headers,
                       json={"id_orders": foreign.id, "ratings": 5}).status_code == 404
    staff = auth.headers(make_user(roles=("USERS",)))
    assert client.post("/api/ratings/create", headers=staff,
                       json={"id_orders": foreign.id, "ratings": 5}).status_code == 422
    assert client.post("/api/ratings/search", headers=staff, json={}).get_json()["ratings"]


# ---- the points ledger ------------------------------------------------------------------------
def _ledger_sum(user_id):
    return db.session.execute(select(func.coalesce(
        func.sum(UserPoint.add_point - UserPoint.use_point), 0)).where(
        UserPoint.id_users == user_id)).scalar_one()


def test_points_ledger_reach_and_delete_keeps_the_balance_equal_to_the_sum(client, auth,
                                                                          headers, customer):
    order = order_in(PAID, customer)
    customer.total_point = 0
    db.session.add_all([
        UserPoint(id_users=customer.id, id_orders=order.id, add_point=700, usecase="pesanan"),
        UserPoint(id_users=customer.id, add_point=300, usecase="koreksi")])
    customer.total_point = 1000
    other = make_user(roles=("CUSTOMER",))
    db.session.add(UserPoint(id_users=other.id, add_point=50, usecase="lain"))
    db.session.commit()
    rows = client.post("/api/user_points/search", headers=headers, json={}).get_json()
    assert {row["id_users"] for row in rows["user_points"]} == {customer.id}
    manual = db.session.execute(select(UserPoint).where(UserPoint.usecase == "koreksi")).scalar_one()
    of_order = db.session.execute(select(UserPoint).where(UserPoint.usecase == "pesanan")).scalar_one()
    assert client.delete(f"/api/user_points/{manual.id}/delete", headers=headers).status_code == 403
    manager = auth.headers(make_user(roles=("ADMIN",)))
    assert client.delete(f"/api/user_points/{of_order.id}/delete",
                         headers=manager).status_code == 409
    assert client.delete(f"/api/user_points/{manual.id}/delete",
                         headers=manager).get_json() == {"deleted": True}
    db.session.expire_all()
    assert db.session.get(User, customer.id).total_point == _ledger_sum(customer.id) == 700
    # a manual row whose points were spent meanwhile is refused, the balance untouched
    spent = UserPoint(id_users=other.id, add_point=40, usecase="bonus")
    db.session.add(spent)
    other.total_point = 10
    db.session.commit()
    assert client.delete(f"/api/user_points/{spent.id}/delete",
                         headers=manager).status_code == 409
    db.session.expire_all()
    assert db.session.get(User, other.id).total_point == 10


# ---- users/data ---------------------------------------------------------------------------------
def test_users_data_shows_my_latest_orders_carts_and_points(client, headers, customer, auth):
    paid = order_in(PAID, customer)
    cart = order_in(CART, customer)  # a cart is counted, not listed
    someone_else = order_in(PAID, make_user())
    data = client.get("/api/users/data", headers=headers).get_json()["users"]
    assert [row["id"] for row in data["latest_orders"]] == [paid.id]
    row = data["latest_orders"][0]
    assert row["grand_totals"] == paid.grand_totals and row["details"][0]["id_menu"]
    assert data["counts_carts"] == len(cart.items)
    assert data["total_point"] == 1000
    assert someone_else.id not in [row["id"] for row in data["latest_orders"]]
