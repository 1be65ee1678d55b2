"""Stores (brandstore) and the products they sell (brandstore_menus): every endpoint with good
and bad input, distances, grouping, bulk atomicity, duplicates, visibility and stock."""
import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from models import Menu, Store, StoreMenu, StoreMenuStock, clinic_now
from services.stores import operations as store_ops
from services.errors import Conflict, Invalid
from tests.conftest import make_user
from tests.factories.stores import (GEDUNG_SATE, MONAS, TUGU_PAHLAWAN, make_product,
                                    make_product_category, make_store, make_store_at,
                                    make_store_menu)

ENDPOINTS_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "endpoints.json"
GAMBIR = {"lat": -6.176655, "lng": 106.830583}  # Stasiun Gambir, a few hundred metres from Monas
# WGS84 geodesic distances from Gambir (Vincenty), to compare the great-circle metres with.
GEODESIC_FROM_GAMBIR = {MONAS[0]: 405, GEDUNG_SATE[0]: 118_501, TUGU_PAHLAWAN[0]: 663_716}

STORE_BODY = {"nama": "IORA", "alamat": "Testing 1", "notelp": "08137771312",
              "opentime": "09:00", "closetime": "20:00", "city": "Bandung", "lat": 0, "lng": 0,
              "is_show": 1, "groupname": "STS"}


def count(model):
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def error_fields(response):
    return response.get_json()["exception"]["fields"]


# ==== brandstore ==============================================================================
def test_store_create_answers_times_with_seconds_and_numbers(client, owner_headers):
    response = client.post("/api/brandstore/create", headers=owner_headers, json=STORE_BODY)
    assert response.status_code == 200, response.get_json()
    store = response.get_json()["brandstore"]
    assert isinstance(store["id"], int)
    assert store["opentime"] == "09:00:00" and store["closetime"] == "20:00:00"
    assert store["lat"] == 0 and store["lng"] == 0 and store["is_show"] == 1
    assert {key: store[key] for key in ("nama", "alamat", "notelp", "city", "groupname")} == {
        "nama": "IORA", "alamat": "Testing 1", "notelp": "08137771312", "city": "Bandung",
        "groupname": "STS"}
    saved = db.session.get(Store, store["id"])
    assert saved.opentime.strftime("%H:%M:%S") == "09:00:00"


@pytest.mark.parametrize("change, field", [
    ({"closetime": "08:00"}, "closetime"),
    ({"closetime": "09:00"}, "closetime"),
    ({"opentime": "25:00"}, "opentime"),
    ({"opentime": "9 pagi"}, "opentime"),
    ({"lat": 90.5}, "lat"),
    ({"lat": -91}, "lat"),
    ({"lng": 180.01}, "lng"),
    ({"lng": -200}, "lng"),
    ({"lat": "utara"}, "lat"),
    ({"lat": True}, "lat"),
    ({"notelp": "telepon saya"}, "notelp"),
    ({"nama": ""}, "nama"),
    ({"nama": "x" * 151}, "nama"),
    ({"city": "k" * 101}, "city"),
    ({"is_show": "mungkin"}, "is_show"),
])
def test_store_create_refuses_bad_fields(client, owner_headers, change, field):
    response = client.post("/api/brandstore/create", headers=owner_headers,
                           json={**STORE_BODY, **change})
    assert response.status_code == 422, response.get_json()
    assert field in error_fields(response)
    assert count(Store) == 0


def test_store_create_refuses_malformed_bodies(client, owner_headers):
    for data in ("[1]", "bukan json", ""):
        response = client.post("/api/brandstore/create", data=data, headers={
            **owner_headers, "Content-Type": "application/json"})
        assert response.status_code == 400, data
    missing = client.post("/api/brandstore/create", headers=owner_headers, json={})
    assert missing.status_code == 422
    assert {"nama", "alamat", "city"} <= set(error_fields(missing))


def test_store_update_by_put_and_post_keeps_the_hours_rule(client, owner_headers):
    store = make_store()
    url = f"/api/brandstore/{store.id}/update"
    put = client.put(url, headers=owner_headers, json={**STORE_BODY, "nama": "IORA Pusat",
                                                       "alamat": "Testing 1 update"})
    assert put.status_code == 200 and put.get_json()["brandstore"]["nama"] == "IORA Pusat"
    post = client.post(url, headers=owner_headers, json={"closetime": "21:30"})
    assert post.status_code == 200
    assert post.get_json()["brandstore"]["closetime"] == "21:30:00"
    assert post.get_json()["brandstore"]["opentime"] == "09:00:00"
    # the stored opening time counts when only the closing time is sent
    early = client.put(url, headers=owner_headers, json={"closetime": "08:59"})
    assert early.status_code == 422 and "closetime" in error_fields(early)
    assert client.put(url, headers=owner_headers, json={"lat": 100}).status_code == 422
    assert client.put("/api/brandstore/999999/update", headers=owner_headers,
                      json={"nama": "x"}).status_code == 404
    assert client.put(url, headers=owner_headers, data="[]",
                      content_type="application/json").status_code == 400
    db.session.expire_all()
    assert db.session.get(Store, store.id).closetime.strftime("%H:%M") == "21:30"


def test_store_get_and_soft_delete(client, owner_headers):
    store = make_store()
    got = client.get(f"/api/brandstore/{store.id}")
    assert got.status_code == 200 and got.get_json()["brandstore"]["id"] == store.id
    deleted = client.delete(f"/api/brandstore/{store.id}/delete", headers=owner_headers)
    assert deleted.get_json() == {"deleted": True}
    db.session.expire_all()
    assert db.session.get(Store, store.id).deleted_at is not None  # kept, marked
    assert client.get(f"/api/brandstore/{store.id}").status_code == 404
    assert client.post("/api/brandstore/search", json={}).get_json() == {"brandstore": []}
    assert client.get("/api/brandstore/abc").status_code == 404
    assert client.delete(f"/api/brandstore/{store.id}/delete",
                         headers=owner_headers).status_code == 404


def test_store_has_no_explore_endpoint(client, owner_headers):
    make_store()
    for method in ("GET", "POST"):
        response = client.open("/api/brandstore/explore", method=method, headers=owner_headers,
                               json={})
        assert response.status_code in (404, 405)


def test_store_search_filters(client):
    make_store(nama="Utara", city="KOTA JAKARTA UTARA", groupname="STS")
    make_store(nama="Utara Lain", city="KOTA JAKARTA UTARA", groupname="MCM")
    make_store(nama="Bandung", city="KOTA BANDUNG", groupname="STS")

    def names(body):
        answer = client.post("/api/brandstore/search", json=body)
        assert answer.status_code == 200, answer.get_json()
        return sorted(store["nama"] for store in answer.get_json()["brandstore"])

    assert names({}) == ["Bandung", "Utara", "Utara Lain"]
    assert names({"city": "kota jakarta utara"}) == ["Utara", "Utara Lain"]
    assert names({"city": "KOTA JAKARTA UTARA", "groupname": "STS"}) == ["Utara"]
    assert names({"groupname": "STS"}) == ["Bandung", "Utara"]
    assert names({"city": ["KOTA BANDUNG", "KOTA JAKARTA UTARA"], "groupname": "MCM"}) == [
        "Utara Lain"]
    assert names({"is_show": 1}) == ["Bandung", "Utara", "Utara Lain"]
    assert names({"city": "KOTA SURABAYA"}) == []
    assert client.post("/api/brandstore/search", json={"is_show": "kadang"}).status_code == 422
    assert client.post("/api/brandstore/search", data="[]",
                       content_type="application/json").status_code == 400


def test_stores_come_nearest_first_with_great_circle_metres(client):
    make_store_at(TUGU_PAHLAWAN)
    make_store_at(MONAS)
    make_store_at(GEDUNG_SATE)
    response = client.post("/api/brandstore/search", json={"latlng": GAMBIR})
    assert response.status_code == 200, response.get_json()
    stores = response.get_json()["brandstore"]
    assert [store["nama"] for store in stores] == [MONAS[0], GEDUNG_SATE[0], TUGU_PAHLAWAN[0]]
    for store in stores:
        assert isinstance(store["meter_in_distance"], int)
        expected = GEODESIC_FROM_GAMBIR[store["nama"]]
        assert abs(store["meter_in_distance"] - expected) <= expected * 0.01, store
    # as a "lat,lng" text and with numbers as strings, the same order
    again = client.post("/api/brandstore/search", json={
        "latlng": {"lat": "-7.2", "lng": "112.7"}}).get_json()["brandstore"]
    assert [store["nama"] for store in again] == [TUGU_PAHLAWAN[0], GEDUNG_SATE[0], MONAS[0]]
    # without latlng there is no distance
    plain = client.post("/api/brandstore/search", json={}).get_json()["brandstore"]
    assert all("meter_in_distance" not in store for store in plain)


def test_distance_ordering_is_not_cut_off_by_the_row_limit(app, client):
    """The nearest stores are found in SQL first, so a far majority cannot push them out."""
    for number in range(6):
        make_store(nama=f"Jauh {number}", city="KOTA SURABAYA", lat=-7.25, lng=112.75)
    make_store_at(MONAS)
    limit = app.config["SEARCH_ROWS_MAX"]
    app.config["SEARCH_ROWS_MAX"] = 3
    try:
        stores = client.post("/api/brandstore/search", json={"latlng": GAMBIR}).get_json()[
            "brandstore"]
    finally:
        app.config["SEARCH_ROWS_MAX"] = limit
    assert len(stores) == 3 and stores[0]["nama"] == MONAS[0]


@pytest.mark.parametrize("latlng", [
    {"lat": 91, "lng": 106}, {"lat": -6.1, "lng": 181}, {"lat": "utara", "lng": 106},
    {"lat": -6.1}, {"lng": 106}, [-6.1, 106.8], "bukan-titik", "-6.1", 5, True,
    {"lat": None, "lng": 106}, {"lat": "NaN", "lng": 106}, {"lat": "inf", "lng": 1},
])
def test_bad_latlng_is_422(client, latlng):
    make_store()
    response = client.post("/api/brandstore/search", json={"latlng": latlng})
    assert response.status_code == 422, (latlng, response.get_json())
    assert "latlng" in error_fields(response)


def test_store_search_grouped_by_city(client):
    make_store_at(TUGU_PAHLAWAN)
    make_store_at(MONAS)
    make_store_at(GEDUNG_SATE)
    make_store_at(GEDUNG_SATE, nama="Colederma Dago")
    grouped = client.post("/api/brandstore/search", json={"groupby": "city"}).get_json()[
        "brandstore"]
    assert isinstance(grouped, dict)
    assert set(grouped) == {"KOTA JAKARTA PUSAT", "KOTA BANDUNG", "KOTA SURABAYA"}
    assert sorted(store["nama"] for store in grouped["KOTA BANDUNG"]) == [
        "Colederma Dago", GEDUNG_SATE[0]]
    assert all(store["city"] == city for city, stores in grouped.items() for store in stores)
    near = client.post("/api/brandstore/search", json={
        "groupby": "city", "latlng": GAMBIR}).get_json()["brandstore"]
    assert list(near) == ["KOTA JAKARTA PUSAT", "KOTA BANDUNG", "KOTA SURABAYA"]
    assert all("meter_in_distance" in store for stores in near.values() for store in stores)
    filtered = client.post("/api/brandstore/search", json={
        "groupby": "city", "city": "KOTA SURABAYA"}).get_json()["brandstore"]
    assert list(filtered) == ["KOTA SURABAYA"]
    bad = client.post("/api/brandstore/search", json={"groupby": "provinsi"})
    assert bad.status_code == 422 and "groupby" in error_fields(bad)


def test_hidden_stores_are_for_staff_only(client, auth):
    shown = make_store(nama="Tampil", city="KOTA BANDUNG")
    hidden = make_store(nama="Segera Dibuka", city="KABUPATEN BADUNG", is_show=False)
    customer = auth.headers(make_user())
    staff = auth.headers(make_user(roles=("USERS",)))
    for headers in ({}, customer):
        names = [s["nama"] for s in client.post("/api/brandstore/search", headers=headers,
                                                 json={}).get_json()["brandstore"]]
        assert names == ["Tampil"]
        # asking for hidden stores does not reveal them
        assert client.post("/api/brandstore/search", headers=headers,
                           json={"is_show": 0}).get_json()["brandstore"] == []
        assert client.get(f"/api/brandstore/{hidden.id}", headers=headers).status_code == 404
        assert client.get(f"/api/brandstore/{shown.id}", headers=headers).status_code == 200
        table = client.post("/api/brandstore/table", headers=headers, data={"draw": "1"})
        assert table.get_json()["recordsTotal"] == 1
        assert client.get("/api/brandstore/city", headers=headers).get_json() == [
            {"city": "KOTA BANDUNG"}]
    names = sorted(s["nama"] for s in client.post("/api/brandstore/search", headers=staff,
                                                   json={}).get_json()["brandstore"])
    assert names == ["Segera Dibuka", "Tampil"]
    assert client.get(f"/api/brandstore/{hidden.id}", headers=staff).status_code == 200
    assert client.post("/api/brandstore/table", headers=staff,
                       data={"draw": "1"}).get_json()["recordsTotal"] == 2


def test_city_list_is_public_distinct_and_documented(client):
    make_store(city="KOTA SURAKARTA")
    make_store(city="KOTA SURABAYA")
    make_store(city="KOTA SURABAYA")
    make_store(city="KABUPATEN BADUNG")
    make_store(city="KOTA MALANG", deleted_at=clinic_now())
    make_store(city="")
    response = client.get("/api/brandstore/city")
    assert response.status_code == 200
    assert response.get_json() == [{"city": "KABUPATEN BADUNG"}, {"city": "KOTA SURABAYA"},
                                   {"city": "KOTA SURAKARTA"}]
    assert client.post("/api/brandstore/city").status_code == 405


def test_store_table_follows_the_table_specs(client):
    make_store(nama="Alfa", city="KOTA BANDUNG", notelp="0221", is_show=False)
    make_store(nama="Beta", city="KOTA SURABAYA", notelp="0312")
    response = client.post("/api/brandstore/table", data={
        "draw": "4", "start": "0", "length": "10", "order[0][column]": "1",
        "order[0][dir]": "desc", "city": "KOTA SURABAYA"}, headers={})
    body = response.get_json()
    assert body["draw"] == 4 and body["recordsTotal"] == 1  # the hidden one is staff only
    assert body["recordsFiltered"] == 1
    row = body["data"][0]
    assert len(row) == 11 and row[1] == "Beta" and row[2].startswith("Jl. Contoh")
    assert row[3] == "0312" and row[4] == "09:00:00" and row[5] == "20:00:00"
    assert row[6] == "KOTA SURABAYA" and row[7] == -6.9147 and row[9] == 1
    assert client.post("/api/brandstore/table", data={
        "draw": "1", "is_show": "x"}).status_code == 422


# ==== brandstore_menus: create ================================================================
def make_catalog():
    """Two categories and a product in the second only, with a primary picture."""
    first = make_product_category(menu_categories="Serum")
    second = make_product_category(menu_categories="Lagi Hits")
    menu = make_product(image="AhPtEB3vIiIeKhkU.jpg", nama_menus="Retinol Serum 1%",
                        brief="Untuk kulit berjerawat", harga=185000, pajak=18500,
                        id_menu_categories_2=second.id)
    return first, second, menu


def test_create_answers_the_documented_envelope_and_starts_stock_at_zero(app, client,
                                                                          owner_headers):
    _first, second, menu = make_catalog()
    store = make_store(nama="Momoiro - Central Park", city="KOTA JAKARTA BARAT")
    response = client.post("/api/brandstore_menus/create", headers=owner_headers,
                           json={"idmenu": str(menu.id), "idbrandstore": store.id})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert list(body) == ["brandstoremenus"]
    row = body["brandstoremenus"]
    assert row["menu"]["id"] == menu.id and row["menu"]["nama"] == "Retinol Serum 1%"
    assert row["menu"]["kategori"] == "Lagi Hits"  # the first category slot that is set
    assert row["menu"]["harga"] == 185000 and row["menu"]["pajak"] == 18500
    assert row["menu"]["stocks"] == 0 and row["menu"]["buffertime"] == 0
    assert row["menu"]["idbundlemenus"] == 0 and row["menu"]["codebundle"] is None
    assert row["menu"]["img"] == "AhPtEB3vIiIeKhkU.jpg"
    assert row["menu"]["img_path"] == (
        f"{app.config['PUBLIC_BASE_URL']}/uploads/menus/AhPtEB3vIiIeKhkU.jpg")
    assert row["brandstore"]["id"] == store.id and row["brandstore"]["opentime"] == "09:00:00"
    stock = db.session.execute(select(StoreMenuStock).where(
        StoreMenuStock.idbrandstoremenus == row["id"])).scalar_one()
    assert stock.quantitytotal == 0
    assert row["stocks"][0]["id"] == stock.id and row["stocks"][0]["quantitytotal"] == 0


def test_create_refuses_duplicates_and_unknown_or_deleted_references(client, owner_headers):
    menu, store = make_product(), make_store()
    body = {"idmenu": menu.id, "idbrandstore": store.id}
    assert client.post("/api/brandstore_menus/create", headers=owner_headers,
                       json=body).status_code == 200
    again = client.post("/api/brandstore_menus/create", headers=owner_headers, json=body)
    assert again.status_code == 422
    assert "sudah ada" in again.get_json()["exception"]["message"]
    assert "idmenu" in error_fields(again)
    gone_menu = make_product(deleted_at=clinic_now())
    gone_store = make_store(deleted_at=clinic_now())
    for bad, field in (({"idmenu": 999999, "idbrandstore": store.id}, "idmenu"),
                       ({"idmenu": menu.id, "idbrandstore": 999999}, "idbrandstore"),
                       ({"idmenu": gone_menu.id, "idbrandstore": store.id}, "idmenu"),
                       ({"idmenu": make_product().id, "idbrandstore": gone_store.id},
                        "idbrandstore"),
                       ({"idmenu": "sepuluh", "idbrandstore": store.id}, "idmenu"),
                       ({"idmenu": True, "idbrandstore": store.id}, "idmenu"),
                       ({"idbrandstore": store.id}, "idmenu"),
                       ({"idmenu": menu.id}, "idbrandstore")):
        response = client.post("/api/brandstore_menus/create", headers=owner_headers, json=bad)
        assert response.status_code == 422, (bad, response.get_json())
        assert field in error_fields(response), bad
    assert count(StoreMenu) == 1 and count(StoreMenuStock) == 1


def test_the_database_refuses_a_duplicate_pair_too():
    """The unique key stands behind the check (two requests at once)."""
    row = make_store_menu()
    db.session.add(StoreMenu(idmenu=row.idmenu, idbrandstore=row.idbrandstore))
    with pytest.raises(Exception):
        db.session.commit()
    db.session.rollback()


# ==== brandstore_menus: create/bulk ===========================================================
def test_bulk_creates_every_row(client, owner_headers):
    store = make_store()
    menus = [make_product() for _ in range(3)]
    response = client.post("/api/brandstore_menus/create/bulk", headers=owner_headers,
                           json=[{"idmenu": menu.id, "idbrandstore": str(store.id)}
                                 for menu in menus])
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()["brandstoremenus"]
    assert [row["menu"]["id"] for row in rows] == [menu.id for menu in menus]
    assert all(row["brandstore"]["id"] == store.id and row["menu"]["stocks"] == 0
               for row in rows)
    assert count(StoreMenu) == 3 and count(StoreMenuStock) == 3


@pytest.mark.parametrize("third", [
    {"idmenu": 999999, "idbrandstore": "STORE"},
    {"idmenu": "FIRST", "idbrandstore": "STORE"},  # repeats row 0
    {"idmenu": "EXISTING", "idbrandstore": "STORE"},  # already at the store
    {"idmenu": "abc", "idbrandstore": "STORE"},
    {"idbrandstore": "STORE"},
    "bukan objek",
])
def test_bulk_is_all_or_nothing_and_names_the_bad_row(client, owner_headers, third):
    store = make_store()
    first, second = make_product(), make_product()
    existing = make_store_menu(store=store)
    before = count(StoreMenu), count(StoreMenuStock)
    if isinstance(third, dict):
        third = {key: {"STORE": store.id, "FIRST": first.id, "EXISTING": existing.idmenu}.get(
            value, value) for key, value in third.items()}
    response = client.post("/api/brandstore_menus/create/bulk", headers=owner_headers, json=[
        {"idmenu": first.id, "idbrandstore": store.id},
        {"idmenu": second.id, "idbrandstore": store.id}, third])
    assert response.status_code == 422, response.get_json()
    exception = response.get_json()["exception"]
    assert list(exception["fields"]) == ["2"] and "baris 2" in exception["message"]
    assert (count(StoreMenu), count(StoreMenuStock)) == before


def test_bulk_refuses_bodies_that_are_not_a_list_of_rows(client, owner_headers):
    for data in ('{"idmenu": 1, "idbrandstore": 1}', "bukan json", "", '"teks"'):
        response = client.post("/api/brandstore_menus/create/bulk", data=data,
                               headers={**owner_headers, "Content-Type": "application/json"})
        assert response.status_code == 400, data
    empty = client.post("/api/brandstore_menus/create/bulk", headers=owner_headers, json=[])
    assert empty.status_code == 422
    store = make_store()
    too_many = [{"idmenu": number, "idbrandstore": store.id} for number in range(501)]
    assert client.post("/api/brandstore_menus/create/bulk", headers=owner_headers,
                       json=too_many).status_code == 422
    assert count(StoreMenu) == 0


# ==== brandstore_menus: duplicates ============================================================
def test_duplicates_copies_an_assignment_to_other_stores_once(client, owner_headers):
    source = make_store_menu(quantity=7)
    kemang, darmo = make_store(nama="Kemang"), make_store(nama="Darmo")
    make_store_menu(menu=source.menu, store=darmo, quantity=3)  # already sells it
    url = f"/api/brandstore_menus/{source.id}/duplicates"
    response = client.post(url, headers=owner_headers,
                           json={"idbrandstore": [kemang.id, darmo.id, source.idbrandstore]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["menus"]["id"] == source.id and body["menus"]["nama"] == source.menu.nama_menus
    assert body["menus"]["brandstore"]["id"] == source.idbrandstore
    assert body["menus"]["bundlemenus"] is None
    assert [row["brandstore"]["id"] for row in body["brandstoremenus"]] == [kemang.id]
    assert body["brandstoremenus"][0]["menu"]["stocks"] == 0  # stock is per store
    assert sorted(body["skipped"]) == sorted([darmo.id, source.idbrandstore])
    assert count(StoreMenu) == 3
    # again: nothing new, never a duplicate pair
    again = client.post(url, headers=owner_headers, json={"idbrandstore": kemang.id})
    assert again.status_code == 200 and again.get_json()["brandstoremenus"] == []
    assert count(StoreMenu) == 3


def test_duplicates_refuses_bad_targets_without_writing(client, owner_headers):
    source = make_store_menu()
    good = make_store()
    gone = make_store(deleted_at=clinic_now())
    url = f"/api/brandstore_menus/{source.id}/duplicates"
    for body in ({"idbrandstore": [good.id, 999999]}, {"idbrandstore": [good.id, gone.id]},
                 {"idbrandstore": ["dua"]}, {"idbrandstore": []}, {"idbrandstore": ""},
                 {"idbrandstore": True}):
        response = client.post(url, headers=owner_headers, json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert "idbrandstore" in error_fields(response)
    assert client.post(url, headers=owner_headers, data="[1]",
                       content_type="application/json").status_code == 400
    assert client.post("/api/brandstore_menus/999999/duplicates", headers=owner_headers,
                       json={"idbrandstore": good.id}).status_code == 404
    assert count(StoreMenu) == 1


DOCUMENTED_DUPLICATES = next(entry for entry in json.loads(ENDPOINTS_FILE.read_text())
                             if entry["path"] == "brandstore_menus/{?}/duplicates")


def test_duplicates_as_documented_offers_the_product_at_every_other_store(client,
                                                                          owner_headers):
    """The documented call has no body: the product goes to every other live store (hidden
    ones too), stores that sell it already are skipped, deleted stores are left alone."""
    source = make_store_menu(quantity=7)
    kemang, hidden = make_store(nama="Kemang"), make_store(nama="Segera", is_show=False)
    darmo = make_store(nama="Darmo")
    make_store_menu(menu=source.menu, store=darmo, quantity=3)  # already sells it
    gone = make_store(nama="Tutup", deleted_at=clinic_now())
    url = f"/api/brandstore_menus/{source.id}/duplicates"
    response = client.post(url, headers=owner_headers)  # no body, no content type
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    documented = DOCUMENTED_DUPLICATES["responses"][0]
    assert set(documented) <= set(body)
    assert set(documented["menus"]) <= set(body["menus"])
    assert set(documented["menus"]["brandstore"]) <= set(body["menus"]["brandstore"])
    assert body["menus"]["id"] == source.id and body["menus"]["nama"] == source.menu.nama_menus
    assert body["menus"]["brandstore"]["id"] == source.idbrandstore
    assert body["menus"]["bundlemenus"] is None
    assert sorted(row["brandstore"]["id"] for row in body["brandstoremenus"]) == \
        sorted([kemang.id, hidden.id])
    assert all(row["menu"]["stocks"] == 0 for row in body["brandstoremenus"])
    assert body["skipped"] == [darmo.id]
    sellers = set(db.session.execute(select(StoreMenu.idbrandstore).where(
        StoreMenu.idmenu == source.idmenu)).scalars())
    assert sellers == {source.idbrandstore, kemang.id, hidden.id, darmo.id}
    assert gone.id not in sellers
    # again (an empty JSON object or a null target means the same): nothing new
    for again in (client.post(url, headers=owner_headers, json={}),
                  client.post(url, headers=owner_headers, json={"idbrandstore": None})):
        assert again.status_code == 200 and again.get_json()["brandstoremenus"] == []
        assert sorted(again.get_json()["skipped"]) == sorted([kemang.id, hidden.id, darmo.id])
    assert count(StoreMenu) == 4


def test_duplicates_without_a_body_is_still_for_staff_only(client, auth):
    source = make_store_menu()
    make_store()
    url = f"/api/brandstore_menus/{source.id}/duplicates"
    assert client.post(url).status_code == 401
    customer = make_user(roles=("CUSTOMER",))
    assert client.post(url, headers=auth.headers(customer)).status_code == 403
    assert count(StoreMenu) == 1


# ==== brandstore_menus: reading ===============================================================
def seeded_lists():
    """A category "Lagi Hits" product at two stores of group STS, and others."""
    hits = make_product_category(menu_categories="Lagi Hits")
    serum = make_product_category(menu_categories="Serum")
    sts_a = make_store(nama="STS A", groupname="STS")
    sts_b = make_store(nama="STS B", groupname="STS")
    other = make_store(nama="MCM", groupname="MCM")
    sunscreen = make_product(category=hits, nama_menus="Sunscreen SPF 50", image="sun.jpg")
    serum_menu = make_product(category=serum, nama_menus="Serum Vitamin C",
                              id_menu_categories_2=hits.id)
    toner = make_product(category=serum, nama_menus="Toner")
    rows = {
        "sun_a": make_store_menu(sunscreen, sts_a, quantity=5),
        "sun_b": make_store_menu(sunscreen, sts_b, quantity=0),
        "serum_a": make_store_menu(serum_menu, sts_a, quantity=11),
        "toner_mcm": make_store_menu(toner, other, quantity=2),
    }
    return rows, {"sts_a": sts_a, "sts_b": sts_b, "other": other,
                  "sunscreen": sunscreen, "serum": serum_menu, "toner": toner}


def ids_of(rows):
    return sorted(row["id"] for row in rows)


def test_explore_filters_post_and_get(client):
    rows, things = seeded_lists()

    def explore(body):
        response = client.post("/api/brandstore_menus/explore?page=1&length=10", json=body)
        assert response.status_code == 200, response.get_json()
        return ids_of(response.get_json()["data"])

    assert explore({}) == ids_of([{"id": row.id} for row in rows.values()])
    assert explore({"idmenu": things["sunscreen"].id}) == sorted(
        [rows["sun_a"].id, rows["sun_b"].id])
    assert explore({"idbrandstore": str(things["sts_a"].id)}) == sorted(
        [rows["sun_a"].id, rows["serum_a"].id])
    # a category matches in any of the three slots, whatever the case
    assert explore({"kategori": "lagi hits"}) == sorted(
        [rows["sun_a"].id, rows["sun_b"].id, rows["serum_a"].id])
    assert explore({"groupname": "MCM"}) == [rows["toner_mcm"].id]
    assert explore({"kategori": "Lagi Hits", "groupname": "STS", "idbundlemenus": 1,
                    "idbrandstore": things["sts_b"].id}) == [rows["sun_b"].id]
    got = client.get(f"/api/brandstore_menus/explore?page=1&length=1&groupname=STS"
                     f"&idmenu={things['sunscreen'].id}").get_json()
    assert got["totaldata"] == 2 and got["totalpage"] == 2 and got["displayed"] == 1
    row = client.post("/api/brandstore_menus/explore", json={
        "idbrandstore": things["sts_a"].id, "idmenu": things["sunscreen"].id}).get_json()[
        "data"][0]
    assert row["stocks"] == 5 and row["kategori"] == "Lagi Hits" and row["img"] == "sun.jpg"
    assert row["idstock"] == rows["sun_a"].stock.id and row["idbrandstore"] == things["sts_a"].id
    assert row["brandstores"] == "STS A" and row["display_harga"] == "IDR 150.000"
    assert row["img_path"].endswith("/uploads/menus/sun.jpg")
    for bad in ({"idmenu": "abc"}, {"idbrandstore": True}, {"kategori": ["", " "]}):
        assert client.post("/api/brandstore_menus/explore", json=bad).status_code == 422, bad
    assert client.post("/api/brandstore_menus/explore?page=x", json={}).status_code == 422
    assert client.post("/api/brandstore_menus/explore", data="[]",
                       content_type="application/json").status_code == 400


def test_search_filters_limit_and_grouping_by_category(client):
    rows, things = seeded_lists()
    plain = client.post("/api/brandstore_menus/search", json={"groupname": "STS"}).get_json()
    assert list(plain) == ["brandstoremenus"]
    assert ids_of(plain["brandstoremenus"]) == sorted(
        [rows["sun_a"].id, rows["sun_b"].id, rows["serum_a"].id])
    limited = client.post("/api/brandstore_menus/search", json={"limit": 2}).get_json()
    assert len(limited["brandstoremenus"]) == 2
    grouped = client.post("/api/brandstore_menus/search", json={"groupby": "menu"}).get_json()[
        "brandstoremenus"]
    assert isinstance(grouped, dict) and set(grouped) == {"Lagi Hits", "Serum"}
    assert ids_of(grouped["Lagi Hits"]) == sorted([rows["sun_a"].id, rows["sun_b"].id])
    assert ids_of(grouped["Serum"]) == sorted([rows["serum_a"].id, rows["toner_mcm"].id])
    assert all(item["kategori"] == key for key, items in grouped.items() for item in items)
    narrowed = client.post("/api/brandstore_menus/search", json={
        "groupby": "menu", "idbrandstore": things["sts_a"].id}).get_json()["brandstoremenus"]
    assert {key: ids_of(items) for key, items in narrowed.items()} == {
        "Lagi Hits": [rows["sun_a"].id], "Serum": [rows["serum_a"].id]}
    uncategorised = make_store_menu(make_product(), things["other"])
    loose = client.post("/api/brandstore_menus/search", json={
        "groupby": "menu", "idbrandstore": things["other"].id}).get_json()["brandstoremenus"]
    assert ids_of(loose["Tanpa kategori"]) == [uncategorised.id]
    for bad in ({"groupby": "kota"}, {"limit": "banyak"}, {"idmenu": "x"}):
        response = client.post("/api/brandstore_menus/search", json=bad)
        assert response.status_code == 422, bad


def test_get_shows_the_stock_rows(client):
    rows, _things = seeded_lists()
    row = rows["sun_a"]
    body = client.get(f"/api/brandstore_menus/{row.id}").get_json()["brandstoremenus"]
    assert body["id"] == row.id and body["menu"]["nama"] == "Sunscreen SPF 50"
    assert body["brandstore"]["nama"] == "STS A"
    assert body["stocks"] == [{
        "id": row.stock.id, "idbrandstoremenus": row.id, "quantitytotal": 5,
        "datetimeupdateat": row.stock.datetimeupdateat.strftime("%Y-%m-%d %H:%M:%S"),
        "idbundlemenus": 0, "nama": "Sunscreen SPF 50", "brief": "Untuk kulit berminyak",
        "harga": 150000, "pajak": 15000, "buffertime": 0}]
    assert client.get("/api/brandstore_menus/999999").status_code == 404
    assert client.get("/api/brandstore_menus/satu").status_code == 404


def test_table_follows_the_table_specs(client):
    rows, things = seeded_lists()
    response = client.post("/api/brandstore_menus/table", data={
        "draw": "2", "start": "0", "length": "10", "order[0][column]": "13",
        "order[0][dir]": "desc", "groupname": "STS"})
    body = response.get_json()
    assert response.status_code == 200 and body["recordsTotal"] == 4
    assert body["recordsFiltered"] == 3
    first = body["data"][0]
    assert len(first) == 16
    assert first[0] == rows["serum_a"].id and first[13] == 11  # most stock first
    assert first[1] == things["serum"].id and first[2] == things["sts_a"].id
    assert first[3] == "Serum Vitamin C" and first[9] == "Serum" and first[15] == (
        rows["serum_a"].stock.id)
    by_name = client.post("/api/brandstore_menus/table", data={
        "draw": "1", "search[value]": "sunscreen"}).get_json()
    assert sorted(row[0] for row in by_name["data"]) == sorted(
        [rows["sun_a"].id, rows["sun_b"].id])
    by_category = client.post("/api/brandstore_menus/table", data={
        "draw": "1", "order[0][column]": "9", "order[0][dir]": "asc"}).get_json()
    assert [row[9] for row in by_category["data"]] == sorted(row[9] for row in
                                                             by_category["data"])
    assert client.post("/api/brandstore_menus/table", data={
        "draw": "1", "idmenu": "abc"}).status_code == 422


def test_delete_removes_the_stock_row_too(client, owner_headers):
    row_id = make_store_menu(quantity=4).id
    response = client.delete(f"/api/brandstore_menus/{row_id}/delete", headers=owner_headers)
    assert response.get_json() == {"deleted": True}
    assert count(StoreMenu) == 0 and count(StoreMenuStock) == 0
    assert client.delete(f"/api/brandstore_menus/{row_id}/delete",
                         headers=owner_headers).status_code == 404


def test_there_is_no_update_of_an_assignment(client, owner_headers):
    row = make_store_menu()
    for method in ("PUT", "POST"):
        response = client.open(f"/api/brandstore_menus/{row.id}/update", method=method,
                               headers=owner_headers, json={"idmenu": make_product().id})
        assert response.status_code in (404, 405)


def test_products_of_deleted_products_or_stores_never_appear(client, owner_headers, auth):
    rows, things = seeded_lists()
    client.delete(f"/api/brandstore/{things['sts_b'].id}/delete", headers=owner_headers)
    menu = db.session.get(Menu, things["toner"].id)
    menu.deleted_at = clinic_now()  # a product deleted by the catalog
    db.session.commit()
    live = sorted([rows["sun_a"].id, rows["serum_a"].id])
    for headers in ({}, owner_headers):
        explore = client.post("/api/brandstore_menus/explore", headers=headers, json={}).get_json()
        assert ids_of(explore["data"]) == live and explore["totaldata"] == 2
        search = client.post("/api/brandstore_menus/search", headers=headers,
                             json={}).get_json()["brandstoremenus"]
        assert ids_of(search) == live
        table = client.post("/api/brandstore_menus/table", headers=headers,
                            data={"draw": "1"}).get_json()
        assert table["recordsTotal"] == 2 and sorted(r[0] for r in table["data"]) == live
        for gone in (rows["sun_b"], rows["toner_mcm"]):
            assert client.get(f"/api/brandstore_menus/{gone.id}",
                              headers=headers).status_code == 404


def test_products_of_hidden_stores_are_for_staff_only(client, auth):
    shown = make_store_menu(store=make_store(nama="Tampil"))
    hidden = make_store_menu(store=make_store(nama="Tersembunyi", is_show=False))
    customer = auth.headers(make_user())
    staff = auth.headers(make_user(roles=("DOCTOR",)))
    for headers in ({}, customer):
        assert ids_of(client.post("/api/brandstore_menus/explore", headers=headers,
                                  json={}).get_json()["data"]) == [shown.id]
        assert client.get(f"/api/brandstore_menus/{hidden.id}", headers=headers).status_code \
            == 404
        assert client.post("/api/brandstore_menus/table", headers=headers,
                           data={"draw": "1"}).get_json()["recordsTotal"] == 1
    assert ids_of(client.post("/api/brandstore_menus/explore", headers=staff,
                              json={}).get_json()["data"]) == sorted([shown.id, hidden.id])


def test_promotion_price_counts_only_while_it_runs(client):
    now = clinic_now()
    running = make_store_menu(make_product(harga_promosi=99000,
                                           mulai_harga_promosi=now - timedelta(days=1),
                                           selesai_harga_promosi=now + timedelta(days=1)))
    over = make_store_menu(make_product(harga_promosi=99000,
                                        mulai_harga_promosi=now - timedelta(days=5),
                                        selesai_harga_promosi=now - timedelta(days=1)))
    none = make_store_menu(make_product())
    data = {row["id"]: row for row in client.post("/api/brandstore_menus/search",
                                                  json={}).get_json()["brandstoremenus"]}
    assert data[running.id]["harga_promosi"] == 99000
    assert data[running.id]["display_harga_promosi"] == "IDR 99.000"
    assert data[over.id]["harga_promosi"] is None and data[none.id]["harga_promosi"] is None
    assert data[none.id]["display_harga_promosi"] == "IDR 0"


# ==== stock ===================================================================================
def test_set_stock_and_adjust_stock(data_app):
    row = make_store_menu(quantity=2)
    assert store_ops.set_stock(row, 10) == 10
    assert store_ops.adjust_stock(row, -4) == 6
    assert store_ops.adjust_stock(row, "3") == 9
    with pytest.raises(Conflict):
        store_ops.adjust_stock(row, -10)
    assert store_ops.current_stock(row) == 9
    for bad in (-1, "lima", None, True, 2.5, 10**12):
        with pytest.raises(Invalid):
            store_ops.set_stock(row, bad)
    for bad in ("x", None, True, 10**12):
        with pytest.raises(Invalid):
            store_ops.adjust_stock(row, bad)
    assert store_ops.current_stock(row) == 9
    assert store_ops.set_stock(row, 0) == 0
    with pytest.raises(Conflict):
        store_ops.adjust_stock(row, -1)
    db.session.expire_all()
    assert db.session.get(StoreMenu, row.id).stock.quantitytotal == 0


def test_stock_row_is_made_when_missing(data_app):
    menu, store = make_product(), make_store()
    row = StoreMenu(idmenu=menu.id, idbrandstore=store.id)
    db.session.add(row)
    db.session.commit()
    assert store_ops.adjust_stock(row, 4) == 4
    assert store_ops.set_stock(row, 7) == 7
    assert count(StoreMenuStock) == 1


def test_the_database_refuses_negative_stock():
    row = make_store_menu(quantity=1)
    row.stock.quantitytotal = -1
    with pytest.raises(Exception):
        db.session.commit()
    db.session.rollback()


def test_concurrent_decrements_never_go_below_zero(data_app):
    """10 sessions at once take 1 each from a stock of 5: exactly 5 succeed, stock 0."""
    row = make_store_menu(quantity=5)
    row_id = row.id
    db.session.remove()
    barrier = threading.Barrier(10)
    outcomes = []

    def take_one():
        with data_app.app_context():
            try:
                store_menu = db.session.get(StoreMenu, row_id)
                barrier.wait(timeout=10)
                store_ops.adjust_stock(store_menu, -1)
                outcomes.append("ok")
            except Conflict:
                outcomes.append("short")
            except Exception as exc:  # noqa: BLE001 — any other failure fails the test
                outcomes.append(f"error: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take_one) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok"] * 5 + ["short"] * 5, outcomes
    db.session.expire_all()
    assert db.session.execute(select(StoreMenuStock.quantitytotal).where(
        StoreMenuStock.idbrandstoremenus == row_id)).scalar_one() == 0

