"""An order's courier through the API: deliveries/calculate by the order's weight,
orders/{?}/process/courier, process/sameday/courier and unprocess/courier — who may, in which
state, the money (courier cost in grand_totals, through services.orders.money) and the
timeline; checkout needs the courier chosen here."""
import math

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from models import Order, OrderEvent, db
from models.orders import CART, CHECKOUT
from services.errors import Conflict
from services.gateways.shipping_standin import StandInShipping
from services.orders.flow import OrderFlow
from services.orders.shipping import ShippingFlow
from services.shipping.queries import EARTH_RADIUS_KM, warehouse_point
from tests.factories.accounts import make_user
from tests.factories.orders import add_consultation, add_item, make_cart
from tests.factories.patients import make_patient
from tests.factories.stores import make_product, make_store, make_store_menu
from tests.factories.treatments import make_delivery_tier

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180


@pytest.fixture
def customer():
    return make_user(roles=("CUSTOMER",))


@pytest.fixture
def customer_headers(auth, customer):
    return auth.headers(customer)


@pytest.fixture
def cart(customer):
    """An open cart of 2 × 1.200 g at Rp 100.000 (tax Rp 5.000 each), bound for Bandung, with
    stock at the store."""
    store = make_store()
    product = make_product(harga=100000, pajak=5000, berat=1200)
    make_store_menu(product, store, quantity=10)
    order = make_cart(customer, id_brandstore=store.id, kode_kota="23")
    add_item(order, product, 2)
    return order


def quoted(destination, weight, courier="jne"):
    """The stand-in's services {service: value} for a parcel from the warehouse city."""
    answer = StandInShipping().cost(153, destination, weight, courier)
    return {row["service"]: row["cost"][0]["value"] for row in answer[0]["costs"]}


def reload(order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def error_of(response):
    return response.get_json()["exception"]


# ---- deliveries/calculate -----------------------------------------------------------------
def test_calculate_prices_the_orders_weight(client, customer_headers, cart):
    response = client.post("/api/deliveries/calculate", headers=customer_headers,
                           json={"city_id_destination": 53, "id_order": cart.id, "courier": "jne"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == StandInShipping().cost(153, 53, 2400, "jne")
    # without a destination: the order's city (Kota Bandung)
    default = client.post("/api/deliveries/calculate", headers=customer_headers,
                          json={"id_order": str(cart.id), "courier": "tiki"}).get_json()
    assert default == StandInShipping().cost(153, 23, 2400, "tiki")


def test_calculate_falls_back_to_the_patients_city(client, customer, customer_headers):
    patient = make_patient(customer, kode_kota="114")
    order = make_cart(customer, id_patients=patient.id)
    add_item(order, make_product(berat=500))
    answer = client.post("/api/deliveries/calculate", headers=customer_headers,
                         json={"id_order": order.id, "courier": "pos"}).get_json()
    assert answer == StandInShipping().cost(153, 114, 500, "pos")


def test_calculate_refusals(client, auth, customer, customer_headers, cart, owner_headers):
    url = "/api/deliveries/calculate"
    missing = client.post(url, headers=customer_headers, json={})
    assert missing.status_code == 422
    assert set(error_of(missing)["fields"]) == {"id_order", "courier"}
    stranger = auth.headers(make_user(roles=("CUSTOMER",)))
    body = {"id_order": cart.id, "courier": "jne"}
    assert client.post(url, headers=stranger, json=body).status_code == 404
    assert client.post(url, headers=owner_headers, json=body).status_code == 200
    assert client.post(url, json=body).status_code == 401
    for bad in ("abc", 0, 2**40, True):
        response = client.post(url, headers=customer_headers, json={**body, "id_order": bad})
        assert response.status_code in (404, 422) and response.status_code != 500, bad
    no_city = make_cart(customer, order_type="C")
    response = client.post(url, headers=customer_headers,
                           json={"id_order": no_city.id, "courier": "jne"})
    assert response.status_code == 422 and "city_id_destination" in error_of(response)["fields"]


def test_an_order_over_30_kg_is_refused(client, customer_headers, cart):
    add_item(cart, make_product(berat=15000), 2)
    response = client.post("/api/deliveries/calculate", headers=customer_headers,
                           json={"id_order": cart.id, "courier": "jne"})
    assert response.status_code == 422 and "30 kg" in error_of(response)["fields"]["weight"]


# ---- process/courier ----------------------------------------------------------------------
def test_a_customer_chooses_a_quoted_service(client, customer_headers, cart):
    services = quoted(23, 2400)
    before = reload(cart).grand_totals
    assert before == 2 * 100000 + 2 * 5000
    response = client.put(f"/api/orders/{cart.id}/process/courier", headers=customer_headers,
                          json={"courier": "jne", "costs": str(services["REG"])})
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["process_courier"] is True and answer["costs"] == services["REG"]
    order = reload(cart)
    assert (order.courier, order.courier_service, order.courier_price) == \
        ("jne", "REG", services["REG"])
    assert order.is_courier and order.courier_datetime is not None
    assert order.grand_totals == before + services["REG"] == answer["grand_totals"]
    assert order.status == CART
    event = db.session.execute(select(OrderEvent).where(OrderEvent.id_orders == cart.id)
                               .order_by(OrderEvent.id.desc())).scalars().first()
    assert event.action == "courier" and "REG" in event.note
    # the service named and the cost omitted: the quoted price of that service
    answer = client.put(f"/api/orders/{cart.id}/process/courier", headers=customer_headers,
                        json={"courier": "jne", "service": "oke"}).get_json()
    assert answer["costs"] == services["OKE"] and answer["service"] == "OKE"
    # another city for this order only
    answer = client.put(f"/api/orders/{cart.id}/process/courier", headers=customer_headers,
                        json={"courier": "jne", "costs": quoted(114, 2400)["REG"],
                              "kode_kota": "114"}).get_json()
    assert reload(cart).kode_kota == "114" and answer["costs"] == quoted(114, 2400)["REG"]


def test_a_customer_cannot_name_their_own_price(client, customer_headers, cart):
    for costs in (0, 1000, quoted(23, 2400)["REG"] + 1):
        response = client.put(f"/api/orders/{cart.id}/process/courier", headers=customer_headers,
                              json={"courier": "jne", "costs": costs})
        assert response.status_code == 422, costs
        assert error_of(response)["error_code"] == "courier_cost_mismatch"
        assert "REG Rp" in error_of(response)["fields"]["costs"]
    assert reload(cart).courier_price == 0 and reload(cart).courier == ""


def test_the_office_may_set_any_amount(client, owner_headers, cart):
    response = client.put(f"/api/orders/{cart.id}/process/courier", headers=owner_headers,
                          json={"courier": "pos", "costs": "Rp 12.500"})
    assert response.status_code == 200, response.get_json()
    order = reload(cart)
    assert (order.courier, order.courier_service, order.courier_price) == ("pos", "", 12500)
    assert client.put(f"/api/orders/{cart.id}/process/courier", headers=owner_headers,
                      json={"courier": "pos"}).status_code == 422  # an amount, or a service


@pytest.mark.parametrize("body, field", [
    ({"costs": 1000}, "courier"), ({"courier": "dhl", "costs": 1000}, "courier"),
    ({"courier": "sameday", "costs": 1000}, "courier"), ({"courier": "jne", "costs": -5}, "costs"),
    ({"courier": "jne", "costs": "banyak"}, "costs"), ({"courier": "jne", "costs": 10**12}, "costs"),
    ({"courier": "jne", "costs": 1000, "kode_kota": "Bandung"}, "kode_kota"),
    ({"courier": "jne", "costs": 1000, "service": ["REG"]}, "service"),
])
def test_bad_courier_bodies_are_422(client, owner_headers, cart, body, field):
    response = client.put(f"/api/orders/{cart.id}/process/courier", headers=owner_headers,
                          json=body)
    assert response.status_code == 422, (body, response.get_json())
    assert field in error_of(response)["fields"]


def test_reach_and_state(client, auth, customer, customer_headers, cart):
    url = f"/api/orders/{cart.id}/process/courier"
    body = {"courier": "jne", "costs": quoted(23, 2400)["REG"]}
    assert client.put(url, json=body).status_code == 401
    stranger = auth.headers(make_user(roles=("CUSTOMER",)))
    doctor = auth.headers(make_user(roles=("DOCTOR",)))
    for headers in (stranger, doctor):
        for path in ("process/courier", "process/sameday/courier", "unprocess/courier"):
            response = client.put(f"/api/orders/{cart.id}/{path}", headers=headers, json=body)
            assert response.status_code == 404, path
    for bad in ("abc", "0", "99999999999"):
        assert client.put(f"/api/orders/{bad}/process/courier", headers=customer_headers,
                          json=body).status_code == 404
    assert client.put(url, headers=customer_headers, json=body).status_code == 200
    OrderFlow(reload(cart), customer).checkout()
    for path, payload in (("process/courier", body), ("unprocess/courier", None),
                          ("process/sameday/courier", {"lat_kirim": 0, "lng_kirim": 0})):
        response = client.put(f"/api/orders/{cart.id}/{path}", headers=customer_headers,
                              json=payload)
        assert response.status_code == 409, path
        assert "CHECKOUT" in error_of(response)["message"]
    consultation = make_cart(customer, order_type="C")
    add_consultation(consultation)
    response = client.put(f"/api/orders/{consultation.id}/process/courier",
                          headers=customer_headers, json=body)
    assert response.status_code == 409 and error_of(response)["error_code"] == "wrong_type"


def test_checkout_needs_the_courier_and_charges_it(client, customer, customer_headers, cart):
    client.put(f"/api/orders/{cart.id}/process/courier", headers=customer_headers,
               json={"courier": "jne", "costs": quoted(23, 2400)["REG"]})
    assert client.put(f"/api/orders/{cart.id}/unprocess/courier",
                      headers=customer_headers).get_json() == {
        "unprocess_courier": True, "grand_totals": 210000}
    with pytest.raises(Conflict):
        OrderFlow(reload(cart), customer).checkout()
    db.session.rollback()
    client.put(f"/api/orders/{cart.id}/process/courier", headers=customer_headers,
               json={"courier": "tiki", "costs": quoted(23, 2400, "tiki")["ECO"]})
    order = OrderFlow(reload(cart), customer).checkout()
    assert order.status == CHECKOUT
    assert order.grand_totals == 210000 + quoted(23, 2400, "tiki")["ECO"]


def test_a_checkout_that_got_there_first_wins(customer, cart):
    order = reload(cart)
    db.session.execute(update(Order).where(Order.id == order.id).values(status=CHECKOUT)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    set_committed_value(order, "status", CART)  # this request still believes it is a cart
    with pytest.raises(Conflict) as caught:
        ShippingFlow(order, customer).choose_courier("jne", "REG", 99000, 23)
    assert "CHECKOUT" in caught.value.message
    fresh = reload(cart)
    assert fresh.courier_price == 0 and fresh.status == CHECKOUT


# ---- process/sameday/courier and unprocess/courier -----------------------------------------
def north_of_warehouse(km):
    lat, lng = warehouse_point()
    return lat + km / KM_PER_DEGREE, lng


def test_sameday_prices_the_distance(client, customer_headers, cart):
    make_delivery_tier(distance_fr=0, distance_to=5, segment="0-5 km", price_in_km=8000)
    make_delivery_tier(distance_fr=5, distance_to=10, segment="5-10 km", price_in_km=6000)
    lat, lng = north_of_warehouse(4.2)
    response = client.put(f"/api/orders/{cart.id}/process/sameday/courier",
                          headers=customer_headers,
                          json={"lat_kirim": lat, "lng_kirim": str(lng), "courier": "sameday"})
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer == {"process_sameday_courier": True, "distance": 4.2, "distance_unit": "km",
                      "costs": 33600, "grand_totals": 210000 + 33600}
    order = reload(cart)
    assert (order.courier, order.courier_price, order.distance) == ("sameday", 33600, 4.2)
    assert order.lat_kirim == pytest.approx(lat) and order.lng_kirim == pytest.approx(lng)
    assert order.grand_totals == 243600
    cleared = client.put(f"/api/orders/{cart.id}/unprocess/courier", headers=customer_headers)
    assert cleared.status_code == 200
    order = reload(cart)
    assert (order.courier, order.courier_price, order.is_courier, order.distance) == \
        ("", 0, False, 0)
    assert order.grand_totals == 210000
    actions = db.session.execute(select(OrderEvent.action).where(
        OrderEvent.id_orders == cart.id).order_by(OrderEvent.id)).scalars().all()
    assert actions[-2:] == ["sameday_courier", "uncourier"]


def test_sameday_refusals(client, customer_headers, cart):
    url = f"/api/orders/{cart.id}/process/sameday/courier"
    make_delivery_tier(distance_fr=0, distance_to=5, price_in_km=8000)
    lat, lng = north_of_warehouse(30)
    far = client.put(url, headers=customer_headers, json={"lat_kirim": lat, "lng_kirim": lng})
    assert far.status_code == 422
    assert error_of(far)["error_code"] == "outside_delivery_range"
    assert "30 km" in error_of(far)["message"] and "5 km" in error_of(far)["message"]
    bad = client.put(url, headers=customer_headers, json={"lat_kirim": "x", "lng_kirim": 200})
    assert bad.status_code == 422 and set(error_of(bad)["fields"]) == {"lat_kirim", "lng_kirim"}
    near_lat, near_lng = north_of_warehouse(1)
    other = client.put(url, headers=customer_headers,
                       json={"lat_kirim": near_lat, "lng_kirim": near_lng, "courier": "jne"})
    assert other.status_code == 422 and "courier" in error_of(other)["fields"]
    assert client.put(url, headers=customer_headers, data="x",
                      content_type="application/json").status_code == 400
    assert reload(cart).courier == ""
