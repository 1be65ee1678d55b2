"""The API contract of notifications (`notifications/*`): read-only through the engine
(explore, search, table, get); marking read is an action (api/notifications.py). Notifications
are written by the features themselves (receivers.py, reminders.py), never by a request.

Reach: everyone — the office included — reaches only the notifications addressed to them;
another's is a 404."""
from models import Notification
from services.access import role_labels
from services.engine import REGISTRY
from services.engine.filters import eq, id_filter
from services.engine.resource import SIGNED_IN, Resource, register

OUTPUTS = ("id", "created", "intentions", "id_user_from", "id_user_to", "title", "content",
           "priority", "labels", "is_read", "url", "remark")


@register
class Notifications(Resource):
    """A user's in-app notifications."""

    name = "notifications"
    model = Notification
    label = "Notifikasi"
    endpoints = ("explore", "search", "table", "get")
    outputs = ("id", "created", "intentions", "user_from", "user_to", "title", "content",
               "priority", "labels", "is_read", "url", "remark")
    list_outputs = OUTPUTS
    brief_fields = OUTPUTS
    filters = {"id_user_from": id_filter(Notification.id_user_from),
               "id_user_to": id_filter(Notification.id_user_to),
               "is_read": eq(Notification.is_read), "priority": eq(Notification.priority),
               "intentions": eq(Notification.intentions)}
    table_columns = ("id", "intentions", "id_user_from", "id_user_to", "title", "content",
                     "priority", "labels", "is_read", "url", "remark")
    search_columns = ("title", "content", "remark")
    order_by = (Notification.created.desc(), Notification.id.desc())
    access = {"read": SIGNED_IN, "create": frozenset(), "update": frozenset(),
              "delete": frozenset()}

    def visible_rows(self, stmt, actor):
        """Only the notifications addressed to the actor."""
        return stmt.where(Notification.id_user_to == actor.id)

    def own_rows(self, stmt, actor):
        """The actor's own notifications."""
        return stmt.where(Notification.id_user_to == actor.id)

    def is_own(self, actor, obj) -> bool:
        """Addressed to the actor."""
        return actor is not None and obj.id_user_to == actor.id

    def output(self, obj, name, actor):
        """`user_from` and `user_to` as the document nests them: the user's brief shape with
        `roles` as their role names (every key null when there is no sender)."""
        if name in ("user_from", "user_to"):
            users = REGISTRY["users"]
            user = getattr(obj, name)
            if user is None:
                return {key: None for key in [*users.brief_keys(actor), "roles"]}
            return {**users.brief(user, actor), "roles": ",".join(role_labels(user.role_codes))}
        return super().output(obj, name, actor)

    def describe(self, obj):
        """The title."""
        return obj.title
