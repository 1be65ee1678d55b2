"""Declarations of service categories, services, service images, holidays and delivery tiers."""
import re
from datetime import date

from flask import url_for
from markupsafe import Markup
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from models import (MANAGER_ROLES, DeliveryTier, Holiday, Service, ServiceCategory,
                    ServiceImage, db)
from services import audit
from services.engine import gallery
from services.treatments.holidays import weekday_name
from services.treatments.tiers import overlapping_tier, tier_label
from services.engine import core, get_resource
from services.engine.fields import FlexDate
from services.format import day_text, minutes, rupiah
from services.access import is_staff
from services.engine.resource import (INT_MAX, PUBLIC, Resource, Upload, custom, eq, id_filter, like, register)
from services.errors import Conflict, DomainError, Invalid
from services.uploads import public_url

from services.engine.gallery import GalleryResource

OFFICE = frozenset({"OWNER", "ADMIN", "USERS"})  # front office and managers keep the catalog
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_COLOUR = "#6C757D"
PRICE_MAX = 1_000_000_000  # rupiah
DURATION_MIN, DURATION_MAX = 5, 480  # minutes
DISTANCE_MAX = 10_000  # km
POSITION_MAX = 10_000


# ---- display helpers shared by the declarations and the admin screens --------------------
def colour_chip(colour: str, size: int = 16, label: str | None = None) -> Markup:
    """A colour chip drawn as an SVG data image (no style attribute, no script: CSP-safe),
    followed by the label (the hex code when none is given)."""
    if not colour or not HEX_COLOUR.match(colour):
        return Markup('<span class="text-secondary">–</span>') if label is None else Markup(
            "{}").format(label)
    svg = (f"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' "
           f"height='16'%3E%3Crect width='16' height='16' rx='3' fill='%23{colour[1:]}' "
           f"stroke='%23000' stroke-opacity='.2'/%3E%3C/svg%3E")
    text = Markup("<code>{}</code>").format(colour) if label is None else Markup("{}").format(label)
    return Markup('<img src="{0}" width="{1}" height="{1}" alt="" class="align-middle"> '
                  '{2}').format(svg, size, text)


def thumbnail(kind: str, name: str, alt: str, size: int = 48) -> Markup:
    """A small square picture for a list cell, or a dash."""
    if not name:
        return Markup('<span class="text-secondary">–</span>')
    return Markup('<img src="{0}" alt="{1}" width="{2}" height="{2}" '
                  'class="rounded border object-fit-cover" loading="lazy">').format(
        url_for("uploads.serve", kind=kind, name=name), alt, size)


def _bounded_id(value, name):
    if value is not None and not 1 <= value <= INT_MAX:
        return {name: "Data yang dirujuk tidak ditemukan."}
    return {}


def _blank_required(data, names):
    """Required texts may not be emptied by an update."""
    return {name: "Wajib diisi." for name in names if name in data and data[name] in ("", None)}




def category_dict(category: ServiceCategory | None) -> dict:
    """A category as nested in a service ({} when the service has none, as documented)."""
    if category is None:
        return {}
    return {"id": category.id, "service_categories": category.service_categories,
            "codes": category.codes, "color": category.color, "images": category.images,
            "img_path": public_url("service_categories", category.images)}


@register
class ServiceCategories(Resource):
    """Groups of treatments (Konsultasi, Laser …) with a colour and an image."""

    name = "service_categories"
    model = ServiceCategory
    label, label_plural = "Kategori layanan", "Kategori layanan"
    admin_section = "Layanan"
    inputs = ("service_categories", "codes", "color")
    required = ("service_categories", "codes")
    unique = ("codes",)
    outputs = ("id", "service_categories", "codes", "color", "images", "img_path")
    filters = {"service_categories": like(ServiceCategory.service_categories),
               "codes": eq(ServiceCategory.codes)}
    table_columns = ("id", "service_categories", "codes", "color", "images")
    admin_columns = ("service_categories", "codes", "color", "gambar")
    admin_detail = ("service_categories", "codes", "color", "jumlah_layanan")
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    upload = Upload(column="images", kind="service_categories")
    labels = {"id": "ID", "service_categories": "Nama kategori", "codes": "Kode",
              "color": "Warna", "images": "Gambar", "gambar": "Gambar", "img_path": "URL gambar",
              "jumlah_layanan": "Jumlah layanan"}
    form_help = {"color": "Format #RRGGBB, misalnya #0D6EFD. Kosongkan untuk abu-abu.",
                 "codes": "Kode singkat yang unik, misalnya LSR."}

    def describe(self, obj):
        """The category name."""
        return obj.service_categories

    def validate(self, data, actor, obj=None):
        """Names not emptied, colour a #RRGGBB hex (blank keeps the current or default)."""
        problems = _blank_required(data, self.required)
        if obj is None and data.get("color") is None:
            data["color"] = DEFAULT_COLOUR
        if "color" in data:
            colour = (data["color"] or "").strip()
            if colour == "":
                if obj is None:
                    data["color"] = DEFAULT_COLOUR
                else:
                    data.pop("color")
            elif not HEX_COLOUR.match(colour):
                problems["color"] = "Gunakan warna hex #RRGGBB, misalnya #0D6EFD."
            else:
                data["color"] = colour.upper()
        if problems:
            raise Invalid(fields=problems)
        return data

    def before_delete(self, obj, actor):
        """Refused while live services use it; deleted services let go of it."""
        live = db.session.execute(select(func.count(Service.id)).where(
            Service.id_service_categories == obj.id, Service.deleted_at.is_(None))).scalar_one()
        if live:
            raise Conflict(f"Kategori masih dipakai oleh {live} layanan. Pindahkan atau hapus "
                           "layanan tersebut terlebih dahulu.")
        db.session.execute(update(Service).where(Service.id_service_categories == obj.id)
                           .values(id_service_categories=None))

    def out_img_path(self, obj):
        """Absolute URL of the image ("" when none)."""
        return public_url("service_categories", obj.images)

    def out_gambar(self, obj):
        """For the admin list: whether there is an image."""
        return "Ada" if obj.images else ""

    def out_jumlah_layanan(self, obj):
        """How many live services are in the category (admin detail)."""
        return db.session.execute(select(func.count(Service.id)).where(
            Service.id_service_categories == obj.id, Service.deleted_at.is_(None))).scalar_one()

    def admin_cell(self, obj, name):
        """Colour chip and thumbnail in the admin list."""
        if name == "color":
            return colour_chip(obj.color)
        if name == "gambar":
            return thumbnail("service_categories", obj.images, obj.service_categories)
        return None


# ---- services ---------------------------------------------------------------------------
def _category_value(column):
    """The category's column for a service row, as a correlated subquery (sort, search)."""
    def expression():
        return (select(column).where(ServiceCategory.id == Service.id_service_categories)
                .correlate(Service).scalar_subquery())
    return expression


SEARCH_OUTPUTS = ("id", "services_name", "services_category", "services_price",
                  "services_description", "buffer_time", "is_available", "id_service_categories")


def category_choices():
    """Categories for selects: (id, name)."""
    return [(row.id, row.service_categories) for row in db.session.execute(
        select(ServiceCategory).order_by(ServiceCategory.service_categories)).scalars()]


@register
class Services(Resource):
    """Treatments the clinic offers; `buffer_time` is the duration in minutes.

    Everyone may browse them; patients and visitors see only the available ones."""

    name = "services"
    model = Service
    label, label_plural = "Layanan", "Layanan"
    admin_section = "Layanan"
    inputs = ("services_name", "services_price", "services_description", "buffer_time",
              "is_available", "id_service_categories")
    required = ("services_name", "services_price", "id_service_categories")
    html_inputs = ("services_description",)
    outputs = ("id", "services_name", "services_price", "services_description", "buffer_time",
               "is_available", "id_service_categories", "service_categories", "images")
    list_outputs = ("id", "services_name", "service_categories", "services_price",
                    "services_description", "buffer_time", "is_available",
                    "id_service_categories", "codes", "color", "images")
    brief_fields = ("id", "id_service_categories", "services_name", "services_category",
                    "service_categories", "services_price", "services_description",
                    "buffer_time", "is_available", "codes", "color", ("images", "primary_image"))
    filters = {"is_available": eq(Service.is_available),
               "id_service_categories": id_filter(Service.id_service_categories),
               "services_name": like(Service.services_name)}
    table_columns = ("id", "services_name", "service_categories", "services_price",
                     "services_description", "buffer_time", "is_available",
                     "id_service_categories", "codes", "color", "images")
    table_exprs = {"service_categories": _category_value(ServiceCategory.service_categories),
                   "codes": _category_value(ServiceCategory.codes),
                   "color": _category_value(ServiceCategory.color),
                   "harga": Service.services_price, "durasi": Service.buffer_time,
                   "ketersediaan": Service.is_available}
    eager = (selectinload(Service.category), selectinload(Service.images))
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    admin_columns = ("services_name", "service_categories", "harga", "durasi", "ketersediaan",
                     "gambar")
    admin_detail = ("services_name", "service_categories", "harga", "durasi", "ketersediaan",
                    "services_description", "jumlah_gambar")
    admin_filters = ("id_service_categories", "is_available")
    labels = {"id": "ID", "services_name": "Nama layanan", "services_price": "Harga (Rp)",
              "services_description": "Deskripsi", "buffer_time": "Durasi (menit)",
              "is_available": "Tersedia", "id_service_categories": "Kategori",
              "service_categories": "Kategori", "harga": "Harga", "durasi": "Durasi",
              "ketersediaan": "Status", "gambar": "Gambar", "jumlah_gambar": "Jumlah gambar",
              "images": "Gambar utama", "codes": "Kode kategori", "color": "Warna kategori"}
    choices = {"id_service_categories": category_choices,
               "is_available": [("1", "Tersedia"), ("0", "Tidak tersedia")]}
    form_help = {"buffer_time": f"Lama tindakan, {DURATION_MIN}–{DURATION_MAX} menit.",
                 "services_price": "Dalam rupiah, tanpa titik. Contoh: 250000."}

    def visible_rows(self, stmt, actor):
        """Patients and visitors see only available services."""
        if is_staff(actor):
            return stmt
        return stmt.where(Service.is_available.is_(True))

    def describe(self, obj):
        """The service name."""
        return obj.services_name

    def validate(self, data, actor, obj=None):
        """Price 0 or more, duration 5–480 minutes, a category."""
        problems = _blank_required(data, self.required)
        price = data.get("services_price")
        if price is not None and not 0 <= price <= PRICE_MAX:
            problems["services_price"] = "Harga tidak boleh negatif (maksimal Rp 1.000.000.000)."
        minutes = data.get("buffer_time")
        if minutes is not None and not DURATION_MIN <= minutes <= DURATION_MAX:
            problems["buffer_time"] = f"Durasi {DURATION_MIN}–{DURATION_MAX} menit."
        problems.update(_bounded_id(data.get("id_service_categories"), "id_service_categories"))
        if problems:
            raise Invalid(fields=problems)
        return data

    def serialize(self, obj, actor, view="detail"):
        """Lists carry the category name; one service carries its category as an object."""
        data = super().serialize(obj, actor, view)
        if view == "detail" and "service_categories" in data:
            data["service_categories"] = category_dict(obj.category)
        return data

    def search_answer(self, rows, actor, body):
        """search rows as documented: `services_category` is the category name."""
        return {"services": [{name: self.value(row, name) for name in SEARCH_OUTPUTS}
                             for row in rows]}

    # outputs
    def out_service_categories(self, obj):
        """The category name (lists and table)."""
        return obj.category.service_categories if obj.category else ""

    out_services_category = out_service_categories

    def out_codes(self, obj):
        """The category code."""
        return obj.category.codes if obj.category else ""

    def out_color(self, obj):
        """The category colour."""
        return obj.category.color if obj.category else ""

    def out_images(self, obj):
        """URL of the primary picture ("" when none)."""
        image = gallery.primary_image(obj.images)
        return public_url("services", image.service_image) if image else ""

    def out_primary_image(self, obj):
        """File name of the primary picture ("" when none), as nested answers show it."""
        image = gallery.primary_image(obj.images)
        return image.service_image if image else ""

    def out_harga(self, obj):
        """Price as staff read it."""
        return rupiah(obj.services_price)

    def out_durasi(self, obj):
        """Duration as staff read it."""
        return minutes(obj.buffer_time)

    def out_ketersediaan(self, obj):
        """Availability as staff read it."""
        return "Tersedia" if obj.is_available else "Tidak tersedia"

    def out_gambar(self, obj):
        """For the admin list: how many pictures."""
        return f"{len(obj.images)} gambar" if obj.images else ""

    def out_jumlah_gambar(self, obj):
        """How many pictures (admin detail)."""
        return len(obj.images)

    def admin_cell(self, obj, name):
        """Primary picture and availability badge in the admin list."""
        if name == "gambar":
            image = gallery.primary_image(obj.images)
            return thumbnail("services", image.service_image if image else "", obj.services_name)
        if name == "service_categories" and obj.category is not None:
            return colour_chip(obj.category.color, label=obj.category.service_categories)
        if name == "ketersediaan":
            colour = "success" if obj.is_available else "secondary"
            return Markup('<span class="badge text-bg-{}">{}</span>').format(
                colour, self.out_ketersediaan(obj))
        return None


# ---- service images ---------------------------------------------------------------------
@register
class ServiceImages(GalleryResource):
    """Pictures of a service: multipart `picture`, one primary, ordered by nomor_urut_tampil."""

    name = "service_images"
    model = ServiceImage
    nested = {"services": ("services", "service")}
    owner = "id_services"
    image_column = "service_image"
    kind = "services"
    label, label_plural = "Gambar layanan", "Gambar layanan"
    admin_section = "Layanan"
    inputs = ("id_services", "is_primary", "nomor_urut_tampil")
    required = ("id_services",)
    outputs = ("id", "id_services", "services", "service_image", "is_primary",
               "nomor_urut_tampil", "image_upload", "img_path")
    list_outputs = ("id", "id_services", "service_image", "is_primary", "nomor_urut_tampil",
                    "img_path")
    filters = {"id_services": id_filter(ServiceImage.id_services),
               "is_primary": eq(ServiceImage.is_primary)}
    table_columns = ("id", "id_services", "service_image", "is_primary", "nomor_urut_tampil",
                     "img_path")
    table_exprs = {"services_name": lambda: (
        select(Service.services_name).where(Service.id == ServiceImage.id_services)
        .correlate(ServiceImage).scalar_subquery())}
    order_by = (ServiceImage.id_services, ServiceImage.nomor_urut_tampil, ServiceImage.id)
    eager = (selectinload(ServiceImage.service).selectinload(Service.category),)
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    admin_columns = ("services_name", "gambar", "is_primary", "nomor_urut_tampil")
    admin_detail = ("services_name", "service_image", "is_primary", "nomor_urut_tampil")
    labels = {"id": "ID", "id_services": "Layanan", "services_name": "Layanan",
              "service_image": "Gambar", "gambar": "Gambar", "picture": "Berkas gambar",
              "is_primary": "Gambar utama", "nomor_urut_tampil": "Urutan tampil",
              "img_path": "URL gambar"}
    choices = {"id_services": lambda: [(row.id, row.services_name) for row in db.session.execute(
        select(Service).where(Service.deleted_at.is_(None))
        .order_by(Service.services_name)).scalars()]}

    def visible_rows(self, stmt, actor):
        """Patients and visitors see pictures of available services only."""
        if is_staff(actor):
            return stmt
        return stmt.where(ServiceImage.id_services.in_(select(Service.id).where(
            Service.is_available.is_(True), Service.deleted_at.is_(None))))

    def describe(self, obj):
        """Service and picture number."""
        return f"{obj.service.services_name if obj.service else obj.id_services} · gambar #{obj.id}"

    def validate(self, data, actor, obj=None):
        """A picture stays with its service; the order is 0 or more (and sensible)."""
        data = super().validate(data, actor, obj)
        problems = _bounded_id(data.get("id_services"), "id_services")
        if obj is not None and "id_services" in data:
            if data["id_services"] is None:
                data.pop("id_services")
            elif data["id_services"] != obj.id_services:
                problems["id_services"] = ("Gambar tidak dapat dipindahkan ke layanan lain; "
                                           "unggah ulang di layanan tujuan.")
        position = data.get("nomor_urut_tampil")
        if position is not None and not 0 <= position <= POSITION_MAX:
            problems["nomor_urut_tampil"] = f"Urutan 0–{POSITION_MAX}."
        if problems:
            raise Invalid(fields=problems)
        return data


    def out_services_name(self, obj):
        """The service name (admin)."""
        return obj.service.services_name if obj.service else ""

    def out_gambar(self, obj):
        """For the admin list: the file name."""
        return obj.service_image

    def admin_cell(self, obj, name):
        """Thumbnail in the admin list."""
        if name == "gambar":
            return thumbnail("services", obj.service_image, self.out_services_name(obj))
        return None


def add_service_images(actor, service_id, files) -> tuple[list, dict]:
    """Upload several pictures to a service, each checked on its own.

    Returns (created image ids, {file name: reason}) — a refused file leaves nothing behind."""
    resource = get_resource("service_images")
    created, refused = [], {}
    files = [item for item in files if getattr(item, "filename", "")]
    if not files:
        raise Invalid("Pilih minimal satu berkas gambar.",
                      fields={"picture": "Pilih berkas gambar."})
    for upload_file in files:
        try:
            image = core.create(resource, actor, {"id_services": service_id},
                                {"picture": upload_file})
        except DomainError as exc:
            if exc.status in (401, 403, 404) or "id_services" in exc.fields:
                raise  # not about this file: the whole request is refused
            detail = exc.fields.get("picture")
            refused[upload_file.filename] = exc.message if not detail or detail in exc.message \
                else f"{exc.message} {detail}"
        else:
            created.append(image.id)
    return created, refused


def make_primary_image(actor, image_id):
    """Make a picture its service's primary one."""
    return core.update(get_resource("service_images"), actor, image_id, {"is_primary": True})


def move_service_image(actor, image_id, step: int) -> ServiceImage:
    """Move a picture one place earlier (-1) or later (+1) among its service's pictures."""
    if step not in (-1, 1):
        raise Invalid(fields={"step": "Gunakan -1 atau 1."})
    resource = get_resource("service_images")
    image = core.load(resource, actor, image_id, "update")
    try:
        gallery.move(image, step)
        audit.record("update", actor, resource.name, image.id,
                     f"{resource.describe(image)}: urutan {'naik' if step < 0 else 'turun'}")
        core.commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    return image


# ---- holidays ---------------------------------------------------------------------------
def _holiday_date(value) -> date:
    return FlexDate().deserialize(value)


def _year_filter(stmt, value):
    year = int(str(value).strip())
    if not 1900 <= year <= 2999:
        raise ValueError(value)
    return stmt.where(Holiday.dates >= date(year, 1, 1), Holiday.dates <= date(year, 12, 31))


@register
class Holidays(Resource):
    """Dates the whole clinic is closed; `dates` is written and answered as dd/mm/yyyy."""

    name = "holidays"
    model = Holiday
    label, label_plural = "Hari libur", "Hari libur"
    admin_section = "Pengaturan"
    endpoints = ("create", "search", "table", "get", "update", "delete")
    inputs = ("dates", "descriptions")
    required = ("dates", "descriptions")
    outputs = ("id", "dates", "descriptions")
    filters = {"dates": custom(lambda stmt, value: stmt.where(
                   Holiday.dates == _holiday_date(value))),
               "date_from": custom(lambda stmt, value: stmt.where(
                   Holiday.dates >= _holiday_date(value))),
               "date_to": custom(lambda stmt, value: stmt.where(
                   Holiday.dates <= _holiday_date(value))),
               "year": custom(_year_filter),
               "descriptions": like(Holiday.descriptions)}
    table_columns = ("id", "dates", "descriptions")
    order_by = (Holiday.dates, Holiday.id)
    access = {"read": PUBLIC, "create": MANAGER_ROLES, "update": MANAGER_ROLES,
              "delete": MANAGER_ROLES}
    admin_columns = ("dates", "hari", "descriptions")
    admin_detail = ("dates", "hari", "descriptions")
    labels = {"id": "ID", "dates": "Tanggal", "hari": "Hari", "descriptions": "Keterangan"}
    form_help = {"dates": "Klinik tutup sepanjang hari pada tanggal ini.",
                 "descriptions": "Misalnya: Hari Raya Natal."}

    def describe(self, obj):
        """Date and name of the holiday."""
        return f"{day_text(obj.dates)} {obj.descriptions}".strip()

    def validate(self, data, actor, obj=None):
        """One entry per date; a sensible year; the description not emptied."""
        problems = _blank_required(data, self.required)
        day = data.get("dates")
        if day is not None and not 1900 <= day.year <= 2999:
            problems["dates"] = "Tahun harus antara 1900 dan 2999."
        if problems:
            raise Invalid(fields=problems)
        if day is not None:
            stmt = select(Holiday).where(Holiday.dates == day)
            if obj is not None:
                stmt = stmt.where(Holiday.id != obj.id)
            taken = db.session.execute(stmt.limit(1)).scalars().first()
            if taken is not None:
                message = (f"Tanggal {day_text(day)} sudah terdaftar sebagai hari libur "
                           f"({taken.descriptions}).")
                raise Invalid(message, fields={"dates": message})
        return data

    def out_dates(self, obj):
        """dd/mm/yyyy, as the document shows."""
        return day_text(obj.dates)

    def out_hari(self, obj):
        """The weekday name in Indonesian."""
        return weekday_name(obj.dates) if obj.dates else ""


# ---- delivery tiers ---------------------------------------------------------------------
@register
class Deliveries(Resource):
    """Courier price per km by distance range; ranges [distance_fr, distance_to) never overlap."""

    name = "deliveries"
    model = DeliveryTier
    label, label_plural = "Tarif jarak kirim", "Tarif jarak kirim"
    admin_section = "Pengaturan"
    endpoints = ("create", "explore", "search", "table", "get", "update", "delete")
    inputs = ("distance_fr", "distance_to", "segment", "price_in_km")
    required = ("distance_fr", "distance_to", "price_in_km")
    outputs = ("id", "distance_fr", "distance_to", "segment", "price_in_km")
    filters = {"segment": like(DeliveryTier.segment)}
    table_columns = ("id", "distance_fr", "distance_to", "segment", "price_in_km")
    table_exprs = {"jarak": DeliveryTier.distance_fr, "tarif": DeliveryTier.price_in_km}
    order_by = (DeliveryTier.distance_fr, DeliveryTier.id)
    access = {"read": PUBLIC, "create": MANAGER_ROLES, "update": MANAGER_ROLES,
              "delete": MANAGER_ROLES}
    admin_columns = ("jarak", "segment", "tarif")
    admin_detail = ("jarak", "segment", "distance_fr", "distance_to", "tarif")
    labels = {"id": "ID", "distance_fr": "Dari (km)", "distance_to": "Sampai (km)",
              "segment": "Segmen", "price_in_km": "Tarif per km (Rp)", "jarak": "Jarak",
              "tarif": "Tarif per km"}
    form_help = {"distance_to": "Batas atas tidak termasuk: 0–5 lalu 5–10 tidak bertumpukan.",
                 "segment": "Kosongkan untuk memakai “Range dari X s.d Y KM”."}

    def describe(self, obj):
        """The segment and its range."""
        return tier_label(obj)

    def validate(self, data, actor, obj=None):
        """Distances 0 or more, the end after the start, a price 0 or more, no overlap."""
        problems = {}
        start = data.get("distance_fr", obj.distance_fr if obj else None)
        end = data.get("distance_to", obj.distance_to if obj else None)
        price = data.get("price_in_km")
        for name, value in (("distance_fr", data.get("distance_fr")),
                            ("distance_to", data.get("distance_to"))):
            if value is not None and not 0 <= value <= DISTANCE_MAX:
                problems[name] = f"Jarak 0–{DISTANCE_MAX} km."
        if price is not None and not 0 <= price <= PRICE_MAX:
            problems["price_in_km"] = "Tarif tidak boleh negatif (maksimal Rp 1.000.000.000)."
        if not problems and start is not None and end is not None and end <= start:
            problems["distance_to"] = "Harus lebih besar dari jarak awal."
        if problems:
            raise Invalid(fields=problems)
        if start is not None and end is not None:
            other = overlapping_tier(start, end, exclude_id=obj.id if obj else None)
            if other is not None:
                message = (f"Rentang {start}–{end} km bertumpukan dengan tarif "
                           f"{tier_label(other)}.")
                short = f"Bertumpukan dengan {other.distance_fr}–{other.distance_to} km."
                raise Invalid(message, fields={"distance_fr": short, "distance_to": short})
        if "segment" in data and not data["segment"]:
            data["segment"] = f"Range dari {start} s.d {end} KM"
        elif obj is None and "segment" not in data:
            data["segment"] = f"Range dari {start} s.d {end} KM"
        return data

    def out_jarak(self, obj):
        """The range as staff read it."""
        return f"{obj.distance_fr}–{obj.distance_to} km"

    def out_tarif(self, obj):
        """Price per km as staff read it."""
        return f"{rupiah(obj.price_in_km)}/km"
