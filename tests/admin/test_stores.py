"""Toko in the admin: the generic store screens and the per-store page of products with stock,
bulk assignment, inline stock editing, copying and removing (plain and HTMX requests)."""
import json
import threading

from sqlalchemy import func, select

from models import Store, StoreMenu, StoreMenuStock, clinic_now, db
from tests.conftest import Auth, HtmxClient, csrf_from, make_user
from tests.factories.stores import (make_product, make_product_category, make_store,
                                    make_store_menu)


def signed_in(auth, client, roles=("OWNER", "ADMIN", "USERS")):
    user = make_user(roles=roles)
    assert auth.admin_login(user).status_code == 302
    return user


def token_of(client, path="/admin/"):
    return csrf_from(client.get(path).get_data(as_text=True))


def triggers(response):
    return json.loads(response.headers.get("HX-Trigger", "{}"))


def stock_of(row_id):
    db.session.expire_all()
    return db.session.execute(select(StoreMenuStock.quantitytotal).where(
        StoreMenuStock.idbrandstoremenus == row_id)).scalar_one()


def rows_at(store):
    db.session.expire_all()
    return db.session.execute(select(func.count(StoreMenu.id)).where(
        StoreMenu.idbrandstore == store.id)).scalar_one()


# ---- the generic store screens --------------------------------------------------------------
def test_store_list_has_labels_city_filter_and_htmx_search(client, htmx, auth):
    signed_in(auth, client)
    make_store(nama="Colederma Dago", city="KOTA BANDUNG")
    make_store(nama="Colederma Darmo", city="KOTA SURABAYA", is_show=False)
    page = client.get("/admin/brandstore/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for label in ("Nama toko", "Kota", "Alamat", "Telepon", "Jam operasional",
                  "Tampil di aplikasi", "09:00–20:00", "Produk toko"):
        assert label in html, label
    assert '<option value="KOTA SURABAYA"' in html  # the city filter offers the cities
    filtered = htmx.get("/admin/brandstore/?kota=KOTA+SURABAYA").get_data(as_text=True)
    assert "Colederma Darmo" in filtered and "Colederma Dago" not in filtered
    assert "<html" not in filtered
    searched = htmx.get("/admin/brandstore/?q=dago").get_data(as_text=True)
    assert "Colederma Dago" in searched and "Colederma Darmo" not in searched
    hidden = htmx.get("/admin/brandstore/?is_show=0").get_data(as_text=True)
    assert "Colederma Darmo" in hidden and "Colederma Dago" not in hidden


def test_store_form_refuses_bad_hours_inline_and_keeps_coordinates(client, htmx, auth):
    signed_in(auth, client)
    token = token_of(client, "/admin/brandstore/new")
    bad = htmx.post("/admin/brandstore/new", headers={"X-CSRFToken": token}, data={
        "nama": "Colederma Baru", "alamat": "Jl. Baru 1", "city": "KOTA BOGOR",
        "opentime": "20:00", "closetime": "09:00", "lat": "-6.59", "lng": "106.79"})
    assert bad.status_code == 422
    assert "Jam tutup harus setelah jam buka." in bad.get_data(as_text=True)
    good = htmx.post("/admin/brandstore/new", headers={"X-CSRFToken": token}, data={
        "nama": "Colederma Baru", "alamat": "Jl. Baru 1", "city": "KOTA BOGOR",
        "opentime": "09:00", "closetime": "20:00", "lat": "-6.5971469", "lng": "106.8060388",
        "is_show": "1"})
    assert good.status_code == 204
    store = db.session.execute(select(Store).where(Store.nama == "Colederma Baru")).scalar_one()
    form = client.get(f"/admin/brandstore/{store.id}/edit").get_data(as_text=True)
    assert 'value="09:00"' in form and 'value="20:00"' in form
    # the edit form shows the stored coordinates; saving it unchanged keeps them
    assert 'value="-6.597' in form and 'value="106.806' in form
    blank = htmx.post(f"/admin/brandstore/{store.id}/edit", headers={"X-CSRFToken": token},
                      data={"nama": "Colederma Baru", "alamat": "Jl. Baru 1", "city": "KOTA BOGOR",
                            "opentime": "09:00", "closetime": "20:00", "lat": "", "lng": "",
                            "is_show": "1"})
    assert blank.status_code == 204  # blank coordinates mean 0, not an error
    db.session.expire_all()
    assert db.session.get(Store, store.id).lat == 0


def test_store_detail_links_to_its_products(client, auth):
    signed_in(auth, client)
    store = make_store()
    make_store_menu(store=store)
    html = client.get(f"/admin/brandstore/{store.id}").get_data(as_text=True)
    assert f"/admin/stores/{store.id}/" in html and "Produk &amp; stok" in html
    assert "Produk yang dijual" in html
    row = make_store_menu(store=store)
    detail = client.get(f"/admin/brandstore_menus/{row.id}").get_data(as_text=True)
    assert f"/admin/stores/{store.id}/" in detail and "Rp 150.000" in detail


def test_store_products_screen_generic_list_and_duplicate_refusal(client, htmx, auth):
    signed_in(auth, client)
    row = make_store_menu(quantity=3)
    listing = client.get(f"/admin/brandstore_menus/?idbrandstore={row.idbrandstore}")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "Rp 150.000" in html and row.menu.nama_menus in html
    token = token_of(client, "/admin/brandstore_menus/new")
    again = htmx.post("/admin/brandstore_menus/new", headers={"X-CSRFToken": token}, data={
        "idmenu": str(row.idmenu), "idbrandstore": str(row.idbrandstore)})
    assert again.status_code == 422
    assert "sudah ada di toko tersebut" in again.get_data(as_text=True)


# ---- the per-store page ---------------------------------------------------------------------
def test_anonymous_and_customers_cannot_open_the_store_page(client, htmx, auth):
    store = make_store()
    response = client.get(f"/admin/stores/{store.id}/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert htmx.get(f"/admin/stores/{store.id}/").status_code == 204  # HX-Redirect to login
    customer = make_user()
    assert auth.admin_login(customer).status_code == 403
    assert client.get(f"/admin/stores/{store.id}/").status_code == 302


def test_store_page_lists_products_with_stock_and_the_ones_to_add(client, htmx, auth):
    signed_in(auth, client)
    store = make_store(nama="Colederma Dago")
    serum = make_product_category(menu_categories="Serum", color="#198754")
    sold = make_store_menu(make_product(category=serum, nama_menus="Serum Vitamin C",
                                        harga=185000), store, quantity=12)
    make_product(nama_menus="Toner Hydrating")
    make_product(nama_menus="Produk Lama", deleted_at=clinic_now())
    page = client.get(f"/admin/stores/{store.id}/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert "Produk &amp; stok: Colederma Dago" in html
    assert "Serum Vitamin C" in html and "Rp 185.000" in html
    assert f'id="sm-{sold.id}"' in html and 'name="quantitytotal" value="12"' in html
    assert 'data-colour="#198754"' in html and "css/stores.css" in html and "js/stores.js" in html
    assert "Toner Hydrating" in html and "Produk Lama" not in html
    assert 'style="' not in html  # the CSP allows no inline styles
    partial = htmx.get(f"/admin/stores/{store.id}/")
    assert "<html" not in partial.get_data(as_text=True) and "Serum Vitamin C" in partial.get_data(
        as_text=True)
    assert "HX-Request" in partial.headers["Vary"]
    assert client.get("/admin/stores/999999/").status_code == 404
    gone = make_store(deleted_at=clinic_now())
    assert client.get(f"/admin/stores/{gone.id}/").status_code == 404


def test_bulk_assignment_through_htmx(client, htmx, auth):
    signed_in(auth, client)
    store = make_store()
    first, second, third = (make_product(nama_menus=name) for name in ("Alfa", "Beta", "Gama"))
    token = token_of(client, f"/admin/stores/{store.id}/")
    url = f"/admin/stores/{store.id}/assign"
    assert htmx.post(url, data={"idmenu": [str(first.id)]}).status_code == 400  # no CSRF token
    none = htmx.post(url, headers={"X-CSRFToken": token}, data={})
    assert none.status_code == 422 and "Pilih setidaknya satu produk." in none.get_data(
        as_text=True)
    gone = make_product(deleted_at=clinic_now())
    bad = htmx.post(url, headers={"X-CSRFToken": token},
                    data={"idmenu": [str(first.id), str(gone.id)]})
    assert bad.status_code == 422 and "Tidak ada yang disimpan" in bad.get_data(as_text=True)
    assert rows_at(store) == 0  # all or nothing
    done = htmx.post(url, headers={"X-CSRFToken": token},
                     data={"idmenu": [str(first.id), str(second.id)]})
    assert done.status_code == 200
    fired = triggers(done)
    assert fired["toast"]["message"] == f"2 produk ditambahkan ke {store.nama}."
    assert "store-products-changed" in fired
    form = done.get_data(as_text=True)
    assert "Gama" in form and "Alfa" not in form and "<html" not in form
    assert rows_at(store) == 2
    assert stock_of(db.session.execute(select(StoreMenu.id).where(
        StoreMenu.idmenu == first.id)).scalar_one()) == 0
    listing = htmx.get(f"/admin/stores/{store.id}/").get_data(as_text=True)
    assert "Alfa" in listing and "Beta" in listing and "Gama" not in listing
    refreshed = htmx.get(f"/admin/stores/{store.id}/assign").get_data(as_text=True)
    assert "Gama" in refreshed and "Beta" not in refreshed
    assert third.id


def test_plain_form_assignment_redirects_with_a_message(client, auth):
    signed_in(auth, client)
    store = make_store()
    menu = make_product(nama_menus="Sunscreen SPF 50")
    token = token_of(client, f"/admin/stores/{store.id}/")
    response = client.post(f"/admin/stores/{store.id}/assign",
                           data={"csrf_token": token, "idmenu": [str(menu.id)]})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 produk ditambahkan" in page and 'name="quantitytotal" value="0"' in page


def test_inline_stock_editing(client, htmx, auth):
    signed_in(auth, client)
    row = make_store_menu(quantity=4)
    token = token_of(client, f"/admin/stores/{row.idbrandstore}/")
    base = f"/admin/stores/{row.idbrandstore}/products/{row.id}"
    saved = htmx.post(base + "/stock", headers={"X-CSRFToken": token},
                      data={"quantitytotal": "25"})
    assert saved.status_code == 200 and stock_of(row.id) == 25
    html = saved.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="sm-{row.id}"') and 'value="25"' in html
    assert triggers(saved)["toast"]["message"].endswith("sekarang 25.")
    whole = "Harus berupa bilangan bulat."
    for bad, message in (("-3", "Stok tidak boleh kurang dari 0."), ("lima", whole), ("", whole)):
        refused = htmx.post(base + "/stock", headers={"X-CSRFToken": token},
                            data={"quantitytotal": bad})
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422, bad
        assert "is-invalid" in text and message in text and 'role="alert"' in text
        assert stock_of(row.id) == 25
    plus = htmx.post(base + "/adjust", headers={"X-CSRFToken": token}, data={"delta": "1"})
    assert plus.status_code == 200 and stock_of(row.id) == 26
    htmx.post(base + "/stock", headers={"X-CSRFToken": token}, data={"quantitytotal": "0"})
    minus = htmx.post(base + "/adjust", headers={"X-CSRFToken": token}, data={"delta": "-1"})
    assert minus.status_code == 422 and "Stok tidak mencukupi." in minus.get_data(as_text=True)
    assert stock_of(row.id) == 0
    plain = client.post(base + "/stock", data={"csrf_token": token, "quantitytotal": "-1"})
    assert plain.status_code == 302 and stock_of(row.id) == 0
    assert "Stok tidak boleh kurang dari 0." in client.get(plain.headers["Location"]).get_data(
        as_text=True)
    other_store = make_store()
    assert htmx.post(f"/admin/stores/{other_store.id}/products/{row.id}/stock",
                     headers={"X-CSRFToken": token}, data={"quantitytotal": "3"}).status_code == 404
    assert stock_of(row.id) == 0


def test_remove_a_product_from_the_store(client, htmx, auth):
    signed_in(auth, client)
    row = make_store_menu(quantity=9)
    store_id, row_id = row.idbrandstore, row.id
    page = client.get(f"/admin/stores/{store_id}/").get_data(as_text=True)
    assert "hx-confirm=" in page and "Stoknya ikut terhapus." in page
    token = csrf_from(page)
    response = htmx.post(f"/admin/stores/{store_id}/products/{row_id}/delete",
                         headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_data(as_text=True).strip() == ""
    fired = triggers(response)
    assert "dihapus dari" in fired["toast"]["message"]
    assert {"store-products-changed", "store-product-removed"} <= set(fired)
    db.session.expire_all()
    assert db.session.get(StoreMenu, row_id) is None
    assert db.session.execute(select(func.count(StoreMenuStock.id))).scalar_one() == 0
    assert htmx.post(f"/admin/stores/{store_id}/products/{row_id}/delete",
                     headers={"X-CSRFToken": token}).status_code == 404


def test_copy_a_product_to_other_stores(client, htmx, auth):
    signed_in(auth, client)
    row = make_store_menu(quantity=2)
    kemang, darmo = make_store(nama="Kemang"), make_store(nama="Darmo")
    make_store_menu(row.menu, darmo)
    token = token_of(client, f"/admin/stores/{row.idbrandstore}/")
    url = f"/admin/stores/{row.idbrandstore}/products/{row.id}/copy"
    none = htmx.post(url, headers={"X-CSRFToken": token}, data={})
    assert none.status_code == 422 and "Pilih toko tujuan." in none.get_data(as_text=True)
    done = htmx.post(url, headers={"X-CSRFToken": token},
                     data={"idbrandstore": [str(kemang.id), str(darmo.id)]})
    assert done.status_code == 200
    assert "ke 1 toko lain (1 toko sudah memilikinya)" in triggers(done)["toast"]["message"]
    assert rows_at(kemang) == 1 and rows_at(darmo) == 1


def test_doctors_see_the_page_but_change_nothing(client, htmx, auth):
    signed_in(auth, client, roles=("DOCTOR",))
    row = make_store_menu(quantity=5)
    candidate = make_product(nama_menus="Belum Dijual")
    page = client.get(f"/admin/stores/{row.idbrandstore}/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and row.menu.nama_menus in html
    assert 'name="quantitytotal"' not in html and "Tambah produk" not in html
    token = csrf_from(html)
    base = f"/admin/stores/{row.idbrandstore}"
    for url, data in ((f"{base}/products/{row.id}/stock", {"quantitytotal": "1"}),
                      (f"{base}/products/{row.id}/adjust", {"delta": "-1"}),
                      (f"{base}/products/{row.id}/copy", {"idbrandstore": str(make_store().id)}),
                      (f"{base}/products/{row.id}/delete", {}),
                      (f"{base}/assign", {"idmenu": str(candidate.id)})):
        assert htmx.post(url, headers={"X-CSRFToken": token}, data=data).status_code == 403, url
    assert stock_of(row.id) == 5
    assert db.session.execute(select(func.count(StoreMenu.id))).scalar_one() == 1


def test_concurrent_stock_takes_through_the_screen(app, auth):
    """10 staff sessions press "−" at once on a stock of 5: 5 succeed, 5 get the inline
    refusal (422), none fails with a 500, and the stock ends at 0."""
    row = make_store_menu(quantity=5)
    url = f"/admin/stores/{row.idbrandstore}/products/{row.id}/adjust"
    staff = make_user(roles=("USERS",))
    sessions = []
    for _ in range(10):
        client = app.test_client()
        assert Auth(client).admin_login(staff).status_code == 302
        token = token_of(client, f"/admin/stores/{row.idbrandstore}/")
        sessions.append((HtmxClient(client), token))
    barrier = threading.Barrier(10)
    statuses = []

    def press(htmx_client, token):
        barrier.wait(timeout=10)
        statuses.append(htmx_client.post(url, headers={"X-CSRFToken": token},
                                         data={"delta": "-1"}).status_code)

    threads = [threading.Thread(target=press, args=session) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200] * 5 + [422] * 5, statuses
    assert stock_of(row.id) == 0
