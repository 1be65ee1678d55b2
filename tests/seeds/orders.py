"""Conformance seeds of carts and orders (orders, order_items, order_extras, ratings,
user_points): a customer with a patient, products, a doctor, and an order in the state each
documented endpoint starts from. The walk calls as the owner (office staff), who may act on
any customer's order; a rating is written by the order's own customer, so its order is the
owner's own."""
from models import Rating, UserPoint, db
from models.orders import CANCEL, CHECKOUT, DONE, PAID, PICKUP, PREPARED, PROCESSING
from tests.factories.accounts import make_user
from tests.factories.appointments import make_patient_of
from tests.factories.catalog import make_promotion
from tests.factories.doctors import make_doctor
from tests.factories.orders import add_consultation, add_item, make_cart, make_stocked_cart
from tests.factories.stores import make_product

from . import ID_KEYS, MISSING_EXAMPLES, SEEDS, Seed

ID_KEYS.update({"id_order", "id_orders", "id_menu", "id_doctors", "id_patients"})
MISSING_EXAMPLES.update({
    "order_items/create": {"id_order": 1, "id_menu": 2, "qty": 1, "catatan_menu": ""},
    "order_extras/create": {"id_orders": 1, "id_doctors": 1, "qty": 1},
    "order_extras/{?}/update": {"qty": 2, "extra_notes": "Kulit berjerawat"},
    "ratings/create": {"id_orders": 1, "ratings": 5, "rating_desc": "Pengiriman cepat."},
    "ratings/{?}/update": {"ratings": 4, "rating_desc": "Bagus."},
})
STATE_OF = {"uncheckout": CHECKOUT, "paid": CHECKOUT, "unpaid": PAID, "processing": PAID,
            "unprocessing": PROCESSING, "prepared": PROCESSING, "unprepare": PREPARED,
            "pickup": PREPARED, "noresi": PREPARED, "unpickup": PICKUP, "consignee": PICKUP,
            "uncancel": CANCEL}


def _customer():
    customer = make_user(roles=("CUSTOMER",), users_address="Jl. Dago 1, Bandung",
                         total_point=500)
    return customer, make_patient_of(customer)


def order_in(status, customer=None, order_type="E", **kw):
    """An order of a customer (one product line) moved straight to `status`."""
    cart, _item, _stock = make_stocked_cart(customer, order_type=order_type, **kw)
    if status != "SHOPPING CARTS":
        cart.cart_key = None
        cart.status = status
        cart.order_code = cart.order_code or f"{order_type}-20260101-{cart.id:03d}"
        cart.is_paid = status in (PAID, PROCESSING, PREPARED, PICKUP, DONE)
        cart.courier, cart.is_courier = "jne", True
        if status in (PREPARED, PICKUP):
            cart.nomor_resi = "000894328292333213"
        if status == CANCEL:
            cart.status_before_cancel, cart.is_canceled = CHECKOUT, True
        db.session.commit()
    return cart


def seed_orders(kind, path, caller):
    """What each orders endpoint needs before the walk calls it."""
    customer, patient = _customer()
    action = path.rsplit("/", 1)[-1]
    if path == "orders/init":
        return Seed(ids={"id_users": [customer.id], "id_patients": [patient.id]})
    if path == "orders/e_add_to_carts":
        cart = make_cart(customer)
        products = [make_product(harga=100000, berat=100), make_product(harga=50000)]
        return Seed(ids={"id_order": [cart.id], "id_menu": [product.id for product in products]})
    if path == "orders/c_add_to_carts":
        cart = make_cart(customer, order_type="C")
        return Seed(ids={"id_order": [cart.id], "id_doctors": [make_doctor().id]})
    if path == "orders/{?}/apply/promotions":
        make_promotion(display_codes="ULTAH5TH", type="NOMINAL", value=25000)
    if kind in ("explore", "search", "table"):
        order = order_in(CANCEL, customer, order_type="C", id_patients=patient.id,
                         order_code="E-20231104-003")
        add_consultation(order, make_doctor())
        return Seed(target=order, ids={"id_users": [customer.id], "id_patients": [patient.id]})
    if kind == "get":
        order = order_in("SHOPPING CARTS", customer, id_patients=patient.id)
        return Seed(target=order)
    if action in STATE_OF or path.endswith("process/noresi"):
        return Seed(target=order_in(STATE_OF["noresi" if action == "noresi" else action],
                                    customer))
    if action == "cancel":
        return Seed(target=order_in(CHECKOUT, customer))
    return Seed(target=order_in("SHOPPING CARTS", customer))


def seed_order_items(kind, path, caller):
    """A product line in a customer's open cart."""
    customer, _patient = _customer()
    cart = make_cart(customer)
    if kind == "create":
        return Seed(ids={"id_order": [cart.id], "id_menu": [make_product().id]})
    item = add_item(cart, make_product(harga=90000))
    return Seed(target=item, ids={"id_order": [cart.id], "id_menu": [item.id_menu]})


def seed_order_extras(kind, path, caller):
    """A consultation line in a customer's open consultation cart."""
    customer, _patient = _customer()
    cart = make_cart(customer, order_type="C")
    doctor = make_doctor()
    if kind == "create":
        return Seed(ids={"id_orders": [cart.id], "id_doctors": [doctor.id]})
    extra = add_consultation(cart, doctor)
    return Seed(target=extra, ids={"id_orders": [cart.id], "id_doctors": [doctor.id]})


def seed_ratings(kind, path, caller):
    """A finished order of the caller (a rating is its customer's), rated unless creating."""
    order = order_in(DONE, caller)
    if kind == "create":
        return Seed(ids={"id_orders": [order.id]})
    rating = Rating(id_orders=order.id, id_users=caller.id, ratings=5, rating_desc="Mantap")
    db.session.add(rating)
    db.session.commit()
    return Seed(target=rating, ids={"id_orders": [order.id]})


def seed_user_points(kind, path, caller):
    """Ledger rows of a customer: one of a paid order, and a manual one (deletable)."""
    customer, _patient = _customer()
    order = order_in(PAID, customer)
    earned = UserPoint(id_users=customer.id, id_orders=order.id, add_point=5000,
                       usecase="Didapat dari pesanan")
    manual = UserPoint(id_users=customer.id, add_point=100, usecase="Koreksi manual")
    db.session.add_all([earned, manual])
    customer.total_point = 5100
    db.session.commit()
    target = manual if kind == "delete" else earned
    return Seed(target=target, ids={"id_users": [customer.id], "id_orders": [order.id]})


SEEDS.update({"orders": seed_orders, "order_items": seed_order_items,
              "order_extras": seed_order_extras, "ratings": seed_ratings,
              "user_points": seed_user_points})
