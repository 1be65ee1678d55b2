"""Demo stores, the products they sell and stock."""
from datetime import time

from sqlalchemy import select

from models import Menu, Store, StoreMenu, StoreMenuStock, clinic_now, db

# nama, alamat, notelp, open, close, city, lat, lng, is_show, groupname
STORES = [
    ("Colederma Dago", "Jl. Ir. H. Juanda No. 112, Dago, Kec. Coblong, Kota Bandung, "
     "Jawa Barat 40132", "0222500112", time(9, 0), time(20, 0), "KOTA BANDUNG",
     -6.885233, 107.613512, True, "CLD"),
    ("Colederma Kemang", "Jl. Kemang Raya No. 45, Bangka, Kec. Mampang Prapatan, "
     "Kota Jakarta Selatan, DKI Jakarta 12730", "0217190045", time(10, 0), time(21, 0),
     "KOTA JAKARTA SELATAN", -6.261493, 106.813590, True, "CLD"),
    ("Colederma Darmo", "Jl. Raya Darmo No. 88, Darmo, Kec. Wonokromo, Kota Surabaya, "
     "Jawa Timur 60241", "0315678088", time(9, 0), time(20, 0), "KOTA SURABAYA",
     -7.287524, 112.738136, True, "CLD"),
    ("Colederma Sunset Road (segera dibuka)", "Jl. Sunset Road No. 818, Kuta, "
     "Kabupaten Badung, Bali 80361", "0361934818", time(10, 0), time(21, 0),
     "KABUPATEN BADUNG", -8.694218, 115.177702, False, "CLD"),
]


def _demo_quantity(store_index: int, menu_id: int) -> int:
    """A stable, varied stock level (some products sold out)."""
    value = (menu_id * 7 + store_index * 5) % 23
    return 0 if value < 3 else value


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
    added.setdefault("brandstore", 0)
    added.setdefault("brandstore_menus", 0)
    stores = []
    for nama, alamat, notelp, opening, closing, city, lat, lng, shown, group in STORES:
        store = db.session.execute(select(Store).where(
            Store.nama == nama, Store.deleted_at.is_(None))).scalars().first()
        if store is None:
            store = Store(nama=nama, alamat=alamat, notelp=notelp, opentime=opening,
                          closetime=closing, city=city, lat=lat, lng=lng, is_show=shown,
                          groupname=group)
            db.session.add(store)
            added["brandstore"] += 1
        stores.append(store)
    db.session.flush()
    menus = list(db.session.execute(select(Menu).where(Menu.deleted_at.is_(None))
                                    .order_by(Menu.id)).scalars())
    if not menus:
        return  # the catalog has no products: nothing to assign
    for index, store in enumerate(stores):
        having = set(db.session.execute(select(StoreMenu.idmenu).where(
            StoreMenu.idbrandstore == store.id)).scalars())
        # the branch about to open sells only part of the range
        offered = menus if store.is_show else menus[::2]
        for menu in offered:
            if menu.id in having:
                continue
            row = StoreMenu(idmenu=menu.id, idbrandstore=store.id)
            row.stock = StoreMenuStock(quantitytotal=_demo_quantity(index, menu.id),
                                       datetimeupdateat=clinic_now())
            db.session.add(row)
            added["brandstore_menus"] += 1
    db.session.flush()
