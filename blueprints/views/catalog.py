"""How the catalog looks on the staff screens: products with their categories and pictures,
and promotions. Cells that need the catalog's chips, thumbnails and quota bars are drawn by
the resource's `_cells.html` (with the macros of catalog/_macros.html)."""
from models import Menu, Promotion
from services.catalog import declarations  # noqa: F401  (the resources these views describe)
from services.catalog.queries import (CATEGORY_SLOTS, category_choices, category_name_expr,
                                      category_names, effective_price, menu_choices,
                                      product_counts, product_name,
                                      promotion_active, promotion_status)
from services.engine.gallery import primary_image
from services.format import moment_text, rupiah

from .base import AdminView, Column, admin_view
from .gallery import pictures_view


class CatalogView(AdminView):
    """What every catalog screen shares: its stylesheet and script (colour chips, the colour
    picker), two-column forms."""

    assets = ("css/catalog.css", "js/catalog.js")
    form_class = "catalog-form col-xl-9"


def _thumbnail_column(template):
    """The picture column of a catalog list: a thumbnail, its header for screen readers."""
    return Column("Gambar", template=template, css="thumb-col", hide_label=True)


# ---- categories -----------------------------------------------------------------------------
@admin_view
class MenuCategoriesView(CatalogView):
    """Categories: chip, code and how many live products each holds."""

    resource_name = "menu_categories"
    list_columns = ("gambar", "menu_categories", "codes", "color", "produk")
    labels = {"menu_categories": "Nama kategori", "codes": "Kode", "color": "Warna",
              "images": "Gambar"}
    form_help = {"color": "Warna chip kategori, format #RRGGBB (contoh #0D6EFD).",
                 "codes": "Singkatan unik, huruf besar (contoh VB)."}
    columns = {"gambar": _thumbnail_column("menu_categories/_cells.html"),
               "menu_categories": Column(template="menu_categories/_cells.html"),
               "codes": Column(template="menu_categories/_cells.html"),
               "color": Column(template="menu_categories/_cells.html"),
               "produk": Column("Produk", template="menu_categories/_cells.html",
                                css="text-end")}

    def list_context(self, rows, actor) -> dict:
        """Live products per category of the page, in one query."""
        return {"product_counts": product_counts(row.id for row in rows)}


# ---- products -------------------------------------------------------------------------------
def _price_now(menu) -> str:
    """The price now as Rp 123.000, with a note when it is the promotion price."""
    text = rupiah(effective_price(menu))
    return f"{text} (promo)" if promotion_active(menu) else text


def _promotion_window(menu) -> str:
    """dd/mm/yyyy hh:mm – dd/mm/yyyy hh:mm, or – without a window."""
    if not menu.mulai_harga_promosi or not menu.selesai_harga_promosi:
        return "–"
    return f"{moment_text(menu.mulai_harga_promosi)} – {moment_text(menu.selesai_harga_promosi)}"


def _primary_picture(menu) -> str:
    """The file name of the product's primary picture ("" when none)."""
    image = primary_image(list(menu.images))
    return image.menu_image if image else ""


@admin_view
class MenusView(CatalogView):
    """Products: picture, categories as chips, prices in rupiah, featured and prescription."""

    resource_name = "menus"
    list_columns = ("gambar", "nama_menus", "kategori", "harga_rp", "harga_berlaku_rp",
                    "is_featured", "is_resep_required")
    list_filters = ("id_menu_categories", "is_featured", "is_resep_required")
    default_sort = "nama_menus"
    labels = {
        "nama_menus": "Nama produk", "brief": "Deskripsi singkat", "harga": "Harga",
        "pajak": "Pajak (Rp)", "is_resep_required": "Perlu resep",
        "harga_promosi": "Harga promosi", "mulai_harga_promosi": "Promosi mulai",
        "selesai_harga_promosi": "Promosi selesai", "is_featured": "Unggulan",
        "id_menu_categories_1": "Kategori utama", "id_menu_categories_2": "Kategori kedua",
        "id_menu_categories_3": "Kategori ketiga", "id_menu_categories": "Kategori",
        "dosis": "Dosis", "komposisi": "Komposisi", "aturan_pakai": "Aturan pakai",
        "nomor_registrasi": "Nomor registrasi", "produsen": "Produsen", "satuan": "Satuan",
        "berat": "Berat (gram)", "harga_berlaku": "Harga berlaku",
        "is_promosi_aktif": "Promosi aktif"}
    choices = {**{slot: category_choices for slot in CATEGORY_SLOTS},
               "id_menu_categories": category_choices}
    form_help = {
        "harga": "Dalam rupiah, misalnya 160000 atau 160.000.",
        "harga_promosi": "Kosongkan atau 0 bila tidak ada promosi. Berlaku hanya di antara "
                         "waktu mulai dan selesai promosi.",
        "berat": "Untuk ongkos kirim.",
        "pajak": "Rupiah per satuan.",
    }
    columns = {
        "gambar": Column("Gambar", value=_primary_picture, template="menus/_cells.html",
                         css="thumb-col", hide_label=True),
        "nama_menus": Column(template="menus/_cells.html"),
        "kategori": Column("Kategori", value=lambda menu: ", ".join(category_names(menu)),
                           template="menus/_cells.html",
                           sort=category_name_expr("id_menu_categories_1")),
        "harga_rp": Column("Harga", value=lambda menu: rupiah(menu.harga), sort=Menu.harga,
                           css="text-end text-nowrap"),
        "harga_berlaku_rp": Column("Harga berlaku", value=_price_now,
                                   template="menus/_cells.html", css="text-end text-nowrap"),
        "is_featured": Column(template="menus/_cells.html"),
        "is_resep_required": Column(template="menus/_cells.html"),
        "harga_promosi_rp": Column("Harga promosi", value=lambda menu: rupiah(
            menu.harga_promosi) if menu.harga_promosi else "–"),
        "periode_promosi": Column("Periode promosi", value=_promotion_window),
    }


pictures_view("menu_images", "nama_menus", menu_choices)


# ---- promotions -----------------------------------------------------------------------------
# The kinds of promotion as staff read them. NOMINAL and POTONGAN both take a fixed amount of
# rupiah off (the API document uses both names for the same code, ULTAH5TH, and no price is
# computed differently for either); PERSEN takes a percentage off.
PROMOTION_KINDS = {
    "NOMINAL": ("Nominal", "potongan Rp tetap dari total pesanan (Nilai dalam rupiah)"),
    "POTONGAN": ("Potongan", "potongan Rp tetap, dihitung sama seperti Nominal "
                             "(Nilai dalam rupiah)"),
    "PERSEN": ("Persen", "potongan sekian persen dari total pesanan (Nilai 1–100)"),
}


def promotion_kind(code) -> str:
    """The kind's name ("Nominal"); an unknown code as it is."""
    return PROMOTION_KINDS.get(code, (code or "", ""))[0]


def promotion_kind_explained(code) -> str:
    """The kind with what it does: "Nominal — potongan Rp tetap dari total pesanan …"."""
    name, meaning = PROMOTION_KINDS.get(code, (code or "", ""))
    return f"{name} — {meaning}" if meaning else name


def _discount(promotion) -> str:
    """The discount as staff read it: 10% or Rp 25.000."""
    if promotion.type == "PERSEN":
        return f"{promotion.value}%"
    return rupiah(promotion.value)


@admin_view
class PromotionsView(CatalogView):
    """Promotions: code, discount, validity with its state, and the quota used."""

    resource_name = "promotions"
    list_columns = ("gambar", "display_codes", "title", "potongan", "masa_berlaku",
                    "terpakai")
    list_filters = ("aktif", "type")
    labels = {"id_menu": "Khusus produk", "type": "Jenis", "value": "Nilai",
              "quota": "Kuota", "used": "Terpakai", "remaining": "Sisa kuota",
              "start_datetime": "Mulai", "expired_datetime": "Berakhir",
              "display_codes": "Kode promo", "title": "Judul", "description": "Deskripsi",
              "img_promotions": "Gambar", "aktif": "Status", "is_aktif": "Berlaku sekarang"}
    choices = {"id_menu": menu_choices,
               "type": [(code, promotion_kind_explained(code)) for code in PROMOTION_KINDS],
               "aktif": [("1", "Berlaku sekarang"), ("0", "Terjadwal atau berakhir")]}
    form_help = {"type": "Nominal dan Potongan mengurangi sejumlah rupiah yang sama untuk setiap "
                         "pemakaian (mis. Rp 25.000); Persen mengurangi sekian persen. Promosi "
                         "khusus satu produk memotong harga produk itu saja.",
                 "value": "Rupiah untuk Nominal/Potongan (mis. 25000); 1–100 untuk Persen.",
                 "display_codes": "Kode yang diketik pelanggan; disimpan dalam huruf besar.",
                 "quota": "Berapa kali kode boleh dipakai.",
                 "id_menu": "Biarkan kosong bila berlaku untuk semua produk."}

    def filter_choices(self, name: str):
        """The list's kind filter names the kinds only (the form explains them)."""
        if name == "type":
            return [(code, promotion_kind(code)) for code in PROMOTION_KINDS]
        return super().filter_choices(name)

    columns = {
        "gambar": _thumbnail_column("promotions/_cells.html"),
        "display_codes": Column(template="promotions/_cells.html"),
        "potongan": Column("Potongan", value=_discount, sort=Promotion.value,
                           template="promotions/_cells.html", css="text-end"),
        "jenis": Column("Jenis", value=lambda promotion: promotion_kind_explained(
            promotion.type)),
        "jenis_nama": Column("Jenis", value=lambda promotion: promotion_kind(promotion.type)),
        "masa_berlaku": Column("Masa berlaku", value=lambda promotion: (
            f"{moment_text(promotion.start_datetime)} – "
            f"{moment_text(promotion.expired_datetime)}"),
            template="promotions/_cells.html", sort=Promotion.start_datetime,
            css="text-nowrap"),
        "terpakai": Column("Kuota terpakai", value=lambda promotion: (
            f"{promotion.used} dari {promotion.quota}"), template="promotions/_cells.html",
            sort=Promotion.used),
        "status": Column("Status", value=lambda promotion: (
            promotion_status(promotion).capitalize())),
        "menu_name": Column("Berlaku untuk",
                            value=lambda promotion: product_name(promotion.id_menu)),
    }
