"""Declaration of the static contents the app shows (about us, booking info …): the API
contract. How they look on the staff screens is blueprints/views/content.py."""
from models import StaticContent
from services.access import MANAGERS
from services.engine.filters import eq
from services.engine.resource import PUBLIC, Resource, register


@register
class StaticContents(Resource):
    """Published texts; anyone may read them."""

    name = "static_contents"
    model = StaticContent
    label = "Konten statis"
    search_paginated = True  # the document answers search with the explore envelope
    inputs = ("type", "contents")
    required = ("type", "contents")
    html_inputs = ("contents",)
    unique = ("type",)
    outputs = ("id", "type", "contents")
    filters = {"type": eq(StaticContent.type)}
    table_columns = ("id", "type", "contents")
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

    def describe(self, obj):
        """The type."""
        return obj.type
