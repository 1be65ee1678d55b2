"""Declaration of the outbox: what the offline stand-ins of FCM, Wablas and SMTP "sent". It
has no API (the document names none) and is read on the staff screens only, by managers: a
recovery message carries a link that sets someone's password."""
from models import OutboxMessage
from services.access import MANAGERS
from services.engine.resource import Resource, register
from services.engine.filters import eq


@register
class OutboxMessages(Resource):
    """Messages kept by the stand-ins instead of being sent; never written through the engine."""

    name = "outbox_messages"
    model = OutboxMessage
    label = "Pesan keluar"
    endpoints = ()  # screens only
    outputs = ("id", "created", "channel", "recipient", "subject", "body", "data")
    filters = {"channel": eq(OutboxMessage.channel), "recipient": eq(OutboxMessage.recipient)}
    table_columns = ("id", "created", "channel", "recipient", "subject", "body")
    search_columns = ("recipient", "subject", "body")
    order_by = (OutboxMessage.id.desc(),)
    access = {"read": MANAGERS, "create": frozenset(), "update": frozenset(),
              "delete": frozenset()}

    def describe(self, obj):
        """Channel and recipient."""
        return f"{obj.channel} ke {obj.recipient}"
