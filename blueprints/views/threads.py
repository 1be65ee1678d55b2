"""How consultation threads and their messages look on the generic staff screens (labels and
list columns). The doctor's inbox ("Konsultasi") is its own screen; threads change only
through their actions (close, reopen), messages only through the conversation."""
from services import format as fmt

from .base import AdminView, Column, admin_view

THREAD_KINDS = {"consultation": "Konsultasi online", "prescription": "Permintaan resep"}
MESSAGE_KINDS = {"text": "Teks", "image": "Gambar", "attachments": "Lampiran",
                 "prescriptions": "Resep"}


@admin_view
class ThreadsView(AdminView):
    """Consultations and prescription requests (metadata; the conversation is the
    participants')."""

    resource_name = "threads"
    label_plural = "Konsultasi"
    list_columns = ("id", "jenis", "pelanggan", "dokter", "queue_number", "status_label")
    not_on_screens = ("create", "update")
    labels = {"id": "No.", "id_order": "Pesanan", "queue_number": "Antrean",
              "is_closed": "Ditutup", "order_date": "Tanggal", "id_user_from": "Pelanggan",
              "id_user_to": "Dokter", "last_update_at": "Pesan terakhir"}
    columns = {
        "jenis": Column(label="Jenis", value=lambda obj: THREAD_KINDS.get(obj.thread_type, "")),
        "pelanggan": Column(label="Pelanggan", value=lambda obj: obj.user_from.users_fullname
                            if obj.user_from else ""),
        "dokter": Column(label="Dokter", value=lambda obj: obj.user_to.users_fullname
                         if obj.user_to else "Belum diambil"),
        "status_label": Column(label="Status", value=lambda obj: "Arsip" if obj.is_closed
                               else "Aktif"),
    }


@admin_view
class ThreadMessagesView(AdminView):
    """Messages (listed only to the conversation's participants)."""

    resource_name = "thread_messages"
    label_plural = "Pesan konsultasi"
    list_columns = ("id", "jenis", "isi", "dikirim")
    not_on_screens = ("create", "update")
    labels = {"id": "No.", "id_threads": "Konsultasi", "id_user_from": "Pengirim",
              "content": "Isi", "content_type": "Jenis", "created": "Dikirim"}
    columns = {
        "jenis": Column(label="Jenis", value=lambda obj: MESSAGE_KINDS.get(obj.content_type, "")),
        "isi": Column(label="Isi", value=lambda obj: obj.content),
        "dikirim": Column(label="Dikirim", value=lambda obj: fmt.moment_text(obj.created)),
    }
