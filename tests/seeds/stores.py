"""Conformance seeds of the stores resources (brandstore, brandstore_menus)."""
from tests.factories.stores import (make_product, make_product_category, make_store,
                                    make_store_menu)

from . import ID_KEYS, MISSING_EXAMPLES, SEEDS, Seed

ID_KEYS.update({"idmenu", "idbrandstore"})


def _documented_store(**kw):
    """A store matching the document's search example (city, group, near its point)."""
    values = {"nama": "IORA Pusat", "alamat": "Testing 1 update", "notelp": "08137771312",
              "city": "KOTA JAKARTA UTARA", "lat": -6.1339, "lng": 106.8823,
              "groupname": "STS"}
    values.update(kw)
    return make_store(**values)


def seed_brandstore(kind, path, caller):
    if kind == "create":
        return Seed()
    make_store(nama="Colederma Surabaya", city="KOTA SURABAYA", lat=-7.2575, lng=112.7521)
    return Seed(target=_documented_store())


def seed_brandstore_menus(kind, path, caller):
    if path == "brandstore_menus/create/bulk":
        # One real product per documented row, all for one store.
        store = make_store(nama="Momoiro - Central Park", city="KOTA JAKARTA BARAT")
        return Seed(ids={"idbrandstore": [store.id],
                         "idmenu": [make_product().id for _ in range(3)]})
    category = make_product_category(menu_categories="Lagi Hits")
    store = _documented_store()
    if kind == "create":
        menu = make_product(category=category, image="AhPtEB3vIiIeKhkU.jpg")
        return Seed(ids={"idmenu": [menu.id], "idbrandstore": [store.id]})
    menu = make_product(category=category, image="AhPtEB3vIiIeKhkU.jpg",
                        nama_menus="Retinol Serum 1%")
    row = make_store_menu(menu, store, quantity=12)
    make_store_menu(make_product(), make_store(groupname="LAIN"))  # one the filters leave out
    if path == "brandstore_menus/{?}/duplicates":
        # Documented without a body: the product goes to every other store.
        make_store(nama="Colederma Kemang", city="KOTA JAKARTA SELATAN")
        return Seed(target=row)
    ids = {"idmenu": [menu.id], "idbrandstore": [store.id]}
    if path == "brandstore_menus/search":
        # The example asks for groupby "menu", which answers an object keyed by category;
        # the first documented answer is the plain list, so the walk checks that one (the
        # grouped shape is checked in tests/api/test_stores.py).
        ids["groupby"] = [""]
    return Seed(target=row, ids=ids)


SEEDS.update({"brandstore": seed_brandstore, "brandstore_menus": seed_brandstore_menus})

# Bodies for endpoints the document gives no request example for.
MISSING_EXAMPLES.update({
    # the document lists these as "Search param" (not parsed as a request example)
    "brandstore/search": {"city": "KOTA JAKARTA UTARA", "is_show": 1, "groupname": "STS",
                          "latlng": {"lat": -6.1339, "lng": 106.8853}},
})
