"""The catalog API: menu_categories, menus, menu_images and promotions, as the mobile app and
the back-office call them (documented envelopes, filters, refusals, uploads, visibility)."""
import io
import os
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from models import Menu, MenuCategory, MenuImage, Promotion, clinic_now
from tests.conftest import count_queries, make_user, png_bytes
from tests.factories.catalog import (make_menu, make_menu_category, make_menu_image,
                                     make_promotion)

BASE = "http://testserver.local"


def fresh(model, object_id):
    """Re-read a row as the database has it now."""
    db.session.rollback()
    return db.session.get(model, object_id)


def count(model, *where):
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def stored_files(app, kind):
    """Every file (visible or temporary) in an upload folder."""
    folder = os.path.join(app.config["UPLOAD_DIR"], kind)
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def file_exists(app, kind, name):
    return os.path.isfile(os.path.join(app.config["UPLOAD_DIR"], kind, name))


def picture(name="foto.png", colour=(200, 30, 30)):
    return (io.BytesIO(png_bytes(colour=colour)), name)


def oversized():
    """A real PNG of random pixels, bigger than the test limit of 512 KB."""
    image = Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 512 * 1024
    return buffer.getvalue()


def bomb():
    """A tiny file that decodes to 25 megapixels (the test limit is 4)."""
    buffer = io.BytesIO()
    Image.new("1", (5000, 5000)).save(buffer, "PNG")
    return buffer.getvalue()


REFUSED_UPLOADS = [
    pytest.param(b"#!/bin/sh\nrm -rf /\n", "foto.jpg", 422, id="script-named-jpg"),
    pytest.param(b"<script>alert(1)</script>", "foto.png", 422, id="html-named-png"),
    pytest.param(None, "besar.png", 413, id="oversize"),
    pytest.param(b"bomb", "bom.png", 413, id="decompression-bomb"),
]


def refused_payload(payload):
    if payload is None:
        return oversized()
    if payload == b"bomb":
        return bomb()
    return payload


@pytest.fixture
def staff_headers(auth):
    """A front-desk (USERS) account: it may change the catalog, not promotions."""
    return auth.headers(make_user(roles=("USERS",)))


@pytest.fixture
def customer_headers(auth):
    return auth.headers(make_user(roles=("CUSTOMER",)))


# ---- menu categories -------------------------------------------------------------------
def test_category_create_answers_documented_shape(client, staff_headers):
    response = client.post("/api/menu_categories/create", headers=staff_headers, json={
        "menu_categories": "Vitamin Booster", "codes": "vb", "color": "#000aaf"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["menu_categories"]
    assert body == {"id": body["id"], "menu_categories": "Vitamin Booster", "codes": "VB",
                    "color": "#000AAF", "images": "", "img_path": "", "image_path": ""}


@pytest.mark.parametrize("body, field", [
    ({"menu_categories": "Serum", "codes": "sr", "color": "#198754"}, "codes"),  # SR exists
    ({"menu_categories": "Baru", "codes": "NEW", "color": "merah"}, "color"),
    ({"menu_categories": "Baru", "codes": "NEW", "color": "#12345"}, "color"),
    ({"menu_categories": "Baru", "codes": "N E W", "color": "#123456"}, "codes"),
    ({"menu_categories": "", "codes": "NEW"}, "menu_categories"),
])
def test_category_refusals(client, staff_headers, body, field):
    make_menu_category(menu_categories="Serum", codes="SR")
    response = client.post("/api/menu_categories/create", headers=staff_headers, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["exception"]["fields"]
    assert count(MenuCategory) == 1


def test_category_short_colour_is_expanded_and_filters(client):
    make_menu_category(menu_categories="Vitamin Booster", codes="VB", color="#000AAF")
    make_menu_category(menu_categories="Serum Wajah", codes="SR")
    found = client.post("/api/menu_categories/search", json={"menu_categories": "serum"})
    assert [row["codes"] for row in found.get_json()["menu_categories"]] == ["SR"]
    by_code = client.post("/api/menu_categories/explore", json={"codes": "vb"}).get_json()
    assert [row["codes"] for row in by_code["data"]] == ["VB"]
    table = client.post("/api/menu_categories/table", data={"draw": "1"}).get_json()
    assert table["data"][0][:4] == [table["data"][0][0], "Serum Wajah", "SR", "#0D6EFD"]
    assert len(table["data"][0]) == 6


def test_category_upload_answers_images_envelope_and_replaces_the_file(client, app,
                                                                        staff_headers):
    category = make_menu_category()
    first = client.post(f"/api/menu_categories/{category.id}/uploads", headers=staff_headers,
                        data={"picture": picture()}, content_type="multipart/form-data")
    assert first.status_code == 200, first.get_json()
    answer = first.get_json()
    name = fresh(MenuCategory, category.id).images
    assert answer == {"images": {"id": category.id, "image_upload": True,
                                 "img_path": f"{BASE}/uploads/menu_categories/{name}"}}
    assert file_exists(app, "menu_categories", name)
    got = client.get(f"/api/menu_categories/{category.id}").get_json()["menu_categories"]
    assert got["images"] == name and got["img_path"].endswith(name)
    second = client.post(f"/api/menu_categories/{category.id}/uploads", headers=staff_headers,
                         data={"picture": picture(colour=(0, 0, 200))},
                         content_type="multipart/form-data")
    assert second.status_code == 200
    assert not file_exists(app, "menu_categories", name)
    assert file_exists(app, "menu_categories", fresh(MenuCategory, category.id).images)


@pytest.mark.parametrize("payload, filename, status", REFUSED_UPLOADS)
def test_category_upload_refusals_leave_nothing_behind(client, app, staff_headers, payload,
                                                       filename, status):
    category = make_menu_category()
    before = stored_files(app, "menu_categories")
    response = client.post(f"/api/menu_categories/{category.id}/uploads", headers=staff_headers,
                           data={"picture": (io.BytesIO(refused_payload(payload)), filename)},
                           content_type="multipart/form-data")
    assert response.status_code == status
    assert response.get_json()["status"] == "error"
    assert stored_files(app, "menu_categories") == before
    assert fresh(MenuCategory, category.id).images == ""


def test_category_in_use_cannot_be_deleted_deleted_products_let_go(client, app, staff_headers):
    used = make_menu_category()
    menu = make_menu(used)
    response = client.delete(f"/api/menu_categories/{used.id}/delete", headers=staff_headers)
    assert response.status_code == 409
    assert "1 produk" in response.get_json()["exception"]["message"]
    assert client.delete(f"/api/menus/{menu.id}/delete", headers=staff_headers).status_code == 200
    assert client.delete(f"/api/menu_categories/{used.id}/delete",
                         headers=staff_headers).get_json() == {"deleted": True}
    menu_id, category_id = menu.id, used.id
    assert fresh(Menu, menu_id).id_menu_categories_1 is None
    assert fresh(MenuCategory, category_id) is None


# ---- menus -----------------------------------------------------------------------------
DOCUMENTED_MENU = {
    "nama_menus": "SKINTIFIC Cream Vit C", "brief": "kulit kencang mulus terawat tak terlupakan",
    "harga": 23000, "pajak": 0, "is_resep_required": 0, "is_featured": 1,
    "id_menu_categories_1": 6, "id_menu_categories_2": 0, "id_menu_categories_3": 0,
    "dosis": "3mg", "komposisi": "-", "aturan_pakai": "Malam sebelum tidur",
    "nomor_registrasi": "xxx-xxxxxxxxxx", "produsen": "PT xxxxxxxxxx", "satuan": "gram",
    "berat": "380"}


def test_menu_create_stores_none_for_zero_and_answers_zero(client, staff_headers):
    category = make_menu_category()
    response = client.post("/api/menus/create", headers=staff_headers,
                           json={**DOCUMENTED_MENU, "id_menu_categories_1": category.id})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["menus"]
    assert body["id_menu_categories_1"] == category.id
    assert body["id_menu_categories_2"] == 0 and body["id_menu_categories_3"] == 0
    assert body["berat"] == 380 and body["harga"] == 23000 and body["is_featured"] == 1
    assert body["mulai_harga_promosi"] is None and body["selesai_harga_promosi"] is None
    assert body["images"] == "" and body["harga_berlaku"] == 23000
    assert body["is_promosi_aktif"] == 0
    stored = fresh(Menu, body["id"])
    assert stored.id_menu_categories_2 is None and stored.id_menu_categories_3 is None


def test_menu_update_put_and_post(client, staff_headers):
    menu = make_menu(make_menu_category())
    for method in ("PUT", "POST"):
        response = client.open(f"/api/menus/{menu.id}/update", method=method,
                               headers=staff_headers,
                               json={"harga": 150000, "id_menu_categories_1": 0})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["menus"]["id_menu_categories_1"] == 0
    assert fresh(Menu, menu.id).harga == 150000


@pytest.mark.parametrize("change, field", [
    ({"harga": 10000, "harga_promosi": 12000, "mulai_harga_promosi": "01/01/2030 00:00",
      "selesai_harga_promosi": "31/01/2030 23:59"}, "harga_promosi"),
    ({"harga_promosi": 5000, "mulai_harga_promosi": "31/01/2030 00:00",
      "selesai_harga_promosi": "01/01/2030 00:00"}, "selesai_harga_promosi"),
    ({"harga_promosi": 5000, "mulai_harga_promosi": "01/01/2030 00:00"}, "selesai_harga_promosi"),
    ({"harga_promosi": 5000}, "mulai_harga_promosi"),
    ({"harga": -1}, "harga"),
    ({"berat": -5}, "berat"),
    ({"mulai_harga_promosi": "kemarin", "selesai_harga_promosi": "besok"}, "mulai_harga_promosi"),
    ({"id_menu_categories_1": 999999}, "id_menu_categories_1"),
    ({"id_menu_categories_1": -3}, "id_menu_categories_1"),
    ({"id_menu_categories_2": "SAME"}, "id_menu_categories_2"),
    ({"nama_menus": "x" * 201}, "nama_menus"),
    ({"harga": "dua ribu"}, "harga"),
])
def test_menu_refusals(client, staff_headers, change, field):
    category = make_menu_category()
    if change.get("id_menu_categories_2") == "SAME":
        change = {"id_menu_categories_1": category.id, "id_menu_categories_2": category.id}
    body = {**DOCUMENTED_MENU, "id_menu_categories_1": category.id, **change}
    response = client.post("/api/menus/create", headers=staff_headers, json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["exception"]["fields"]
    assert count(Menu) == 0


def test_menu_update_checks_the_promotion_price_against_the_stored_price(client, staff_headers):
    now = clinic_now()
    menu = make_menu(harga=100000, harga_promosi=80000, mulai_harga_promosi=now,
                     selesai_harga_promosi=now + timedelta(days=3))
    response = client.put(f"/api/menus/{menu.id}/update", headers=staff_headers,
                          json={"harga": 70000})
    assert response.status_code == 422
    assert "harga_promosi" in response.get_json()["exception"]["fields"]
    assert fresh(Menu, menu.id).harga == 100000


def test_zero_dates_of_the_old_server_mean_none(client, staff_headers):
    response = client.post("/api/menus/create", headers=staff_headers, json={
        **DOCUMENTED_MENU, "id_menu_categories_1": 0, "mulai_harga_promosi": "0000-00-00 00:00:00",
        "selesai_harga_promosi": "0000-00-00 00:00:00"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["menus"]["mulai_harga_promosi"] is None


def test_promotion_price_counts_only_inside_its_window_in_clinic_time(client):
    now = clinic_now()  # Asia/Jakarta, 7 hours ahead of UTC
    inside = make_menu(nama_menus="Dalam", harga=100000, harga_promosi=75000,
                       mulai_harga_promosi=now - timedelta(hours=1),
                       selesai_harga_promosi=now + timedelta(hours=1))
    ended = make_menu(nama_menus="Lewat", harga=100000, harga_promosi=75000,
                      mulai_harga_promosi=now - timedelta(days=3),
                      selesai_harga_promosi=now - timedelta(hours=2))
    later = make_menu(nama_menus="Nanti", harga=100000, harga_promosi=75000,
                      mulai_harga_promosi=now + timedelta(hours=2),
                      selesai_harga_promosi=now + timedelta(days=3))
    rows = {row["id"]: row for row in client.post("/api/menus/search").get_json()["menus"]}
    assert (rows[inside.id]["harga_berlaku"], rows[inside.id]["is_promosi_aktif"]) == (75000, 1)
    for menu in (ended, later):
        assert (rows[menu.id]["harga_berlaku"], rows[menu.id]["is_promosi_aktif"]) == (100000, 0)
        assert rows[menu.id]["harga_promosi"] == 75000  # the documented field stays
    got = client.get(f"/api/menus/{inside.id}").get_json()["menus"]
    assert got["harga_berlaku"] == 75000
    assert got["mulai_harga_promosi"] == inside.mulai_harga_promosi.strftime("%Y-%m-%d %H:%M:%S")


def _names(body, key="menus"):
    rows = body["data"] if "data" in body else body[key]
    return sorted(row["nama_menus"] for row in rows)


def test_menu_filters(client):
    first, second, third = (make_menu_category() for _ in range(3))
    make_menu(first, nama_menus="Art Peel Booster Serum", is_featured=True)
    make_menu(second, nama_menus="Acne Night Cream", is_resep_required=True,
              id_menu_categories_2=third.id)
    make_menu(None, nama_menus="Sabun Tanpa Kategori")
    make_menu(third, nama_menus="ART PEEL Masker")

    def search(body):
        response = client.post("/api/menus/search", json=body)
        assert response.status_code == 200, response.get_json()
        return _names(response.get_json())

    assert search({"id_menu_categories_1": first.id}) == ["Art Peel Booster Serum"]
    assert search({"id_menu_categories_2": third.id}) == ["Acne Night Cream"]
    assert search({"id_menu_categories_1": 0}) == ["Sabun Tanpa Kategori"]
    assert search({"id_menu_categories_2": 0}) == ["ART PEEL Masker", "Art Peel Booster Serum",
                                                   "Sabun Tanpa Kategori"]
    assert search({"id_menu_categories": [third.id]}) == ["ART PEEL Masker", "Acne Night Cream"]
    assert search({"id_menu_categories": [first.id, str(second.id)]}) == [
        "Acne Night Cream", "Art Peel Booster Serum"]
    assert search({"id_menu_categories": third.id}) == ["ART PEEL Masker", "Acne Night Cream"]
    assert search({"is_resep_required": 1}) == ["Acne Night Cream"]
    assert search({"is_featured": "1"}) == ["Art Peel Booster Serum"]
    assert search({"nama_menus": "art peel"}) == ["ART PEEL Masker", "Art Peel Booster Serum"]
    assert search({"nama_menus": "%"}) == []
    assert search({"nama_menus": "peel", "is_featured": 0}) == ["ART PEEL Masker"]
    explored = client.post("/api/menus/explore?page=1&length=10",
                           json={"nama_menus": "PEEL"}).get_json()
    assert explored["totaldata"] == 2 and _names(explored) == ["ART PEEL Masker",
                                                               "Art Peel Booster Serum"]
    table = client.post("/api/menus/table", data={"draw": "1", "nama_menus": "acne",
                                                  "is_resep_required": "1"}).get_json()
    assert table["recordsFiltered"] == 1 and table["data"][0][1] == "Acne Night Cream"


@pytest.mark.parametrize("body", [{"id_menu_categories": ["satu"]}, {"id_menu_categories_1": "x"},
                                  {"id_menu_categories_3": -1}, {"is_featured": "mungkin"},
                                  {"id_menu_categories": [True]}])
def test_menu_bad_filters_are_422(client, body):
    response = client.post("/api/menus/search", json=body)
    assert response.status_code == 422
    assert set(body) <= set(response.get_json()["exception"]["fields"])


def test_menu_table_columns_are_category_names_and_primary_image(client):
    vitamin = make_menu_category(menu_categories="Vitamin Booster")
    serum = make_menu_category(menu_categories="Serum")
    menu = make_menu(vitamin, nama_menus="Chizu Cream Kulit", id_menu_categories_3=serum.id)
    make_menu_image(menu)
    second = make_menu_image(menu, primary=False)
    client.post("/api/menus/table", data={"draw": "1"})
    from services.engine import gallery
    gallery.make_primary(fresh(MenuImage, second.id))
    db.session.commit()
    response = client.post("/api/menus/table", data={"draw": "4", "search[value]": "booster"})
    row = response.get_json()["data"][0]
    assert row[1] == "Chizu Cream Kulit"
    assert row[6] == f"{BASE}/uploads/menus/{second.menu_image}"
    assert row[11:14] == ["Vitamin Booster", "", "Serum"]
    ordered = client.post("/api/menus/table", data={
        "draw": "1", "order[0][column]": "11", "order[0][dir]": "desc"}).get_json()
    assert ordered["recordsTotal"] == 1


def test_menu_images_field_is_the_primary_absolute_url(client, staff_headers):
    menu = make_menu()
    first = make_menu_image(menu)
    second = make_menu_image(menu)
    assert client.get(f"/api/menus/{menu.id}").get_json()["menus"]["images"] == \
        f"{BASE}/uploads/menus/{first.menu_image}"
    client.put(f"/api/menu_images/{second.id}/update", headers=staff_headers,
               json={"is_primary": 1})
    listed = client.post("/api/menus/explore", json={}).get_json()["data"][0]
    assert listed["images"] == f"{BASE}/uploads/menus/{second.menu_image}"


def test_menu_lists_keep_a_fixed_number_of_queries_with_images(client):
    def run():
        with count_queries() as queries:
            assert client.post("/api/menus/explore?length=50", json={}).status_code == 200
        return len(queries)

    def add(number):
        for _ in range(number):
            menu = make_menu(make_menu_category(), id_menu_categories_2=make_menu_category().id,
                             id_menu_categories_3=make_menu_category().id)
            make_menu_image(menu)
            make_menu_image(menu)

    add(2)
    few = run()
    add(8)
    assert run() == few


def test_rich_text_fields_are_sanitized(client, staff_headers):
    dangerous = '<p>Aman<script>alert(1)</script><img src="x" onerror="alert(2)"></p>'
    response = client.post("/api/menus/create", headers=staff_headers, json={
        **DOCUMENTED_MENU, "id_menu_categories_1": 0, "brief": dangerous,
        "komposisi": '<a href="javascript:alert(3)">klik</a>', "aturan_pakai": dangerous})
    body = response.get_json()["menus"]
    for name in ("brief", "komposisi", "aturan_pakai"):
        assert "<script" not in body[name] and "onerror" not in body[name]
        assert "javascript:" not in body[name]
    assert "Aman" in body["brief"] and "klik" in body["komposisi"]


def test_soft_deleted_menus_never_appear(client, staff_headers):
    gone = make_menu(nama_menus="Produk Lama")
    kept = make_menu(nama_menus="Produk Baru")
    assert client.delete(f"/api/menus/{gone.id}/delete",
                         headers=staff_headers).get_json() == {"deleted": True}
    assert fresh(Menu, gone.id).deleted_at is not None
    assert client.get(f"/api/menus/{gone.id}").status_code == 404
    assert [row["id"] for row in client.post("/api/menus/search").get_json()["menus"]] == [kept.id]
    assert client.post("/api/menus/explore", json={}).get_json()["totaldata"] == 1
    table = client.post("/api/menus/table", data={"draw": "1"}).get_json()
    assert table["recordsTotal"] == 1 and [row[0] for row in table["data"]] == [kept.id]
    assert client.put(f"/api/menus/{gone.id}/update", headers=staff_headers,
                      json={"harga": 1}).status_code == 404
    refused = client.post("/api/menu_images/create", headers=staff_headers,
                          data={"id_menus": str(gone.id), "picture": picture()},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "id_menus" in refused.get_json()["exception"]["fields"]


def test_prescription_requests_need_a_signed_in_customer(client):
    # menus/prescriptions/requests belongs to consultations (tests/api/test_threads.py).
    assert client.post("/api/menus/prescriptions/requests",
                       json={"id_menu": 1}).status_code == 401


# ---- menu images -----------------------------------------------------------------------
def upload_image(client, headers, menu, **fields):
    data = {"id_menus": str(menu.id), "picture": picture(), **fields}
    return client.post("/api/menu_images/create", headers=headers, data=data,
                       content_type="multipart/form-data")


def test_menu_image_create_first_is_primary_and_order_grows(client, app, staff_headers):
    menu = make_menu(nama_menus="Chizu Cream Kulit")
    first = upload_image(client, staff_headers, menu)
    assert first.status_code == 200, first.get_json()
    body = first.get_json()["menu_images"]
    assert body["is_primary"] == 1 and body["nomor_urut_tampil"] == 0
    assert body["image_upload"] is True and body["id_menus"] == menu.id
    assert body["img_path"] == f"{BASE}/uploads/menus/{body['menu_image']}"
    assert body["menus"]["nama_menus"] == "Chizu Cream Kulit"
    assert file_exists(app, "menus", body["menu_image"])
    second = upload_image(client, staff_headers, menu).get_json()["menu_images"]
    assert second["is_primary"] == 0 and second["nomor_urut_tampil"] == 1
    third = upload_image(client, staff_headers, menu, is_primary="1").get_json()["menu_images"]
    assert third["is_primary"] == 1
    primaries = db.session.execute(select(MenuImage.id).where(
        MenuImage.id_menus == menu.id, MenuImage.is_primary.is_(True))).scalars().all()
    assert primaries == [third["id"]]


def test_menu_image_create_requires_picture_and_a_live_menu(client, staff_headers):
    menu = make_menu()
    missing = client.post("/api/menu_images/create", headers=staff_headers,
                          data={"id_menus": str(menu.id)}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "picture" in missing.get_json()["exception"]["fields"]
    no_menu = client.post("/api/menu_images/create", headers=staff_headers,
                          data={"picture": picture()}, content_type="multipart/form-data")
    assert no_menu.status_code == 422 and "id_menus" in no_menu.get_json()["exception"]["fields"]
    unknown = upload_image(client, staff_headers, menu, id_menus="999999")
    assert unknown.status_code == 422
    assert count(MenuImage) == 0


@pytest.mark.parametrize("payload, filename, status", REFUSED_UPLOADS)
def test_menu_image_refusals_leave_no_file_and_no_row(client, app, staff_headers, payload,
                                                      filename, status):
    menu = make_menu()
    existing = make_menu_image(menu)
    before = stored_files(app, "menus")
    response = client.post("/api/menu_images/create", headers=staff_headers, data={
        "id_menus": str(menu.id), "picture": (io.BytesIO(refused_payload(payload)), filename)},
        content_type="multipart/form-data")
    assert response.status_code == status
    assert stored_files(app, "menus") == before
    assert count(MenuImage) == 1
    # The same refusal on update keeps the old picture.
    update = client.put(f"/api/menu_images/{existing.id}/update", headers=staff_headers, data={
        "picture": (io.BytesIO(refused_payload(payload)), filename)},
        content_type="multipart/form-data")
    assert update.status_code == status
    assert stored_files(app, "menus") == before
    assert fresh(MenuImage, existing.id).menu_image == existing.menu_image


def test_menu_image_update_replaces_the_file_and_moves_primary(client, app, staff_headers):
    menu = make_menu()
    first = make_menu_image(menu)
    second = make_menu_image(menu)
    old_name = second.menu_image
    response = client.put(f"/api/menu_images/{second.id}/update", headers=staff_headers, data={
        "id_menus": str(menu.id), "is_primary": "1", "picture": picture(colour=(0, 200, 0))},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["menu_images"]
    assert body["is_primary"] == 1 and body["menu_image"] != old_name
    assert not file_exists(app, "menus", old_name) and file_exists(app, "menus", body["menu_image"])
    assert fresh(MenuImage, first.id).is_primary is False
    moved = client.put(f"/api/menu_images/{first.id}/update", headers=staff_headers,
                       json={"nomor_urut_tampil": 5})
    assert moved.status_code == 200 and moved.get_json()["menu_images"]["nomor_urut_tampil"] == 5
    assert fresh(MenuImage, first.id).menu_image == first.menu_image  # no picture: file kept
    negative = client.put(f"/api/menu_images/{first.id}/update", headers=staff_headers,
                          json={"nomor_urut_tampil": -1})
    assert negative.status_code == 422


def test_menu_image_lists_follow_display_order_and_get_nests_the_menu(client):
    menu = make_menu(nama_menus="Chizu Cream Kulit", harga=100000)
    late = make_menu_image(menu, nomor_urut_tampil=2)
    early = make_menu_image(menu, nomor_urut_tampil=1)
    make_menu_image(make_menu())
    rows = client.post("/api/menu_images/search", json={"id_menus": menu.id}).get_json()
    assert [row["id"] for row in rows["menu_images"]] == [early.id, late.id]
    assert set(rows["menu_images"][0]) == {"id", "id_menus", "menu_image", "is_primary",
                                            "nomor_urut_tampil", "img_path"}
    explored = client.post("/api/menu_images/explore", json={"id_menus": str(menu.id)}).get_json()
    assert explored["totaldata"] == 2
    got = client.get(f"/api/menu_images/{late.id}").get_json()["menu_images"]
    assert got["menus"]["id"] == menu.id and got["menus"]["harga"] == 100000
    assert {"kategori", "harga_promosi", "mulai_harga_promosi", "is_featured"} <= set(got["menus"])


def test_deleting_the_primary_promotes_the_next_and_removes_the_file(client, app, staff_headers):
    menu = make_menu()
    first = make_menu_image(menu)
    second = make_menu_image(menu)
    assert client.delete(f"/api/menu_images/{first.id}/delete",
                         headers=staff_headers).get_json() == {"deleted": True}
    assert not file_exists(app, "menus", first.menu_image)
    assert fresh(MenuImage, second.id).is_primary is True
    assert client.get(f"/api/menus/{menu.id}").get_json()["menus"]["images"].endswith(
        second.menu_image)
    client.delete(f"/api/menu_images/{second.id}/delete", headers=staff_headers)
    assert client.get(f"/api/menus/{menu.id}").get_json()["menus"]["images"] == ""


# ---- promotions ------------------------------------------------------------------------
DOCUMENTED_PROMOTION = {
    "type": "POTONGAN", "value": 25000, "quota": 1000, "start_datetime": "20/10/2023 00:00",
    "expired_datetime": "20/12/2023 23:00", "display_codes": "ULTAH5TH",
    "title": "Dikon Ulang Tahun!", "description": "Diskon ulang tahun colederma spesial."}


def test_promotion_create_accepts_documented_dates_and_answers_iso(client, owner_headers):
    response = client.post("/api/promotions/create", headers=owner_headers,
                           json={**DOCUMENTED_PROMOTION, "display_codes": "ultah5th",
                                 "used": 999})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["promotions"]
    assert body["start_datetime"] == "2023-10-20 00:00:00"
    assert body["expired_datetime"] == "2023-12-20 23:00:00"
    assert body["display_codes"] == "ULTAH5TH"
    assert body["used"] == 0 and body["remaining"] == 1000  # used is read-only
    assert body["img_promotions"] == "" and body["img_promotions_path"] == ""
    assert body["id_menu"] == 0 and body["is_aktif"] == 0
    iso = client.post("/api/promotions/create", headers=owner_headers, json={
        **DOCUMENTED_PROMOTION, "display_codes": "ISO2030", "start_datetime": "2030-01-01 08:00",
        "expired_datetime": "2030-01-31T20:30:00"})
    assert iso.get_json()["promotions"]["expired_datetime"] == "2030-01-31 20:30:00"


@pytest.mark.parametrize("code", ["ULTAH5TH", "ultah5th", "Ultah5th", " ultah5TH "])
def test_promotion_codes_are_unique_regardless_of_case(client, owner_headers, code):
    make_promotion(display_codes="ULTAH5TH")
    response = client.post("/api/promotions/create", headers=owner_headers,
                           json={**DOCUMENTED_PROMOTION, "display_codes": code})
    assert response.status_code == 422
    assert response.get_json()["exception"]["fields"]["display_codes"] == "Sudah digunakan."
    assert count(Promotion) == 1
    other = make_promotion(display_codes="LAIN")
    renamed = client.put(f"/api/promotions/{other.id}/update", headers=owner_headers,
                         json={"display_codes": code})
    assert renamed.status_code == 422
    same = client.put(f"/api/promotions/{other.id}/update", headers=owner_headers,
                      json={"display_codes": "lain"})
    assert same.status_code == 200


@pytest.mark.parametrize("change, field", [
    ({"type": "GRATIS"}, "type"),
    ({"type": "PERSEN", "value": 0}, "value"),
    ({"type": "PERSEN", "value": 101}, "value"),
    ({"value": -1}, "value"),
    ({"quota": -1}, "quota"),
    ({"expired_datetime": "20/10/2023 00:00"}, "expired_datetime"),  # same as start
    ({"expired_datetime": "19/10/2023 23:00"}, "expired_datetime"),
    ({"start_datetime": "31/02/2023 00:00"}, "start_datetime"),
    ({"start_datetime": ""}, "start_datetime"),
    ({"display_codes": "ULANG TAHUN"}, "display_codes"),
    ({"display_codes": "X" * 31}, "display_codes"),
    ({"id_menu": 999999}, "id_menu"),
    ({"quota": "banyak"}, "quota"),
])
def test_promotion_refusals(client, owner_headers, change, field):
    response = client.post("/api/promotions/create", headers=owner_headers,
                           json={**DOCUMENTED_PROMOTION, **change})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["exception"]["fields"]
    assert count(Promotion) == 0


def test_promotion_types_and_limits(client, owner_headers):
    menu = make_menu()
    for kind, value in (("PERSEN", 100), ("PERSEN", 1), ("NOMINAL", 0), ("potongan", 50000)):
        response = client.post("/api/promotions/create", headers=owner_headers, json={
            **DOCUMENTED_PROMOTION, "type": kind, "value": value, "id_menu": menu.id,
            "display_codes": f"K{kind}{value}"})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["promotions"]["type"] == kind.upper()
        assert response.get_json()["promotions"]["id_menu"] == menu.id


def test_promotion_quota_cannot_go_below_used_and_used_codes_stay(client, owner_headers):
    promotion = make_promotion(quota=100, used=40)
    response = client.put(f"/api/promotions/{promotion.id}/update", headers=owner_headers,
                          json={"quota": 39})
    assert response.status_code == 422 and "quota" in response.get_json()["exception"]["fields"]
    ok = client.put(f"/api/promotions/{promotion.id}/update", headers=owner_headers,
                    json={"quota": 40, "used": 0}).get_json()["promotions"]
    assert ok["quota"] == 40 and ok["used"] == 40 and ok["remaining"] == 0
    # Changing only the end must still keep it after the stored start.
    early = client.put(f"/api/promotions/{promotion.id}/update", headers=owner_headers,
                       json={"expired_datetime": (promotion.start_datetime - timedelta(hours=1))
                             .strftime("%d/%m/%Y %H:%M")})
    assert early.status_code == 422
    refused = client.delete(f"/api/promotions/{promotion.id}/delete", headers=owner_headers)
    assert refused.status_code == 409 and fresh(Promotion, promotion.id) is not None


def test_public_and_customers_see_only_current_promotions(client, auth, customer_headers):
    current = make_promotion(display_codes="SEKARANG", title="Promo sekarang")
    ended = make_promotion(current=False, display_codes="KEMARIN", title="Promo kemarin")
    now = clinic_now()
    later = make_promotion(display_codes="NANTI", start_datetime=now + timedelta(days=2),
                           expired_datetime=now + timedelta(days=9))
    staff = auth.headers(make_user(roles=("USERS",)))
    doctor = auth.headers(make_user(roles=("DOCTOR",)))
    for headers in ({}, customer_headers):
        nothing_else = client.post("/api/promotions/search", headers=headers,
                                   json={"aktif": 0}).get_json()
        assert nothing_else == {"promotions": []}  # they never reach the others
        for body in ({}, {"aktif": 1}):
            explored = client.post("/api/promotions/explore?page=1&length=10", headers=headers,
                                   json=body).get_json()
            assert [row["id"] for row in explored["data"]] == [current.id]
            assert explored["totaldata"] == 1
            searched = client.post("/api/promotions/search", headers=headers,
                                   json=body).get_json()
            assert [row["id"] for row in searched["promotions"]] == [current.id]
        got = client.get("/api/promotions/explore?page=1&length=10", headers=headers).get_json()
        assert [row["id"] for row in got["data"]] == [current.id]
        table = client.post("/api/promotions/table", headers=headers,
                            data={"draw": "2"}).get_json()
        assert table["recordsTotal"] == 1 and [row[0] for row in table["data"]] == [current.id]
        assert client.get(f"/api/promotions/{current.id}", headers=headers).status_code == 200
        for hidden in (ended, later):
            assert client.get(f"/api/promotions/{hidden.id}", headers=headers).status_code == 404
    for headers in (staff, doctor):
        everything = client.post("/api/promotions/search", headers=headers, json={}).get_json()
        assert {row["id"] for row in everything["promotions"]} == {current.id, ended.id, later.id}
        assert client.get(f"/api/promotions/{ended.id}", headers=headers).status_code == 200
        only_not_now = client.post("/api/promotions/search", headers=headers,
                                   json={"aktif": 0}).get_json()
        assert {row["id"] for row in only_not_now["promotions"]} == {ended.id, later.id}
        table = client.post("/api/promotions/table", headers=headers, data={"draw": "1"}).get_json()
        assert table["recordsTotal"] == 3


def test_promotion_filters_and_list_picture_url(client, owner_headers):
    promotion = make_promotion(display_codes="ULTAH5TH", title="Dikon Ulang Tahun!")
    make_promotion(display_codes="LAIN", title="Promo lain")
    client.post(f"/api/promotions/{promotion.id}/uploads", headers=owner_headers,
                data={"picture": picture()}, content_type="multipart/form-data")
    name = fresh(Promotion, promotion.id).img_promotions
    rows = client.post("/api/promotions/search", json={"display_codes": "ultah5th",
                                                       "title": "ulang tahun"}).get_json()
    assert [row["id"] for row in rows["promotions"]] == [promotion.id]
    assert rows["promotions"][0]["img_promotions"] == f"{BASE}/uploads/promotions/{name}"
    detail = client.get(f"/api/promotions/{promotion.id}").get_json()["promotions"]
    assert detail["img_promotions"] == name
    assert detail["img_promotions_path"] == f"{BASE}/uploads/promotions/{name}"
    assert client.post("/api/promotions/search", json={"type": "persen"}).get_json() == {
        "promotions": []}


def test_promotion_upload_answers_under_promotions(client, app, owner_headers):
    promotion = make_promotion()
    response = client.post(f"/api/promotions/{promotion.id}/uploads", headers=owner_headers,
                           data={"picture": picture()}, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert list(body) == ["promotions"]
    name = body["promotions"]["img_promotions"]
    assert name and file_exists(app, "promotions", name)
    assert body["promotions"]["img_promotions_path"] == f"{BASE}/uploads/promotions/{name}"


@pytest.mark.parametrize("payload, filename, status", REFUSED_UPLOADS)
def test_promotion_upload_refusals_leave_nothing_behind(client, app, owner_headers, payload,
                                                        filename, status):
    promotion = make_promotion()
    before = stored_files(app, "promotions")
    response = client.post(f"/api/promotions/{promotion.id}/uploads", headers=owner_headers,
                           data={"picture": (io.BytesIO(refused_payload(payload)), filename)},
                           content_type="multipart/form-data")
    assert response.status_code == status
    assert stored_files(app, "promotions") == before
    assert fresh(Promotion, promotion.id).img_promotions == ""


def test_promotion_writes_are_for_managers_only(client, staff_headers):
    promotion = make_promotion()
    assert client.post("/api/promotions/create", headers=staff_headers,
                       json=DOCUMENTED_PROMOTION).status_code == 403
    assert client.put(f"/api/promotions/{promotion.id}/update", headers=staff_headers,
                      json={"title": "x"}).status_code == 403
    assert client.post(f"/api/promotions/{promotion.id}/uploads", headers=staff_headers,
                       data={"picture": picture()},
                       content_type="multipart/form-data").status_code == 403


def test_unknown_promotion_ids_are_404(client, owner_headers):
    assert client.get("/api/promotions/999999", headers=owner_headers).status_code == 404
    assert client.get("/api/promotions/abc").status_code == 404
    assert client.post("/api/promotions/explore?page=abc", json={}).status_code == 422
    assert client.post("/api/promotions/search", headers={"Content-Type": "application/json"},
                       data="[1]").status_code == 400


def test_openapi_lists_the_promotion_actions_as_public(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in ("/promotions/explore", "/promotions/search", "/promotions/table",
                 "/promotions/{object_id}"):
        operations = paths[path]
        assert all(operation.get("security") == [] for operation in operations.values()), path
    assert paths["/menus/prescriptions/requests"]["post"].get("security") != []


def test_promotion_datetimes_are_answered_as_documented(client, owner_headers):
    promotion = make_promotion(start_datetime=datetime(2030, 1, 2, 3, 4, 5),
                               expired_datetime=datetime(2030, 2, 2, 3, 4, 5))
    body = client.get(f"/api/promotions/{promotion.id}", headers=owner_headers).get_json()
    assert body["promotions"]["start_datetime"] == "2030-01-02 03:04:05"
    assert body["promotions"]["expired_datetime"] == "2030-02-02 03:04:05"
    assert body["promotions"]["is_aktif"] == 0
    # Not current yet: the public does not see it.
    assert client.post("/api/promotions/search", json={}).get_json() == {"promotions": []}


def test_pictures_of_deleted_products_do_not_appear(client, staff_headers):
    gone = make_menu()
    image = make_menu_image(gone)
    kept = make_menu_image(make_menu())
    client.delete(f"/api/menus/{gone.id}/delete", headers=staff_headers)
    listed = client.post("/api/menu_images/search", json={}).get_json()["menu_images"]
    assert [row["id"] for row in listed] == [kept.id]
    assert client.get(f"/api/menu_images/{image.id}").status_code == 404
