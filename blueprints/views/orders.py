"""How orders, their lines, ratings and the points ledger look on the generic staff screens
(labels and list columns). The order board (Pesanan) is its own screen in blueprints/orders.py;
lines and points change only through the order's actions, never a generic form."""
from services import format as fmt
from services.orders.flow import status_label

from .base import AdminView, Column, admin_view

ORDER_LABELS = {
    "id": "ID", "order_code": "Kode pesanan", "order_type": "Jenis", "order_date": "Tanggal",
    "status": "Status", "nama_pemesan": "Pemesan", "notelp_pemesan": "Telepon pemesan",
    "email_pemesan": "Email pemesan", "alamat_pemesan": "Alamat pemesan",
    "nama_penerima": "Penerima", "alamat_kirim": "Alamat kirim", "id_member": "Akun pemesan",
    "id_admin": "Admin", "pic_admin": "Petugas", "grand_totals": "Total bayar",
    "total_price": "Subtotal", "total_discount": "Diskon", "poin_used": "Poin dipakai",
    "courier": "Kurir", "courier_price": "Ongkos kirim", "nomor_resi": "Nomor resi",
    "is_paid": "Lunas", "paid_date": "Tanggal bayar", "pay_channel": "Kanal bayar",
    "cancel_reason": "Alasan batal", "catatan_order": "Catatan", "ratings": "Nilai",
    "rating_desc": "Ulasan"}


def _rupiah(name):
    return Column(label=ORDER_LABELS.get(name, name), value=lambda obj: fmt.rupiah(getattr(obj, name)))


@admin_view
class OrdersView(AdminView):
    """Orders on the generic list (the board is blueprints/orders.py)."""

    resource_name = "orders"
    label_plural = "Pesanan"
    list_columns = ("order_code", "order_date", "jenis", "nama_pemesan", "status_label",
                    "total_bayar")
    not_on_screens = ("create", "update")
    labels = ORDER_LABELS
    columns = {
        "jenis": Column(label="Jenis", value=lambda obj: "Produk" if obj.order_type == "E"
                        else "Konsultasi online"),
        "status_label": Column(label="Status", value=lambda obj: status_label(obj.status)),
        "total_bayar": _rupiah("grand_totals"),
    }


@admin_view
class OrderItemsView(AdminView):
    """Product lines of orders."""

    resource_name = "order_items"
    label_plural = "Produk pesanan"
    list_columns = ("id_order", "produk", "qty", "harga", "subtotal")
    not_on_screens = ("create", "update")
    labels = {"id": "ID", "id_order": "Pesanan", "id_menu": "Produk", "qty": "Jumlah",
              "satuan": "Satuan", "price": "Harga", "price_total": "Subtotal",
              "catatan_menu": "Catatan", "is_canceled": "Dibatalkan", "berat": "Berat (gram)"}
    columns = {
        "produk": Column(label="Produk", value=lambda obj: obj.menu.nama_menus if obj.menu else ""),
        "harga": Column(label="Harga", value=lambda obj: fmt.rupiah(obj.price)),
        "subtotal": Column(label="Subtotal", value=lambda obj: fmt.rupiah(obj.price * obj.qty)),
    }


@admin_view
class OrderExtrasView(AdminView):
    """Online consultation lines of orders."""

    resource_name = "order_extras"
    label_plural = "Konsultasi pesanan"
    list_columns = ("id_orders", "item", "dokter", "qty", "harga")
    not_on_screens = ("create", "update")
    labels = {"id": "ID", "id_orders": "Pesanan", "id_doctors": "Dokter", "item": "Layanan",
              "qty": "Jumlah", "extra_notes": "Catatan", "extra_prices": "Harga"}
    columns = {
        "dokter": Column(label="Dokter", value=lambda obj: obj.doctor.user.users_fullname
                         if obj.doctor and obj.doctor.user else ""),
        "harga": Column(label="Harga", value=lambda obj: fmt.rupiah(obj.extra_prices)),
    }


@admin_view
class RatingsView(AdminView):
    """Customers' ratings of finished orders."""

    resource_name = "ratings"
    label_plural = "Penilaian"
    list_columns = ("order_code", "users_fullname", "ratings", "rating_desc", "created")
    not_on_screens = ("create", "update")
    labels = {"id": "ID", "id_orders": "Pesanan", "id_users": "Pelanggan",
              "order_code": "Kode pesanan", "users_fullname": "Pelanggan", "ratings": "Nilai",
              "rating_desc": "Ulasan", "created": "Dibuat", "updated": "Diubah"}


@admin_view
class UserPointsView(AdminView):
    """The points ledger."""

    resource_name = "user_points"
    label_plural = "Poin pelanggan"
    list_columns = ("created", "users_fullname", "order_code", "add_point", "use_point",
                    "usecase")
    not_on_screens = ("create", "update")
    labels = {"id": "ID", "created": "Tanggal", "id_users": "Pelanggan", "id_orders": "Pesanan",
              "users_fullname": "Pelanggan", "username": "Nama pengguna",
              "order_code": "Kode pesanan", "order_type": "Jenis pesanan",
              "order_date": "Tanggal pesanan", "add_point": "Poin masuk",
              "use_point": "Poin keluar", "usecase": "Keterangan", "is_used": "Terpakai",
              "is_expired": "Kedaluwarsa", "expired_date": "Tanggal kedaluwarsa"}
