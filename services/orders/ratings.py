"""The API data contract of ratings: a customer rates their own finished (DONE) order once,
1–5 with a text; they and the office read it, managers may delete it."""
from sqlalchemy.orm import selectinload

from models import Order, Rating, User
from models.orders import DONE
from services.access import MANAGERS
from services.engine.filters import eq, id_filter, related_column
from services.engine.resource import SIGNED_IN, Resource, register
from services.errors import Conflict, Invalid

from . import operations
from .queries import of_reachable_orders


@register
class Ratings(Resource):
    """A customer's rating of their own finished order: once, 1–5 with a text."""

    name = "ratings"
    model = Rating
    label = "Penilaian"
    inputs = ("id_orders", "ratings", "rating_desc")
    required = ("id_orders", "ratings")
    create_only = ("id_orders",)
    outputs = ("id", "id_orders", "id_users", "order_code", "users_fullname", "ratings",
               "rating_desc", "created", "updated")
    filters = {"id_orders": id_filter(Rating.id_orders), "id_users": id_filter(Rating.id_users),
               "ratings": eq(Rating.ratings)}
    table_columns = ("id", "id_orders", "id_users", "order_code", "users_fullname", "ratings",
                     "rating_desc", "created")
    table_exprs = {"order_code": related_column(Order.order_code, Rating, Order.id == Rating.id_orders),
                   "users_fullname": related_column(User.users_fullname, Rating,
                                                    User.id == Rating.id_users)}
    order_by = (Rating.id.desc(),)
    eager = (selectinload(Rating.order), selectinload(Rating.user))
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": MANAGERS}
    own_actions = frozenset({"create", "update"})

    def visible_rows(self, stmt, actor):
        """Ratings of the orders the actor reaches."""
        return stmt.where(of_reachable_orders(Rating.id_orders, actor))

    def own_rows(self, stmt, actor):
        """The actor's own ratings."""
        return stmt.where(Rating.id_users == actor.id)

    def validate(self, data, actor, obj=None):
        """1–5; a new rating is for the actor's own DONE order, not rated yet."""
        problems = {}
        if data.get("ratings") is not None and not 1 <= data["ratings"] <= 5:
            problems["ratings"] = "Nilai 1 sampai 5."
        if obj is None and data.get("id_orders"):
            order = operations.find_order(actor, data["id_orders"], change=False)
            if order.id_member != actor.id:
                problems["id_orders"] = "Hanya pemesan yang dapat menilai pesanannya."
            elif order.status != DONE:
                raise Conflict("Pesanan dapat dinilai setelah selesai (DONE).",
                               error_code="wrong_state")
            elif order.rating is not None:
                raise Conflict("Pesanan ini sudah Anda nilai.", error_code="already_rated")
        if problems:
            raise Invalid(fields=problems)
        return data

    def apply(self, obj, data, actor):
        """The rater is the signed-in customer."""
        super().apply(obj, data, actor)
        if obj.id is None:
            obj.id_users = actor.id

    def describe(self, obj):
        """Stars of an order."""
        return f"{obj.ratings}/5 pesanan #{obj.id_orders}"

    def out_order_code(self, obj):
        """The rated order's code."""
        return obj.order.order_code if obj.order else ""

    def out_users_fullname(self, obj):
        """Who rated."""
        return obj.user.users_fullname if obj.user else ""


__all__ = ["Ratings"]
