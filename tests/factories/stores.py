"""Factories of stores (brandstore) and store products (brandstore_menus).

Products and their categories are made here directly with the models (models.catalog), so
these factories do not depend on the catalog's own factories."""
import itertools
from datetime import time

from models import Menu, MenuCategory, MenuImage, Store, StoreMenu, StoreMenuStock, db

from . import FACTORIES, VALID_CREATE

_counter = itertools.count(1)

# Real places, for distances: (name, city, lat, lng)
MONAS = ("Colederma Monas", "KOTA JAKARTA PUSAT", -6.175392, 106.827153)
GEDUNG_SATE = ("Colederma Gedung Sate", "KOTA BANDUNG", -6.902477, 107.618791)
TUGU_PAHLAWAN = ("Colederma Tugu Pahlawan", "KOTA SURABAYA", -7.245724, 112.737826)


def make_store(**kw) -> Store:
    """A visible store (Bandung unless told otherwise)."""
    number = next(_counter)
    values = {"nama": f"Colederma Cabang {number}", "alamat": f"Jl. Contoh No. {number}",
              "notelp": "0227310000", "opentime": time(9, 0), "closetime": time(20, 0),
              "city": "KOTA BANDUNG", "lat": -6.9147, "lng": 107.6098, "is_show": True,
              "groupname": "CLD"}
    values.update(kw)
    store = Store(**values)
    db.session.add(store)
    db.session.commit()
    return store


def make_store_at(place, **kw) -> Store:
    """A store at one of the known places above."""
    name, city, lat, lng = place
    return make_store(**{"nama": name, "city": city, "lat": lat, "lng": lng, **kw})


def make_product_category(**kw) -> MenuCategory:
    """A product category."""
    number = next(_counter)
    values = {"menu_categories": f"Kategori {number}", "codes": f"KS{number}",
              "color": "#0d6efd"}
    values.update(kw)
    category = MenuCategory(**values)
    db.session.add(category)
    db.session.commit()
    return category


def make_product(category=None, image: str | None = None, **kw) -> Menu:
    """A product (menu), optionally in a category and with a primary picture file name."""
    number = next(_counter)
    values = {"nama_menus": f"Serum Uji {number}", "brief": "Untuk kulit berminyak",
              "harga": 150000, "pajak": 15000}
    if category is not None:
        values["id_menu_categories_1"] = category.id
    values.update(kw)
    menu = Menu(**values)
    db.session.add(menu)
    db.session.flush()
    if image:
        db.session.add(MenuImage(id_menus=menu.id, menu_image=image, is_primary=True,
                                 primary_of=menu.id, nomor_urut_tampil=0))
    db.session.commit()
    return menu


def make_store_menu(menu=None, store=None, quantity=0, **kw) -> StoreMenu:
    """A product offered at a store, with its stock row."""
    row = StoreMenu(idmenu=(menu or make_product()).id, idbrandstore=(store or make_store()).id,
                    **kw)
    row.stock = StoreMenuStock(quantitytotal=quantity)
    db.session.add(row)
    db.session.commit()
    return row


FACTORIES.update({"brandstore": make_store, "brandstore_menus": make_store_menu})

VALID_CREATE.update({
    "brandstore": lambda: {"nama": "Colederma Dago", "alamat": "Jl. Ir. H. Juanda No. 100",
                           "notelp": "0222500100", "opentime": "09:00", "closetime": "20:00",
                           "city": "KOTA BANDUNG", "lat": "-6.8868", "lng": "107.6135",
                           "is_show": "1", "groupname": "CLD"},
    "brandstore_menus": lambda: {"idmenu": str(make_product().id),
                                 "idbrandstore": str(make_store().id)},
})
