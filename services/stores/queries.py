"""Stores read models: distances, who sees which stores and products, categories and prices
as the app shows them, the SQL of list columns, and choices for the staff forms."""
import math
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, true

from models import Menu, MenuCategory, MenuImage, Store, StoreMenu, StoreMenuStock, clinic_now, db
from services.access import is_staff
from services.errors import Invalid

EARTH_RADIUS_METRES = 6_371_000


# ---- distances ---------------------------------------------------------------------------
def haversine_metres(lat1: float, lng1: float, lat2: float, lng2: float) -> int:
    """Great-circle distance between two points, in whole metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = math.radians(lat2 - lat1)
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a))))


def _coordinate(value, name, low, high):
    if isinstance(value, bool) or value is None:
        raise ValueError(name)
    number = float(str(value).strip()) if isinstance(value, str) else float(value)
    if number != number or not low <= number <= high:
        raise ValueError(name)
    return number


def parse_point(value) -> tuple[float, float]:
    """`{"lat": …, "lng": …}` (or "lat,lng") as a (lat, lng) pair; 422 when it is not one."""
    try:
        if isinstance(value, str):
            lat, lng = value.split(",")
        elif isinstance(value, dict):
            lat, lng = value["lat"], value["lng"]
        else:
            raise ValueError("latlng")
        return _coordinate(lat, "lat", -90, 90), _coordinate(lng, "lng", -180, 180)
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise Invalid("Titik lokasi tidak valid.", fields={
            "latlng": "Kirim {\"lat\": -90..90, \"lng\": -180..180}."}) from exc


def approximate_distance(point):
    """A SQL expression that orders stores by distance from `point` (equirectangular; the
    exact great-circle metres are computed afterwards for the rows found)."""
    lat, lng = point
    scale = math.cos(math.radians(lat))
    d_lng = func.abs(Store.lng - lng)
    d_lng = case((d_lng > 180, 360 - d_lng), else_=d_lng)
    d_lat = Store.lat - lat
    return d_lat * d_lat + (d_lng * scale) * (d_lng * scale)


def precise_coordinates(store_ids) -> dict:
    """{store id: (lat, lng)} with every stored digit. The columns are single-precision FLOAT
    on MariaDB, which the server sends rounded to 6 significant digits (≈ 15 m at Indonesian
    longitudes); `+ 0.0` makes it send the stored value as a DOUBLE."""
    ids = list(store_ids)
    if not ids:
        return {}
    return {store_id: (lat, lng) for store_id, lat, lng in db.session.execute(
        select(Store.id, Store.lat + 0.0, Store.lng + 0.0).where(Store.id.in_(ids)))}


def nearest_first(stmt, value):
    """Search filter `latlng`: order the stores nearest first."""
    return stmt.order_by(approximate_distance(parse_point(value)))


def with_distances(rows, items, point):
    """Add `meter_in_distance` (from `point`) to each serialized store and sort the pairs
    (row, item) nearest first."""
    lat, lng = parse_point(point)
    stored = precise_coordinates(row.id for row in rows)
    pairs = list(zip(rows, items))
    for row, item in pairs:
        item["meter_in_distance"] = haversine_metres(lat, lng, *stored[row.id])
    pairs.sort(key=lambda pair: pair[1]["meter_in_distance"])
    return pairs


# ---- who sees which stores -----------------------------------------------------------------
def sees_hidden_stores(actor) -> bool:
    """Staff see every store; the app's public and customers only those shown (is_show=1)."""
    return is_staff(actor)


def _live_menu_ids():
    return select(Menu.id).where(Menu.deleted_at.is_(None))


def _live_store_ids(listed: bool):
    stmt = select(Store.id).where(Store.deleted_at.is_(None))
    return stmt.where(Store.is_show.is_(True)) if listed else stmt


def store_menu_visible(listed: bool):
    """Condition on StoreMenu: its product and store are not deleted (and the store is shown
    in the app, when `listed`)."""
    return and_(StoreMenu.idmenu.in_(_live_menu_ids()),
                StoreMenu.idbrandstore.in_(_live_store_ids(listed)))


def _cities(shown_only: bool):
    stmt = (select(Store.city).where(Store.deleted_at.is_(None), Store.city != "")
            .group_by(Store.city).order_by(Store.city))
    if shown_only:
        stmt = stmt.where(Store.is_show.is_(True))
    return db.session.execute(stmt).scalars()


def visible_cities(actor) -> list[dict]:
    """The distinct cities of the stores the caller may see, A–Z, as the app lists them."""
    return [{"city": city} for city in _cities(shown_only=not sees_hidden_stores(actor))]


def city_filter(stmt, value):
    """Stores of a city (case does not matter; a list means any of)."""
    names = value if isinstance(value, list) else [value]
    names = [str(name).strip().lower() for name in names if str(name).strip()]
    if not names:
        raise ValueError("city")
    return stmt.where(func.lower(Store.city).in_(names))


def live_store_ids(store_ids) -> set:
    """The ids among `store_ids` of stores that exist and are not deleted."""
    return set(db.session.execute(select(Store.id).where(
        Store.id.in_(store_ids), Store.deleted_at.is_(None))).scalars())


def other_live_store_ids(store_id) -> list[int]:
    """Every live store but this one, by id."""
    return list(db.session.execute(select(Store.id).where(
        Store.deleted_at.is_(None), Store.id != store_id).order_by(Store.id)).scalars())


def stores_selling(menu_id, store_ids) -> set:
    """The ids among `store_ids` of the stores that already sell the product."""
    return set(db.session.execute(select(StoreMenu.idbrandstore).where(
        StoreMenu.idmenu == menu_id, StoreMenu.idbrandstore.in_(store_ids))).scalars())


def offered_at(menu_id, store_id, except_id=None) -> bool:
    """True when the store already offers the product (in another row than `except_id`)."""
    stmt = select(StoreMenu.id).where(StoreMenu.idmenu == menu_id,
                                      StoreMenu.idbrandstore == store_id,
                                      StoreMenu.id != except_id if except_id else true())
    return db.session.execute(stmt).first() is not None


def product_count(store: Store) -> int:
    """How many products the store sells."""
    return db.session.execute(select(func.count(StoreMenu.id)).where(
        StoreMenu.idbrandstore == store.id)).scalar_one()


# ---- categories and prices -------------------------------------------------------------------
def first_category(menu: Menu) -> MenuCategory | None:
    """The product's first category (slot 1, else 2, else 3)."""
    for category in (menu.category_1, menu.category_2, menu.category_3):
        if category is not None:
            return category
    return None


def in_categories(stmt, value):
    """Filter `kategori`: products with a category of this name (any slot; a list means any
    of; case does not matter)."""
    names = value if isinstance(value, list) else [value]
    names = [str(name).strip().lower() for name in names if str(name).strip()]
    if not names:
        raise ValueError("kategori")
    categories = select(MenuCategory.id).where(func.lower(MenuCategory.menu_categories).in_(names))
    menus = select(Menu.id).where(or_(Menu.id_menu_categories_1.in_(categories),
                                      Menu.id_menu_categories_2.in_(categories),
                                      Menu.id_menu_categories_3.in_(categories)))
    return stmt.where(StoreMenu.idmenu.in_(menus))


def in_group(stmt, value):
    """Filter `groupname` of brandstore_menus: products of the stores of that group."""
    return stmt.where(StoreMenu.idbrandstore.in_(
        select(Store.id).where(func.lower(Store.groupname) == str(value).strip().lower())))


def promotion_price(menu: Menu, now: datetime | None = None) -> int | None:
    """The promotional price while it runs (between its start and end), else None."""
    if not menu.harga_promosi:
        return None
    now = now or clinic_now()
    if menu.mulai_harga_promosi and now < menu.mulai_harga_promosi:
        return None
    if menu.selesai_harga_promosi and now > menu.selesai_harga_promosi:
        return None
    return menu.harga_promosi


# ---- SQL of the list columns of brandstore_menus ----------------------------------------------
def _correlated(column, condition):
    def expression():
        return select(column).where(condition).correlate(StoreMenu).scalar_subquery()
    return expression


def menu_column(column):
    """SQL: a column of the product a row offers."""
    return _correlated(column, Menu.id == StoreMenu.idmenu)


def store_column(column):
    """SQL: a column of the store a row belongs to."""
    return _correlated(column, Store.id == StoreMenu.idbrandstore)


def stock_column(column):
    """SQL: a column of a row's stock."""
    return _correlated(column, StoreMenuStock.idbrandstoremenus == StoreMenu.id)


def category_name():
    """SQL: the name of the first category of a row's product."""
    first = func.coalesce(Menu.id_menu_categories_1, Menu.id_menu_categories_2,
                          Menu.id_menu_categories_3)
    return (select(MenuCategory.menu_categories).join(Menu, MenuCategory.id == first)
            .where(Menu.id == StoreMenu.idmenu).correlate(StoreMenu).scalar_subquery())


def primary_image_name():
    """SQL: the file name of the primary picture of a row's product."""
    return (select(MenuImage.menu_image)
            .where(MenuImage.id_menus == StoreMenu.idmenu, MenuImage.is_primary.is_(True))
            .correlate(StoreMenu).limit(1).scalar_subquery())


# ---- a store's products and the choices of the staff forms ------------------------------------
def stock_summary(store: Store) -> tuple[int, int]:
    """(products the store sells, their stock in all), in one query."""
    count, total = db.session.execute(
        select(func.count(StoreMenu.id), func.coalesce(func.sum(StoreMenuStock.quantitytotal), 0))
        .select_from(StoreMenu).join(Menu, Menu.id == StoreMenu.idmenu)
        .outerjoin(StoreMenuStock, StoreMenuStock.idbrandstoremenus == StoreMenu.id)
        .where(StoreMenu.idbrandstore == store.id, store_menu_visible(False))).one()
    return int(count), int(total)


def products_of_store(store: Store) -> list[StoreMenu]:
    """The products a store sells, with their stock, by name."""
    from services.engine import get_resource

    return list(db.session.execute(
        select(StoreMenu).join(Menu, Menu.id == StoreMenu.idmenu)
        .where(StoreMenu.idbrandstore == store.id, store_menu_visible(False))
        .order_by(Menu.nama_menus, StoreMenu.id)
        .options(*get_resource("brandstore_menus").eager)).scalars().unique())


def unassigned_menus(store: Store) -> list[Menu]:
    """Live products not yet offered at this store, by name."""
    taken = select(StoreMenu.idmenu).where(StoreMenu.idbrandstore == store.id)
    return list(db.session.execute(
        select(Menu).where(Menu.deleted_at.is_(None), Menu.id.not_in(taken))
        .order_by(Menu.nama_menus, Menu.id)).scalars())


def city_choices() -> list[tuple]:
    """The cities stores are in, for the list filter."""
    return [(city, city) for city in _cities(shown_only=False)]


def store_choices() -> list[tuple]:
    """Live stores, for selects."""
    return [(store.id, f"{store.nama} — {store.city}" if store.city else store.nama)
            for store in db.session.execute(
                select(Store).where(Store.deleted_at.is_(None))
                .order_by(Store.nama, Store.id)).scalars()]


def menu_choices() -> list[tuple]:
    """Live products, for selects."""
    return [(menu_id, name) for menu_id, name in db.session.execute(
        select(Menu.id, Menu.nama_menus).where(Menu.deleted_at.is_(None))
        .order_by(Menu.nama_menus, Menu.id))]


# ---- low stock (the "Hari ini" screen) --------------------------------------------------------
LOW_STOCK_SHOWN = 8  # products listed per store; the rest are counted


def low_stock(threshold: int, per_store: int = LOW_STOCK_SHOWN) -> list[dict]:
    """Products of live stores whose stock is at or below `threshold` (no stock row: 0),
    grouped by store (by name), lowest first, at most `per_store` listed per store with the
    store's full count — in one query: [{id, nama, count, products: [{nama_menus, stock}]}]."""
    quantity = func.coalesce(StoreMenuStock.quantitytotal, 0)
    ranked = (select(StoreMenu.idbrandstore.label("store_id"), Menu.nama_menus.label("name"),
                     quantity.label("stock"),
                     func.row_number().over(partition_by=StoreMenu.idbrandstore,
                                            order_by=(quantity, Menu.nama_menus, StoreMenu.id))
                     .label("rank"),
                     func.count(StoreMenu.id).over(partition_by=StoreMenu.idbrandstore)
                     .label("total"))
              .join(Menu, Menu.id == StoreMenu.idmenu)
              .outerjoin(StoreMenuStock, StoreMenuStock.idbrandstoremenus == StoreMenu.id)
              .where(store_menu_visible(False), quantity <= threshold).subquery())
    rows = db.session.execute(
        select(Store.id, Store.nama, ranked.c.name, ranked.c.stock, ranked.c.total)
        .join(ranked, ranked.c.store_id == Store.id)
        .where(ranked.c.rank <= per_store)
        .order_by(Store.nama, Store.id, ranked.c.rank)).all()
    stores: dict[int, dict] = {}
    for store_id, store_name, name, stock, total in rows:
        store = stores.setdefault(store_id, {"id": store_id, "nama": store_name,
                                             "count": int(total), "products": []})
        store["products"].append({"nama_menus": name, "stock": int(stock)})
    return list(stores.values())
