"""Admin screens of Layanan and Pengaturan: services (money, durations, filters), the picture
gallery of a service through HTMX, category colour and image, holidays and delivery tiers."""
import io
import os
import re
from datetime import date

from models import DeliveryTier, Holiday, ServiceCategory, ServiceImage, db
from tests.conftest import csrf_from, make_user, png_bytes
from tests.factories.treatments import (make_delivery_tier, make_holiday, make_service,
                                        make_service_category, make_service_image)


def signed_in(auth, client, roles=("OWNER", "ADMIN", "USERS")):
    user = make_user(roles=roles)
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def token_of(client, path="/admin/"):
    return csrf_from(client.get(path).get_data(as_text=True))


def stored_files(app, kind):
    folder = os.path.join(app.config["UPLOAD_DIR"], kind)
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def gallery_order(service_id):
    """Image ids of a service in display order, and the primary one."""
    db.session.rollback()
    images = db.session.query(ServiceImage).filter_by(id_services=service_id).order_by(
        ServiceImage.nomor_urut_tampil, ServiceImage.id).all()
    return [image.id for image in images], [image.id for image in images if image.is_primary]


# ---- services -------------------------------------------------------------------------------
def test_services_list_shows_rupiah_minutes_and_filters(client, htmx, auth):
    signed_in(auth, client)
    laser = make_service_category(service_categories="Laser", codes="LSR")
    wajah = make_service_category(service_categories="Perawatan Wajah", codes="PWJ")
    rejuvenation = make_service(laser, services_name="Laser Rejuvenation",
                                services_price=1500000, buffer_time=60)
    make_service(wajah, services_name="Acne Facial", services_price=350000, buffer_time=45)
    make_service(wajah, services_name="Facial Nonaktif", is_available=False)
    image = make_service_image(rejuvenation)
    page = client.get("/admin/services/").get_data(as_text=True)
    assert "Rp 1.500.000" in page and "60 menit" in page and "Rp 350.000" in page
    assert "Tidak tersedia" in page and "Nama layanan" in page and "Harga" in page
    assert f"/uploads/services/{image.service_image}" in page  # primary thumbnail
    assert "fill='%230D6EFD'" in page.replace("&#39;", "'")  # category colour chip
    assert 'name="id_service_categories"' in page and 'name="is_available"' in page
    assert ">Perawatan Wajah</option>" in page
    only_laser = htmx.get(f"/admin/services/?id_service_categories={laser.id}").get_data(as_text=True)
    assert "<html" not in only_laser
    assert "Laser Rejuvenation" in only_laser and "Acne Facial" not in only_laser
    unavailable = htmx.get("/admin/services/?is_available=0").get_data(as_text=True)
    assert "Facial Nonaktif" in unavailable and "Acne Facial" not in unavailable
    by_price = htmx.get("/admin/services/?sort=harga&dir=desc").get_data(as_text=True)
    assert by_price.index("Laser Rejuvenation") < by_price.index("Acne Facial")


def test_service_detail_and_form(client, htmx, auth):
    signed_in(auth, client)
    category = make_service_category(service_categories="Konsultasi", codes="KNS",
                                     color="#0D6EFD")
    service = make_service(category, services_name="Konsultasi Dokter Spesialis Kulit",
                           services_price=250000, buffer_time=30)
    make_service_image(service)
    detail = client.get(f"/admin/services/{service.id}").get_data(as_text=True)
    assert "Rp 250.000" in detail and "30 menit" in detail and "Konsultasi" in detail
    assert f"/admin/services/{service.id}/images" in detail
    assert "Galeri gambar" in detail and "css/treatments.css" in detail
    assert "fill='%230D6EFD'" in detail.replace("&#39;", "'")  # the category colour chip
    assert 'style="' not in detail  # the CSP forbids inline styles
    form = client.get("/admin/services/new").get_data(as_text=True)
    assert "Durasi (menit)" in form and "Harga (Rp)" in form and "Kategori" in form
    token = csrf_from(form)
    bad = htmx.post("/admin/services/new", headers={"X-CSRFToken": token}, data={
        "services_name": "Laser", "services_price": "-5", "buffer_time": "500",
        "id_service_categories": str(category.id)})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Durasi 5–480 menit." in text and "negatif" in text
    good = htmx.post("/admin/services/new", headers={"X-CSRFToken": token}, data={
        "services_name": "Laser Q-Switch", "services_price": "1750000", "buffer_time": "45",
        "is_available": "1", "id_service_categories": str(category.id),
        "services_description": "<p>Flek</p><script>alert(1)</script>"})
    assert good.status_code == 204 and "/admin/services/" in good.headers["HX-Redirect"]


# ---- the gallery ----------------------------------------------------------------------------
def test_gallery_upload_two_make_the_second_primary_and_reorder(app, client, htmx, auth):
    signed_in(auth, client)
    service = make_service(services_name="Acne Facial")
    page = client.get(f"/admin/services/{service.id}/images")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Galeri gambar: Acne Facial" in html
    assert "Belum ada gambar" in html and 'multiple' in html and "js/gallery.js" in html
    token = csrf_from(html)
    headers = {"X-CSRFToken": token}
    url = f"/admin/services/{service.id}/images"
    uploaded = htmx.post(url, headers=headers, content_type="multipart/form-data", data={
        "picture": [(io.BytesIO(png_bytes(colour=(200, 0, 0))), "satu.png"),
                    (io.BytesIO(png_bytes(colour=(0, 200, 0))), "dua.png")]})
    text = uploaded.get_data(as_text=True)
    assert uploaded.status_code == 200 and "<html" not in text and 'id="gallery"' in text
    assert "2 gambar diunggah." in uploaded.headers["HX-Trigger"]
    order, primary = gallery_order(service.id)
    first, second = order
    assert primary == [first] and text.count("Jadikan utama") == 1

    made = htmx.post(f"/admin/services/{service.id}/images/{second}/primary", headers=headers)
    assert made.status_code == 200 and "Gambar utama diganti." in made.headers["HX-Trigger"]
    assert gallery_order(service.id) == ([first, second], [second])
    card = re.search(rf'id="image-{second}".*?</li>', made.get_data(as_text=True), re.S).group(0)
    assert "Utama" in card and "Jadikan utama" not in card

    moved = htmx.post(f"/admin/services/{service.id}/images/{second}/move/up", headers=headers)
    assert moved.status_code == 200 and gallery_order(service.id)[0] == [second, first]
    moved_text = moved.get_data(as_text=True)
    assert moved_text.index(f'id="image-{second}"') < moved_text.index(f'id="image-{first}"')
    down = htmx.post(f"/admin/services/{service.id}/images/{second}/move/down", headers=headers)
    assert down.status_code == 200 and gallery_order(service.id)[0] == [first, second]
    assert htmx.post(f"/admin/services/{service.id}/images/{second}/move/sideways",
                     headers=headers).status_code == 404

    # the API and the app see the new primary first
    explore = client.post("/api/services/explore", json={}).get_json()["data"]
    db.session.rollback()
    assert explore[0]["images"].endswith(db.session.get(ServiceImage, second).service_image)

    name = db.session.get(ServiceImage, second).service_image
    removed = htmx.post(f"/admin/services/{service.id}/images/{second}/delete", headers=headers)
    assert removed.status_code == 200 and "Gambar dihapus." in removed.headers["HX-Trigger"]
    assert gallery_order(service.id) == ([first], [first])
    assert name not in stored_files(app, "services")


def test_gallery_refuses_bad_files_and_keeps_nothing(app, client, htmx, auth):
    signed_in(auth, client)
    service = make_service()
    token = token_of(client, f"/admin/services/{service.id}/images")
    url = f"/admin/services/{service.id}/images"
    before = stored_files(app, "services")
    refused = htmx.post(url, headers={"X-CSRFToken": token}, content_type="multipart/form-data",
                        data={"picture": (io.BytesIO(b"<?php echo 1; ?>"), "x.jpg")})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "x.jpg ditolak" in text and "Gunakan gambar" in text
    assert stored_files(app, "services") == before
    mixed = htmx.post(url, headers={"X-CSRFToken": token}, content_type="multipart/form-data",
                      data={"picture": [(io.BytesIO(png_bytes()), "baik.png"),
                                        (io.BytesIO(b"GIF89a bukan"), "buruk.gif")]})
    assert mixed.status_code == 200 and "buruk.gif ditolak" in mixed.get_data(as_text=True)
    assert len(stored_files(app, "services") - before) == 1
    assert len(gallery_order(service.id)[0]) == 1
    empty = htmx.post(url, headers={"X-CSRFToken": token}, content_type="multipart/form-data",
                      data={})
    assert empty.status_code == 422 and "Pilih minimal satu berkas" in empty.get_data(as_text=True)
    # without HTMX: a redirect back to the gallery with the message
    plain = client.post(url, content_type="multipart/form-data", data={
        "csrf_token": token, "picture": (io.BytesIO(png_bytes()), "c.png")})
    assert plain.status_code == 302 and plain.headers["Location"].endswith(url)
    assert "1 gambar diunggah." in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"picture": (io.BytesIO(png_bytes()), "d.png")},
                       content_type="multipart/form-data").status_code == 400  # no CSRF token


def test_doctor_sees_the_gallery_but_changes_nothing(app, client, htmx, auth):
    signed_in(auth, client, roles=("DOCTOR",))
    service = make_service()
    image = make_service_image(service)
    page = client.get(f"/admin/services/{service.id}/images").get_data(as_text=True)
    assert "Tambah gambar" not in page and "Jadikan utama" not in page
    token = csrf_from(page)
    headers = {"X-CSRFToken": token}
    upload = htmx.post(f"/admin/services/{service.id}/images", headers=headers,
                       content_type="multipart/form-data",
                       data={"picture": (io.BytesIO(png_bytes()), "a.png")})
    assert upload.status_code == 403
    assert htmx.post(f"/admin/services/{service.id}/images/{image.id}/move/down", headers=headers).status_code == 403
    assert htmx.post(f"/admin/services/{service.id}/images/{image.id}/delete", headers=headers).status_code == 403
    assert gallery_order(service.id)[0] == [image.id]


def test_gallery_needs_staff_and_a_live_service(client, htmx, auth):
    service = make_service()
    assert client.get(f"/admin/services/{service.id}/images").status_code == 302
    signed_in(auth, client)
    assert client.get("/admin/services/999999/images").status_code == 404
    assert client.get(f"/admin/services/{service.id}/images/999999/primary").status_code == 405


# ---- categories -----------------------------------------------------------------------------
def test_category_screens_colour_chip_image_and_bad_colour(app, client, htmx, auth):
    signed_in(auth, client)
    category = make_service_category(service_categories="Laser", codes="LSR", color="#6F42C1")
    make_service(category)
    listing = client.get("/admin/service_categories/").get_data(as_text=True)
    assert "Nama kategori" in listing and "#6F42C1" in listing and "Laser" in listing
    detail = client.get(f"/admin/service_categories/{category.id}").get_data(as_text=True)
    assert "fill='%236F42C1'" in detail.replace("&#39;", "'") and "Jumlah layanan" in detail
    token = csrf_from(detail)
    url = f"/admin/service_categories/{category.id}/picture"
    refused = client.post(url, content_type="multipart/form-data", follow_redirects=True, data={
        "csrf_token": token, "picture": (io.BytesIO(b"<script>alert(1)</script>"), "x.png")})
    assert "Gunakan gambar" in refused.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(ServiceCategory, category.id).images == ""
    uploaded = client.post(url, content_type="multipart/form-data", follow_redirects=True, data={
        "csrf_token": token, "picture": (io.BytesIO(png_bytes()), "laser.png")})
    assert "Gambar diperbarui." in uploaded.get_data(as_text=True)
    db.session.rollback()
    name = db.session.get(ServiceCategory, category.id).images
    assert name and f"/uploads/service_categories/{name}" in uploaded.get_data(as_text=True)
    bad = htmx.post(f"/admin/service_categories/{category.id}/edit",
                    headers={"X-CSRFToken": token},
                    data={"service_categories": "Laser", "codes": "LSR", "color": "ungu"})
    assert bad.status_code == 422 and "Gunakan warna hex #RRGGBB" in bad.get_data(as_text=True)
    deleting = htmx.post(f"/admin/service_categories/{category.id}/delete?from=list",
                         headers={"X-CSRFToken": token})
    assert "masih dipakai" in deleting.headers["HX-Trigger"]


# ---- holidays -------------------------------------------------------------------------------
def test_holidays_list_weekday_and_duplicate_refused_inline(client, htmx, auth):
    signed_in(auth, client)
    make_holiday(dates=date(2026, 12, 25), descriptions="Hari Raya Natal")
    make_holiday(dates=date(2027, 1, 1), descriptions="Tahun Baru 2027 Masehi")
    listing = client.get("/admin/holidays/").get_data(as_text=True)
    assert "25/12/2026" in listing and "Jumat" in listing and "01/01/2027" in listing
    assert listing.index("25/12/2026") < listing.index("01/01/2027")
    assert "2026-12-25" not in listing
    form = client.get("/admin/holidays/new").get_data(as_text=True)
    assert 'data-date' in form and 'type="date"' not in form and "Tanggal" in form
    token = csrf_from(form)
    duplicate = htmx.post("/admin/holidays/new", headers={"X-CSRFToken": token},
                          data={"dates": "2026-12-25", "descriptions": "Lagi"})
    text = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 422
    assert "Tanggal 25/12/2026 sudah terdaftar sebagai hari libur (Hari Raya Natal)." in text
    created = htmx.post("/admin/holidays/new", headers={"X-CSRFToken": token},
                        data={"dates": "2027-02-06", "descriptions": "Tahun Baru Imlek"})
    assert created.status_code == 204
    db.session.rollback()
    holiday = db.session.query(Holiday).filter_by(dates=date(2027, 2, 6)).one()
    detail = client.get(f"/admin/holidays/{holiday.id}").get_data(as_text=True)
    assert "06/02/2027" in detail and "Sabtu" in detail
    edit = client.get(f"/admin/holidays/{holiday.id}/edit").get_data(as_text=True)
    assert 'value="06/02/2027"' in edit  # dd/mm/yyyy in the input itself


def test_front_desk_cannot_change_holidays_or_tiers(client, auth):
    signed_in(auth, client, roles=("USERS",))
    holiday = make_holiday()
    tier = make_delivery_tier()
    assert client.get("/admin/holidays/new").status_code == 403
    assert client.get(f"/admin/deliveries/{tier.id}/edit").status_code == 403
    listing = client.get("/admin/holidays/").get_data(as_text=True)
    assert "Tambah" not in listing
    token = csrf_from(listing)
    assert client.post(f"/admin/holidays/{holiday.id}/delete",
                       data={"csrf_token": token}).status_code == 403
    # the front desk does keep the services catalog
    assert client.get("/admin/services/new").status_code == 200


# ---- delivery tiers -------------------------------------------------------------------------
def test_tiers_ordered_by_distance_and_overlap_shown_inline(client, htmx, auth):
    signed_in(auth, client)
    make_delivery_tier(distance_fr=10, distance_to=20, price_in_km=10000,
                       segment="Range dari 10 s.d 20 KM")
    make_delivery_tier(distance_fr=0, distance_to=5, price_in_km=15000,
                       segment="Range dari 0 s.d 5 KM")
    listing = client.get("/admin/deliveries/").get_data(as_text=True)
    assert listing.index("0–5 km") < listing.index("10–20 km")
    assert "Rp 15.000/km" in listing and "Tarif per km" in listing
    form = client.get("/admin/deliveries/new").get_data(as_text=True)
    assert "Dari (km)" in form and "Sampai (km)" in form
    token = csrf_from(form)
    overlap = htmx.post("/admin/deliveries/new", headers={"X-CSRFToken": token}, data={
        "distance_fr": "3", "distance_to": "8", "segment": "", "price_in_km": "12000"})
    text = overlap.get_data(as_text=True)
    assert overlap.status_code == 422
    assert "Rentang 3–8 km bertumpukan dengan tarif Range dari 0 s.d 5 KM (0–5 km)." in text
    assert "is-invalid" in text and 'value="3"' in text  # the form keeps what was typed
    created = htmx.post("/admin/deliveries/new", headers={"X-CSRFToken": token}, data={
        "distance_fr": "5", "distance_to": "10", "segment": "", "price_in_km": "12000"})
    assert created.status_code == 204
    db.session.rollback()
    tier = db.session.query(DeliveryTier).filter_by(distance_fr=5).one()
    assert tier.segment == "Range dari 5 s.d 10 KM"
    detail = client.get(f"/admin/deliveries/{tier.id}").get_data(as_text=True)
    side = detail[detail.index("Semua tarif jarak"):]
    assert "Rp 12.000/km" in side
    assert side.index("0–5 km") < side.index("5–10 km") < side.index("10–20 km")
