"""Admin view of the outbox (Pengaturan → Kotak keluar): what the offline stand-ins of push,
WhatsApp and e-mail "sent", newest first, read only."""
from .base import AdminView, Column, admin_view

CHANNEL_LABELS = {"push": "Push", "whatsapp": "WhatsApp", "email": "E-mail"}


def _short(text, limit=90) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


@admin_view
class OutboxMessagesView(AdminView):
    """Each message as it would have reached its recipient; the whole text on its page."""

    resource_name = "outbox_messages"
    label_plural = "Kotak keluar"
    not_on_screens = ("create", "update", "delete")  # written by the stand-ins only
    list_columns = ("created", "kanal", "recipient", "subject", "ringkasan")
    list_filters = ("channel",)
    detail_fields = ("created", "kanal", "recipient", "subject")
    labels = {"created": "Waktu", "channel": "Saluran", "recipient": "Penerima",
              "subject": "Judul / subjek", "body": "Isi", "data": "Data", "id": "ID"}
    columns = {
        "kanal": Column("Saluran", value=lambda obj: CHANNEL_LABELS.get(obj.channel, obj.channel),
                        template="outbox_messages/_channel.html"),
        "ringkasan": Column("Isi", value=lambda obj: _short(obj.body)),
    }
    choices = {"channel": list(CHANNEL_LABELS.items())}
    assets = ("css/outbox.css",)
