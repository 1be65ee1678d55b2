"""Who may do what with orders, their lines, ratings and points: every route × every role,
against the customer's own order (or line) in the state the action starts from.

Written out from the clinic's rules, not derived from the declarations:
- a customer reaches their own orders, lines, ratings and points; another customer's do not
  exist for them (404); they open and fill their own carts, cancel before payment, confirm
  receipt and rate a finished order, but take no office step (403);
- a doctor (not office staff) reads the consultation orders with them only; the customer's
  product order is not theirs (404);
- the office (USERS, ADMIN, OWNER) reaches every order and takes every step; deleting points
  rows and ratings is for managers;
- nothing here is public.
Checkout, couriers, invoices and payments are their own features (their own matrices)."""
from models import Rating, UserPoint, db
from models.orders import CANCEL, CART, CHECKOUT, DONE, PAID, PICKUP, PREPARED, PROCESSING
from tests.conftest import make_user
from tests.factories.doctors import make_doctor
from tests.factories.orders import add_consultation, make_cart, make_stocked_cart
from tests.factories.stores import make_product

from .base import RoleMatrix, Rows, plain_users, row_builder

CALLERS = ("anonymous", "CUSTOMER", "FOREIGN_CUSTOMER", "DOCTOR", "USERS", "ADMIN", "OWNER")
E = row_builder(CALLERS)
OTHERS_FEATURES = ("/checkout", "/invoices", "/process/courier", "/process/sameday/courier",
                   "/unprocess/courier")
ORDER_LISTS = E(401, Rows("mine"), Rows("theirs"), Rows("consultation"), Rows("mine", "theirs",
                "consultation", match="includes"), Rows("mine", "theirs", "consultation",
                match="includes"), Rows("mine", "theirs", "consultation", match="includes"))
OWN_LISTS = E(401, Rows("mine"), Rows("theirs"), Rows("mine", "theirs", match="excludes"),
              Rows("mine", "theirs", match="includes"), Rows("mine", "theirs", match="includes"),
              Rows("mine", "theirs", match="includes"))
CUSTOMER_OR_OFFICE = E(401, 200, 404, 404, 200, 200, 200)
OFFICE_ONLY = E(401, 403, 404, 404, 200, 200, 200)
STEPS = {"uncheckout": CUSTOMER_OR_OFFICE, "consignee": CUSTOMER_OR_OFFICE,
         "cancel": CUSTOMER_OR_OFFICE, "paid": OFFICE_ONLY, "unpaid": OFFICE_ONLY,
         "processing": OFFICE_ONLY, "unprocessing": OFFICE_ONLY, "prepared": OFFICE_ONLY,
         "unprepare": OFFICE_ONLY, "pickup": OFFICE_ONLY, "unpickup": OFFICE_ONLY,
         "uncancel": OFFICE_ONLY, "process/noresi": OFFICE_ONLY,
         "update/address": CUSTOMER_OR_OFFICE, "apply/promotions": CUSTOMER_OR_OFFICE,
         "unapply/promotions": CUSTOMER_OR_OFFICE, "apply/points": CUSTOMER_OR_OFFICE,
         "unapply/points": CUSTOMER_OR_OFFICE}
STARTS_FROM = {"uncheckout": CHECKOUT, "paid": CHECKOUT, "unpaid": PAID, "processing": PAID,
               "unprocessing": PROCESSING, "prepared": PROCESSING, "unprepare": PREPARED,
               "pickup": PREPARED, "noresi": PREPARED, "unpickup": PICKUP,
               "consignee": PICKUP, "cancel": CHECKOUT, "uncancel": CANCEL, "delete": CART}
BODIES = {"paid": {"pay_channel": "QRIS"}, "noresi": {"nomor_resi": "RESI-001"},
          "address": {"alamat_kirim": "Jl. Setiabudi 5"}, "points": {"poin_used": 100},
          "promotions": {"display_codes": "matrix10"}}

MATRIX = {
    "POST orders/init":                        E(401, 200, 200, 200, 200, 200, 200),
    "POST orders/e_add_to_carts":              CUSTOMER_OR_OFFICE,
    "POST orders/c_add_to_carts":              CUSTOMER_OR_OFFICE,
    "POST orders/explore":                     ORDER_LISTS,
    "GET orders/explore":                      ORDER_LISTS,
    "POST orders/search":                      ORDER_LISTS,
    "POST orders/table":                       ORDER_LISTS,
    "GET orders/{?}":                          CUSTOMER_OR_OFFICE,
    "DELETE orders/{?}/delete":                CUSTOMER_OR_OFFICE,
    **{f"PUT orders/{{?}}/{path}": cells for path, cells in STEPS.items()},
    "POST order_items/create":                 CUSTOMER_OR_OFFICE,
    "POST order_items/explore":                OWN_LISTS,
    "GET order_items/explore":                 OWN_LISTS,
    "POST order_items/search":                 OWN_LISTS,
    "POST order_items/table":                  OWN_LISTS,
    "GET order_items/{?}":                     CUSTOMER_OR_OFFICE,
    "PUT order_items/{?}/update":              CUSTOMER_OR_OFFICE,
    "POST order_items/{?}/update":             CUSTOMER_OR_OFFICE,
    "DELETE order_items/{?}/delete":           CUSTOMER_OR_OFFICE,
    # consultation lines with the doctor: the doctor reads them, changes none
    "POST order_extras/create":                CUSTOMER_OR_OFFICE,
    "POST order_extras/explore":               ORDER_LISTS,
    "GET order_extras/explore":                ORDER_LISTS,
    "POST order_extras/search":                ORDER_LISTS,
    "POST order_extras/table":                 ORDER_LISTS,
    "GET order_extras/{?}":                    E(401, 200, 404, 200, 200, 200, 200),
    "PUT order_extras/{?}/update":             E(401, 200, 404, 403, 200, 200, 200),
    "POST order_extras/{?}/update":            E(401, 200, 404, 403, 200, 200, 200),
    "DELETE order_extras/{?}/delete":          E(401, 200, 404, 403, 200, 200, 200),
    # ratings: the customer of the DONE order writes it; managers delete
    "POST ratings/create":                     E(401, 200, 404, 404, 422, 422, 422),
    "POST ratings/explore":                    OWN_LISTS,
    "GET ratings/explore":                     OWN_LISTS,
    "POST ratings/search":                     OWN_LISTS,
    "POST ratings/table":                      OWN_LISTS,
    "GET ratings/{?}":                         CUSTOMER_OR_OFFICE,
    "PUT ratings/{?}/update":                  E(401, 200, 404, 404, 403, 403, 403),
    "POST ratings/{?}/update":                 E(401, 200, 404, 404, 403, 403, 403),
    "DELETE ratings/{?}/delete":               E(401, 403, 403, 403, 403, 200, 200),
    # the points ledger: read by its customer and the office; managers delete manual rows
    "POST user_points/explore":                OWN_LISTS,
    "GET user_points/explore":                 OWN_LISTS,
    "POST user_points/search":                 OWN_LISTS,
    "POST user_points/table":                  OWN_LISTS,
    "GET user_points/{?}":                     CUSTOMER_OR_OFFICE,
    "DELETE user_points/{?}/delete":           E(401, 403, 403, 403, 403, 200, 200),
}


class TestOrdersRoleMatrix(RoleMatrix):
    """The customer's orders, lines, ratings and points; the foreign customer's; a
    consultation of the foreign customer with the doctor."""

    callers = CALLERS
    matrix = MATRIX
    resources = ("orders", "order_items", "order_extras", "ratings", "user_points")
    route_count = len(MATRIX)

    def covers(self, path):
        """The routes of these resources, but those of checkout, couriers and invoices."""
        return super().covers(path) and not path.endswith(OTHERS_FEATURES)

    def people(self):
        """Both customers (with points), the doctor, the office."""
        self.doctor = make_doctor()
        return {"CUSTOMER": make_user(roles=("CUSTOMER",), total_point=100000),
                "FOREIGN_CUSTOMER": make_user(roles=("CUSTOMER",), total_point=100000),
                "DOCTOR": self.doctor.user, **plain_users("USERS", "ADMIN", "OWNER")}

    def order(self, status=CART, user=None, order_type="E"):
        """An order of the customer (one product line) in `status`."""
        user = user or self.users["CUSTOMER"]
        kw = {} if status == CART else {"cart_key": None}
        order, _item, _row = make_stocked_cart(user, order_type=order_type, **kw)
        if status != CART:
            order.status, order.order_code = status, f"{order_type}-20260101-{order.id:04d}"
            order.is_paid = status in (PAID, PROCESSING, PREPARED, PICKUP, DONE)
            order.nomor_resi = "RESI-1" if status in (PREPARED, PICKUP) else ""
            order.status_before_cancel = CHECKOUT if status == CANCEL else None
            db.session.commit()
        return order

    def setup(self):
        """One of each for the lists: the customer's, the foreign customer's (a consultation
        with the doctor), their lines, ratings and points."""
        mine = self.order(DONE)
        theirs = self.order(DONE, self.users["FOREIGN_CUSTOMER"])
        consultation = make_cart(self.users["FOREIGN_CUSTOMER"], order_type="C")
        extra = add_consultation(consultation, self.doctor)
        own_extra = add_consultation(make_cart(self.users["CUSTOMER"], order_type="C"),
                                     make_doctor())
        ratings = {}
        points = {}
        for label, order in (("mine", mine), ("theirs", theirs)):
            rating = Rating(id_orders=order.id, id_users=order.id_member, ratings=5)
            point = UserPoint(id_users=order.id_member, add_point=10, usecase="uji")
            db.session.add_all([rating, point])
            db.session.commit()
            ratings[label], points[label] = rating.id, point.id
        self.listed = {
            "orders": {"mine": mine.id, "theirs": theirs.id, "consultation": consultation.id},
            "order_items": {"mine": mine.items[0].id, "theirs": theirs.items[0].id},
            "order_extras": {"mine": own_extra.id, "theirs": extra.id, "consultation": extra.id},
            "ratings": ratings, "user_points": points}

    def row_ids(self, label, caller, route):
        """The row of the label in the route's resource (their own for the customers)."""
        resource = route.split(" ", 1)[1].split("/")[0]
        if resource == "orders" and label == "mine" and caller == "CUSTOMER":
            return {self.listed["orders"]["mine"]} | self.own_orders()
        if resource == "orders" and label == "theirs":
            return {self.listed["orders"]["theirs"], self.listed["orders"]["consultation"]}
        if resource == "order_extras" and label == "mine" and caller == "CUSTOMER":
            return {self.listed["order_extras"]["mine"]}
        return {self.listed[resource][label]}

    def own_orders(self):
        """The customer's consultation cart (made for the lists)."""
        from sqlalchemy import select

        from models import Order
        return set(db.session.execute(select(Order.id).where(
            Order.id_member == self.users["CUSTOMER"].id, Order.order_type == "C")).scalars())

    def create_request(self, caller, resource, target):
        """A line in the customer's open cart; a rating of their finished order."""
        if resource == "order_items":
            self._drop_open_cart()
            cart = self.order(CART)
            return {"json": {"id_order": cart.id, "id_menu": make_product().id}}
        if resource == "order_extras":
            cart = make_cart(self.users["CUSTOMER"], order_type="C") \
                if not self._open_c() else self._open_c()
            return {"json": {"id_orders": cart.id, "id_doctors": make_doctor().id}}
        return {"json": {"id_orders": self.order(DONE).id, "ratings": 4}}

    def _open_c(self):
        from models import Order
        from services.orders.flow import cart_key
        return db.session.query(Order).filter_by(
            cart_key=cart_key(self.users["CUSTOMER"].id, "C")).first()

    def target_object(self, caller, route, target):
        """The object the route acts on, in the state it starts from."""
        path = route.split(" ", 1)[1]
        resource, action = path.split("/")[0], path.rsplit("/", 1)[-1]
        if resource == "orders":
            if route.startswith("GET"):
                return self.order(PAID)
            self._drop_open_cart()
            return self.order(STARTS_FROM.get(action, CART))
        if resource == "order_items":
            self._drop_open_cart()
            return self.order(CART).items[0]
        if resource == "order_extras":
            consultation = self._open_c() or make_cart(self.users["CUSTOMER"], order_type="C")
            return add_consultation(consultation, self.doctor)
        if resource == "ratings":
            order = self.order(DONE)
            rating = Rating(id_orders=order.id, id_users=order.id_member, ratings=3)
            db.session.add(rating)
            db.session.commit()
            return rating
        point = UserPoint(id_users=self.users["CUSTOMER"].id, add_point=5, usecase="manual")
        db.session.add(point)
        self.users["CUSTOMER"].total_point += 5
        db.session.commit()
        return point

    def _drop_open_cart(self):
        """Close the customer's open product cart, so a fresh one (or uncheckout) fits."""
        from models import Order
        from services.orders.flow import cart_key
        for order in db.session.query(Order).filter_by(
                cart_key=cart_key(self.users["CUSTOMER"].id, "E")):
            order.cart_key = None
        db.session.commit()

    def change_request(self, caller, path, target, obj):
        """Each step's documented body."""
        from tests.factories.catalog import make_promotion
        key = path.rsplit("/", 1)[-1]
        if key == "promotions" and "/apply/" in path:
            make_promotion(display_codes=f"MATRIX{obj.id}")
            return {"json": {"display_codes": f"matrix{obj.id}"}}
        if key in ("update",):
            body = {"qty": 2}
            return {"json": body}
        return {"json": BODIES.get(key, {})}

    def add_to_carts(self, caller, method, target):
        """POST orders/e_add_to_carts into the customer's open product cart."""
        self._drop_open_cart()
        cart = self.order(CART)
        return self.call(caller, "POST", "/api/orders/e_add_to_carts", json={
            "id_order": cart.id, "items": [{"id_menu": make_product().id, "qty": "+"}]})

    def add_consultations(self, caller, method, target):
        """POST orders/c_add_to_carts into the customer's open consultation cart."""
        cart = self._open_c() or make_cart(self.users["CUSTOMER"], order_type="C")
        return self.call(caller, "POST", "/api/orders/c_add_to_carts", json={
            "id_order": cart.id, "items": [{"id_doctors": make_doctor().id, "qty": 1}]})

    def init(self, caller, method, target):
        """POST orders/init for one's own product cart."""
        return self.call(caller, "POST", "/api/orders/init", json={"order_type": "E"})

    custom_calls = {"orders/e_add_to_carts": add_to_carts,
                    "orders/c_add_to_carts": add_consultations, "orders/init": init}
