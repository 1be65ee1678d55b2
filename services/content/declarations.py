"""Declaration of the static contents the app shows (about us, booking info …)."""
from models import MANAGER_ROLES, StaticContent
from services.engine.resource import PUBLIC, Resource, eq, register


@register
class StaticContents(Resource):
    """Published texts; anyone may read them."""

    name = "static_contents"
    model = StaticContent
    label, label_plural = "Konten statis", "Konten statis"
    admin_section = "Pengaturan"
    search_paginated = True  # the document answers search with the explore envelope
    inputs = ("type", "contents")
    required = ("type", "contents")
    html_inputs = ("contents",)
    unique = ("type",)
    outputs = ("id", "type", "contents")
    filters = {"type": eq(StaticContent.type)}
    table_columns = ("id", "type", "contents")
    access = {"read": PUBLIC, "create": MANAGER_ROLES, "update": MANAGER_ROLES,
              "delete": MANAGER_ROLES}
    labels = {"type": "Jenis", "contents": "Isi", "id": "ID"}

    def describe(self, obj):
        """The type."""
        return obj.type
