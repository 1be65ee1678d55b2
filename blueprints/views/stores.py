"""How stores and the products they sell look on the staff screens."""
from models import Menu, Store
from services import format as fmt
from services.stores import queries

from .base import AdminView, Column, admin_view


def opening_hours(store) -> str:
    """Opening hours as one text: 09:00–20:00 ('' when neither is set)."""
    if store.opentime is None and store.closetime is None:
        return ""
    return "–".join(fmt.hour_minute(value) or "?" for value in (store.opentime, store.closetime))


@admin_view
class StoresView(AdminView):
    """Stores: where they are, when they open, whether the app shows them."""

    resource_name = "brandstore"
    label_plural = "Toko"
    list_columns = ("nama", "city", "alamat", "notelp", "jam_buka", "tampil")
    detail_fields = ("nama", "alamat", "notelp", "jam_buka", "city", "lat", "lng", "is_show",
                     "groupname", "jumlah_produk", "created", "updated")
    list_filters = ("kota", "is_show")
    labels = {"id": "ID", "nama": "Nama toko", "alamat": "Alamat", "notelp": "Telepon",
              "opentime": "Jam buka", "closetime": "Jam tutup", "city": "Kota", "kota": "Kota",
              "lat": "Lintang (lat)", "lng": "Bujur (lng)", "is_show": "Tampil di aplikasi",
              "groupname": "Grup", "created": "Dibuat", "updated": "Diubah"}
    columns = {
        "jam_buka": Column(label="Jam operasional", value=opening_hours, sort=Store.opentime),
        "tampil": Column(label="Tampil di aplikasi", value=lambda store: bool(store.is_show),
                         sort=Store.is_show),
        "jumlah_produk": Column(label="Jumlah produk", value=queries.product_count),
    }
    choices = {"kota": queries.city_choices}
    form_help = {
        "opentime": "Format JJ:MM, mis. 09:00.",
        "closetime": "Format JJ:MM, harus setelah jam buka, mis. 20:00.",
        "city": "Tulis seperti di aplikasi, mis. KOTA BANDUNG.",
        "lat": "Antara -90 dan 90, mis. -6.9147 (Bandung).",
        "lng": "Antara -180 dan 180, mis. 107.6098.",
        "is_show": "Toko tersembunyi hanya terlihat oleh staf.",
        "groupname": "Kode grup toko (opsional), mis. STS.",
    }

    def extra_form_values(self, obj) -> dict:
        """Coordinates with every stored digit, so saving the form does not round them; hours
        as HH:MM."""
        lat, lng = queries.precise_coordinates([obj.id])[obj.id]
        return {"lat": round(lat, 7), "lng": round(lng, 7),
                "opentime": fmt.hour_minute(obj.opentime) or None,
                "closetime": fmt.hour_minute(obj.closetime) or None}


def _price(store_menu) -> str:
    return fmt.rupiah(store_menu.menu.harga) if store_menu.menu else ""


def _running_promotion(store_menu) -> str:
    price = queries.promotion_price(store_menu.menu) if store_menu.menu else None
    return fmt.rupiah(price) if price is not None else ""


@admin_view
class StoreMenusView(AdminView):
    """Products at stores, with their price and stock."""

    resource_name = "brandstore_menus"
    label_plural = "Produk toko"
    list_columns = ("brandstores", "nama", "kategori", "harga_rp", "stocks")
    detail_fields = ("brandstores", "nama", "kategori", "harga_rp", "harga_promosi_rp",
                     "stocks", "datetimeupdateat", "created")
    list_filters = ("idbrandstore",)
    labels = {"id": "ID", "idmenu": "Produk", "idbrandstore": "Toko", "brandstores": "Toko",
              "nama": "Produk", "kategori": "Kategori", "stocks": "Stok",
              "datetimeupdateat": "Stok diperbarui", "created": "Ditambahkan"}
    columns = {
        "harga_rp": Column(label="Harga", value=_price, sort=queries.menu_column(Menu.harga)),
        "harga_promosi_rp": Column(label="Harga promosi (berlaku)", value=_running_promotion),
    }
    choices = {"idbrandstore": queries.store_choices, "idmenu": queries.menu_choices}
