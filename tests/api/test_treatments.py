"""Services, service categories, service images, holidays and delivery tiers: the documented
shapes, every endpoint with bad input, uploads that are refused, tier overlap and pricing,
holiday dates both ways, and what patients may see."""
import io
import os
from datetime import date

import pytest
from sqlalchemy import func, select

from models import DeliveryTier, Holiday, Service, ServiceCategory, ServiceImage, db
from services.format import weekday_name
from services.treatments.holidays import holiday_on, holidays_between, is_holiday
from services.treatments.tiers import price_for_distance, tier_for_distance
from tests.conftest import count_queries, make_user, png_bytes
from tests.factories.treatments import (make_delivery_tier, make_holiday, make_service,
                                        make_service_category, make_service_image)

SCRIPT = b"<?php system($_GET['c']); ?>"


# ---- helpers ----------------------------------------------------------------------------
def stored_files(app, kind):
    """Names of the files stored for an upload kind."""
    folder = os.path.join(app.config["UPLOAD_DIR"], kind)
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def oversize_bytes(app):
    """A body just over the upload limit (a PNG header, then padding)."""
    return png_bytes() + b"\0" * (app.config["UPLOAD_MAX_BYTES"] + 10)


def bomb_bytes():
    """A small PNG that decodes to far more pixels than allowed."""
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("L", (6000, 6000)).save(buffer, "PNG")
    return buffer.getvalue()


def refusals(app):
    """(label, bytes, file name, expected status) of uploads that must be refused."""
    return [("script named .jpg", SCRIPT, "foto.jpg", 422),
            ("oversize", oversize_bytes(app), "besar.png", 413),
            ("decompression bomb", bomb_bytes(), "bom.png", 413)]


def fresh(model, object_id):
    """The row as the database has it now."""
    db.session.rollback()
    return db.session.get(model, object_id)


def error_fields(response):
    return response.get_json()["exception"]["fields"]


# ---- service categories -------------------------------------------------------------------
def test_category_create_get_and_documented_shapes(client, owner_headers):
    created = client.post("/api/service_categories/create", headers=owner_headers, json={
        "service_categories": "Obat Alergi", "codes": "OA01", "color": "#002121"})
    assert created.status_code == 200
    body = created.get_json()["service_categories"]
    assert body == {"id": body["id"], "service_categories": "Obat Alergi", "codes": "OA01",
                    "color": "#002121", "images": "", "img_path": ""}
    got = client.get(f"/api/service_categories/{body['id']}").get_json()["service_categories"]
    assert got == body
    listed = client.post("/api/service_categories/explore?page=1&length=10", json={}).get_json()
    assert listed["data"] == [body] and listed["totaldata"] == 1
    searched = client.post("/api/service_categories/search", json={}).get_json()
    assert searched == {"service_categories": [body]}
    table = client.post("/api/service_categories/table", data={"draw": "4"}).get_json()
    assert table["data"] == [[body["id"], "Obat Alergi", "OA01", "#002121", ""]]


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#GGGGGG", "002121", 12])
def test_category_colour_must_be_hex(client, owner_headers, colour):
    response = client.post("/api/service_categories/create", headers=owner_headers, json={
        "service_categories": "Laser", "codes": "LSR", "color": colour})
    assert response.status_code == 422 and "color" in error_fields(response)
    assert db.session.query(ServiceCategory).count() == 0


def test_category_colour_is_normalised_and_blank_keeps_it(client, owner_headers):
    body = client.post("/api/service_categories/create", headers=owner_headers, json={
        "service_categories": "Laser", "codes": "LSR", "color": "#6f42c1"}).get_json()
    category = body["service_categories"]
    assert category["color"] == "#6F42C1"
    kept = client.put(f"/api/service_categories/{category['id']}/update", headers=owner_headers,
                      json={"color": ""}).get_json()["service_categories"]
    assert kept["color"] == "#6F42C1"
    default = client.post("/api/service_categories/create", headers=owner_headers, json={
        "service_categories": "Peeling", "codes": "PLG"}).get_json()["service_categories"]
    assert default["color"] == "#6C757D"


def test_category_codes_unique_regardless_of_case(client, owner_headers):
    make_service_category(codes="OA01")
    for code in ("OA01", "oa01", " Oa01 "):
        response = client.post("/api/service_categories/create", headers=owner_headers, json={
            "service_categories": "Lain", "codes": code})
        assert response.status_code == 422, code
        assert error_fields(response) == {"codes": "Sudah digunakan."}
    other = make_service_category(codes="ZZ9")
    clash = client.put(f"/api/service_categories/{other.id}/update", headers=owner_headers,
                       json={"codes": "oA01"})
    assert clash.status_code == 422 and "codes" in error_fields(clash)
    assert fresh(ServiceCategory, other.id).codes == "ZZ9"


def test_category_bad_inputs(client, owner_headers):
    category = make_service_category()
    missing = client.post("/api/service_categories/create", headers=owner_headers, json={})
    assert missing.status_code == 422
    assert {"service_categories", "codes"} <= set(error_fields(missing))
    blank = client.put(f"/api/service_categories/{category.id}/update", headers=owner_headers,
                       json={"service_categories": "  "})
    assert blank.status_code == 422 and "service_categories" in error_fields(blank)
    long_name = client.post("/api/service_categories/create", headers=owner_headers, json={
        "service_categories": "x" * 101, "codes": "X1"})
    assert long_name.status_code == 422
    not_json = client.put(f"/api/service_categories/{category.id}/update",
                          headers={**owner_headers, "Content-Type": "application/json"},
                          data="[1]")
    assert not_json.status_code == 400
    assert client.get("/api/service_categories/999999").status_code == 404
    assert client.post("/api/service_categories/table", data={
        "draw": "1", "order[0][column]": "9"}).status_code == 422


def test_category_upload_answers_the_documented_envelope_and_replaces(app, client,
                                                                      owner_headers):
    category = make_service_category()
    url = f"/api/service_categories/{category.id}/uploads"
    others = stored_files(app, "service_categories")
    first = client.post(url, headers=owner_headers, content_type="multipart/form-data",
                        data={"picture": (io.BytesIO(png_bytes()), "a.png")})
    assert first.status_code == 200, first.get_json()
    images = first.get_json()["images"]
    assert images["id"] == category.id and images["image_upload"] is True
    assert images["img_path"].startswith("http") and "/uploads/service_categories/" in images["img_path"]
    name = fresh(ServiceCategory, category.id).images
    assert images["img_path"].endswith(name)
    assert stored_files(app, "service_categories") - others == {name}
    got = client.get(f"/api/service_categories/{category.id}").get_json()["service_categories"]
    assert got["images"] == name and got["img_path"] == images["img_path"]
    served = client.get(f"/uploads/service_categories/{name}")
    assert served.status_code == 200 and served.headers["X-Content-Type-Options"] == "nosniff"
    second = client.post(url, headers=owner_headers, content_type="multipart/form-data",
                         data={"picture": (io.BytesIO(png_bytes(colour=(1, 2, 3))), "b.png")})
    assert second.status_code == 200
    new_name = fresh(ServiceCategory, category.id).images
    assert new_name != name and stored_files(app, "service_categories") - others == {new_name}


def test_category_upload_refusals_leave_nothing(app, client, owner_headers):
    category = make_service_category()
    url = f"/api/service_categories/{category.id}/uploads"
    client.post(url, headers=owner_headers, content_type="multipart/form-data",
                data={"picture": (io.BytesIO(png_bytes()), "a.png")})
    before_name = fresh(ServiceCategory, category.id).images
    before_files = stored_files(app, "service_categories")
    for label, content, filename, status in refusals(app):
        response = client.post(url, headers=owner_headers, content_type="multipart/form-data",
                               data={"picture": (io.BytesIO(content), filename)})
        assert response.status_code == status, label
        assert response.get_json()["status"] == "error" and "picture" in error_fields(response)
        assert stored_files(app, "service_categories") == before_files, label
        assert fresh(ServiceCategory, category.id).images == before_name, label
    nothing = client.post(url, headers=owner_headers, content_type="multipart/form-data", data={})
    assert nothing.status_code == 422
    unknown = client.post("/api/service_categories/999999/uploads", headers=owner_headers,
                          content_type="multipart/form-data",
                          data={"picture": (io.BytesIO(png_bytes()), "a.png")})
    assert unknown.status_code == 404 and stored_files(app, "service_categories") == before_files


def test_category_delete_refused_while_services_use_it(app, client, owner_headers):
    category = make_service_category()
    service = make_service(category)
    refused = client.delete(f"/api/service_categories/{category.id}/delete", headers=owner_headers)
    assert refused.status_code == 409 and "1 layanan" in refused.get_json()["exception"]["message"]
    assert client.delete(f"/api/services/{service.id}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}
    client.post(f"/api/service_categories/{category.id}/uploads", headers=owner_headers,
                content_type="multipart/form-data",
                data={"picture": (io.BytesIO(png_bytes()), "a.png")})
    picture = fresh(ServiceCategory, category.id).images
    assert picture in stored_files(app, "service_categories")
    deleted = client.delete(f"/api/service_categories/{category.id}/delete", headers=owner_headers)
    assert deleted.get_json() == {"deleted": True}
    assert fresh(ServiceCategory, category.id) is None
    assert db.session.get(Service, service.id).id_service_categories is None
    assert picture not in stored_files(app, "service_categories")


# ---- services -----------------------------------------------------------------------------
def test_service_create_answers_nested_category(client, owner_headers):
    category = make_service_category(service_categories="UMUM", codes="U", color="#000AAA")
    response = client.post("/api/services/create", headers=owner_headers, json={
        "services_name": "Cek kolestrol dan gula darah", "services_price": "100000",
        "services_description": "Cek kolestrol dan gula darah dan konsultasi dokter",
        "buffer_time": "30", "is_available": 1, "id_service_categories": str(category.id)})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["services"]
    assert body["services_price"] == 100000 and body["buffer_time"] == 30
    assert body["is_available"] == 1 and body["images"] == ""
    assert body["service_categories"] == {
        "id": category.id, "service_categories": "UMUM", "codes": "U", "color": "#000AAA",
        "images": "", "img_path": ""}
    got = client.get(f"/api/services/{body['id']}").get_json()["services"]
    assert got == body
    updated = client.put(f"/api/services/{body['id']}/update", headers=owner_headers, json={
        "services_name": "Cek kolestrol dan gula darahhhh", "services_price": "120000",
        "buffer_time": "45", "is_available": 0, "id_service_categories": category.id})
    changed = updated.get_json()["services"]
    assert changed["services_name"].endswith("hhhh") and changed["services_price"] == 120000
    assert changed["buffer_time"] == 45 and changed["is_available"] == 0
    assert changed["service_categories"]["codes"] == "U"


def test_service_lists_follow_the_document(client, owner_headers):
    umum = make_service_category(service_categories="UMUM", codes="U", color="#000AAA")
    laser = make_service_category(service_categories="Laser", codes="L", color="#6F42C1")
    first = make_service(umum, services_name="Cek Gula Darah", services_price=100000)
    picture_less = make_service(umum, services_name="Cek Kolesterol", services_price=90000)
    make_service(umum, services_name="Nonaktif", is_available=False)
    make_service(laser, services_name="Laser Rejuvenation", services_price=1500000)
    make_service_image(first)
    second_picture = make_service_image(first, primary=True)
    explore = client.post("/api/services/explore?page=1&length=10", headers=owner_headers,
                          json={"is_available": 1, "id_service_categories": umum.id}).get_json()
    assert [row["id"] for row in explore["data"]] == [first.id, picture_less.id]
    row = explore["data"][0]
    assert list(row) == ["id", "services_name", "service_categories", "services_price",
                         "services_description", "buffer_time", "is_available",
                         "id_service_categories", "codes", "color", "images"]
    assert row["service_categories"] == "UMUM" and row["codes"] == "U" and row["color"] == "#000AAA"
    assert row["images"].startswith("http") and row["images"].endswith(second_picture.service_image)
    assert explore["data"][1]["images"] == ""
    search = client.post("/api/services/search", headers=owner_headers,
                         json={"is_available": 1, "id_service_categories": umum.id}).get_json()
    assert list(search) == ["services"]
    assert [row["id"] for row in search["services"]] == [first.id, picture_less.id]
    assert search["services"][0]["services_category"] == "UMUM"
    assert "service_categories" not in search["services"][0]
    assert {"id", "services_name", "services_category", "services_price",
            "services_description", "buffer_time", "is_available"} <= set(search["services"][0])
    both = client.post("/api/services/search", headers=owner_headers,
                       json={"id_service_categories": [umum.id, laser.id]}).get_json()
    assert len(both["services"]) == 4
    unavailable = client.post("/api/services/search", headers=owner_headers,
                              json={"is_available": "0"}).get_json()["services"]
    assert [row["services_name"] for row in unavailable] == ["Nonaktif"]
    by_name = client.post("/api/services/search", headers=owner_headers,
                          json={"services_name": "KOLEST"}).get_json()["services"]
    assert [row["id"] for row in by_name] == [picture_less.id]


def test_service_table_columns_and_filters(client, owner_headers):
    umum = make_service_category(service_categories="UMUM", codes="U", color="#000AAA")
    service = make_service(umum, services_name="Cek Gula Darah", services_price=100000,
                           buffer_time=30)
    make_service(services_name="Lain", is_available=False)
    image = make_service_image(service)
    body = client.post("/api/services/table", headers=owner_headers, data={
        "draw": "2", "start": "0", "length": "10", "is_available": "1",
        "id_service_categories": str(umum.id)}).get_json()
    assert body["recordsTotal"] == 2 and body["recordsFiltered"] == 1
    row = body["data"][0]
    assert row[:9] == [service.id, "Cek Gula Darah", "UMUM", 100000, "<p>Perawatan kulit</p>", 30,
                       1, umum.id, "U"]
    assert row[9] == "#000AAA" and row[10].endswith(image.service_image)
    by_category = client.post("/api/services/table", headers=owner_headers, data={
        "draw": "1", "search[value]": "umum"}).get_json()
    assert by_category["recordsFiltered"] == 1
    ordered = client.post("/api/services/table", headers=owner_headers, data={
        "draw": "1", "order[0][column]": "2", "order[0][dir]": "desc"}).get_json()
    assert len(ordered["data"]) == 2


@pytest.mark.parametrize("body, field", [
    ({"services_price": -1}, "services_price"),
    ({"services_price": "seratus"}, "services_price"),
    ({"services_price": 10**12}, "services_price"),
    ({"buffer_time": 4}, "buffer_time"),
    ({"buffer_time": 481}, "buffer_time"),
    ({"buffer_time": "tiga puluh"}, "buffer_time"),
    ({"id_service_categories": 999999}, "id_service_categories"),
    ({"id_service_categories": 10**20}, "id_service_categories"),
    ({"id_service_categories": "abc"}, "id_service_categories"),
    ({"is_available": "mungkin"}, "is_available"),
    ({"services_name": "x" * 151}, "services_name"),
])
def test_service_bad_input_is_422(client, owner_headers, body, field):
    category = make_service_category()
    payload = {"services_name": "Acne Facial", "services_price": 350000, "buffer_time": 60,
               "id_service_categories": category.id, **body}
    response = client.post("/api/services/create", headers=owner_headers, json=payload)
    assert response.status_code == 422, response.get_json()
    assert field in error_fields(response)
    assert db.session.query(Service).count() == 0
    service = make_service(category)
    update = client.put(f"/api/services/{service.id}/update", headers=owner_headers, json=body)
    assert update.status_code == 422 and field in error_fields(update)


def test_service_duration_bounds_are_inclusive_and_update_cannot_blank(client, owner_headers):
    category = make_service_category()
    for minutes in (5, 480):
        response = client.post("/api/services/create", headers=owner_headers, json={
            "services_name": f"Tindakan {minutes}", "services_price": 0, "buffer_time": minutes,
            "id_service_categories": category.id})
        assert response.status_code == 200 and response.get_json()["services"]["buffer_time"] == minutes
    service = make_service(category)
    for body in ({"services_name": ""}, {"id_service_categories": None},
                 {"services_price": ""}):
        response = client.put(f"/api/services/{service.id}/update", headers=owner_headers,
                              json=body)
        assert response.status_code == 422, body
    missing = client.post("/api/services/create", headers=owner_headers, json={})
    assert {"services_name", "services_price", "id_service_categories"} <= set(error_fields(missing))


def test_service_description_is_sanitized(client, owner_headers):
    category = make_service_category()
    body = client.post("/api/services/create", headers=owner_headers, json={
        "services_name": "Facial", "services_price": 1, "buffer_time": 30,
        "id_service_categories": category.id,
        "services_description": '<p style="color: red">Aman<script>alert(1)</script>'
                                '<img src="x" onerror="alert(2)"></p>'}).get_json()
    description = body["services"]["services_description"]
    assert "<script" not in description and "onerror" not in description
    assert "Aman" in description and 'style="color:red"' in description


def test_service_delete_is_soft(client, owner_headers):
    service = make_service()
    assert client.delete(f"/api/services/{service.id}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}
    row = fresh(Service, service.id)
    assert row is not None and row.deleted_at is not None
    assert client.get(f"/api/services/{service.id}").status_code == 404
    assert client.post("/api/services/search", json={}).get_json() == {"services": []}
    assert client.put(f"/api/services/{service.id}/update", headers=owner_headers,
                      json={"services_price": 1}).status_code == 404


def test_service_bad_filters_are_422(client):
    make_service()
    for body in ({"is_available": "barangkali"}, {"id_service_categories": "abc"},
                 {"id_service_categories": 10**20}, {"id_service_categories": [1, "x"]}):
        for kind in ("explore", "search"):
            response = client.post(f"/api/services/{kind}", json=body)
            assert response.status_code == 422, (kind, body)
    assert client.post("/api/services/search", data="[]",
                       headers={"Content-Type": "application/json"}).status_code == 400


def test_service_lists_run_a_fixed_number_of_queries_with_pictures(client):
    def run():
        with count_queries() as queries:
            assert client.post("/api/services/explore?length=50", json={}).status_code == 200
            assert client.post("/api/services/search", json={}).status_code == 200
            assert client.post("/api/services/table", data={"length": "50"}).status_code == 200
        return len(queries)

    for _ in range(2):
        make_service_image(make_service())
    small = run()
    for _ in range(8):
        service = make_service()
        make_service_image(service)
        make_service_image(service)
    assert run() == small


def test_patients_and_visitors_see_only_available_services(client, auth):
    category = make_service_category()
    shown = make_service(category, services_name="Tersedia")
    hidden = make_service(category, services_name="Disembunyikan", is_available=False)
    shown_image = make_service_image(shown)
    hidden_image = make_service_image(hidden)
    customer = auth.headers(make_user())
    staff = auth.headers(make_user(roles=("USERS",)))
    for headers in ({}, customer):
        explore = client.post("/api/services/explore", headers=headers, json={}).get_json()
        assert [row["id"] for row in explore["data"]] == [shown.id]
        assert explore["totaldata"] == 1
        search = client.post("/api/services/search", headers=headers, json={}).get_json()
        assert [row["id"] for row in search["services"]] == [shown.id]
        table = client.post("/api/services/table", headers=headers, data={"draw": "1"}).get_json()
        assert [row[0] for row in table["data"]] == [shown.id] and table["recordsTotal"] == 1
        assert client.get(f"/api/services/{hidden.id}", headers=headers).status_code == 404
        images = client.post("/api/service_images/search", headers=headers, json={}).get_json()
        assert [row["id"] for row in images["service_images"]] == [shown_image.id]
        assert client.get(f"/api/service_images/{hidden_image.id}",
                          headers=headers).status_code == 404
    everything = client.post("/api/services/search", headers=staff, json={}).get_json()
    assert {row["id"] for row in everything["services"]} == {shown.id, hidden.id}
    assert client.get(f"/api/services/{hidden.id}", headers=staff).status_code == 200


# ---- service images -----------------------------------------------------------------------
def upload_image(client, headers, service_id, content=None, filename="foto.png", **fields):
    data = {"id_services": str(service_id), **{key: str(value) for key, value in fields.items()}}
    if content is not False:
        data["picture"] = (io.BytesIO(content or png_bytes()), filename)
    return client.post("/api/service_images/create", headers=headers, data=data,
                       content_type="multipart/form-data")


def test_service_image_create_documented_shape_and_primary(app, client, owner_headers):
    category = make_service_category(service_categories="UMUM")
    service = make_service(category, services_name="Cek kolestrol", services_price=100000)
    first = upload_image(client, owner_headers, service.id)
    assert first.status_code == 200, first.get_json()
    body = first.get_json()["service_images"]
    documented = {"id": service.id, "services_name": "Cek kolestrol",
                  "services_category": "UMUM", "services_price": 100000,
                  "services_description": "<p>Perawatan kulit</p>", "buffer_time": 30,
                  "is_available": 1}
    # the service's one brief shape: the documented keys among the service's others
    assert {key: body["services"][key] for key in documented} == documented
    assert body["is_primary"] == 1 and body["nomor_urut_tampil"] == 0
    assert body["image_upload"] is True and body["id_services"] == service.id
    assert body["img_path"] == f"{app.config['PUBLIC_BASE_URL']}/uploads/services/{body['service_image']}"
    assert body["service_image"] in stored_files(app, "services")
    second = upload_image(client, owner_headers, service.id).get_json()["service_images"]
    assert second["is_primary"] == 0 and second["nomor_urut_tampil"] == 1
    third = upload_image(client, owner_headers, service.id,
                         is_primary=1).get_json()["service_images"]
    assert third["is_primary"] == 1
    primaries = db.session.execute(select(ServiceImage.id).where(
        ServiceImage.id_services == service.id, ServiceImage.is_primary.is_(True))).scalars().all()
    assert primaries == [third["id"]]
    got = client.get(f"/api/service_images/{second['id']}").get_json()["service_images"]
    assert got["services"]["id"] == service.id and got["img_path"].endswith(second["service_image"])
    listed = client.post("/api/services/search", json={}).get_json()["services"]
    explore = client.post("/api/services/explore", json={}).get_json()["data"]
    assert listed and explore[0]["images"].endswith(third["service_image"])


def test_service_image_lists_filter_and_order(client, owner_headers):
    service = make_service()
    other = make_service()
    first = make_service_image(service)
    second = make_service_image(service)
    make_service_image(other)
    client.put(f"/api/service_images/{second.id}/update", headers=owner_headers,
               json={"nomor_urut_tampil": 0})
    client.put(f"/api/service_images/{first.id}/update", headers=owner_headers,
               json={"nomor_urut_tampil": 5})
    search = client.post("/api/service_images/search", json={"id_services": service.id}).get_json()
    rows = search["service_images"]
    assert [row["id"] for row in rows] == [second.id, first.id]
    assert list(rows[0]) == ["id", "id_services", "service_image", "is_primary",
                             "nomor_urut_tampil", "img_path"]
    explore = client.post("/api/service_images/explore?page=1&length=1",
                          json={"id_services": service.id}).get_json()
    assert explore["totaldata"] == 2 and explore["totalpage"] == 2
    assert explore["data"][0]["id"] == second.id
    table = client.post("/api/service_images/table",
                        data={"draw": "1", "id_services": str(service.id)}).get_json()
    assert [row[0] for row in table["data"]] == [second.id, first.id]
    assert len(table["data"][0]) == 6 and table["data"][0][5].startswith("http")
    primary_only = client.post("/api/service_images/search",
                               json={"id_services": service.id, "is_primary": 1}).get_json()
    assert [row["id"] for row in primary_only["service_images"]] == [first.id]


def test_service_image_update_replaces_the_picture_and_moves_primary(app, client,
                                                                      owner_headers):
    service = make_service()
    first = make_service_image(service)
    second = make_service_image(service)
    old_name = second.service_image
    response = client.put(f"/api/service_images/{second.id}/update", headers=owner_headers,
                          content_type="multipart/form-data", data={
                              "id_services": str(service.id), "is_primary": "1",
                              "picture": (io.BytesIO(png_bytes(colour=(9, 9, 9))), "baru.png")})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["service_images"]
    assert body["service_image"] != old_name and body["is_primary"] == 1
    assert body["image_upload"] is True
    assert old_name not in stored_files(app, "services")
    assert body["service_image"] in stored_files(app, "services")
    assert fresh(ServiceImage, first.id).is_primary is False
    without_picture = client.post(f"/api/service_images/{second.id}/update",
                                  headers=owner_headers, content_type="multipart/form-data",
                                  data={"id_services": str(service.id)})
    assert without_picture.status_code == 200
    assert without_picture.get_json()["service_images"]["service_image"] == body["service_image"]
    demote = client.put(f"/api/service_images/{second.id}/update", headers=owner_headers,
                        json={"is_primary": 0})
    assert demote.get_json()["service_images"]["is_primary"] == 0
    assert fresh(ServiceImage, first.id).is_primary is True


def test_service_image_bad_inputs_leave_nothing(app, client, owner_headers):
    service = make_service()
    other = make_service()
    deleted = make_service()
    deleted.deleted_at = deleted.created
    db.session.commit()
    existing = make_service_image(service)
    files_before = stored_files(app, "services")
    cases = [
        ("no picture", dict(service_id=service.id, content=False), 422, "picture"),
        ("unknown service", dict(service_id=999999), 422, "id_services"),
        ("huge service id", dict(service_id=10**20), 422, "id_services"),
        ("deleted service", dict(service_id=deleted.id), 422, "id_services"),
        ("bad order", dict(service_id=service.id, nomor_urut_tampil=-1), 422, "nomor_urut_tampil"),
    ]
    for label, content, filename, status in refusals(app):
        cases.append((label, dict(service_id=service.id, content=content, filename=filename),
                      status, "picture"))
    for label, kwargs, status, field in cases:
        response = upload_image(client, owner_headers, **kwargs)
        assert response.status_code == status, (label, response.get_json())
        assert field in error_fields(response), label
        assert stored_files(app, "services") == files_before, label
        assert db.session.query(ServiceImage).count() == 1, label
    no_owner = client.post("/api/service_images/create", headers=owner_headers,
                           content_type="multipart/form-data",
                           data={"picture": (io.BytesIO(png_bytes()), "a.png")})
    assert no_owner.status_code == 422 and "id_services" in error_fields(no_owner)
    assert stored_files(app, "services") == files_before
    url = f"/api/service_images/{existing.id}/update"
    for label, content, filename, status in refusals(app):
        response = client.put(url, headers=owner_headers, content_type="multipart/form-data",
                              data={"picture": (io.BytesIO(content), filename)})
        assert response.status_code == status, label
        assert stored_files(app, "services") == files_before, label
        assert fresh(ServiceImage, existing.id).service_image == existing.service_image
    moved = client.put(url, headers=owner_headers, json={"id_services": other.id})
    assert moved.status_code == 422 and "id_services" in error_fields(moved)
    assert fresh(ServiceImage, existing.id).id_services == service.id


def test_service_image_delete_promotes_the_next_and_removes_the_file(app, client,
                                                                    owner_headers):
    service = make_service()
    first = make_service_image(service)
    second = make_service_image(service)
    first_id, first_name = first.id, first.service_image
    assert first_name in stored_files(app, "services")
    assert client.delete(f"/api/service_images/{first_id}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}
    assert fresh(ServiceImage, first_id) is None
    assert fresh(ServiceImage, second.id).is_primary is True
    assert first_name not in stored_files(app, "services")
    assert client.get(f"/api/service_images/{first_id}").status_code == 404


# ---- holidays -------------------------------------------------------------------------------
def test_holiday_dates_in_both_formats_answered_dd_mm_yyyy(client, owner_headers):
    created = client.post("/api/holidays/create", headers=owner_headers, json={
        "dates": "12/06/2022", "descriptions": "Docter Strage: Multiverse of madness"})
    assert created.status_code == 200
    body = created.get_json()["holidays"]
    assert body == {"id": body["id"], "dates": "12/06/2022",
                    "descriptions": "Docter Strage: Multiverse of madness"}
    assert fresh(Holiday, body["id"]).dates == date(2022, 6, 12)
    iso = client.post("/api/holidays/create", headers=owner_headers, json={
        "dates": "2022-06-16", "descriptions": "Libur"}).get_json()["holidays"]
    assert iso["dates"] == "16/06/2022"
    assert client.get(f"/api/holidays/{iso['id']}").get_json() == {"holidays": iso}
    for method in ("PUT", "POST"):
        day = "17/06/2022" if method == "PUT" else "18/06/2022"
        response = client.open(f"/api/holidays/{iso['id']}/update", method=method,
                               headers=owner_headers, json={"dates": day, "descriptions": "Geser"})
        assert response.status_code == 200
        assert response.get_json()["holidays"]["dates"] == day
    search = client.post("/api/holidays/search", json={}).get_json()
    assert search == {"holidays": [body, {"id": iso["id"], "dates": "18/06/2022",
                                          "descriptions": "Geser"}]}
    table = client.post("/api/holidays/table", data={"draw": "1", "order[0][column]": "1",
                                                     "order[0][dir]": "desc"}).get_json()
    assert table["data"] == [[iso["id"], "18/06/2022", "Geser"],
                             [body["id"], "12/06/2022", "Docter Strage: Multiverse of madness"]]


def test_holiday_one_entry_per_date(client, owner_headers):
    natal = make_holiday(dates=date(2026, 12, 25), descriptions="Hari Raya Natal")
    for given in ("25/12/2026", "2026-12-25"):
        response = client.post("/api/holidays/create", headers=owner_headers, json={
            "dates": given, "descriptions": "Lagi"})
        assert response.status_code == 422
        message = response.get_json()["exception"]["message"]
        assert "25/12/2026" in message and "Hari Raya Natal" in message
        assert error_fields(response)["dates"] == message
    other = make_holiday(dates=date(2027, 1, 1), descriptions="Tahun Baru")
    clash = client.put(f"/api/holidays/{other.id}/update", headers=owner_headers,
                       json={"dates": "25/12/2026"})
    assert clash.status_code == 422
    assert fresh(Holiday, other.id).dates == date(2027, 1, 1)
    same = client.put(f"/api/holidays/{natal.id}/update", headers=owner_headers,
                      json={"dates": "25/12/2026", "descriptions": "Natal"})
    assert same.status_code == 200
    assert db.session.query(Holiday).count() == 2


@pytest.mark.parametrize("value", ["31/02/2024", "2024/01/01", "besok", "", "12-06-2022",
                                   "01/01/0999", 20240101, None])
def test_holiday_bad_dates_are_422(client, owner_headers, value):
    response = client.post("/api/holidays/create", headers=owner_headers,
                           json={"dates": value, "descriptions": "Libur"})
    assert response.status_code == 422 and "dates" in error_fields(response)
    holiday = make_holiday()
    update = client.put(f"/api/holidays/{holiday.id}/update", headers=owner_headers,
                        json={"dates": value})
    assert update.status_code == 422


def test_holiday_other_bad_inputs(client, owner_headers):
    holiday = make_holiday()
    missing = client.post("/api/holidays/create", headers=owner_headers, json={})
    assert {"dates", "descriptions"} <= set(error_fields(missing))
    blank = client.put(f"/api/holidays/{holiday.id}/update", headers=owner_headers,
                       json={"descriptions": ""})
    assert blank.status_code == 422
    too_long = client.post("/api/holidays/create", headers=owner_headers,
                           json={"dates": "01/05/2031", "descriptions": "x" * 256})
    assert too_long.status_code == 422
    assert client.post("/api/holidays/explore", json={}).status_code == 405
    assert client.get("/api/holidays/explore").status_code == 404
    assert client.delete("/api/holidays/999999/delete", headers=owner_headers).status_code == 404


def test_holiday_search_filters(client):
    make_holiday(dates=date(2026, 12, 25), descriptions="Hari Raya Natal")
    make_holiday(dates=date(2027, 1, 1), descriptions="Tahun Baru 2027 Masehi")
    make_holiday(dates=date(2027, 3, 26), descriptions="Wafat Yesus Kristus")

    def names(body):
        response = client.post("/api/holidays/search", json=body)
        assert response.status_code == 200, response.get_json()
        return [row["descriptions"] for row in response.get_json()["holidays"]]

    assert names({"dates": "01/01/2027"}) == ["Tahun Baru 2027 Masehi"]
    assert names({"dates": "2027-01-01"}) == ["Tahun Baru 2027 Masehi"]
    assert names({"year": 2027}) == ["Tahun Baru 2027 Masehi", "Wafat Yesus Kristus"]
    assert names({"date_from": "01/01/2027", "date_to": "31/01/2027"}) == ["Tahun Baru 2027 Masehi"]
    assert names({"descriptions": "natal"}) == ["Hari Raya Natal"]
    for bad in ({"dates": "kemarin"}, {"year": "dua ribu"}, {"year": 99999},
                {"date_from": "32/01/2027"}):
        assert client.post("/api/holidays/search", json=bad).status_code == 422, bad


def test_calendar_functions():
    make_holiday(dates=date(2026, 12, 25), descriptions="Hari Raya Natal")
    make_holiday(dates=date(2027, 1, 1), descriptions="Tahun Baru")
    make_holiday(dates=date(2027, 2, 6), descriptions="Imlek")
    from datetime import datetime
    assert is_holiday(date(2026, 12, 25)) and is_holiday(datetime(2026, 12, 25, 9, 30))
    assert not is_holiday(date(2026, 12, 24))
    assert holidays_between(date(2026, 12, 25), date(2027, 1, 1)) == {date(2026, 12, 25),
                                                                      date(2027, 1, 1)}
    assert holidays_between(date(2026, 12, 26), date(2026, 12, 31)) == set()
    assert holidays_between(date(2027, 3, 1), date(2027, 1, 1)) == set()
    assert holiday_on(date(2027, 2, 6)).descriptions == "Imlek"
    assert weekday_name(date(2026, 12, 25)) == "Jumat" and weekday_name(date(2027, 1, 3)) == "Minggu"
    with pytest.raises(TypeError):
        is_holiday("25/12/2026")


# ---- delivery tiers -------------------------------------------------------------------------
def create_tier(client, headers, start, end, price=10000, **extra):
    return client.post("/api/deliveries/create", headers=headers, json={
        "distance_fr": start, "distance_to": end, "price_in_km": price, **extra})


def test_tier_documented_shapes_and_order(client, owner_headers):
    second = create_tier(client, owner_headers, 5, 10, 12000).get_json()["deliveries"]
    first = create_tier(client, owner_headers, 0, 5, "15000",
                        segment="Range dari 0 s.d 5 KM").get_json()["deliveries"]
    assert first == {"id": first["id"], "distance_fr": 0, "distance_to": 5,
                     "segment": "Range dari 0 s.d 5 KM", "price_in_km": 15000}
    assert second["segment"] == "Range dari 5 s.d 10 KM"  # filled in when not given
    explore = client.post("/api/deliveries/explore?page=1&length=10", json={}).get_json()
    assert [row["id"] for row in explore["data"]] == [first["id"], second["id"]]
    search = client.post("/api/deliveries/search", json={}).get_json()
    assert search == {"deliveries": [first, second]}
    table = client.post("/api/deliveries/table", data={"draw": "1"}).get_json()
    assert table["data"][0] == [first["id"], 0, 5, "Range dari 0 s.d 5 KM", 15000]
    assert client.get(f"/api/deliveries/{first['id']}").get_json() == {"deliveries": first}
    updated = client.put(f"/api/deliveries/{first['id']}/update", headers=owner_headers,
                         json={"distance_fr": 0, "distance_to": 5, "segment": "Dekat",
                               "price_in_km": 16000}).get_json()["deliveries"]
    assert updated["price_in_km"] == 16000 and updated["segment"] == "Dekat"


@pytest.mark.parametrize("start, end, case", [
    (1, 4, "inside"), (3, 8, "straddling the end"), (0, 5, "equal"), (0, 20, "covering"),
    (2, 5, "inside, same end"), (8, 12, "straddling the start of the next")])
def test_tier_overlap_is_refused_naming_the_tier(client, owner_headers, start, end, case):
    make_delivery_tier(distance_fr=0, distance_to=5, segment="Range dari 0 s.d 5 KM")
    make_delivery_tier(distance_fr=10, distance_to=20, segment="Jauh")
    response = create_tier(client, owner_headers, start, end)
    assert response.status_code == 422, case
    message = response.get_json()["exception"]["message"]
    assert "bertumpukan" in message, case
    assert ("Range dari 0 s.d 5 KM (0–5 km)" in message) or ("Jauh (10–20 km)" in message), case
    assert set(error_fields(response)) == {"distance_fr", "distance_to"}
    assert db.session.query(DeliveryTier).count() == 2


def test_touching_tiers_are_allowed_and_updates_are_checked(client, owner_headers):
    make_delivery_tier(distance_fr=5, distance_to=10)
    before = create_tier(client, owner_headers, 0, 5)
    after = create_tier(client, owner_headers, 10, 20)
    assert before.status_code == 200 and after.status_code == 200
    tier_id = after.get_json()["deliveries"]["id"]
    widened = client.put(f"/api/deliveries/{tier_id}/update", headers=owner_headers,
                         json={"distance_fr": 9})
    assert widened.status_code == 422 and "5–10 km" in widened.get_json()["exception"]["message"]
    assert fresh(DeliveryTier, tier_id).distance_fr == 10
    price_only = client.put(f"/api/deliveries/{tier_id}/update", headers=owner_headers,
                            json={"price_in_km": 9000})
    assert price_only.status_code == 200  # its own range is not an overlap
    longer = client.put(f"/api/deliveries/{tier_id}/update", headers=owner_headers,
                        json={"distance_to": 30})
    assert longer.get_json()["deliveries"]["distance_to"] == 30


@pytest.mark.parametrize("body, field", [
    ({"distance_fr": -1, "distance_to": 5}, "distance_fr"),
    ({"distance_fr": 5, "distance_to": 5}, "distance_to"),
    ({"distance_fr": 6, "distance_to": 5}, "distance_to"),
    ({"distance_fr": 0, "distance_to": 10**9}, "distance_to"),
    ({"distance_fr": "nol", "distance_to": 5}, "distance_fr"),
    ({"distance_fr": 0, "distance_to": 5, "price_in_km": -100}, "price_in_km"),
    ({"distance_fr": 0, "distance_to": 5, "price_in_km": "gratis"}, "price_in_km"),
    ({"distance_fr": 0, "distance_to": 5, "segment": "x" * 101}, "segment"),
])
def test_tier_bad_input_is_422(client, owner_headers, body, field):
    payload = {"price_in_km": 10000, **body}
    response = client.post("/api/deliveries/create", headers=owner_headers, json=payload)
    assert response.status_code == 422, response.get_json()
    assert field in error_fields(response)
    assert db.session.query(DeliveryTier).count() == 0


def test_tier_update_keeping_the_range_valid(client, owner_headers):
    tier = make_delivery_tier(distance_fr=0, distance_to=5)
    inverted = client.put(f"/api/deliveries/{tier.id}/update", headers=owner_headers,
                          json={"distance_fr": 7})
    assert inverted.status_code == 422 and "distance_to" in error_fields(inverted)
    blank_segment = client.put(f"/api/deliveries/{tier.id}/update", headers=owner_headers,
                               json={"segment": ""}).get_json()["deliveries"]
    assert blank_segment["segment"] == "Range dari 0 s.d 5 KM"
    for body in ({"distance_fr": ""}, {"price_in_km": None}):
        assert client.put(f"/api/deliveries/{tier.id}/update", headers=owner_headers,
                          json=body).status_code == 422, body


def test_price_for_distance():
    near = make_delivery_tier(distance_fr=0, distance_to=5, price_in_km=15000)
    middle = make_delivery_tier(distance_fr=5, distance_to=10, price_in_km=12000)
    far = make_delivery_tier(distance_fr=10, distance_to=20, price_in_km=10000)
    assert price_for_distance(0) == (near, 0)
    assert price_for_distance(2.5) == (near, 37500)
    assert price_for_distance(4.99).tier == near
    assert price_for_distance(5) == (middle, 60000)  # the end of a range belongs to the next
    assert price_for_distance("7.3") == (middle, 87600)
    assert price_for_distance(1.33333).price == 20000  # rounded up to the whole rupiah
    assert price_for_distance(19.9).tier == far
    assert price_for_distance(20) is None and price_for_distance(250) is None
    assert tier_for_distance(12) == far
    for bad in (-1, "jauh", float("nan"), float("inf"), True, None):
        with pytest.raises(ValueError):
            price_for_distance(bad)
    db.session.delete(near)
    db.session.commit()
    assert price_for_distance(1) is None  # a gap: no tier covers it


# ---- the conformance walk covers these resources --------------------------------------------
RAJAONGKIR = {"deliveries/provinces", "deliveries/{?}/cities", "deliveries/{?}/districts",
              "deliveries/calculate", "deliveries/calculate/byweight", "deliveries/settings"}


def test_conformance_walk_covers_every_documented_endpoint_of_these_resources():
    from tests.test_conformance import ENDPOINTS, IMPLEMENTED, _endpoint_id

    resources = {"service_categories", "services", "service_images", "holidays", "deliveries"}
    expected = {f"{method} {entry['path']}" for entry in ENDPOINTS
                for method in entry["methods"]
                if entry["path"].split("/")[0] in resources and entry["path"] not in RAJAONGKIR}
    covered = {_endpoint_id(item) for item in IMPLEMENTED}
    assert len(expected) == 35
    assert expected <= covered, sorted(expected - covered)


def test_public_reads_need_no_token(client):
    service = make_service()
    image = make_service_image(service)
    holiday = make_holiday()
    tier = make_delivery_tier()
    for url in (f"/api/services/{service.id}", f"/api/service_images/{image.id}",
                f"/api/service_categories/{service.id_service_categories}",
                f"/api/holidays/{holiday.id}", f"/api/deliveries/{tier.id}"):
        assert client.get(url).status_code == 200, url
    for resource in ("services", "service_images", "service_categories", "holidays",
                     "deliveries"):
        assert client.post(f"/api/{resource}/search", json={}).status_code == 200
        assert client.post(f"/api/{resource}/table", data={"draw": "1"}).status_code == 200
    assert db.session.execute(select(func.count()).select_from(Holiday)).scalar_one() == 1
