"""deliveries/provinces, {?}/cities, {?}/districts, calculate/byweight and settings through the
API: who may call them, the documented shapes, bad ids and bodies (never a 500), and the
real RajaOngkir unreachable behind them."""
import json
import socket
from pathlib import Path

import pytest

from app.extensions import cache
from tests.factories.accounts import make_user

SPEC = json.loads((Path(__file__).resolve().parents[2] / "docs" / "api" / "endpoints.json")
                  .read_text())
DOCUMENTED = {entry["path"]: entry for entry in SPEC if entry["path"].startswith("deliveries/")}
BYWEIGHT = DOCUMENTED["deliveries/calculate/byweight"]["requests"][0]


@pytest.fixture
def customer_headers(auth):
    return auth.headers(make_user(roles=("CUSTOMER",)))


def error_of(response):
    body = response.get_json()
    assert body["status"] == "error", body
    return body["exception"]


@pytest.mark.parametrize("method, url", [
    ("GET", "/api/deliveries/provinces"), ("GET", "/api/deliveries/1/cities"),
    ("GET", "/api/deliveries/114/districts"), ("POST", "/api/deliveries/calculate/byweight"),
    ("GET", "/api/deliveries/settings"),
])
def test_signed_in_callers_only(client, method, url):
    response = client.open(url, method=method, json=BYWEIGHT if method == "POST" else None)
    assert response.status_code == 401 and error_of(response)["error_code"] == "unauthorized"


def test_provinces_cities_and_districts_in_the_documented_shapes(client, customer_headers):
    provinces = client.get("/api/deliveries/provinces", headers=customer_headers).get_json()
    assert len(provinces) == 38
    assert provinces[:2] == DOCUMENTED["deliveries/provinces"]["responses"][0]
    cities = client.get("/api/deliveries/1/cities", headers=customer_headers).get_json()
    denpasar = next(row for row in cities if row["city_id"] == "114")
    assert denpasar == DOCUMENTED["deliveries/{?}/cities"]["responses"][0][0]
    districts = client.get("/api/deliveries/114/districts", headers=customer_headers).get_json()
    assert districts[0] == DOCUMENTED["deliveries/{?}/districts"]["responses"][0][0]


@pytest.mark.parametrize("kind", ["cities", "districts"])
def test_bad_ids_are_a_clean_404_or_an_empty_list(client, customer_headers, kind):
    for unknown in ("999", "2147483647"):
        response = client.get(f"/api/deliveries/{unknown}/{kind}", headers=customer_headers)
        assert response.status_code == 200 and response.get_json() == [], unknown
    for bad in ("0", "abc", "-1", "1.5", "99999999999999999999", "%20", "1e3"):
        response = client.get(f"/api/deliveries/{bad}/{kind}", headers=customer_headers)
        assert response.status_code == 404, (bad, response.get_data(as_text=True)[:200])
        assert "tidak ditemukan" in error_of(response)["message"]


def test_costs_by_weight_as_documented(client, customer_headers):
    response = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                           json=BYWEIGHT)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    documented = DOCUMENTED["deliveries/calculate/byweight"]["responses"][0]
    assert [list(row) for row in answer] == [list(documented[0])]
    assert answer[0]["code"] == "jne"
    assert list(answer[0]["costs"][0]) == ["service", "description", "cost"]
    assert list(answer[0]["costs"][0]["cost"][0]) == ["value", "etd", "note"]
    # numbers as text, a courier in capitals, no origin (the warehouse's city)
    same = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                       json={"city_id_origin": "11", "city_id_destination": "53",
                             "weight": "3500", "courier": "JNE"}).get_json()
    assert same == answer
    from_warehouse = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                                 json={"city_id_destination": 153, "weight": 1000,
                                       "courier": "pos"})
    assert from_warehouse.status_code == 200
    assert from_warehouse.get_json()[0]["costs"][0]["cost"][0]["etd"] == "2-3"  # same city
    district = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                           json={"subdistrict_id_destination": 2105, "weight": 1000,
                                 "courier": "pos"})
    assert district.get_json() == from_warehouse.get_json()


def test_every_problem_of_the_body_at_once(client, customer_headers):
    response = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                           json={"city_id_origin": "satu", "weight": 0, "courier": "dhl"})
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert set(fields) == {"city_id_origin", "city_id_destination", "weight", "courier"}
    assert "jne" in fields["courier"] and "30000" in fields["weight"]


@pytest.mark.parametrize("change, field", [
    ({"weight": 30001}, "weight"), ({"weight": -1}, "weight"), ({"weight": True}, "weight"),
    ({"weight": "3,5 kg"}, "weight"), ({"weight": 10**30}, "weight"), ({"weight": None}, "weight"),
    ({"city_id_destination": 0}, "city_id_destination"),
    ({"city_id_destination": 2**31}, "city_id_destination"),
    ({"city_id_destination": [53]}, "city_id_destination"),
    ({"courier": ""}, "courier"), ({"courier": ["jne"]}, "courier"), ({"courier": 7}, "courier"),
    ({"city_id_destination": 99999}, "destination"), ({"city_id_origin": 99999}, "origin"),
])
def test_bad_bodies_are_422(client, customer_headers, change, field):
    response = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                           json={**BYWEIGHT, **change})
    assert response.status_code == 422, (change, response.get_json())
    assert field in error_of(response)["fields"]


def test_a_courier_the_shop_does_not_offer(app, client, customer_headers, monkeypatch):
    monkeypatch.setitem(app.config, "DELIVERY_COURIERS", "pos, TIKI")
    response = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                           json=BYWEIGHT)
    assert response.status_code == 422
    assert error_of(response)["fields"]["courier"].endswith("pos, tiki.")


@pytest.mark.parametrize("raw, content_type", [
    ("", "application/json"), ("[1, 2]", "application/json"), ("{bukan json", "application/json"),
])
def test_malformed_bodies_are_400(client, customer_headers, raw, content_type):
    response = client.post("/api/deliveries/calculate/byweight", headers=customer_headers,
                           data=raw, content_type=content_type)
    assert response.status_code == 400


def test_settings_come_from_the_configuration(app, client, customer_headers, monkeypatch):
    answer = client.get("/api/deliveries/settings", headers=customer_headers).get_json()
    assert list(answer) == list(DOCUMENTED["deliveries/settings"]["responses"][0])
    assert answer["kode_kota_asal"] == app.config["DELIVERY_ORIGIN_CITY_ID"]
    assert answer["coordinate_gudang"] == {"lat": app.config["WAREHOUSE_LAT"],
                                           "lng": app.config["WAREHOUSE_LNG"]}
    assert answer["kode_kurir"] == ["jne", "tiki", "jnt", "pos", "sicepat"]
    monkeypatch.setitem(app.config, "DELIVERY_COURIERS", " JNE,pos,,jne ")
    monkeypatch.setitem(app.config, "WAREHOUSE_ADDRESS", "Jl. Uji 1, Bandung")
    answer = client.get("/api/deliveries/settings", headers=customer_headers).get_json()
    assert answer["kode_kurir"] == ["jne", "pos"] and answer["alamat_gudang"] == "Jl. Uji 1, Bandung"


def test_staff_may_call_them_too(client, owner_headers):
    for url in ("/api/deliveries/provinces", "/api/deliveries/settings",
                "/api/deliveries/9/cities", "/api/deliveries/23/districts"):
        assert client.get(url, headers=owner_headers).status_code == 200, url


def test_an_unreachable_rajaongkir_is_a_503_envelope(app, client, customer_headers, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "RAJAONGKIR_MODE", "rajaongkir")
    monkeypatch.setitem(app.config, "RAJAONGKIR_API_KEY", "kunci")
    monkeypatch.setitem(app.config, "RAJAONGKIR_BASE_URL", f"http://127.0.0.1:{port}/api")
    monkeypatch.setitem(app.config, "RAJAONGKIR_TIMEOUT_SECONDS", 1)
    with app.app_context():
        cache.clear()
    for method, url in (("GET", "/api/deliveries/provinces"), ("GET", "/api/deliveries/1/cities"),
                        ("GET", "/api/deliveries/114/districts"),
                        ("POST", "/api/deliveries/calculate/byweight")):
        response = client.open(url, method=method, headers=customer_headers,
                               json=BYWEIGHT if method == "POST" else None)
        assert response.status_code == 503, (url, response.get_data(as_text=True)[:300])
        exception = error_of(response)
        assert exception["error_code"] == "shipping_unavailable"
        assert "RajaOngkir" in exception["message"]
    # the warehouse settings need no outside service
    assert client.get("/api/deliveries/settings", headers=customer_headers).status_code == 200
