"""The API data contract of the points ledger (user_points): a row per points earned or spent,
read by its customer and the office. Managers may delete a row that belongs to no order (a
manual adjustment), and users.total_point moves with it so it stays the ledger's sum (refused
when the balance would go below zero); a row of an order is that order's history, undone only
by the order's own transitions (cancel, unpaid)."""
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from models import Order, User, UserPoint, db
from services.access import MANAGERS, is_office
from services.engine import brief
from services.engine.filters import id_filter, related_column
from services.engine.resource import SIGNED_IN, Resource, register
from services.errors import Conflict

from .declarations import LIST_ENDPOINTS
from .queries import order_flat


@register
class UserPoints(Resource):
    """The points ledger: a row per points earned or spent (users.total_point is its sum)."""

    name = "user_points"
    model = UserPoint
    label = "Poin"
    endpoints = LIST_ENDPOINTS
    outputs = ("id", "id_users", "id_orders", "users", "orders", "add_point", "use_point",
               "usecase", "is_used", "is_expired", "created", "expired_date")
    list_outputs = ("id", "created", "id_users", "id_orders", "add_point", "use_point",
                    "usecase", "is_used", "is_expired", "expired_date", "order_code",
                    "order_type", "order_date", "username", "users_fullname")
    filters = {"id_users": id_filter(UserPoint.id_users),
               "id_orders": id_filter(UserPoint.id_orders)}
    table_columns = ("id", "id_users", "id_orders", "add_point", "use_point", "usecase",
                     "is_used", "is_expired", "expired_date", "order_code", "order_type",
                     "order_date", "username", "users_fullname", "created")
    table_exprs = {
        **{name: related_column(getattr(Order, name), UserPoint, Order.id == UserPoint.id_orders)
           for name in ("order_code", "order_type", "order_date")},
        **{name: related_column(getattr(User, name), UserPoint, User.id == UserPoint.id_users)
           for name in ("username", "users_fullname")}}
    order_by = (UserPoint.created.desc(), UserPoint.id.desc())
    eager = (selectinload(UserPoint.user), selectinload(UserPoint.order))
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": MANAGERS}

    def visible_rows(self, stmt, actor):
        """The office every row; anyone else their own."""
        if actor is None:
            return stmt.where(UserPoint.id.is_(None))
        return stmt if is_office(actor) else stmt.where(UserPoint.id_users == actor.id)

    def describe(self, obj):
        """Points in or out."""
        return f"+{obj.add_point}/-{obj.use_point} {obj.usecase}"

    def before_delete(self, obj, actor):
        """Only a row of no order; the balance moves with it, never below zero."""
        if obj.id_orders is not None:
            raise Conflict("Baris poin milik pesanan adalah riwayat pesanan itu dan tidak dapat "
                           "dihapus; batalkan lewat pesanannya.", error_code="order_points")
        change = (obj.add_point or 0) - (obj.use_point or 0)
        taken = db.session.execute(
            update(User).where(User.id == obj.id_users, User.total_point >= change)
            .values(total_point=User.total_point - change)).rowcount
        if not taken:
            raise Conflict("Poin pelanggan sudah terpakai; baris ini tidak dapat dihapus.",
                           error_code="points_spent")

    def serialize(self, obj, actor, view="detail"):
        """Rows with the order's code and the customer's name; one row nests both."""
        data = super().serialize(obj, actor, view)
        if view == "detail":
            data.update(users=brief("users", obj.user, actor), orders=order_flat(obj.order))
        return data

    def out_order_code(self, obj):
        """The order's code."""
        return obj.order.order_code if obj.order else None

    def out_order_type(self, obj):
        """The order's type."""
        return obj.order.order_type if obj.order else None

    def out_order_date(self, obj):
        """The order's date."""
        return obj.order.order_date if obj.order else None

    def out_username(self, obj):
        """The customer's username."""
        return obj.user.username if obj.user else ""

    def out_users_fullname(self, obj):
        """The customer's name."""
        return obj.user.users_fullname if obj.user else ""


__all__ = ["UserPoints"]
