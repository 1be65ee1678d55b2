"""The shipping gateway: the real RajaOngkir client against a fake RajaOngkir on 127.0.0.1
(pytest-httpserver), its errors and timeouts, the choice of implementation, the cache, and
the offline stand-in's data and answers in exactly the documented shapes."""
import json
import socket
import time
from pathlib import Path

import pytest
from werkzeug import Response

from app.extensions import cache
from services.errors import DomainError, Invalid
from services.gateways import shipping
from services.gateways.rajaongkir import RajaOngkirClient
from services.gateways.shipping_standin import StandInShipping

SPEC = json.loads((Path(__file__).resolve().parents[2] / "docs" / "api" / "endpoints.json")
                  .read_text())
DOCUMENTED = {entry["path"]: entry["responses"][0] for entry in SPEC
              if entry["path"].startswith("deliveries/") and entry["responses"]}
KEY = "kunci-uji-rajaongkir"


def ok(results):
    """RajaOngkir's envelope of a successful answer."""
    return {"rajaongkir": {"query": {}, "status": {"code": 200, "description": "OK"},
                           "results": results}}


def refused(code, description):
    """RajaOngkir's envelope of a refusal."""
    return {"rajaongkir": {"status": {"code": code, "description": description}}}


COST_RESULTS = [{"code": "jne", "name": "Jalur Nugraha Ekakurir (JNE)", "costs": [
    {"service": "OKE", "description": "Ongkos Kirim Ekonomis",
     "cost": [{"value": 19000, "etd": "3-6", "note": ""}]},
    {"service": "REG", "description": "Layanan Reguler",
     "cost": [{"value": 22000, "etd": "2-3", "note": ""}]}]}]


@pytest.fixture
def client_of(httpserver):
    """A RajaOngkir client pointed at the fake server."""
    def build(timeout=2.0, key=KEY):
        return RajaOngkirClient(httpserver.url_for("/api"), key, timeout)
    return build


@pytest.fixture
def live_mode(app, data_app, httpserver, monkeypatch):
    """Both apps configured for the real RajaOngkir at the fake server, caches emptied."""
    for application in (app, data_app):
        monkeypatch.setitem(application.config, "RAJAONGKIR_MODE", "rajaongkir")
        monkeypatch.setitem(application.config, "RAJAONGKIR_API_KEY", KEY)
        monkeypatch.setitem(application.config, "RAJAONGKIR_BASE_URL", httpserver.url_for("/api"))
        monkeypatch.setitem(application.config, "RAJAONGKIR_TIMEOUT_SECONDS", 2.0)
        with application.app_context():
            cache.clear()
    yield
    for application in (app, data_app):
        with application.app_context():
            cache.clear()


def documented_keys(path):
    """The keys of the first row the document shows for a deliveries endpoint."""
    return list(DOCUMENTED[path][0])


# ---- the real client against a fake RajaOngkir ------------------------------------------
def test_real_client_sends_the_key_and_answers_documented_shapes(httpserver, client_of):
    httpserver.expect_request("/api/province", method="GET", headers={"key": KEY}).respond_with_json(
        ok([{"province_id": "1", "province": "Bali"}, {"province_id": 2, "province": "Bangka Belitung"}]))
    httpserver.expect_request("/api/city", method="GET", query_string={"province": "1"},
                              headers={"key": KEY}).respond_with_json(ok([
                                  {"city_id": "114", "province_id": "1", "province": "Bali",
                                   "type": "Kota", "city_name": "Denpasar", "postal_code": "80227",
                                   "extra": "dibuang"}]))
    httpserver.expect_request("/api/subdistrict", method="GET", query_string={"city": "114"},
                              headers={"key": KEY}).respond_with_json(ok([
                                  {"subdistrict_id": "1573", "province_id": "1", "province": "Bali",
                                   "city_id": "114", "city": "Denpasar", "type": "Kota",
                                   "subdistrict_name": "Denpasar Barat"}]))
    gateway = client_of()
    assert gateway.provinces() == [{"province_id": "1", "province": "Bali"},
                                   {"province_id": "2", "province": "Bangka Belitung"}]
    cities = gateway.cities(1)
    assert cities == DOCUMENTED["deliveries/{?}/cities"]  # the extra key is dropped
    assert gateway.districts(114) == DOCUMENTED["deliveries/{?}/districts"]
    assert "kunci" not in gateway.cache_scope


def test_real_client_posts_the_cost_form(httpserver, client_of):
    seen = []

    def handler(request):
        seen.append((request.headers.get("key"), request.form.to_dict()))
        return Response(json.dumps(ok(COST_RESULTS)), content_type="application/json")

    httpserver.expect_request("/api/cost", method="POST").respond_with_handler(handler)
    answer = client_of().cost(11, 53, 3500, "jne")
    assert answer == DOCUMENTED["deliveries/calculate/byweight"]
    assert seen == [(KEY, {"origin": "11", "destination": "53", "weight": "3500",
                           "courier": "jne"})]
    client_of().cost(153, 2105, 1000, "jne", "subdistrict")
    assert seen[1][1] == {"origin": "153", "destination": "2105", "weight": "1000",
                          "courier": "jne", "originType": "city",
                          "destinationType": "subdistrict"}


def test_an_unknown_province_is_an_empty_list(httpserver, client_of):
    httpserver.expect_request("/api/city").respond_with_json(ok([]))
    assert client_of().cities(999) == []


def _refusal(call):
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_unreachable_rajaongkir_is_503():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _refusal(RajaOngkirClient(f"http://127.0.0.1:{port}/api", KEY, 1).provinces)
    assert error.status == 503 and error.error_code == "shipping_unavailable"
    assert "RajaOngkir" in error.message and "Coba lagi" in error.message


def test_a_slow_rajaongkir_times_out_as_503(httpserver, client_of):
    def slow(request):
        time.sleep(1.0)
        return Response(json.dumps(ok([])), content_type="application/json")

    httpserver.expect_request("/api/province").respond_with_handler(slow)
    started = time.monotonic()
    error = _refusal(client_of(timeout=0.2).provinces)
    assert time.monotonic() - started < 0.9
    assert (error.status, error.error_code) == (503, "shipping_timeout")
    assert "tepat waktu" in error.message


@pytest.mark.parametrize("respond, status, code", [
    (lambda r: r.respond_with_data("Bad Gateway", status=502), 503, "shipping_unavailable"),
    (lambda r: r.respond_with_data("<html>maintenance</html>", content_type="text/html"), 502,
     "shipping_bad_answer"),
    (lambda r: r.respond_with_json({"hasil": []}), 502, "shipping_bad_answer"),
    (lambda r: r.respond_with_json([1, 2]), 502, "shipping_bad_answer"),
    (lambda r: r.respond_with_json({"rajaongkir": {"status": {"code": 200}}}), 502,
     "shipping_bad_answer"),
    (lambda r: r.respond_with_json(ok([{"province": "Bali"}])), 502, "shipping_bad_answer"),
    (lambda r: r.respond_with_json(ok([{"province_id": {"x": 1}, "province": "Bali"}])), 502,
     "shipping_bad_answer"),
    (lambda r: r.respond_with_json(ok("semua")), 502, "shipping_bad_answer"),
    (lambda r: r.respond_with_json(refused(400, "Invalid key. API key tidak ditemukan di database "
                                                "RajaOngkir."), status=400), 502,
     "shipping_refused"),
    (lambda r: r.respond_with_json(refused(400, "Invalid key."), status=400), 502,
     "shipping_refused"),
])
def test_bad_answers_are_clean_errors(httpserver, client_of, respond, status, code):
    respond(httpserver.expect_request("/api/province"))
    error = _refusal(client_of().provinces)
    assert (error.status, error.error_code) == (status, code), error.to_dict()
    assert error.message


@pytest.mark.parametrize("results", [
    [{"code": "jne", "name": "JNE", "costs": [{"service": "REG", "cost": [{"value": "mahal"}]}]}],
    [{"code": "jne", "name": "JNE", "costs": [{"service": "REG", "cost": [{"value": -5}]}]}],
    [{"code": "jne", "name": "JNE", "costs": "REG"}],
    [{"code": "jne", "name": "JNE", "costs": [{"service": "REG"}]}],
    ["jne"],
])
def test_a_malformed_cost_answer_is_502(httpserver, client_of, results):
    httpserver.expect_request("/api/cost", method="POST").respond_with_json(ok(results))
    error = _refusal(lambda: client_of().cost(1, 2, 1000, "jne"))
    assert (error.status, error.error_code) == (502, "shipping_bad_answer")


def test_an_unknown_destination_is_422(httpserver, client_of):
    httpserver.expect_request("/api/cost", method="POST").respond_with_json(
        refused(400, "Bad request. Kota tujuan tidak ditemukan."), status=400)
    error = _refusal(lambda: client_of().cost(153, 99999, 1000, "jne"))
    assert isinstance(error, Invalid) and error.status == 422


def test_the_client_needs_its_settings():
    for base_url, key in (("", KEY), ("http://127.0.0.1:9/api", "")):
        error = _refusal(lambda base_url=base_url, key=key: RajaOngkirClient(base_url, key))
        assert (error.status, error.error_code) == (503, "shipping_misconfigured")


# ---- choosing the implementation --------------------------------------------------------
@pytest.mark.parametrize("mode, key, expected", [
    ("", "", "standin"), ("", KEY, "rajaongkir"), ("standin", KEY, "standin"),
    ("rajaongkir", KEY, "rajaongkir"), (" RajaOngkir ", KEY, "rajaongkir"),
])
def test_the_configuration_chooses_the_gateway(mode, key, expected):
    config = {"RAJAONGKIR_MODE": mode, "RAJAONGKIR_API_KEY": key,
              "RAJAONGKIR_BASE_URL": "http://127.0.0.1:9/api", "RAJAONGKIR_TIMEOUT_SECONDS": 1}
    assert shipping.shipping_mode(config) == expected
    gateway = shipping.shipping_gateway(config)
    assert isinstance(gateway, RajaOngkirClient if expected == "rajaongkir" else StandInShipping)


def test_a_wrong_mode_or_a_missing_key_is_a_clear_503():
    config = {"RAJAONGKIR_MODE": "dhl", "RAJAONGKIR_API_KEY": KEY}
    assert _refusal(lambda: shipping.shipping_gateway(config)).error_code == "shipping_misconfigured"
    config = {"RAJAONGKIR_MODE": "rajaongkir", "RAJAONGKIR_API_KEY": "",
              "RAJAONGKIR_BASE_URL": "http://127.0.0.1:9/api"}
    error = _refusal(lambda: shipping.shipping_gateway(config))
    assert error.status == 503 and "RAJAONGKIR_API_KEY" in error.message


def test_the_tests_run_on_the_stand_in(app):
    assert shipping.shipping_mode(app.config) == "standin"


# ---- the cache --------------------------------------------------------------------------
def test_lists_and_costs_are_cached_per_question(httpserver, live_mode):
    httpserver.expect_request("/api/province").respond_with_json(
        ok([{"province_id": "1", "province": "Bali"}]))
    httpserver.expect_request("/api/city", query_string={"province": "1"}).respond_with_json(
        ok(DOCUMENTED["deliveries/{?}/cities"]))
    httpserver.expect_request("/api/city", query_string={"province": "2"}).respond_with_json(ok([]))
    httpserver.expect_request("/api/cost", method="POST").respond_with_json(ok(COST_RESULTS))
    for _ in range(3):
        assert shipping.provinces() == [{"province_id": "1", "province": "Bali"}]
        assert shipping.cities(1)[0]["city_name"] == "Denpasar"
        assert shipping.cities(2) == []  # an empty answer is kept too
        assert shipping.cost(11, 53, 3500, "jne") == COST_RESULTS
    paths = [request.path for request, _ in httpserver.log]
    assert sorted(paths) == ["/api/city", "/api/city", "/api/cost", "/api/province"]
    shipping.cost(11, 53, 4000, "jne")  # another weight is another question
    assert len(httpserver.log) == 5
    cache.clear()
    shipping.provinces()
    assert len(httpserver.log) == 6


def test_failures_are_not_cached(httpserver, live_mode):
    httpserver.expect_oneshot_request("/api/province").respond_with_data("down", status=503)
    httpserver.expect_request("/api/province").respond_with_json(
        ok([{"province_id": "1", "province": "Bali"}]))
    assert _refusal(shipping.provinces).status == 503
    assert shipping.provinces() == [{"province_id": "1", "province": "Bali"}]


def test_the_cache_keeps_sources_apart(httpserver, live_mode, data_app, monkeypatch):
    httpserver.expect_request("/api/province").respond_with_json(
        ok([{"province_id": "99", "province": "Dari RajaOngkir"}]))
    assert shipping.provinces()[0]["province"] == "Dari RajaOngkir"
    monkeypatch.setitem(data_app.config, "RAJAONGKIR_MODE", "standin")
    assert len(shipping.provinces()) == 38  # not the answer cached for the real service


# ---- the stand-in -----------------------------------------------------------------------
def test_stand_in_has_every_province_with_its_cities():
    gateway = StandInShipping()
    provinces = gateway.provinces()
    assert len(provinces) == 38
    assert [list(row) for row in provinces] == [documented_keys("deliveries/provinces")] * 38
    names = {row["province"] for row in provinces}
    assert {"Bali", "DKI Jakarta", "Jawa Barat", "Papua Selatan", "Papua Tengah",
            "Papua Pegunungan", "Papua Barat Daya", "Kalimantan Utara"} <= names
    seen_ids = set()
    for province in provinces:
        cities = gateway.cities(int(province["province_id"]))
        assert cities, province
        for city in cities:
            assert list(city) == documented_keys("deliveries/{?}/cities")
            assert all(isinstance(value, str) and value for value in city.values()), city
            assert city["province_id"] == province["province_id"]
            assert city["type"] in ("Kota", "Kabupaten")
            assert len(city["postal_code"]) == 5 and city["postal_code"].isdigit()
            seen_ids.add(city["city_id"])
    assert len(seen_ids) >= 500
    # RajaOngkir's ids, as the document and the demo patients use them
    bali = {row["city_id"]: row for row in gateway.cities(1)}
    assert bali["114"]["city_name"] == "Denpasar" and bali["114"]["type"] == "Kota"
    jakarta = {row["city_id"]: row["city_name"] for row in gateway.cities(6)}
    assert jakarta["153"] == "Jakarta Selatan" and jakarta["151"] == "Jakarta Barat"
    assert gateway.cities(0) == [] and gateway.cities(39) == [] and gateway.cities(10**9) == []


def test_stand_in_districts():
    gateway = StandInShipping()
    south_jakarta = gateway.districts(153)
    assert [list(row) for row in south_jakarta] == \
        [documented_keys("deliveries/{?}/districts")] * len(south_jakarta)
    by_name = {row["subdistrict_name"]: row["subdistrict_id"] for row in south_jakarta}
    assert by_name["Kebayoran Baru"] == "2105" and by_name["Tebet"] == "2112"
    assert {row["subdistrict_name"] for row in gateway.districts(23)} >= {"Coblong", "Sukajadi"}
    assert len(gateway.districts(23)) == 30
    denpasar = gateway.districts(114)
    assert denpasar[0]["subdistrict_id"] == "1573" and denpasar[0]["subdistrict_name"] == \
        "Denpasar Barat"
    other = gateway.districts(79)  # Kota Bogor: the deterministic rule
    assert [row["subdistrict_name"] for row in other] == [
        "Bogor Tengah", "Bogor Utara", "Bogor Selatan", "Bogor Barat", "Bogor Timur"]
    assert other == gateway.districts(79)
    assert all(row["city_id"] == "79" and row["province"] == "Jawa Barat" for row in other)
    assert gateway.districts(0) == [] and gateway.districts(502) == []


def _prices(answer):
    return {service["service"]: service["cost"][0]["value"] for service in answer[0]["costs"]}


def test_stand_in_costs_have_the_documented_shape_and_are_deterministic():
    gateway = StandInShipping()
    documented = DOCUMENTED["deliveries/calculate/byweight"]
    for courier in ("jne", "pos", "tiki", "jnt", "sicepat"):
        answer = gateway.cost(153, 23, 3500, courier)
        assert answer == gateway.cost(153, 23, 3500, courier)
        assert len(answer) == 1 and list(answer[0]) == list(documented[0])
        assert answer[0]["code"] == courier and answer[0]["name"]
        assert len(answer[0]["costs"]) >= 1
        for service in answer[0]["costs"]:
            assert list(service) == list(documented[0]["costs"][0])
            (price,) = service["cost"]
            assert list(price) == list(documented[0]["costs"][0]["cost"][0])
            assert isinstance(price["value"], int) and price["value"] % 1000 == 0
            assert price["value"] > 0 and price["note"] == ""
            low, high = (int(part) for part in price["etd"].split("-"))
            assert 1 <= low <= high
    assert {"OKE", "REG", "YES"} == set(_prices(gateway.cost(153, 23, 3500, "jne")))
    assert answer_for_name(gateway, "jne") == "Jalur Nugraha Ekakurir (JNE)"


def answer_for_name(gateway, courier):
    return gateway.cost(153, 153, 1000, courier)[0]["name"]


def test_stand_in_tariffs_grow_with_weight_and_distance():
    gateway = StandInShipping()
    same_city = _prices(gateway.cost(153, 153, 1000, "jne"))["REG"]
    same_province = _prices(gateway.cost(153, 151, 1000, "jne"))["REG"]
    same_island = _prices(gateway.cost(153, 23, 1000, "jne"))["REG"]
    papua = _prices(gateway.cost(153, 158, 1000, "jne"))
    assert same_city < same_province < same_island < papua["REG"]
    assert "YES" not in papua  # no next-day service that far
    one_kilo = _prices(gateway.cost(153, 23, 1, "jne"))["REG"]
    assert one_kilo == _prices(gateway.cost(153, 23, 1000, "jne"))["REG"]
    assert _prices(gateway.cost(153, 23, 1001, "jne"))["REG"] == 2 * one_kilo
    assert _prices(gateway.cost(153, 23, 3500, "jne"))["REG"] == 4 * one_kilo
    # a district destination costs what its city costs
    assert gateway.cost(153, 2105, 1000, "jne", "subdistrict") == gateway.cost(153, 153, 1000, "jne")
    assert gateway.cost(153, 107902, 1000, "jne", "subdistrict") == gateway.cost(153, 79, 1000, "jne")


@pytest.mark.parametrize("origin, destination, kind, courier, field", [
    (99999, 23, "city", "jne", "origin"), (153, 0, "city", "jne", "destination"),
    (153, 23, "city", "dhl", "courier"), (153, 99, "subdistrict", "jne", "destination"),
    (153, 107906, "subdistrict", "jne", "destination"),  # Bogor has five generated districts
    (153, 102305, "subdistrict", "jne", "destination"),  # Kota Bandung's are the bundled ones
])
def test_stand_in_refuses_unknown_places(origin, destination, kind, courier, field):
    with pytest.raises(Invalid) as caught:
        StandInShipping().cost(origin, destination, 1000, courier, kind)
    assert caught.value.status == 422 and field in caught.value.fields
