"""Stores and the products they sell: distances, visibility, assignments and stock.

Stock changes only through conditional UPDATE statements, so two cashiers (or two app
servers) can never take it below zero; the CHECK constraint on the table is the last guard.
"""
import math
from datetime import datetime

from sqlalchemy import and_, case, func, insert, or_, select, update

from models import Menu, MenuCategory, Store, StoreMenu, StoreMenuStock, clinic_now, db
from services import audit
from services.errors import BadRequest, Conflict, Invalid, NotFound

EARTH_RADIUS_METRES = 6_371_000
BULK_ROWS_MAX = 500
STOCK_MAX = 1_000_000_000  # fits the INT column with room to spare


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


# ---- who sees which stores -----------------------------------------------------------------
def sees_hidden_stores(actor) -> bool:
    """Staff see every store; the app's public and customers only those shown (is_show=1)."""
    return actor is not None and actor.is_staff


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


def visible_cities(actor) -> list[dict]:
    """The distinct cities of the stores the caller may see, A–Z, as the app lists them."""
    stmt = (select(Store.city).where(Store.deleted_at.is_(None), Store.city != "")
            .group_by(Store.city).order_by(Store.city))
    if not sees_hidden_stores(actor):
        stmt = stmt.where(Store.is_show.is_(True))
    return [{"city": city} for city in db.session.execute(stmt).scalars()]


# ---- categories --------------------------------------------------------------------------
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


# ---- assigning products to stores ---------------------------------------------------------
def _resource():
    from services.engine import get_resource
    return get_resource("brandstore_menus")


def _new_assignment(resource, actor, data) -> StoreMenu:
    row = StoreMenu()
    resource.apply(row, data, actor)
    row.stock = StoreMenuStock(quantitytotal=0, datetimeupdateat=clinic_now())
    db.session.add(row)
    return row


def assign_menus(actor, rows) -> list[StoreMenu]:
    """Assign many products to stores at once: every row is checked first, and one bad row
    refuses the whole list (422 naming each bad row by its index, counted from 0)."""
    from services.engine import core

    resource = _resource()
    core.require(resource, actor, "create")
    if not isinstance(rows, list):
        raise BadRequest("Isi permintaan harus berupa daftar (JSON array) baris.")
    if not rows:
        raise Invalid("Daftar kosong: kirim setidaknya satu baris.", fields={"rows": "Kosong."})
    if len(rows) > BULK_ROWS_MAX:
        raise Invalid(f"Paling banyak {BULK_ROWS_MAX} baris sekaligus.",
                      fields={"rows": f"Maksimal {BULK_ROWS_MAX}."})
    problems, valid, seen = {}, [], {}
    for index, row in enumerate(rows):
        try:
            if not isinstance(row, dict):
                raise Invalid(fields={"row": "Setiap baris harus berupa objek JSON."})
            data = core.validate_input(resource, actor, row)
        except Invalid as exc:
            problems[str(index)] = exc.fields or {"row": exc.message}
            continue
        pair = (data["idmenu"], data["idbrandstore"])
        if pair in seen:
            problems[str(index)] = {"idmenu": f"Sama dengan baris {seen[pair]}."}
            continue
        seen[pair] = index
        valid.append(data)
    if problems:
        indexes = ", ".join(problems)
        raise Invalid(f"Tidak ada yang disimpan: baris {indexes} tidak valid "
                      "(nomor baris dihitung dari 0).", fields=problems)
    try:
        created = [_new_assignment(resource, actor, data) for data in valid]
        db.session.flush()
        for row in created:
            audit.record("create", actor, resource.name, row.id, resource.describe(row))
        core.commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    return created


def _store_ids(value) -> list[int]:
    values = value if isinstance(value, list) else [value]
    if value is None or value == "" or not values:
        raise Invalid("Pilih toko tujuan.", fields={"idbrandstore": "Wajib diisi."})
    result = []
    for item in values:
        if isinstance(item, bool):
            raise Invalid(fields={"idbrandstore": "Harus berupa id toko."})
        try:
            result.append(int(str(item).strip()))
        except ValueError as exc:
            raise Invalid(fields={"idbrandstore": "Harus berupa id toko."}) from exc
    return list(dict.fromkeys(result))


def duplicate_assignment(actor, store_menu: StoreMenu, target_store_ids) -> dict:
    """Offer the product of this assignment at other stores too (stock starts at 0).

    Stores that already sell it (and its own store) are skipped, never duplicated; an
    unknown or deleted store refuses the whole request; all new rows commit together."""
    from services.engine import core

    resource = _resource()
    core.require(resource, actor, "create")
    store_ids = _store_ids(target_store_ids)
    if len(store_ids) > BULK_ROWS_MAX:
        raise Invalid(fields={"idbrandstore": f"Maksimal {BULK_ROWS_MAX} toko."})
    found = set(db.session.execute(select(Store.id).where(
        Store.id.in_(store_ids), Store.deleted_at.is_(None))).scalars())
    missing = [store_id for store_id in store_ids if store_id not in found]
    if missing:
        raise Invalid(f"Toko tidak ditemukan: {', '.join(map(str, missing))}.",
                      fields={"idbrandstore": f"Tidak ditemukan: {missing}"})
    having = set(db.session.execute(select(StoreMenu.idbrandstore).where(
        StoreMenu.idmenu == store_menu.idmenu, StoreMenu.idbrandstore.in_(store_ids))).scalars())
    targets = [store_id for store_id in store_ids if store_id not in having]
    try:
        created = [_new_assignment(resource, actor, {"idmenu": store_menu.idmenu,
                                                     "idbrandstore": store_id})
                   for store_id in targets]
        db.session.flush()
        for row in created:
            audit.record("duplicate", actor, resource.name, row.id,
                         f"{resource.describe(row)} dari #{store_menu.id}")
        core.commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    return {"created": created, "skipped": [store_id for store_id in store_ids
                                            if store_id in having]}


def products_of_store(store: Store) -> list[StoreMenu]:
    """The products a store sells, with their stock, by name."""
    return list(db.session.execute(
        select(StoreMenu).join(Menu, Menu.id == StoreMenu.idmenu)
        .where(StoreMenu.idbrandstore == store.id, store_menu_visible(False))
        .order_by(Menu.nama_menus, StoreMenu.id)
        .options(*_resource().eager)).scalars().unique())


def unassigned_menus(store: Store) -> list[Menu]:
    """Live products not yet offered at this store, by name."""
    taken = select(StoreMenu.idmenu).where(StoreMenu.idbrandstore == store.id)
    return list(db.session.execute(
        select(Menu).where(Menu.deleted_at.is_(None), Menu.id.not_in(taken))
        .order_by(Menu.nama_menus, Menu.id)).scalars())


# ---- stock ------------------------------------------------------------------------------
def _quantity(value, name, low) -> int:
    if isinstance(value, bool):
        raise Invalid(fields={name: "Harus berupa bilangan bulat."})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise Invalid("Jumlah stok tidak valid.", fields={name: "Harus berupa bilangan bulat."}) \
            from exc
    if number < low or abs(number) > STOCK_MAX:
        message = "Stok tidak boleh kurang dari 0." if low == 0 else "Jumlah di luar batas."
        raise Invalid(message, fields={name: message})
    return number


def _ensure_stock_row(store_menu: StoreMenu):
    """A product without its stock row gets one (0); whoever comes first inserts it, the
    unique key makes the others' insert a no-op."""
    exists = db.session.execute(select(StoreMenuStock.id).where(
        StoreMenuStock.idbrandstoremenus == store_menu.id)).first()
    if exists is None:
        db.session.execute(
            insert(StoreMenuStock).prefix_with("IGNORE", dialect="mysql")
            .prefix_with("OR IGNORE", dialect="sqlite")
            .values(idbrandstoremenus=store_menu.id, quantitytotal=0,
                    datetimeupdateat=clinic_now()))


def current_stock(store_menu: StoreMenu) -> int:
    """The quantity as stored right now."""
    value = db.session.execute(select(StoreMenuStock.quantitytotal).where(
        StoreMenuStock.idbrandstoremenus == store_menu.id)).scalar()
    return value or 0


def set_stock(store_menu: StoreMenu, quantity, actor=None) -> int:
    """Set the stock of a product at a store to `quantity` (≥ 0); returns it."""
    quantity = _quantity(quantity, "quantitytotal", 0)
    try:
        _ensure_stock_row(store_menu)
        result = db.session.execute(
            update(StoreMenuStock).where(StoreMenuStock.idbrandstoremenus == store_menu.id)
            .values(quantitytotal=quantity, datetimeupdateat=clinic_now())
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise NotFound("Produk toko tidak ditemukan.")
        audit.record("stock_set", actor, "brandstore_menus", store_menu.id, f"= {quantity}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire(store_menu, ["stock"])
    return quantity


def adjust_stock(store_menu: StoreMenu, delta, actor=None) -> int:
    """Add `delta` (negative to take) to the stock in one conditional UPDATE; 409 when the
    stock would go below zero. Returns the new quantity."""
    delta = _quantity(delta, "delta", -STOCK_MAX)
    try:
        _ensure_stock_row(store_menu)
        result = db.session.execute(
            update(StoreMenuStock)
            .where(StoreMenuStock.idbrandstoremenus == store_menu.id,
                   StoreMenuStock.quantitytotal + delta >= 0,
                   StoreMenuStock.quantitytotal + delta <= STOCK_MAX)
            .values(quantitytotal=StoreMenuStock.quantitytotal + delta,
                    datetimeupdateat=clinic_now())
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            db.session.rollback()
            raise Conflict("Stok tidak mencukupi: stok tidak boleh kurang dari 0.",
                           fields={"delta": "Stok tidak mencukupi."}, error_code="stock_short")
        audit.record("stock_adjust", actor, "brandstore_menus", store_menu.id, f"{delta:+d}")
        quantity = current_stock(store_menu)
        db.session.commit()
    except Conflict:
        raise
    except Exception:
        db.session.rollback()
        raise
    db.session.expire(store_menu, ["stock"])
    return quantity
