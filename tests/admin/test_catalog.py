"""The catalog screens: lists with pictures, chips and money, the form pages with the editors,
detail screens, picture uploads and the product gallery through HTMX."""
import io
import os
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Menu, MenuCategory, MenuImage, Promotion, clinic_now, db
from tests.conftest import csrf_from, make_user, png_bytes
from tests.factories.catalog import (make_menu, make_menu_category, make_menu_image,
                                     make_promotion)

STYLED = ('<p><span style="font-family: Arial; font-size: 13px;">Niacinamide &amp; TXA</span>'
          '<script>alert(1)</script></p>')


def signed_in(auth, client, roles=("OWNER", "ADMIN", "USERS")):
    user = make_user(roles=roles)
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def token_of(client, path="/admin/"):
    return csrf_from(client.get(path).get_data(as_text=True))


def fresh(model, object_id):
    db.session.rollback()
    return db.session.get(model, object_id)


def uploads(app, kind):
    folder = os.path.join(app.config["UPLOAD_DIR"], kind)
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_catalog_screens_need_staff(client, auth, htmx):
    assert "/admin/login" in client.get("/admin/menus/").headers["Location"]
    assert htmx.get("/admin/menus/").status_code == 204
    signed_in(auth, client, roles=("DOCTOR",))
    assert client.get("/admin/menus/").status_code == 200
    assert client.get("/admin/nothing/").status_code == 404
    home = client.get("/admin/", follow_redirects=True).get_data(as_text=True)  # the catalog starts with the products
    assert re.search(r'href="/admin/menus/"[^>]*>\s*<i class="bi bi-capsule"[^>]*></i>'
                     r'<span[^>]*>Katalog', home)


def test_product_list_shows_primary_picture_chips_and_rupiah(client, auth, htmx):
    signed_in(auth, client)
    serum = make_menu_category(menu_categories="Serum", color="#198754")
    menu = make_menu(serum, nama_menus="Brightening Pore Serum", harga=105802)
    make_menu_image(menu)
    primary = make_menu_image(menu, primary=False)
    from services.engine import gallery
    gallery.make_primary(fresh(MenuImage, primary.id))
    db.session.commit()
    now = clinic_now()
    make_menu(nama_menus="Krim Promo", harga=200000, harga_promosi=150000,
              mulai_harga_promosi=now - timedelta(days=1),
              selesai_harga_promosi=now + timedelta(days=1))
    page = client.get("/admin/menus/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "HX-Request" in page.headers["Vary"]
    assert "css/catalog.css" in html and "js/catalog.js" in html
    assert f'src="/uploads/menus/{primary.menu_image}"' in html
    assert "Rp 105.802" in html and "Rp 200.000" in html and "Rp 150.000" in html
    assert 'data-colour="#198754"' in html and ">Serum<" in html
    assert ' style="' not in html
    part = htmx.get("/admin/menus/?q=pore")
    text = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in text
    assert "Brightening Pore Serum" in text and "Krim Promo" not in text


def test_product_list_filters_sort_and_pages(client, auth, htmx):
    signed_in(auth, client)
    acne = make_menu_category(menu_categories="Acne Care")
    other = make_menu_category(menu_categories="Lain")
    make_menu(acne, nama_menus="Acne Night Cream", is_resep_required=True, harga=87706)
    make_menu(other, nama_menus="Chizu Cream", id_menu_categories_2=acne.id, is_featured=True,
              harga=100000)
    for number in range(20):
        make_menu(other, nama_menus=f"Produk {number:02d}", harga=1000 + number)

    def names(url):
        html = htmx.get(url).get_data(as_text=True)
        return re.findall(r'class="fw-semibold">([^<]+)</a>', html)

    assert names(f"/admin/menus/?id_menu_categories={acne.id}") == [
        "Acne Night Cream", "Chizu Cream"]
    assert names("/admin/menus/?is_resep_required=1") == ["Acne Night Cream"]
    assert names("/admin/menus/?is_featured=1") == ["Chizu Cream"]
    assert names("/admin/menus/?sort=harga_rp&dir=desc")[:2] == [
        "Chizu Cream", "Acne Night Cream"]
    first = names("/admin/menus/")
    second = names("/admin/menus/?page=2")
    assert len(first) == 15 and len(second) == 7 and not set(first) & set(second)
    html = htmx.get("/admin/menus/?page=2&is_featured=0").get_data(as_text=True)
    assert "is_featured=0" in html  # page links keep the filter
    full = client.get("/admin/menus/").get_data(as_text=True)
    assert 'id="filter-id_menu_categories"' in full and ">Acne Care<" in full


def test_category_list_counts_products_and_shows_chip_and_image(client, auth):
    signed_in(auth, client)
    from tests.factories.catalog import stored_picture
    category = make_menu_category(menu_categories="Night Cream", color="#6F42C1",
                                  images=stored_picture("menu_categories"))
    make_menu(category)
    make_menu(make_menu_category(), id_menu_categories_3=category.id)
    gone = make_menu(category)
    gone.deleted_at = clinic_now()
    db.session.commit()
    html = client.get("/admin/menu_categories/").get_data(as_text=True)
    row = html[html.index(f'id="row-{category.id}"'):]
    row = row[:row.index("</tr>")]
    assert f"/uploads/menu_categories/{category.images}" in row
    assert 'data-colour="#6F42C1"' in row
    assert re.search(r'<td class="text-end">2</td>', row)


def test_promotion_list_shows_validity_quota_and_use(client, auth):
    signed_in(auth, client)
    make_promotion(display_codes="ULTAH5TH", quota=1000, used=137)
    make_promotion(current=False, display_codes="MERDEKA17", type="PERSEN", value=17,
                   quota=500, used=500)
    html = client.get("/admin/promotions/").get_data(as_text=True)
    assert "ULTAH5TH" in html and "MERDEKA17" in html
    assert "137 dari 1000" in html and "sisa 863" in html and "500 dari 500" in html
    assert "Berjalan" in html and "Berakhir" in html and "17%" in html and "Rp 25.000" in html
    assert '<progress value="137" max="1000"' in html
    current = client.get("/admin/promotions/?aktif=1").get_data(as_text=True)
    assert "ULTAH5TH" in current and "MERDEKA17" not in current


def test_product_detail_links_gallery_and_editor_without_inline_styles(client, auth):
    signed_in(auth, client)
    menu = make_menu(make_menu_category(), nama_menus="Brightening Night Cream",
                     komposisi=STYLED, harga=176191)
    image = make_menu_image(menu)
    page = client.get(f"/admin/menus/{menu.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'href="/admin/menus/{menu.id}/images"' in html
    assert f'href="/admin/menus/{menu.id}/edit"' in html
    assert f"/uploads/menus/{image.menu_image}" in html
    assert "Niacinamide &amp; TXA" in html and "Rp 176.191" in html
    assert ' style="' not in html and "<script>alert" not in html


def test_category_and_promotion_detail_and_picture_upload(client, auth, app):
    signed_in(auth, client, roles=("USERS",))
    category = make_menu_category(menu_categories="Serum", color="#198754")
    promotion = make_promotion(display_codes="ULTAH5TH", quota=10, used=4)
    page = client.get(f"/admin/menu_categories/{category.id}").get_data(as_text=True)
    assert 'data-colour="#198754"' in page and "Unggah" in page
    token = csrf_from(page)
    before = uploads(app, "menu_categories")
    refused = client.post(f"/admin/menu_categories/{category.id}/picture", data={
        "csrf_token": token, "picture": (io.BytesIO(b"#!/bin/sh"), "x.jpg")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Gunakan gambar" in refused.get_data(as_text=True)
    assert uploads(app, "menu_categories") == before
    done = client.post(f"/admin/menu_categories/{category.id}/picture", data={
        "csrf_token": token, "picture": (io.BytesIO(png_bytes()), "foto.png")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Gambar diperbarui." in done.get_data(as_text=True)
    assert fresh(MenuCategory, category.id).images
    detail = client.get(f"/admin/promotions/{promotion.id}").get_data(as_text=True)
    assert "4 dari 10" in detail and "sisa 6" in detail and "Berjalan" in detail
    # The front desk changes the catalog, not promotions.
    assert client.post(f"/admin/promotions/{promotion.id}/picture", data={
        "csrf_token": token, "picture": (io.BytesIO(png_bytes()), "foto.png")},
        content_type="multipart/form-data").status_code == 403
    assert client.get(f"/admin/promotions/{promotion.id}/edit").status_code == 403
    assert client.post(f"/admin/menus/{category.id}/picture",
                       data={"csrf_token": token}).status_code == 404


def test_form_pages_carry_the_editors_and_post_to_the_generic_handlers(client, auth, htmx):
    signed_in(auth, client)
    category = make_menu_category()
    page = client.get("/admin/menus/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "js/catalog.js" in html
    assert 'hx-post="/admin/menus/new"' in html and 'id="f-komposisi"' in html
    token = csrf_from(html)
    headers = {"X-CSRFToken": token}
    bad = htmx.post("/admin/menus/new", headers=headers, data={
        "nama_menus": "Acne Night Cream", "harga": "10000", "harga_promosi": "20000",
        "mulai_harga_promosi": "2030-01-01T00:00", "selesai_harga_promosi": "2030-01-31T00:00",
        "komposisi": STYLED, "id_menu_categories_1": str(category.id)})
    assert bad.status_code == 422
    assert "Harga promosi tidak boleh melebihi harga." in bad.get_data(as_text=True)
    good = htmx.post("/admin/menus/new", headers=headers, data={
        "nama_menus": "Acne Night Cream", "harga": "87706", "pajak": "", "berat": "",
        "harga_promosi": "", "mulai_harga_promosi": "", "selesai_harga_promosi": "",
        "komposisi": "<p><b>Niacinamide</b></p>", "id_menu_categories_1": str(category.id),
        "id_menu_categories_2": "", "is_featured": "1"})
    assert good.status_code == 204, good.get_data(as_text=True)
    menu = db.session.execute(select(Menu).where(Menu.nama_menus == "Acne Night Cream")).scalar_one()
    assert good.headers["HX-Redirect"] == f"/admin/menus/{menu.id}"
    assert menu.pajak == 0 and menu.is_featured and menu.komposisi == "<p><b>Niacinamide</b></p>"
    edit = client.get(f"/admin/menus/{menu.id}/edit").get_data(as_text=True)
    assert f'hx-post="/admin/menus/{menu.id}/edit"' in edit and "Niacinamide" in edit
    colour = client.get(f"/admin/menu_categories/{category.id}/edit").get_data(as_text=True)
    assert 'id="f-color"' in colour and "js/catalog.js" in colour
    assert client.get("/admin/menus/999999/edit").status_code == 404
    styled = make_menu(komposisi=STYLED)
    edit = client.get(f"/admin/menus/{styled.id}/edit").get_data(as_text=True)
    assert "Niacinamide &amp;amp; TXA" in edit  # the text, escaped inside the textarea
    assert "font-family" not in edit and "script" not in edit.split('id="f-komposisi"')[1][:300]


def test_doctor_sees_the_gallery_but_cannot_change_it(client, auth):
    signed_in(auth, client, roles=("DOCTOR",))
    menu = make_menu()
    image = make_menu_image(menu)
    page = client.get(f"/admin/menus/{menu.id}/images")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and image.menu_image in html
    assert "Unggah" not in html and "Jadikan utama" not in html
    token = csrf_from(html)
    assert client.post(f"/admin/menus/{menu.id}/images", data={
        "csrf_token": token, "picture": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data").status_code == 403
    assert client.post(f"/admin/menus/{menu.id}/images/{image.id}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert client.get("/admin/menus/new").status_code == 403


def test_gallery_upload_several_choose_primary_reorder_delete(client, auth, htmx, app):
    signed_in(auth, client, roles=("USERS",))
    menu = make_menu(nama_menus="Chizu Cream Kulit")
    other = make_menu()
    page = client.get(f"/admin/menus/{menu.id}/images")
    assert page.status_code == 200 and "belum punya gambar" in page.get_data(as_text=True)
    headers = {"X-CSRFToken": csrf_from(page.get_data(as_text=True))}
    before = uploads(app, "menus")
    response = htmx.post(f"/admin/menus/{menu.id}/images", headers=headers, data={
        "picture": [(io.BytesIO(png_bytes(colour=(200, 0, 0))), "merah.png"),
                     (io.BytesIO(b"#!/bin/sh\necho"), "skrip.jpg"),
                     (io.BytesIO(png_bytes(colour=(0, 0, 200))), "biru.png")]},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="gallery"' in html
    assert "skrip.jpg" in html and "2 gambar diunggah. 1 ditolak." in response.headers["HX-Trigger"]
    images = db.session.execute(select(MenuImage).where(MenuImage.id_menus == menu.id)
                                .order_by(MenuImage.nomor_urut_tampil)).scalars().all()
    assert [(image.nomor_urut_tampil, image.is_primary) for image in images] == [(0, True),
                                                                               (1, False)]
    assert len(uploads(app, "menus")) == len(before) + 2
    first, second = (image.id for image in images)

    made = htmx.post(f"/admin/menus/{menu.id}/images/{second}/primary", headers=headers)
    assert made.status_code == 200 and "Gambar utama diganti." in made.headers["HX-Trigger"]
    assert fresh(MenuImage, second).is_primary and not fresh(MenuImage, first).is_primary
    listing = client.get("/admin/menus/").get_data(as_text=True)
    assert fresh(MenuImage, second).menu_image in listing

    moved = htmx.post(f"/admin/menus/{menu.id}/images/{second}/move/up", headers=headers)
    assert moved.status_code == 200
    assert (fresh(MenuImage, second).nomor_urut_tampil, fresh(MenuImage, first).nomor_urut_tampil) \
        == (0, 1)
    html = moved.get_data(as_text=True)
    assert html.index(f'id="image-{second}"') < html.index(f'id="image-{first}"')
    assert htmx.post(f"/admin/menus/{menu.id}/images/{second}/move/sideways",
                     headers=headers).status_code == 404
    # A picture of another product is not reachable through this one.
    foreign = make_menu_image(other)
    assert htmx.post(f"/admin/menus/{menu.id}/images/{foreign.id}/primary",
                     headers=headers).status_code == 404

    removed_name = fresh(MenuImage, second).menu_image
    deleted = htmx.post(f"/admin/menus/{menu.id}/images/{second}/delete", headers=headers)
    assert deleted.status_code == 200 and "Gambar dihapus." in deleted.headers["HX-Trigger"]
    assert fresh(MenuImage, second) is None and fresh(MenuImage, first).is_primary
    assert removed_name not in uploads(app, "menus")


@pytest.mark.parametrize("payload", [None, b"bomb"])
def test_gallery_refusing_everything_answers_422_and_keeps_nothing(client, auth, htmx, app,
                                                                   payload):
    signed_in(auth, client)
    menu = make_menu()
    headers = {"X-CSRFToken": token_of(client, f"/admin/menus/{menu.id}/images")}
    before = uploads(app, "menus")
    if payload is None:
        data = {}
    else:
        from PIL import Image
        buffer = io.BytesIO()
        Image.new("1", (5000, 5000)).save(buffer, "PNG")
        data = {"picture": [(io.BytesIO(buffer.getvalue()), "bom.png")]}
    response = htmx.post(f"/admin/menus/{menu.id}/images", headers=headers, data=data,
                         content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="gallery"' in response.get_data(as_text=True)
    assert uploads(app, "menus") == before
    assert db.session.execute(select(MenuImage)).first() is None


def test_gallery_without_htmx_redirects_after_a_change(client, auth):
    signed_in(auth, client)
    menu = make_menu()
    token = token_of(client, f"/admin/menus/{menu.id}/images")
    response = client.post(f"/admin/menus/{menu.id}/images", data={
        "csrf_token": token, "picture": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/menus/{menu.id}/images")
    assert "1 gambar diunggah." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_deleting_from_the_list_uses_the_generic_handler(client, auth, htmx):
    signed_in(auth, client)
    used = make_menu_category(menu_categories="Dipakai")
    make_menu(used)
    headers = {"X-CSRFToken": token_of(client, "/admin/menu_categories/")}
    refused = htmx.delete(f"/admin/menu_categories/{used.id}/delete?from=list", headers=headers)
    assert refused.headers.get("HX-Reswap") == "none"
    assert "masih dipakai" in refused.headers["HX-Trigger"]
    promotion = make_promotion()
    gone = htmx.delete(f"/admin/promotions/{promotion.id}/delete?from=list", headers=headers)
    assert gone.status_code == 200 and fresh(Promotion, promotion.id) is None


def test_catalog_and_treatments_screens_render_sort_and_edit(client, auth):
    """Every list of both features (the catalog's and the treatments') renders, sorts by each
    sortable column both ways, and its detail, create and edit pages open."""
    from blueprints.views import view_for
    from services.engine import REGISTRY
    from tests.factories.treatments import (make_delivery_tier, make_holiday, make_service,
                                            make_service_image)
    signed_in(auth, client)
    make_menu_image(make_menu(make_menu_category()))
    make_promotion()
    make_service_image(make_service())
    make_holiday()
    make_delivery_tier()
    for name in ("menus", "menu_categories", "menu_images", "promotions", "services",
                 "service_categories", "service_images", "holidays", "deliveries"):
        view = view_for(name)
        assert client.get(f"/admin/{name}/?q=a").status_code == 200, name
        for column in filter(view.sortable, view.list_columns):
            for direction in ("asc", "desc"):
                page = client.get(f"/admin/{name}/?sort={column}&dir={direction}")
                assert page.status_code == 200 and f"sort={column}" in page.get_data(
                    as_text=True), (name, column)
        object_id = db.session.execute(select(REGISTRY[name].model.id)).scalars().first()
        for path in ("new", object_id, f"{object_id}/edit"):
            assert client.get(f"/admin/{name}/{path}").status_code == 200, (name, path)
