"""Declarations of categories, products with pictures, promotions."""
import re

import nh3
from sqlalchemy import and_, false, func, or_, select, update
from sqlalchemy.orm import selectinload

from models import (MANAGER_ROLES, STAFF_ROLES, Menu, MenuCategory, MenuImage, Promotion,
                    clinic_now, db)
from services.engine.fields import ALLOWED_TAGS, FlexDateTime, Number
from services.engine.resource import (ENDPOINTS, PUBLIC, Resource, Upload, custom, eq, like,
                                      register)
from services.errors import Conflict, Invalid
from services.engine.gallery import primary_image
from services.engine.gallery import GalleryResource
from services.uploads import public_url

OFFICE = frozenset({"OWNER", "ADMIN", "USERS"})
MANAGERS = MANAGER_ROLES
COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
CATEGORY_SLOTS = ("id_menu_categories_1", "id_menu_categories_2", "id_menu_categories_3")
PROMOTION_TYPES = ("NOMINAL", "POTONGAN", "PERSEN")
ZERO_DATES = {"0000-00-00 00:00:00", "0000-00-00 00:00", "0000-00-00"}


# ---- small shared helpers --------------------------------------------------------------
def rupiah(value) -> str:
    """Whole rupiah as staff read it: Rp 123.000."""
    if value is None:
        return "–"
    amount = int(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def plain_html(value: str | None) -> str:
    """Stored rich text for the admin screens: the same tags, without style attributes
    (the admin's CSP refuses inline styles, and the app's own formatting is not needed)."""
    return nh3.clean(value or "", tags=ALLOWED_TAGS,
                     attributes={"a": {"href", "title"}, "img": {"src", "alt"}},
                     url_schemes={"http", "https", "mailto"})


def staff(actor) -> bool:
    """True for clinic staff (they see everything, e.g. expired promotions)."""
    return actor is not None and bool(actor.role_codes & STAFF_ROLES)


class ZeroAsNone(Number):
    """An optional id where the document sends 0 for "none"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if result is not None and result < 0:
            raise self.make_error("invalid", input=value)
        return result or None


class OptionalDateTime(FlexDateTime):
    """A datetime that may be empty; the old server's "0000-00-00 00:00:00" means none."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value.strip() in ZERO_DATES:
            return None
        return super()._deserialize(value, attr, data, **kwargs)


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


# ---- menu categories -------------------------------------------------------------------
def categories_choices():
    """Categories as (id, name) for selects."""
    return [(row.id, row.menu_categories) for row in db.session.execute(
        select(MenuCategory).order_by(MenuCategory.menu_categories)).scalars()]


@register
class MenuCategories(Resource):
    """Product categories (Vitamin Booster, Serum …) with a colour chip and an image."""

    name = "menu_categories"
    model = MenuCategory
    label, label_plural = "Kategori produk", "Kategori produk"
    admin_section = "Katalog"
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
    admin_columns = ("menu_categories", "codes", "color")
    admin_detail = ("menu_categories", "codes", "color", "images")
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    upload = Upload(column="images", kind="menu_categories")
    labels = {"id": "ID", "menu_categories": "Nama kategori", "codes": "Kode",
              "color": "Warna", "images": "Gambar", "img_path": "URL gambar"}
    form_help = {"color": "Warna chip kategori, format #RRGGBB (contoh #0D6EFD).",
                 "codes": "Singkatan unik, huruf besar (contoh VB)."}

    def describe(self, obj):
        """The category name."""
        return obj.menu_categories

    def default_order(self):
        """Alphabetical; the id breaks ties."""
        return self.order_by

    def validate(self, data, actor, obj=None):
        """Codes upper-case without spaces; the colour as #RRGGBB."""
        problems = {}
        if "codes" in data and data["codes"] is not None:
            data["codes"] = data["codes"].upper()
            if not CODE.match(data["codes"]):
                problems["codes"] = "Hanya huruf, angka, strip dan garis bawah, tanpa spasi."
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

    def before_delete(self, obj, actor):
        """A category still used by a live product stays; deleted products let go of it."""
        in_slot = or_(*[getattr(Menu, slot) == obj.id for slot in CATEGORY_SLOTS])
        used = db.session.execute(select(func.count()).select_from(Menu).where(
            in_slot, Menu.deleted_at.is_(None))).scalar_one()
        if used:
            raise Conflict(f"Kategori masih dipakai oleh {used} produk. Pindahkan produknya "
                           "ke kategori lain terlebih dahulu.")
        for slot in CATEGORY_SLOTS:
            db.session.execute(update(Menu).where(getattr(Menu, slot) == obj.id)
                               .values({slot: None}).execution_options(synchronize_session=False))

    def out_img_path(self, obj):
        """Absolute URL of the image ("" when none)."""
        return public_url("menu_categories", obj.images)

    out_image_path = out_img_path  # the explore example names it image_path


# ---- menus -----------------------------------------------------------------------------
def _category_name_expr(slot):
    def expression():
        return (select(MenuCategory.menu_categories)
                .where(MenuCategory.id == getattr(Menu, slot))
                .correlate(Menu).scalar_subquery())
    return expression


def _slot_filter(slot):
    """One category slot: an id (or a list of ids); 0 means "no category in this slot"."""
    column = getattr(Menu, slot)

    def apply(stmt, value):
        values = value if isinstance(value, list) else [value]
        ids = [_category_id(item) for item in values]
        if not ids:
            return stmt.where(false())
        conditions = [column.is_(None) if number == 0 else column == number for number in ids]
        return stmt.where(or_(*conditions))
    return custom(apply)


def _category_id(value) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    number = int(str(value).strip())
    if number < 0:
        raise ValueError(value)
    return number


def any_category_filter(stmt, value):
    """Products with any of the ids in any of the three category slots."""
    values = value if isinstance(value, list) else [value]
    ids = [_category_id(item) for item in values if item not in (None, "")]
    ids = [number for number in ids if number]
    if not ids:
        return stmt if not values else stmt.where(false())
    return stmt.where(or_(*[getattr(Menu, slot).in_(ids) for slot in CATEGORY_SLOTS]))


def promotion_active(menu, now=None) -> bool:
    """True while the promotion price applies (between its start and end, clinic time)."""
    if not menu.harga_promosi or not menu.mulai_harga_promosi or not menu.selesai_harga_promosi:
        return False
    now = now or clinic_now()
    return menu.mulai_harga_promosi <= now <= menu.selesai_harga_promosi


def effective_price(menu, now=None) -> int:
    """The price a customer pays now: the promotion price inside its window, else harga."""
    return menu.harga_promosi if promotion_active(menu, now) else menu.harga


def category_names(menu):
    """Names of the product's categories, in slot order."""
    return [category.menu_categories for category in
            (menu.category_1, menu.category_2, menu.category_3) if category is not None]


def menu_brief(menu: Menu | None) -> dict | None:
    """A product as nested in other answers (menu_images get …)."""
    if menu is None:
        return None
    names = category_names(menu)
    return {"id": menu.id, "nama_menus": menu.nama_menus, "brief": menu.brief,
            "harga": menu.harga, "pajak": menu.pajak,
            "is_resep_required": int(menu.is_resep_required),
            "kategori": names[0] if names else "", "harga_promosi": menu.harga_promosi,
            "mulai_harga_promosi": _datetime(menu.mulai_harga_promosi),
            "selesai_harga_promosi": _datetime(menu.selesai_harga_promosi),
            "is_featured": int(menu.is_featured), "harga_berlaku": effective_price(menu),
            "is_promosi_aktif": int(promotion_active(menu))}


def _datetime(value):
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else None


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
    label, label_plural = "Produk", "Produk"
    admin_section = "Katalog"
    endpoints = ENDPOINTS  # menus/prescriptions/requests comes with consultations
    inputs = ("nama_menus", "brief", "harga", "pajak", "is_resep_required", "harga_promosi",
              "mulai_harga_promosi", "selesai_harga_promosi", "is_featured",
              *CATEGORY_SLOTS, "dosis", "komposisi", "aturan_pakai", "nomor_registrasi",
              "produsen", "satuan", "berat")
    required = ("nama_menus", "harga")
    html_inputs = ("brief", "komposisi", "aturan_pakai")
    extra_inputs = {**{slot: ZeroAsNone() for slot in CATEGORY_SLOTS},
                    # empty means 0 (an empty form field, or null from the app)
                    **{name: Number(allow_none=True) for name in ("pajak", "harga_promosi",
                                                                   "berat")},
                    "mulai_harga_promosi": OptionalDateTime(allow_none=True),
                    "selesai_harga_promosi": OptionalDateTime(allow_none=True)}
    outputs = MENU_OUTPUTS
    filters = {
        **{slot: _slot_filter(slot) for slot in CATEGORY_SLOTS},
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
    table_exprs = {"menu_categories_1": _category_name_expr("id_menu_categories_1"),
                   "menu_categories_2": _category_name_expr("id_menu_categories_2"),
                   "menu_categories_3": _category_name_expr("id_menu_categories_3"),
                   "kategori": _category_name_expr("id_menu_categories_1"),
                   "harga_rp": Menu.harga}
    eager = (selectinload(Menu.images), selectinload(Menu.category_1),
             selectinload(Menu.category_2), selectinload(Menu.category_3))
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    admin_columns = ("nama_menus", "kategori", "harga_rp", "harga_berlaku_rp", "is_featured",
                     "is_resep_required")
    admin_filters = ("id_menu_categories", "is_featured", "is_resep_required")
    admin_detail = ("nama_menus", "kategori", "harga_rp", "pajak", "harga_promosi_rp",
                    "periode_promosi", "harga_berlaku_rp", "is_featured", "is_resep_required",
                    "dosis", "satuan", "berat", "nomor_registrasi", "produsen", "brief",
                    "komposisi", "aturan_pakai")
    labels = {
        "id": "ID", "nama_menus": "Nama produk", "brief": "Deskripsi singkat", "harga": "Harga",
        "pajak": "Pajak (Rp)", "is_resep_required": "Perlu resep",
        "harga_promosi": "Harga promosi", "mulai_harga_promosi": "Promosi mulai",
        "selesai_harga_promosi": "Promosi selesai", "is_featured": "Unggulan",
        "id_menu_categories_1": "Kategori utama", "id_menu_categories_2": "Kategori kedua",
        "id_menu_categories_3": "Kategori ketiga", "id_menu_categories": "Kategori",
        "dosis": "Dosis", "komposisi": "Komposisi", "aturan_pakai": "Aturan pakai",
        "nomor_registrasi": "Nomor registrasi", "produsen": "Produsen", "satuan": "Satuan",
        "berat": "Berat (gram)", "images": "Gambar utama", "kategori": "Kategori",
        "harga_rp": "Harga", "harga_berlaku_rp": "Harga berlaku",
        "harga_promosi_rp": "Harga promosi", "periode_promosi": "Periode promosi",
        "harga_berlaku": "Harga berlaku", "is_promosi_aktif": "Promosi aktif",
        "menu_categories_1": "Kategori utama", "menu_categories_2": "Kategori kedua",
        "menu_categories_3": "Kategori ketiga",
    }
    choices = {slot: categories_choices for slot in CATEGORY_SLOTS}
    choices["id_menu_categories"] = categories_choices
    form_help = {
        "harga": "Rupiah, tanpa titik (contoh 160000).",
        "harga_promosi": "Kosongkan atau 0 bila tidak ada promosi. Berlaku hanya di antara "
                         "waktu mulai dan selesai promosi.",
        "berat": "Untuk ongkos kirim.",
        "pajak": "Rupiah per satuan.",
    }

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
        chosen = [(slot, _merged(data, obj, slot)) for slot in CATEGORY_SLOTS]
        seen = set()
        for slot, value in chosen:
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
        """All category names, for the admin."""
        return ", ".join(category_names(obj))

    def out_harga_berlaku(self, obj):
        """The price that applies now (promotion price only inside its window)."""
        return effective_price(obj)

    def out_is_promosi_aktif(self, obj):
        """Whether the promotion price applies now."""
        return promotion_active(obj)

    def out_harga_rp(self, obj):
        """Price as Rp 123.000."""
        return rupiah(obj.harga)

    def out_harga_berlaku_rp(self, obj):
        """Price now as Rp 123.000 (with a note when it is the promotion price)."""
        text = rupiah(effective_price(obj))
        return f"{text} (promo)" if promotion_active(obj) else text

    def out_harga_promosi_rp(self, obj):
        """Promotion price as Rp 123.000, or – when none."""
        return rupiah(obj.harga_promosi) if obj.harga_promosi else "–"

    def out_periode_promosi(self, obj):
        """The promotion window as dd/mm/yyyy hh:mm – dd/mm/yyyy hh:mm."""
        if not obj.mulai_harga_promosi or not obj.selesai_harga_promosi:
            return "–"
        return (f"{obj.mulai_harga_promosi:%d/%m/%Y %H:%M} – "
                f"{obj.selesai_harga_promosi:%d/%m/%Y %H:%M}")

    def admin_html(self, obj, name):
        """A rich-text field for the admin screens (no inline styles)."""
        return plain_html(getattr(obj, name))


# ---- menu images -----------------------------------------------------------------------
@register
class MenuImages(GalleryResource):
    """Pictures of a product: one primary, shown in nomor_urut_tampil order."""

    name = "menu_images"
    model = MenuImage
    label, label_plural = "Gambar produk", "Gambar produk"
    admin_section = "Katalog"
    owner = "id_menus"
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
    filters = {"id_menus": eq(MenuImage.id_menus), "is_primary": eq(MenuImage.is_primary)}
    table_columns = ("id", "id_menus", "menu_image", "is_primary", "nomor_urut_tampil",
                     "img_path")
    order_by = (MenuImage.id_menus, MenuImage.nomor_urut_tampil, MenuImage.id)
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    table_exprs = {"nama_menus": lambda: (select(Menu.nama_menus)
                                          .where(Menu.id == MenuImage.id_menus)
                                          .correlate(MenuImage).scalar_subquery())}
    eager = (selectinload(MenuImage.menu),)
    admin_columns = ("nama_menus", "menu_image", "is_primary", "nomor_urut_tampil")
    admin_detail = ("nama_menus", "menu_image", "is_primary", "nomor_urut_tampil")
    choices = {"id_menus": lambda: [(row.id, row.nama_menus) for row in db.session.execute(
        select(Menu).where(Menu.deleted_at.is_(None)).order_by(Menu.nama_menus)).scalars()]}
    labels = {"id": "ID", "id_menus": "Produk", "nama_menus": "Produk", "menu_image": "Gambar",
              "is_primary": "Utama",
              "nomor_urut_tampil": "Urutan tampil", "picture": "Berkas gambar",
              "img_path": "URL gambar", "menus": "Produk"}

    def describe(self, obj):
        """Which picture of which product."""
        return f"Gambar #{obj.id} produk #{obj.id_menus}"

    def default_order(self):
        """By product, then display order."""
        return self.order_by

    def visible_rows(self, stmt, actor):
        """Pictures of deleted products never appear (the engine hook asked of the lead)."""
        return stmt.where(MenuImage.id_menus.in_(
            select(Menu.id).where(Menu.deleted_at.is_(None))))

    def out_menus(self, obj):
        """The product the picture belongs to."""
        return menu_brief(obj.menu)

    def out_nama_menus(self, obj):
        """The product's name, for the admin."""
        return obj.menu.nama_menus if obj.menu else ""


# ---- promotions ------------------------------------------------------------------------
def current_condition(now=None):
    """Promotions valid now (start ≤ now ≤ end, clinic time)."""
    now = now or clinic_now()
    return and_(Promotion.start_datetime <= now, Promotion.expired_datetime >= now)


def current_filter(stmt, value):
    """aktif=1: only promotions valid now; aktif=0: only those that are not."""
    wanted = str(value).strip().lower()
    if wanted in ("1", "true", "yes"):
        return stmt.where(current_condition())
    if wanted in ("0", "false", "no"):
        return stmt.where(~current_condition())
    raise ValueError(value)


def promotion_status(obj, now=None) -> str:
    """berjalan / terjadwal / berakhir, by the clinic clock."""
    now = now or clinic_now()
    if obj.start_datetime and now < obj.start_datetime:
        return "terjadwal"
    if obj.expired_datetime and now > obj.expired_datetime:
        return "berakhir"
    return "berjalan"


@register
class Promotions(Resource):
    """Discount codes with a quota. The public and customers see only current ones."""

    name = "promotions"
    model = Promotion
    label, label_plural = "Promosi", "Promosi"
    admin_section = "Promosi"
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
    table_exprs = {"potongan": Promotion.value, "masa_berlaku": Promotion.start_datetime,
                   "terpakai": Promotion.used}
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    upload = Upload(column="img_promotions", kind="promotions")
    admin_columns = ("display_codes", "title", "potongan", "masa_berlaku", "terpakai")
    admin_filters = ("aktif", "type")
    admin_detail = ("display_codes", "title", "type", "potongan", "masa_berlaku", "status",
                    "quota", "used", "remaining", "id_menu", "description", "img_promotions")
    labels = {"id": "ID", "id_menu": "Khusus produk", "type": "Jenis", "value": "Nilai",
              "quota": "Kuota", "used": "Terpakai", "remaining": "Sisa kuota",
              "start_datetime": "Mulai", "expired_datetime": "Berakhir",
              "display_codes": "Kode promo", "title": "Judul", "description": "Deskripsi",
              "img_promotions": "Gambar", "img_promotions_path": "URL gambar",
              "potongan": "Potongan", "masa_berlaku": "Masa berlaku", "terpakai": "Terpakai",
              "status": "Status", "aktif": "Status", "is_aktif": "Berlaku sekarang"}
    choices = {"id_menu": lambda: [(row.id, row.nama_menus) for row in db.session.execute(
                   select(Menu).where(Menu.deleted_at.is_(None)).order_by(Menu.nama_menus))
                   .scalars()],
               "type": [("NOMINAL", "NOMINAL (potongan rupiah)"),
                        ("POTONGAN", "POTONGAN (potongan rupiah)"),
                        ("PERSEN", "PERSEN (potongan persen)")],
               "aktif": [("1", "Berlaku sekarang"), ("0", "Terjadwal atau berakhir")]}
    form_help = {"value": "Rupiah untuk NOMINAL/POTONGAN; 1–100 untuk PERSEN.",
                 "display_codes": "Kode yang diketik pelanggan; disimpan dalam huruf besar.",
                 "quota": "Berapa kali kode boleh dipakai.",
                 "id_menu": "Biarkan kosong bila berlaku untuk semua produk."}

    def describe(self, obj):
        """The promotion code."""
        return obj.display_codes

    def default_order(self):
        """Newest start first."""
        return (Promotion.start_datetime.desc(), Promotion.id.desc())

    def visible_rows(self, stmt, actor):
        """The public and customers reach only the promotions valid now."""
        return stmt if staff(actor) else stmt.where(current_condition())

    def validate(self, data, actor, obj=None):
        """Type, value per type, quota not below what was used, end after start, code shape."""
        problems = {}
        if data.get("type") is not None:
            data["type"] = data["type"].upper()
            if data["type"] not in PROMOTION_TYPES:
                problems["type"] = "Pilih NOMINAL, POTONGAN atau PERSEN."
        if data.get("display_codes") is not None:
            data["display_codes"] = data["display_codes"].upper()
            if not CODE.match(data["display_codes"]):
                problems["display_codes"] = ("Hanya huruf, angka, strip dan garis bawah, "
                                             "tanpa spasi.")
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

    def out_status(self, obj):
        """Berjalan / Terjadwal / Berakhir."""
        return promotion_status(obj).capitalize()

    def out_potongan(self, obj):
        """The discount as staff read it: 10% or Rp 25.000."""
        return f"{obj.value}%" if obj.type == "PERSEN" else rupiah(obj.value)

    def out_masa_berlaku(self, obj):
        """dd/mm/yyyy hh:mm – dd/mm/yyyy hh:mm."""
        return f"{obj.start_datetime:%d/%m/%Y %H:%M} – {obj.expired_datetime:%d/%m/%Y %H:%M}"

    def out_menu_name(self, obj):
        """The name of the product the code is limited to ("" when it applies to all)."""
        menu = db.session.get(Menu, obj.id_menu) if obj.id_menu else None
        return menu.nama_menus if menu is not None else ""

    def out_terpakai(self, obj):
        """Used of quota."""
        return f"{obj.used} dari {obj.quota}"

    def admin_html(self, obj, name):
        """A rich-text field for the admin screens (no inline styles)."""
        return plain_html(getattr(obj, name))


__all__ = ["MenuCategories", "Menus", "MenuImages", "Promotions", "rupiah", "plain_html",
           "effective_price", "promotion_active", "promotion_status", "menu_brief",
           "category_names"]
