"""Stores and the products they sell: assigning products to stores (one by one, in bulk, or
copied from another store) and changing stock.

Stock changes only through conditional UPDATE statements, so two cashiers (or two app
servers) can never take it below zero; the CHECK constraint on the table is the last guard.
"""
from typing import NamedTuple

from sqlalchemy import insert, select, update

from models import StoreMenu, StoreMenuStock, clinic_now, db
from services import audit
from services.engine.filters import INT_MAX
from services.errors import BadRequest, Conflict, Invalid, NotFound

from .queries import live_store_ids, other_live_store_ids, stores_selling

BULK_ROWS_MAX = 500
STOCK_MAX = 1_000_000_000  # fits the INT column with room to spare


# ---- assigning products to stores ---------------------------------------------------------
def _resource():
    from services.engine import get_resource
    return get_resource("brandstore_menus")


def _create_assignments(resource, actor, pairs, action: str, note: str = "") -> list[StoreMenu]:
    """Add a row (with a stock of 0) for each (product, store) pair, audit each, and commit
    them together; nothing is kept when one fails."""
    from services.engine import writing

    try:
        created = []
        for menu_id, store_id in pairs:
            row = StoreMenu()
            resource.apply(row, {"idmenu": menu_id, "idbrandstore": store_id}, actor)
            row.stock = StoreMenuStock(quantitytotal=0, datetimeupdateat=clinic_now())
            db.session.add(row)
            created.append(row)
        db.session.flush()
        for row in created:
            audit.record(action, actor, resource.name, row.id, resource.describe(row) + note)
        writing.commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    return created


def assign_menus(actor, rows) -> list[StoreMenu]:
    """Assign many products to stores at once: every row is checked first, and one bad row
    refuses the whole list (422 naming each bad row by its index, counted from 0)."""
    from services.engine import core, writing

    resource = _resource()
    core.require(resource, actor, "create")
    if not isinstance(rows, list):
        raise BadRequest("Isi permintaan harus berupa daftar (JSON array) baris.")
    if not rows:
        raise Invalid("Daftar kosong: kirim setidaknya satu baris.", fields={"rows": "Kosong."})
    if len(rows) > BULK_ROWS_MAX:
        raise Invalid(f"Paling banyak {BULK_ROWS_MAX} baris sekaligus.",
                      fields={"rows": f"Maksimal {BULK_ROWS_MAX}."})
    problems, seen = {}, {}
    for index, row in enumerate(rows):
        try:
            if not isinstance(row, dict):
                raise Invalid(fields={"row": "Setiap baris harus berupa objek JSON."})
            data = writing.validate_input(resource, actor, row)
        except Invalid as exc:
            problems[str(index)] = exc.fields or {"row": exc.message}
            continue
        pair = (data["idmenu"], data["idbrandstore"])
        if pair in seen:
            problems[str(index)] = {"idmenu": f"Sama dengan baris {seen[pair]}."}
            continue
        seen[pair] = index
    if problems:
        indexes = ", ".join(problems)
        raise Invalid(f"Tidak ada yang disimpan: baris {indexes} tidak valid "
                      "(nomor baris dihitung dari 0).", fields=problems)
    return _create_assignments(resource, actor, seen, "create")


def _store_ids(value) -> list[int]:
    values = value if isinstance(value, list) else [value]
    if value == "" or not values:
        raise Invalid("Pilih toko tujuan.", fields={"idbrandstore": "Wajib diisi."})
    result = []
    for item in values:
        if isinstance(item, bool):
            raise Invalid(fields={"idbrandstore": "Harus berupa id toko."})
        try:
            result.append(int(str(item).strip()))
        except ValueError as exc:
            raise Invalid(fields={"idbrandstore": "Harus berupa id toko."}) from exc
        if not 1 <= result[-1] <= INT_MAX:
            raise Invalid(fields={"idbrandstore": "Toko tidak ditemukan."})
    store_ids = list(dict.fromkeys(result))
    if len(store_ids) > BULK_ROWS_MAX:
        raise Invalid(fields={"idbrandstore": f"Maksimal {BULK_ROWS_MAX} toko."})
    found = live_store_ids(store_ids)
    missing = [store_id for store_id in store_ids if store_id not in found]
    if missing:
        raise Invalid(f"Toko tidak ditemukan: {', '.join(map(str, missing))}.",
                      fields={"idbrandstore": f"Tidak ditemukan: {missing}"})
    return store_ids


class Duplication(NamedTuple):
    """What copying a product to other stores did: the new rows, and the ids of the stores
    skipped because they already sell it."""

    created: list
    skipped: list


def duplicate_assignment(actor, store_menu: StoreMenu, target_store_ids=None) -> Duplication:
    """Offer the product of this assignment at other stores too (stock starts at 0): at the
    stores named (one id or a list), or, when none are named (None), at every other live store.

    Stores that already sell it (and its own store) are skipped, never duplicated; an
    unknown or deleted store refuses the whole request; all new rows commit together."""
    from services.engine import core

    resource = _resource()
    core.require(resource, actor, "create")
    if target_store_ids is None:
        store_ids = other_live_store_ids(store_menu.idbrandstore)
    else:
        store_ids = _store_ids(target_store_ids)
    having = stores_selling(store_menu.idmenu, store_ids)
    pairs = [(store_menu.idmenu, store_id) for store_id in store_ids if store_id not in having]
    created = _create_assignments(resource, actor, pairs, "duplicate", f" dari #{store_menu.id}")
    return Duplication(created, [store_id for store_id in store_ids if store_id in having])


# ---- stock ------------------------------------------------------------------------------
def _quantity(value, name, low) -> int:
    if isinstance(value, bool):
        raise Invalid(fields={name: "Harus berupa bilangan bulat."})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise Invalid("Jumlah stok tidak valid.", fields={name: "Harus berupa bilangan bulat."}) \
            from exc
    if abs(number) > STOCK_MAX:
        message = f"Jumlah terlalu besar: paling banyak {STOCK_MAX:,}.".replace(",", ".")
        raise Invalid(message, fields={name: message})
    if number < low:
        message = "Stok tidak boleh kurang dari 0."
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
