"""Reading orders: who reaches which order (and so which lines, ratings and points), and the
shapes the API nests them in — the flat order, a product line with its product's fields, a
consultation line with its doctor, the totals by kind and the number of lines in a cart.

Reach: the office (OWNER, ADMIN, USERS) every order; a customer their own (`id_member`); a
doctor who is not office staff their own orders as a customer and the consultation orders
(type C) with them — to read only, for the consultation; they change none of those."""
from sqlalchemy import exists, false, func, or_, select

from models import Order, OrderExtra, OrderItem, db
from models.orders import CANCEL, CART
from services.access import has_doctor_role, is_office, own_doctor_ids
from services.engine.gallery import primary_image
from services.engine.resource import format_value
from services.uploads import public_url

# the order as nested in a line, a points row, and as a row of the orders lists
ORDER_FLAT = ("id", "pic_admin", "id_admin", "id_member", "id_patients",
              "id_promo_discount_applied", "kode_kota", "nama_pemesan", "notelp_pemesan",
              "email_pemesan", "alamat_pemesan", "alamat_kirim", "nama_penerima", "order_date",
              "order_type", "order_code", "pickup_datetime", "queue_number", "catatan_order",
              "total_price", "total_discount", "total_pajak", "total_buffertime", "status",
              "is_paid", "payment_redirect_url", "paid_date", "pay_channel", "is_prepared",
              "prepared_datetime", "is_delivered", "delivered_datetime", "is_done",
              "done_datetime", "is_canceled", "nomor_resi", "cancel_datetime", "cancel_pic",
              "cancel_reason", "ratings", "rating_desc", "is_processing",
              "processing_datetime", "courier", "courier_service", "is_courier",
              "courier_datetime", "is_waiting_courier", "waiting_courier_datetime",
              "is_pickup", "courier_price", "poin_used", "points_earned", "grand_totals")
ITEM_COLUMNS = ("id", "id_order", "id_menu", "qty", "satuan", "price", "price_total",
                "discount", "pajak", "buffer_time", "order_datetime", "catatan_menu",
                "is_canceled", "cancel_user_id")
PRODUCT_FIELDS = ("nama_menus", "is_resep_required", "brief", "dosis", "komposisi",
                  "aturan_pakai", "nomor_registrasi", "produsen")
AMOUNT_TYPES = (("E-commerce", "items"), ("Online consultations", "extras"))


# ---- who reaches which order --------------------------------------------------------------
def consultations_with(actor):
    """Condition: the order has a consultation line with the actor's doctor record."""
    return exists(select(OrderExtra.id).where(OrderExtra.id_orders == Order.id,
                                              OrderExtra.id_doctors.in_(own_doctor_ids(actor))))


def order_condition(actor):
    """Condition on Order: the orders the actor reaches (see the module's docstring)."""
    if actor is None:
        return false()
    if is_office(actor):
        return None
    condition = Order.id_member == actor.id
    if has_doctor_role(actor):
        condition = or_(condition, (Order.order_type == "C") & consultations_with(actor))
    return condition


def reachable_order_ids(actor):
    """SELECT of the ids of the live orders the actor reaches."""
    stmt = select(Order.id).where(Order.deleted_at.is_(None))
    condition = order_condition(actor)
    return stmt if condition is None else stmt.where(condition)


def of_reachable_orders(column, actor):
    """Condition on a row naming its order in `column` (a line, a rating): its order is a
    live one the actor reaches. For the office (every order) it reads "not among the deleted
    orders": those are few and come from the index on deleted_at once per statement, so a
    list of lines walks its own ordering (the primary key) and a count its narrowest index —
    where "IN (the live orders)" first gathered the ids of every live order (400k in the
    bench: 0.2–0.5 s per statement even over an empty ratings table). The others' orders are
    few: "IN (their live orders)". `column` is NOT NULL and a foreign key, so both say the
    same."""
    if order_condition(actor) is None and actor is not None:
        return column.not_in(select(Order.id).where(Order.deleted_at.is_not(None)))
    return column.in_(reachable_order_ids(actor))


def may_change_order(actor, order: Order) -> bool:
    """Office staff change any order; anyone else only their own (as its customer)."""
    return actor is not None and (is_office(actor) or order.id_member == actor.id)


def is_open_cart(order: Order) -> bool:
    """The order is still a cart (its lines, address, promotion and points may change)."""
    return order.status == CART and order.deleted_at is None


def deletable(order: Order) -> bool:
    """Only a cart or a cancelled order is deleted (soft); the others are history."""
    return order.status in (CART, CANCEL)


def counts_carts(member_id: int) -> int:
    """How many lines the member's open carts hold (products and consultations)."""
    carts = select(Order.id).where(Order.id_member == member_id, Order.status == CART,
                                   Order.cart_key.is_not(None), Order.deleted_at.is_(None))
    items = db.session.execute(select(func.count(OrderItem.id)).where(
        OrderItem.id_order.in_(carts), OrderItem.is_canceled.is_(False))).scalar_one()
    extras = db.session.execute(select(func.count(OrderExtra.id)).where(
        OrderExtra.id_orders.in_(carts))).scalar_one()
    return items + extras


# ---- shapes -------------------------------------------------------------------------------
def order_value(order: Order, name: str):
    """One field of the flat order, as the API writes it."""
    if name == "id_admin":
        return order.id_admin or 0
    if name in ("ratings", "rating_desc"):
        return getattr(order.rating, name) if order.rating is not None else None
    if name == "is_waiting_courier":
        return int(bool(order.is_courier))
    if name == "waiting_courier_datetime":
        return format_value(order.courier_datetime)
    return format_value(getattr(order, name))


def order_flat(order: Order | None) -> dict | None:
    """The order without its lines (as nested in a line or a points row)."""
    if order is None:
        return None
    return {name: order_value(order, name) for name in ORDER_FLAT}


def product_image(menu) -> str:
    """The product's first picture as an absolute URL ("" when it has none)."""
    image = primary_image(list(getattr(menu, "images", None) or []))
    return public_url("menus", image.menu_image) if image else ""


def item_columns(item: OrderItem) -> dict:
    """A product line's own columns."""
    data = {name: format_value(getattr(item, name)) for name in ITEM_COLUMNS}
    data["cancel_user_id"] = item.cancel_user_id or 0
    data["id_prescription"] = item.id_prescription
    data["prescribed_by"] = prescribed_by(item)
    return data


def prescribed_by(item: OrderItem) -> str:
    """ "Diresepkan oleh dr <name>" for a line that redeems a prescription, else ""."""
    prescription = item.prescription if item.id_prescription else None
    doctor = prescription.doctor_user if prescription is not None else None
    if doctor is None:
        return ""
    name = (doctor.users_fullname or doctor.username or "").strip()
    if not name.lower().startswith(("dr ", "dr.", "drg ", "drg.")):
        name = f"dr {name}"
    return f"Diresepkan oleh {name}"


def item_with_product(item: OrderItem) -> dict:
    """A product line with its product's fields and picture (inside an order)."""
    data = item_columns(item)
    menu = item.menu
    data.update({name: format_value(getattr(menu, name, None)) if menu is not None else None
                 for name in PRODUCT_FIELDS})
    data["berat"] = item.berat
    data["images"] = product_image(menu) if menu is not None else ""
    return data


def extra_line(extra: OrderExtra, actor=None, with_doctor: bool = True) -> dict:
    """A consultation line: its item and doctor under `items`, as documented."""
    from services.engine import brief

    items = {"item": extra.item, "id_doctors": extra.id_doctors}
    if with_doctor:
        items["doctors"] = brief("doctors", extra.doctor, actor)
    return {"id": extra.id, "id_orders": extra.id_orders, "items": items, "qty": extra.qty,
            "extra_notes": extra.extra_notes, "extra_prices": extra.extra_prices}


def total_amount(order: Order) -> list[dict]:
    """The money of the order by kind (products, consultations), as documented."""
    from .money import compute_totals

    totals = compute_totals(order)
    return [{"total_amount": str(getattr(totals, attribute)), "types": label}
            for label, attribute in AMOUNT_TYPES]


# ---- orders to prepare and hand over (the "Hari ini" screen) ---------------------------------
HANDLE_SHOWN = 15


def orders_to_prepare(limit: int = HANDLE_SHOWN) -> dict:
    """The paid product orders still to process, prepare or hand over (the reports' own
    scope, services.reports.dashboard.orders_to_handle), oldest payment first: how many stand
    in each of those states (one query) and the first `limit` with their store's name (one
    query) — {"counts": {status: n}, "total": n, "orders": [(Order, store name)]}."""
    from models import Store
    from services.reports.dashboard import (
        ORDERS_TO_HANDLE_ORDER,
        TO_HANDLE,
        orders_to_handle,
    )

    counts = dict.fromkeys(TO_HANDLE, 0)
    for status, number in db.session.execute(
            orders_to_handle(select(Order.status, func.count(Order.id)))
            .group_by(Order.status)).all():
        counts[status] = int(number)
    rows = db.session.execute(
        orders_to_handle(select(Order, Store.nama))
        .outerjoin(Store, Store.id == Order.id_brandstore)
        .order_by(*ORDERS_TO_HANDLE_ORDER).limit(limit)).all()
    return {"counts": counts, "total": sum(counts.values()),
            "orders": [(order, store_name) for order, store_name in rows]}
