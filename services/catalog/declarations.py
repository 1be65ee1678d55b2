"""Declarations of categories, products with pictures, promotions: the API contract only
(inputs, outputs, brief shape, filters, table columns, access, hooks). How they look on the
staff screens is in blueprints/views/catalog.py."""
import re

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from models import Menu, MenuCategory, MenuImage, Promotion, db
from services.access import MANAGERS, OFFICE, is_staff
from services.engine.fields import Money, Number, OptionalDateTime, ZeroAsNone
from services.engine.gallery import GalleryResource, primary_image
from services.engine.filters import custom, eq, like
from services.engine.resource import ENDPOINTS, PUBLIC, Resource, Upload, register
from services.errors import Conflict, Invalid
from services.uploads import public_url

from .queries import (CATEGORY_SLOTS, any_category_filter, category_name_expr, category_names,
                      current_condition, current_filter, effective_price, live_products_in,
                      promotion_active, promotion_status, slot_filter)

COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
PROMOTION_TYPES = ("NOMINAL", "POTONGAN", "PERSEN")


def _not_negative(data, names, problems):
    for name in names:
        value = data.get(name)
        if value is not None and value < 0:
            problems[name] = "Tidak boleh negatif."


def _merged(data, obj, name, default=None):
    """The value after this change: the new one when sent, else the stored one."""
    if name in data:
        return data[name]
    return getattr(obj, name, default) if obj is not None else default


def _upper_code(data, name, problems):
    """A code typed by staff or customers: upper case, letters, digits, - and _ only."""
    if data.get(name) is not None:
        data[name] = data[name].upper()
        if not CODE.match(data[name]):
            problems[name] = "Hanya huruf, angka, strip dan garis bawah, tanpa spasi."


# ---- menu categories -------------------------------------------------------------------
@register
class MenuCategories(Resource):
    """Product categories (Vitamin Booster, Serum …) with a colour chip and an image."""

    name = "menu_categories"
    model = MenuCategory
    label = "Kategori produk"
    endpoints = ENDPOINTS
    inputs = ("menu_categories", "codes", "color")
    required = ("menu_categories", "codes")
    unique = ("codes",)
    outputs = ("id", "menu_categories", "codes", "color", "images", "img_path", "image_path")
    filters = {"menu_categories": like(MenuCategory.menu_categories),
               "codes": custom(lambda stmt, value: stmt.where(
                   func.upper(MenuCategory.codes) == str(value).strip().upper()))}
    table_columns = ("id", "menu_categories", "codes", "color", "images", "img_path")
    order_by = (MenuCategory.menu_categories, MenuCategory.id)
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    upload = Upload(column="images", kind="menu_categories")

    def describe(self, obj):
        """The category name."""
        return obj.menu_categories

    def default_order(self):
        """Alphabetical; the id breaks ties."""
        return self.order_by

    def before_delete(self, obj, actor):
        """A category still used by a live product stays; deleted products let go of it."""
        used = live_products_in(obj.id)
        if used:
            raise Conflict(f"Kategori masih dipakai oleh {used} produk. Pindahkan produknya "
                           "ke kategori lain terlebih dahulu.")
        for slot in CATEGORY_SLOTS:
            db.session.execute(update(Menu).where(getattr(Menu, slot) == obj.id)
                               .values({slot: None}).execution_options(synchronize_session=False))

    def validate(self, data, actor, obj=None):
        """Codes upper-case without spaces; the colour as #RRGGBB."""
        problems = {}
        _upper_code(data, "codes", problems)
        if "color" in data:
            colour = (data["color"] or "").strip()
            if not colour:
                data["color"] = "#6c757d" if obj is None else obj.color
            elif not COLOUR.match(colour):
                problems["color"] = "Gunakan format #RRGGBB, contoh #0D6EFD."
            else:
                if len(colour) == 4:
                    colour = "#" + "".join(part * 2 for part in colour[1:])
                data["color"] = colour.upper()
        if problems:
            raise Invalid(fields=problems)
        return data

    def out_img_path(self, obj):
        """Absolute URL of the image ("" when none)."""
        return public_url("menu_categories", obj.images)

    out_image_path = out_img_path  # the explore example names it image_path


# ---- menus -----------------------------------------------------------------------------
MENU_OUTPUTS = ("id", "nama_menus", "brief", "harga", "pajak", "is_resep_required",
                "harga_promosi", "mulai_harga_promosi", "selesai_harga_promosi", "is_featured",
                "id_menu_categories_1", "id_menu_categories_2", "id_menu_categories_3", "dosis",
                "komposisi", "aturan_pakai", "nomor_registrasi", "produsen", "satuan", "berat",
                "images", "harga_berlaku", "is_promosi_aktif")


@register
class Menus(Resource):
    """Products the clinic sells (medicine, creams, serums …), prices in whole rupiah."""

    name = "menus"
    model = Menu
    label = "Produk"
    endpoints = ENDPOINTS  # menus/prescriptions/requests comes with consultations
    inputs = ("nama_menus", "brief", "harga", "pajak", "is_resep_required", "harga_promosi",
              "mulai_harga_promosi", "selesai_harga_promosi", "is_featured",
              *CATEGORY_SLOTS, "dosis", "komposisi", "aturan_pakai", "nomor_registrasi",
              "produsen", "satuan", "berat")
    required = ("nama_menus", "harga")
    html_inputs = ("brief", "komposisi", "aturan_pakai")
    money_inputs = ("harga",)
    extra_inputs = {**{slot: ZeroAsNone() for slot in CATEGORY_SLOTS},
                    # empty means 0 (an empty form field, or null from the app)
                    **{name: Money(allow_none=True) for name in ("pajak", "harga_promosi")},
                    "berat": Number(allow_none=True),
                    "mulai_harga_promosi": OptionalDateTime(allow_none=True),
                    "selesai_harga_promosi": OptionalDateTime(allow_none=True)}
    outputs = MENU_OUTPUTS
    brief_fields = ("id", "nama_menus", "brief", "harga", "pajak", "is_resep_required",
                    "kategori", "harga_promosi", "mulai_harga_promosi",
                    "selesai_harga_promosi", "is_featured", "harga_berlaku",
                    "is_promosi_aktif")
    filters = {
        **{slot: custom(slot_filter(slot)) for slot in CATEGORY_SLOTS},
        "id_menu_categories": custom(any_category_filter),
        "is_resep_required": eq(Menu.is_resep_required),
        "is_featured": eq(Menu.is_featured),
        "nama_menus": like(Menu.nama_menus),
    }
    table_columns = ("id", "nama_menus", "brief", "harga", "pajak", "is_resep_required",
                     "images", "harga_promosi", "mulai_harga_promosi", "selesai_harga_promosi",
                     "is_featured", "menu_categories_1", "menu_categories_2",
                     "menu_categories_3", "dosis", "komposisi", "aturan_pakai",
                     "nomor_registrasi", "produsen", "satuan", "berat")
    table_exprs = {f"menu_categories_{number}": category_name_expr(slot)
                   for number, slot in enumerate(CATEGORY_SLOTS, start=1)}
    # the categories (one each) come in the page's statement; the pictures in one more
    # small collections joined into the page's statement, as Users.eager explains
    eager = (joinedload(Menu.images),
             *(joinedload(slot).load_only(MenuCategory.menu_categories, MenuCategory.color)
               for slot in (Menu.category_1, Menu.category_2, Menu.category_3)))
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}

    def describe(self, obj):
        """The product name."""
        return obj.nama_menus

    def validate(self, data, actor, obj=None):
        """Money not negative, promotion price within the price and inside a proper window,
        each category once."""
        problems = {}
        _not_negative(data, ("harga", "pajak", "harga_promosi", "berat"), problems)
        for name in ("harga", "pajak", "harga_promosi", "berat"):
            if name in data and data[name] is None:
                data[name] = 0
        price = _merged(data, obj, "harga", 0) or 0
        promotion = _merged(data, obj, "harga_promosi", 0) or 0
        start = _merged(data, obj, "mulai_harga_promosi")
        end = _merged(data, obj, "selesai_harga_promosi")
        if "harga_promosi" not in problems and "harga" not in problems and promotion > price:
            problems["harga_promosi"] = "Harga promosi tidak boleh melebihi harga."
        if (start is None) != (end is None):
            missing = "selesai_harga_promosi" if end is None else "mulai_harga_promosi"
            problems[missing] = "Isi waktu mulai dan selesai promosi bersama-sama."
        elif start is not None and end < start:
            problems["selesai_harga_promosi"] = "Waktu selesai promosi sebelum waktu mulai."
        if promotion and start is None and not problems:
            problems["mulai_harga_promosi"] = "Harga promosi perlu waktu mulai dan selesai."
        seen = set()
        for slot in CATEGORY_SLOTS:
            value = _merged(data, obj, slot)
            if value is None:
                continue
            if value in seen:
                problems[slot] = "Kategori ini sudah dipilih di slot lain."
            seen.add(value)
        if problems:
            raise Invalid(fields=problems)
        return data

    # outputs
    def out_images(self, obj):
        """The primary picture's absolute URL ("" when the product has none)."""
        image = primary_image(list(obj.images))
        return public_url("menus", image.menu_image) if image else ""

    def out_id_menu_categories_1(self, obj):
        """The first category id, 0 when none (as the document answers)."""
        return obj.id_menu_categories_1 or 0

    def out_id_menu_categories_2(self, obj):
        """The second category id, 0 when none."""
        return obj.id_menu_categories_2 or 0

    def out_id_menu_categories_3(self, obj):
        """The third category id, 0 when none."""
        return obj.id_menu_categories_3 or 0

    def out_menu_categories_1(self, obj):
        """Name of the first category ("" when none)."""
        return obj.category_1.menu_categories if obj.category_1 else ""

    def out_menu_categories_2(self, obj):
        """Name of the second category."""
        return obj.category_2.menu_categories if obj.category_2 else ""

    def out_menu_categories_3(self, obj):
        """Name of the third category."""
        return obj.category_3.menu_categories if obj.category_3 else ""

    def out_kategori(self, obj):
        """The name of the product's first category ("" when none), as briefs nest it."""
        names = category_names(obj)
        return names[0] if names else ""

    def out_harga_berlaku(self, obj):
        """The price that applies now (promotion price only inside its window)."""
        return effective_price(obj)

    def out_is_promosi_aktif(self, obj):
        """Whether the promotion price applies now."""
        return promotion_active(obj)


# ---- menu images -----------------------------------------------------------------------
@register
class MenuImages(GalleryResource):
    """Pictures of a product: one primary, shown in nomor_urut_tampil order."""

    name = "menu_images"
    model = MenuImage
    label = "Gambar produk"
    owner = "id_menus"
    owner_resource = "menus"
    owner_relation = "menu"
    image_column = "menu_image"
    kind = "menus"
    endpoints = ENDPOINTS
    inputs = ("id_menus", "is_primary", "nomor_urut_tampil")
    required = ("id_menus",)
    create_only = ("id_menus",)
    outputs = ("id", "id_menus", "menus", "menu_image", "is_primary", "nomor_urut_tampil",
               "image_upload", "img_path")
    list_outputs = ("id", "id_menus", "menu_image", "is_primary", "nomor_urut_tampil",
                    "img_path")
    nested = {"menus": ("menus", "menu")}
    filters = {"id_menus": eq(MenuImage.id_menus), "is_primary": eq(MenuImage.is_primary)}
    table_columns = ("id", "id_menus", "menu_image", "is_primary", "nomor_urut_tampil",
                     "img_path")
    order_by = (MenuImage.id_menus, MenuImage.nomor_urut_tampil, MenuImage.id)
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    eager = (selectinload(MenuImage.menu),)

    def describe(self, obj):
        """Which picture of which product."""
        return f"Gambar #{obj.id} produk #{obj.id_menus}"

    def default_order(self):
        """By product, then display order."""
        return self.order_by

    def visible_rows(self, stmt, actor):
        """Pictures of deleted products never appear."""
        return stmt.where(MenuImage.id_menus.in_(
            select(Menu.id).where(Menu.deleted_at.is_(None))))


# ---- promotions ------------------------------------------------------------------------
@register
class Promotions(Resource):
    """Discount codes with a quota. The public and customers see only current ones."""

    name = "promotions"
    model = Promotion
    label = "Promosi"
    endpoints = ENDPOINTS
    envelopes = {"upload": "promotions"}
    inputs = ("id_menu", "type", "value", "quota", "start_datetime", "expired_datetime",
              "display_codes", "title", "description")
    required = ("type", "value", "quota", "start_datetime", "expired_datetime",
                "display_codes", "title")
    html_inputs = ("description",)
    extra_inputs = {"id_menu": ZeroAsNone()}
    unique = ("display_codes",)
    outputs = ("id", "id_menu", "type", "value", "quota", "used", "remaining",
               "start_datetime", "expired_datetime", "display_codes", "title", "description",
               "img_promotions", "img_promotions_path", "is_aktif")
    filters = {
        "display_codes": custom(lambda stmt, value: stmt.where(
            func.upper(Promotion.display_codes) == str(value).strip().upper())),
        "title": like(Promotion.title),
        "type": custom(lambda stmt, value: stmt.where(
            Promotion.type == str(value).strip().upper())),
        "id_menu": eq(Promotion.id_menu),
        "aktif": custom(current_filter),
    }
    table_columns = ("id", "id_menu", "type", "value", "quota", "start_datetime",
                     "expired_datetime", "display_codes", "title", "description",
                     "img_promotions")
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    upload = Upload(column="img_promotions", kind="promotions")

    def describe(self, obj):
        """The promotion code."""
        return obj.display_codes

    def default_order(self):
        """Newest start first."""
        return (Promotion.start_datetime.desc(), Promotion.id.desc())

    def visible_rows(self, stmt, actor):
        """The public and customers reach only the promotions valid now."""
        return stmt if is_staff(actor) else stmt.where(current_condition())

    def validate(self, data, actor, obj=None):
        """Type, value per type, quota not below what was used, end after start, code shape."""
        problems = {}
        if data.get("type") is not None:
            data["type"] = data["type"].upper()
            if data["type"] not in PROMOTION_TYPES:
                problems["type"] = "Pilih NOMINAL, POTONGAN atau PERSEN."
        _upper_code(data, "display_codes", problems)
        _not_negative(data, ("value", "quota"), problems)
        kind = _merged(data, obj, "type")
        value = _merged(data, obj, "value", 0)
        if "type" not in problems and "value" not in problems and kind == "PERSEN" \
                and value is not None and not 1 <= value <= 100:
            problems["value"] = "Potongan persen harus 1–100."
        quota = _merged(data, obj, "quota", 0)
        used = obj.used if obj is not None else 0
        if "quota" not in problems and quota is not None and quota < used:
            problems["quota"] = f"Kuota tidak boleh di bawah yang sudah terpakai ({used})."
        start = _merged(data, obj, "start_datetime")
        end = _merged(data, obj, "expired_datetime")
        if start is not None and end is not None and end <= start:
            problems["expired_datetime"] = "Waktu berakhir harus setelah waktu mulai."
        if problems:
            raise Invalid(fields=problems)
        return data

    def before_delete(self, obj, actor):
        """A code customers already used stays (its history matters); end it instead."""
        if obj.used:
            raise Conflict(f"Kode {obj.display_codes} sudah dipakai {obj.used} kali; ubah "
                           "waktu berakhirnya saja.")

    def serialize(self, obj, actor, view="detail"):
        """Lists answer img_promotions as the picture's URL (as documented)."""
        data = super().serialize(obj, actor, view)
        if view == "list":
            data["img_promotions"] = public_url("promotions", obj.img_promotions)
        return data

    # outputs
    def out_id_menu(self, obj):
        """The product it is limited to, 0 when it applies to everything."""
        return obj.id_menu or 0

    def out_remaining(self, obj):
        """Uses left."""
        return max(obj.quota - obj.used, 0)

    def out_img_promotions_path(self, obj):
        """Absolute URL of the picture ("" when none)."""
        return public_url("promotions", obj.img_promotions)

    def out_is_aktif(self, obj):
        """Valid now."""
        return promotion_status(obj) == "berjalan"
