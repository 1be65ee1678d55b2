"""Admin view of notifications: the signed-in staff member's own (the engine's reach), newest
first, read only — they are written by the features, never by hand."""
from .base import AdminView, admin_view


@admin_view
class NotificationsView(AdminView):
    """One's own notifications."""

    resource_name = "notifications"
    label_plural = "Notifikasi"
    not_on_screens = ("create", "update", "delete")
    list_columns = ("created", "title", "content", "is_read")
    list_filters = ("is_read",)
    detail_fields = ("created", "title", "content", "labels", "is_read", "url")
    labels = {"created": "Waktu", "title": "Judul", "content": "Isi", "labels": "Jenis",
              "is_read": "Sudah dibaca", "url": "Tautan", "intentions": "Tentang",
              "priority": "Prioritas", "remark": "Catatan", "id": "ID",
              "id_user_from": "Dari", "id_user_to": "Untuk", "user_from": "Dari",
              "user_to": "Untuk"}
