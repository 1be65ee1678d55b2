"""The API contract of notifications (`notifications/*`): read-only through the engine
(explore, search, table, get); marking read is an action (api/notifications.py). Notifications
are written by the features themselves (receivers.py, reminders.py), never by a request.

Reach: everyone — the office included — reaches only the notifications addressed to them;
another's is a 404."""
from models import Notification
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
    nested = {"user_from": ("users", "user_from"), "user_to": ("users", "user_to")}
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

    def describe(self, obj):
        """The title."""
        return obj.title
