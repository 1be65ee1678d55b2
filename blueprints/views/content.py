"""How the static contents look on the staff screens."""
from .base import AdminView, admin_view


@admin_view
class StaticContentsView(AdminView):
    """Published texts of the app."""

    resource_name = "static_contents"
    label_plural = "Konten statis"
    labels = {"type": "Jenis", "contents": "Isi", "id": "ID"}
