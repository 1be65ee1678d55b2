"""The API data contract of orders and their lines (order_items: products; order_extras: online
consultations); ratings are in ratings.py, the points ledger (user_points) in points.py.

Reach (services/orders/queries.py): the office every order; a customer their own; a doctor
who is not office staff also reads the consultation orders with them. Changing:
- an order moves only through the documented actions (api/orders.py → operations.py →
  OrderFlow); it has no generic update, so totals, status, paid flags and codes are never
  assigned from a body; deleting is a soft delete of a cart or a cancelled order (the
  customer their own, the office any);
- lines change only while their order is an open cart, by its customer or the office; every
  change re-prices the order through services.orders.money (lines keep the price captured
  when they were added; a body's price, totals or order id are ignored);
- ratings and points: see ratings.py and points.py."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Doctor, Menu, Order, OrderExtra, OrderItem, Rating, db
from models.orders import CART, ORDER_STATUSES
from services.access import OFFICE
from services.accounts.operations import user_data_part
from services.engine import brief, get_resource
from services.engine.fields import FlexDate, Number
from services.engine.filters import custom, id_filter, like, related_column
from services.engine.resource import ENDPOINTS, SIGNED_IN, Resource, register
from services.errors import Conflict, Invalid

from . import carts, operations
from .money import refresh_totals, selling_price
from .queries import (ITEM_COLUMNS, ORDER_FLAT, counts_carts, deletable, extra_line,
                      item_columns, item_with_product, order_condition, order_flat,
                      of_reachable_orders, order_value, product_image, total_amount)

LIST_ENDPOINTS = ("explore", "search", "table", "get", "delete")
ORDER_DETAIL = ("lat_kirim", "lng_kirim", "kode_provinsi", "kode_kecamatan", "distance",
                "distance_unit", "consultation_closed")


def _statuses(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    result = []
    for item in values:
        if not isinstance(item, str) or item.strip().upper() not in ORDER_STATUSES:
            raise ValueError(item)
        result.append(item.strip().upper())
    return result


def _day(value):
    return FlexDate().deserialize(value)


def _order_type(value):
    if not isinstance(value, str) or value.strip().upper() not in ("E", "C"):
        raise ValueError(value)
    return value.strip().upper()


def _rating_of(column):
    return related_column(column, Order, Rating.id_orders == Order.id)


# ---- orders -----------------------------------------------------------------------------------
@register
class Orders(Resource):
    """Carts and orders of products (E) and online consultations (C)."""

    name = "orders"
    model = Order
    label = "Pesanan"
    endpoints = LIST_ENDPOINTS  # the rest are the documented actions (api/orders.py)
    outputs = ORDER_FLAT
    list_outputs = ORDER_FLAT
    brief_fields = ORDER_FLAT
    filters = {
        "id_users": id_filter(Order.id_member),
        "id_member": id_filter(Order.id_member),
        "id_patients": id_filter(Order.id_patients),
        "order_type": custom(lambda stmt, value: stmt.where(Order.order_type == _order_type(value))),
        "order_code": like(Order.order_code),
        "status": custom(lambda stmt, value: stmt.where(Order.status.in_(_statuses(value)))),
        "status_array": custom(lambda stmt, value: stmt.where(Order.status.in_(_statuses(value)))),
        "order_date": custom(lambda stmt, value: stmt.where(
            Order.order_date >= _day(value), Order.order_date < _next_day(value))),
        "date_from": custom(lambda stmt, value: stmt.where(Order.order_date >= _day(value))),
        "date_to": custom(lambda stmt, value: stmt.where(Order.order_date < _next_day(value))),
    }
    # "Table Specs" as endpoints.json gives them (the text goes on past index 33 with a
    # repeated index 34 and a note that the list is still under discussion)
    table_columns = (
        "id", "pic_admin", "id_admin", "id_member", "id_promo_discount_applied", "nama_pemesan",
        "notelp_pemesan", "email_pemesan", "alamat_pemesan", "alamat_kirim", "order_date",
        "order_type", "order_code", "pickup_datetime", "queue_number", "catatan_order",
        "total_price", "total_discount", "total_pajak", "total_buffertime", "status", "is_paid",
        "payment_redirect_url", "paid_date", "pay_channel", "is_prepared", "prepared_datetime",
        "is_delivered", "delivered_datetime", "nama_penerima", "is_done", "done_datetime",
        "is_canceled", "cancel_datetime")
    table_exprs = {"ratings": _rating_of(Rating.ratings),
                   "rating_desc": _rating_of(Rating.rating_desc),
                   "is_waiting_courier": Order.is_courier,
                   "waiting_courier_datetime": Order.courier_datetime}
    search_columns = ("order_code", "nama_pemesan", "notelp_pemesan", "email_pemesan",
                      "nama_penerima", "status", "nomor_resi")
    order_by = (Order.order_date.desc(), Order.id.desc())
    eager = (selectinload(Order.items).selectinload(OrderItem.menu).selectinload(Menu.images),
             selectinload(Order.extras).selectinload(OrderExtra.doctor)
             .selectinload(Doctor.user), selectinload(Order.rating),
             selectinload(Order.member), selectinload(Order.patient),
             selectinload(Order.promotion))
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": OFFICE}
    own_actions = frozenset({"delete"})

    def visible_rows(self, stmt, actor):
        """The orders the actor reaches (queries.order_condition)."""
        condition = order_condition(actor)
        return stmt if condition is None else stmt.where(condition)

    def own_rows(self, stmt, actor):
        """The actor's own orders, as their customer."""
        return stmt.where(Order.id_member == actor.id)

    def is_own(self, actor, obj):
        """The actor is the order's customer."""
        return actor is not None and obj.id_member == actor.id

    def describe(self, obj):
        """The order code, or the cart's number."""
        return obj.order_code or f"Keranjang #{obj.id}"

    def before_delete(self, obj, actor):
        """Only a cart or a cancelled order; a deleted cart frees the way for a new one."""
        if not deletable(obj):
            raise Conflict(f"Pesanan berstatus {obj.status} tidak dapat dihapus; hanya keranjang "
                           "atau pesanan yang dibatalkan.", error_code="wrong_state")
        obj.cart_key = None

    def raw(self, obj, name):
        """The flat order's values (ratings from the order's rating, 0 for no admin)."""
        if name in ORDER_FLAT:
            return order_value(obj, name)
        return super().raw(obj, name)

    def serialize(self, obj, actor, view="detail"):
        """A list row: the flat order and its lines under `details`; one order: its customer
        (`users`, also as `member`), patient, promotion, lines, totals by kind and the number
        of lines in the customer's carts."""
        data = order_flat(obj)
        if view == "list":
            data["details"] = [item_with_product(item) for item in obj.items] + \
                [extra_line(extra, actor) for extra in obj.extras]
            return data
        member = brief("users", obj.member, actor)
        data.update({name: order_value(obj, name) for name in ORDER_DETAIL})
        data.update(
            users=member, member=member, patients=brief("patients", obj.patient, actor) or {},
            promo_discount_applied=brief("promotions", obj.promotion, actor)
            if obj.promotion is not None else None,
            order_items=[item_with_product(item) for item in obj.items],
            order_extras=[extra_line(extra, actor) for extra in obj.extras],
            total_amount=total_amount(obj), counts_carts=counts_carts(obj.id_member),
            grand_totals=obj.grand_totals)
        return data


def _next_day(value):
    from datetime import datetime, timedelta
    return datetime.combine(_day(value), datetime.min.time()) + timedelta(days=1)


# ---- lines ------------------------------------------------------------------------------------
class CartLine(Resource):
    """What product and consultation lines share: reach through their order, changes only on
    an open cart by its customer or the office, every change re-pricing the order."""

    order_key = ""  # the line's column naming its order
    collection = ""  # the order's relationship holding these lines
    endpoints = ENDPOINTS
    access = {"read": SIGNED_IN, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    own_actions = frozenset({"create", "update", "delete"})

    def visible_rows(self, stmt, actor):
        """Lines of the orders the actor reaches."""
        return stmt.where(of_reachable_orders(getattr(self.model, self.order_key), actor))

    def own_rows(self, stmt, actor):
        """Lines of the actor's own orders."""
        return stmt.where(getattr(self.model, self.order_key).in_(
            select(Order.id).where(Order.id_member == actor.id)))

    def check_change(self, obj, actor):
        """Only while the order is an open cart."""
        carts.require_cart(obj.order)

    def validate(self, data, actor, obj=None):
        """Quantity 1–999 (0 or less: delete the line instead)."""
        qty = data.get("qty")
        if qty is not None and not 1 <= qty <= carts.QTY_MAX:
            raise Invalid(fields={"qty": f"Jumlah 1 sampai {carts.QTY_MAX}; untuk "
                                         "menghapus baris gunakan delete."})
        return data

    def cart_of(self, data, actor, order_type) -> Order:
        """The open cart a new line goes into (the actor's own, or any for the office)."""
        order = operations.find_order(actor, data[self.order_key])
        carts.require_cart(order, order_type)
        return order

    def after_save(self, obj, data, actor, created):
        """Re-price the order."""
        order = db.session.get(Order, getattr(obj, self.order_key))
        db.session.expire(order, ["items", "extras"])
        refresh_totals(order)

    def before_delete(self, obj, actor):
        """Take the line out and re-price the order."""
        order = obj.order
        getattr(order, self.collection).remove(obj)
        refresh_totals(order)


@register
class OrderItems(CartLine):
    """Product lines of an order, at the price captured when added."""

    name = "order_items"
    model = OrderItem
    label = "Produk pesanan"
    order_key, collection = "id_order", "items"
    inputs = ("id_order", "id_menu", "qty", "catatan_menu")
    required = ("id_order", "id_menu")
    create_only = ("id_order", "id_menu")
    outputs = ("id", "id_order", "id_menu", "order", "menu", "qty", "satuan", "price",
               "price_total", "discount", "pajak", "buffer_time", "berat", "order_datetime",
               "catatan_menu", "is_canceled", "cancel_user_id")
    list_outputs = (*ITEM_COLUMNS, "images")
    filters = {"id_order": id_filter(OrderItem.id_order), "id_menu": id_filter(OrderItem.id_menu)}
    table_columns = ITEM_COLUMNS
    eager = (selectinload(OrderItem.menu).selectinload(Menu.images),
             selectinload(OrderItem.order))

    def validate(self, data, actor, obj=None):
        """A new line: an open product cart the actor may change, a product that needs no
        prescription and is not in the cart yet."""
        data = super().validate(data, actor, obj)
        if obj is None and data.get("id_order") and data.get("id_menu"):
            order = self.cart_of(data, actor, "E")
            menu = carts.check_product(db.session.get(Menu, data["id_menu"]))
            if any(item.id_menu == menu.id for item in order.items):
                raise Conflict("Produk ini sudah ada di keranjang; ubah jumlahnya.",
                               error_code="duplicate_line")
        return data

    def apply(self, obj, data, actor):
        """A new line captures the product's selling price, tax, unit and weight."""
        super().apply(obj, data, actor)
        if obj.id is None:
            menu = db.session.get(Menu, obj.id_menu)
            obj.qty = obj.qty or 1
            obj.price = selling_price(menu)
            obj.pajak, obj.berat = menu.pajak or 0, menu.berat or 0
            obj.satuan = (menu.satuan or "")[:30]

    def describe(self, obj):
        """Product and quantity."""
        return f"{obj.menu.nama_menus if obj.menu else obj.id_menu} × {obj.qty}"

    def serialize(self, obj, actor, view="detail"):
        """A list row: the line's columns and the product's picture; one line: with its
        order and product, as documented."""
        data = item_columns(obj)
        if view == "list":
            data["images"] = product_image(obj.menu) if obj.menu is not None else ""
            return data
        data.update(order=order_flat(obj.order), berat=obj.berat,
                    menu=get_resource("menus").serialize(obj.menu, actor)
                    if obj.menu is not None else None)
        return data


@register
class OrderExtras(CartLine):
    """Online consultation lines (with a doctor) of an order, at the doctor's price."""

    name = "order_extras"
    model = OrderExtra
    label = "Konsultasi pesanan"
    order_key, collection = "id_orders", "extras"
    inputs = ("id_orders", "id_doctors", "qty", "extra_notes")
    required = ("id_orders", "id_doctors")
    create_only = ("id_orders", "id_doctors")
    outputs = ("id", "id_orders", "orders", "items", "qty", "extra_notes", "extra_prices")
    list_outputs = ("id", "id_orders", "items", "qty", "extra_notes", "extra_prices")
    filters = {"id_orders": id_filter(OrderExtra.id_orders),
               "id_doctors": id_filter(OrderExtra.id_doctors)}
    table_columns = ("id", "id_orders", "id_doctors", "item", "qty", "extra_notes",
                     "extra_prices")
    eager = (selectinload(OrderExtra.doctor).selectinload(Doctor.user),
             selectinload(OrderExtra.order))

    def validate(self, data, actor, obj=None):
        """A new line: an open consultation cart the actor may change, an active doctor not
        in the cart yet."""
        data = super().validate(data, actor, obj)
        if obj is None and data.get("id_orders") and data.get("id_doctors"):
            order = self.cart_of(data, actor, "C")
            doctor = carts._doctor(data["id_doctors"], "id_doctors")
            if any(extra.id_doctors == doctor.id for extra in order.extras):
                raise Conflict("Konsultasi dengan dokter ini sudah ada di keranjang.",
                               error_code="duplicate_line")
        return data

    def apply(self, obj, data, actor):
        """A new line takes the doctor's consultation price."""
        super().apply(obj, data, actor)
        if obj.id is None:
            obj.qty = obj.qty or 1
            obj.item = "Online consultation"
            obj.extra_prices = carts.consultation_price(db.session.get(Doctor, obj.id_doctors))

    def describe(self, obj):
        """The consultation and its doctor."""
        return f"{obj.item} #{obj.id_doctors}"

    def serialize(self, obj, actor, view="detail"):
        """The documented line (item and doctor under `items`); one line with its order."""
        data = extra_line(obj, actor, with_doctor=True)
        if view == "detail":
            data["orders"] = order_flat(obj.order)
        return data


__all__ = ["Orders", "OrderItems", "OrderExtras", "Number"]


# ---- users/data -------------------------------------------------------------------------------
LATEST_ORDERS = 5


@user_data_part
def orders_of_user(user) -> dict:
    """users/data: the customer's latest orders (not carts) with their lines, the number of
    lines in their open carts, and their points balance (the ledger's sum)."""
    stmt = (select(Order).options(*Orders.eager)
            .where(Order.id_member == user.id, Order.deleted_at.is_(None), Order.status != CART)
            .order_by(Order.order_date.desc(), Order.id.desc()).limit(LATEST_ORDERS))
    resource = get_resource("orders")
    return {"latest_orders": [resource.serialize(order, user, "list")
                              for order in db.session.execute(stmt).scalars()],
            "counts_carts": counts_carts(user.id), "total_point": user.total_point or 0}
