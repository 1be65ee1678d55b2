"""Factories of carts and orders: a customer's open cart of products (type E) with its lines
priced as the cart would price them, ready for the order workflow."""
from models import Order, OrderExtra, OrderItem, Rating, UserPoint, db
from services.orders.flow import cart_key
from services.orders.money import refresh_totals, selling_price

from . import FACTORIES, VALID_CREATE, WRITER
from .accounts import make_user
from .doctors import make_doctor
from .stores import make_product, make_store, make_store_menu


def make_cart(customer=None, order_type="E", **kw) -> Order:
    """An open cart (SHOPPING CARTS) of a customer, with the customer's contact details."""
    customer = customer or make_user()
    values = {"id_member": customer.id, "order_type": order_type,
              "cart_key": cart_key(customer.id, order_type),
              "nama_pemesan": customer.users_fullname, "notelp_pemesan": customer.users_phone,
              "email_pemesan": customer.users_email or "", "alamat_pemesan": "Jl. Dago 1",
              "nama_penerima": customer.users_fullname, "alamat_kirim": "Jl. Dago 1"}
    values.update(kw)
    order = Order(**values)
    db.session.add(order)
    db.session.commit()
    return order


def add_item(order: Order, menu=None, qty=1) -> OrderItem:
    """A product line at the product's selling price now."""
    menu = menu or make_product()
    item = OrderItem(id_order=order.id, id_menu=menu.id, qty=qty, satuan=menu.satuan,
                     price=selling_price(menu), pajak=menu.pajak or 0, berat=menu.berat or 0)
    db.session.add(item)
    db.session.flush()
    db.session.refresh(order)
    refresh_totals(order)
    db.session.commit()
    return item


def add_consultation(order: Order, doctor=None, price=100000) -> OrderExtra:
    """An online consultation line."""
    extra = OrderExtra(id_orders=order.id, id_doctors=getattr(doctor, "id", None),
                       item="Online consultation", qty=1, extra_prices=price)
    db.session.add(extra)
    db.session.flush()
    db.session.refresh(order)
    refresh_totals(order)
    db.session.commit()
    return extra


def make_stocked_cart(customer=None, quantity=10, qty=2, price=100000, store=None,
                      courier_price=20000, **kw):
    """A cart of one product the (only) store holds `quantity` of, with a courier chosen;
    returns (order, item, store_menu)."""
    store = store or make_store()
    product = make_product(harga=price, pajak=0, berat=250)
    row = make_store_menu(product, store, quantity=quantity)
    order = make_cart(customer, id_brandstore=store.id, courier="jne", is_courier=True,
                      courier_price=courier_price, **kw)
    item = add_item(order, product, qty)
    return order, item, row


# ---- the generic engine tests: a row a manager may delete, a valid create body ----------------
def _cancelled_order():
    order, _item, _row = make_stocked_cart(cart_key=None)
    order.status, order.status_before_cancel, order.is_canceled = "CANCEL", "CHECKOUT", True
    db.session.commit()
    return order


def _done_order(customer=None):
    order, _item, _row = make_stocked_cart(customer, cart_key=None)
    order.status, order.is_paid, order.is_done = "DONE", True, True
    order.order_code = f"E-20260101-{order.id:04d}"
    db.session.commit()
    return order


def make_rating(order=None, **kw):
    """A rating of a finished order by its customer."""
    order = order or _done_order()
    values = {"id_orders": order.id, "id_users": order.id_member, "ratings": 5,
              "rating_desc": "Pelayanan ramah"}
    values.update(kw)
    rating = Rating(**values)
    db.session.add(rating)
    db.session.commit()
    return rating


def make_manual_points(customer=None, points=100):
    """A manual points row (no order) with the balance raised to match."""
    customer = customer or make_user()
    row = UserPoint(id_users=customer.id, add_point=points, usecase="Koreksi manual")
    customer.total_point = (customer.total_point or 0) + points
    db.session.add(row)
    db.session.commit()
    return row


def _rater_is(user, body):
    """The rated order becomes `user`'s own (a rating is written by the order's customer)."""
    order_id = body["id_orders"] if isinstance(body, dict) else body.id_orders
    order = db.session.get(Order, order_id)
    order.id_member = user.id
    db.session.commit()


FACTORIES.update({
    "orders": _cancelled_order,
    "order_items": lambda: add_item(make_cart(), make_product()),
    "order_extras": lambda: add_consultation(make_cart(order_type="C"), make_doctor()),
    "ratings": make_rating, "user_points": make_manual_points})
VALID_CREATE.update({
    "orders": lambda: {},
    "order_items": lambda: {"id_order": make_cart().id, "id_menu": make_product().id, "qty": 2},
    "order_extras": lambda: {"id_orders": make_cart(order_type="C").id,
                             "id_doctors": make_doctor().id, "qty": 1},
    "ratings": lambda: {"id_orders": _done_order().id, "ratings": 4, "rating_desc": "Baik"},
    "user_points": lambda: {}})
WRITER.update({"ratings": _rater_is})
