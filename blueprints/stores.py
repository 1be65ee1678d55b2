"""Admin screens of a store's products beyond the generic ones: the products a store sells
with their stock, bulk assignment, inline stock editing, copying and removing."""
from flask import Blueprint, abort, flash, request

from app.auth import current_actor, requires
from models import Store, StoreMenu, db
from services.access import STAFF
from services.engine import core, get_resource, writing
from services.errors import DomainError, Forbidden, Invalid
from services.stores import operations as store_ops
from services.stores import queries as store_queries

from .render import go, inline_refusal, render, toast

bp = Blueprint("stores", __name__, url_prefix="/admin/stores")
CHANGED = "store-products-changed"  # HX-Trigger event: the product list reloads
REMOVED = "store-product-removed"  # HX-Trigger event: the assignment form reloads


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Every screen here is for signed-in staff; changes need a store manager role."""


def _store(store_id) -> Store:
    """The live store, or 404."""
    return core.load(get_resource("brandstore"), current_actor(), store_id)


def _store_menu(store, store_menu_id) -> StoreMenu:
    """A product of this store, or 404."""
    row = core.load(get_resource("brandstore_menus"), current_actor(), store_menu_id)
    if row.idbrandstore != store.id:
        abort(404)
    return row


def may_manage(actor) -> bool:
    """True for who may assign products and change stock (OWNER, ADMIN, USERS)."""
    return core.allowed(get_resource("brandstore_menus"), actor, "create")


def _require_manager():
    if not may_manage(current_actor()):
        raise Forbidden("Hanya Pemilik, Admin atau Staf yang dapat mengubah produk toko.")


def _context(store, lists=True, **extra):
    """What the store page and its parts show; `lists=False` for a single row."""
    actor = current_actor()
    context = {"store": store, "resource": get_resource("brandstore"),
               "other_stores": [(value, text) for value, text in store_queries.store_choices()
                                if value != store.id],
               "can_manage": may_manage(actor),
               "category_of": store_queries.first_category, "message": None, "chosen": [],
               "item": None, "row_error": None, "copy_error": None}
    if lists:
        context["products"] = store_queries.products_of_store(store)
        context["candidates"] = store_queries.unassigned_menus(store)
        context["summary"] = store_queries.stock_summary(store)
    context.update(extra)
    return context


@bp.get("/<int:store_id>/")
def products(store_id):
    """The store's products with stock, and the form to add more."""
    store = _store(store_id)
    return render("stores/products.html", "stores/_products.html", **_context(store))


@bp.get("/<int:store_id>/summary")
def summary(store_id):
    """The product count and stock total alone (refreshed after each stock change)."""
    store = _store(store_id)
    return render("stores/_summary.html", store=store,
                  summary=store_queries.stock_summary(store))


@bp.get("/<int:store_id>/assign")
def assign_form(store_id):
    """The bulk assignment form alone (reloaded after a change)."""
    store = _store(store_id)
    return render("stores/products.html", "stores/_assign_form.html", **_context(store))


@bp.post("/<int:store_id>/assign")
def assign(store_id):
    """Add the checked products to the store at once (all or none), stock 0."""
    store = _store(store_id)
    _require_manager()
    chosen = request.form.getlist("idmenu")
    rows = [{"idmenu": value, "idbrandstore": store.id} for value in chosen]
    try:
        if not rows:
            raise Invalid("Pilih setidaknya satu produk.",
                          fields={"idmenu": "Pilih setidaknya satu produk."})
        created = store_ops.assign_menus(current_actor(), rows)
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return render("stores/products.html", "stores/_assign_form.html", status=refusal.status,
                      **_context(store, message=refusal.message, chosen=chosen))
    message = f"{len(created)} produk ditambahkan ke {store.nama}."
    if not request.headers.get("HX-Request"):
        flash(message, "success")
        return go("stores.products", store_id=store.id)
    return render("stores/products.html", "stores/_assign_form.html",
                  trigger={**toast(message), CHANGED: True}, **_context(store))


def _answer_row(store, row, message, failed=False, place="row_error"):
    """HTMX: the product's row again (422 with the error inline where it belongs — under the
    stock (`row_error`) or in the copy form (`copy_error`) — or with a toast); a plain form
    post: back to the store page with the message."""
    if not request.headers.get("HX-Request"):
        flash(f"{row.menu.nama_menus}: {message}" if failed else message,
              "danger" if failed else "success")
        return go("stores.products", store_id=store.id)
    if failed:
        return render("stores/_product_row.html", status=422,
                      **_context(store, lists=False, item=row, **{place: message}))
    return render("stores/_product_row.html", trigger={**toast(message), "stock-changed": True},
                  **_context(store, lists=False, item=row))


def _reason(refusal: DomainError) -> str:
    """What to show under the stock of a refused change: the field's reason when there is one."""
    first = next(iter(refusal.fields.values()), None) if refusal.fields else None
    return first if isinstance(first, str) else refusal.message


def _stock_change(store_id, store_menu_id, change):
    store = _store(store_id)
    row = _store_menu(store, store_menu_id)
    _require_manager()
    try:
        quantity = change(row)
    except DomainError as exc:
        return _answer_row(store, row, _reason(inline_refusal(exc)), failed=True)
    db.session.refresh(row)
    return _answer_row(store, row, f"Stok {row.menu.nama_menus} sekarang {quantity}.")


@bp.post("/<int:store_id>/products/<int:store_menu_id>/stock")
def set_stock(store_id, store_menu_id):
    """Set the stock to the typed quantity (≥ 0)."""
    return _stock_change(store_id, store_menu_id, lambda row: store_ops.set_stock(
        row, request.form.get("quantitytotal", ""), current_actor()))


@bp.post("/<int:store_id>/products/<int:store_menu_id>/adjust")
def adjust_stock(store_id, store_menu_id):
    """Add or take (delta) from the stock; never below zero."""
    return _stock_change(store_id, store_menu_id, lambda row: store_ops.adjust_stock(
        row, request.form.get("delta", ""), current_actor()))


@bp.post("/<int:store_id>/products/<int:store_menu_id>/copy")
def copy(store_id, store_menu_id):
    """Offer this product at the checked stores too (those that have it are skipped)."""
    store = _store(store_id)
    row = _store_menu(store, store_menu_id)
    _require_manager()
    targets = request.form.getlist("idbrandstore")
    try:
        result = store_ops.duplicate_assignment(current_actor(), row, targets)
    except DomainError as exc:
        return _answer_row(store, row, inline_refusal(exc).message, failed=True,
                           place="copy_error")
    created, skipped = len(result.created), len(result.skipped)
    message = f"{row.menu.nama_menus} ditambahkan ke {created} toko lain"
    message += f" ({skipped} toko sudah memilikinya)." if skipped else "."
    return _answer_row(store, row, message)


@bp.route("/<int:store_id>/products/<int:store_menu_id>/delete", methods=["POST", "DELETE"])
def remove(store_id, store_menu_id):
    """Stop selling a product at this store (its stock row goes with it)."""
    store = _store(store_id)
    row = _store_menu(store, store_menu_id)
    name = row.menu.nama_menus
    writing.delete(get_resource("brandstore_menus"), current_actor(), row.id)
    message = f"{name} dihapus dari {store.nama}."
    if not request.headers.get("HX-Request"):
        flash(message, "success")
        return go("stores.products", store_id=store.id)
    return render("crud/_nothing.html", trigger={**toast(message), CHANGED: True, REMOVED: True})
