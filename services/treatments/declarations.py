"""Declarations of service categories, services, service images, holidays and delivery tiers:
the API contract only. How they look on the staff screens is in blueprints/views/treatments.py."""
import re
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from models import DeliveryTier, Holiday, Service, ServiceCategory, ServiceImage, db
from services.access import MANAGERS, OFFICE, is_staff
from services.engine import gallery
from services.engine.fields import FlexDate
from services.engine.gallery import GalleryResource
from services.engine.filters import INT_MAX, custom, eq, id_filter, like
from services.engine.resource import PUBLIC, Resource, Upload, get_resource, register
from services.errors import Conflict, Invalid
from services.format import day_text
from services.uploads import public_url

from .queries import live_services_in
from .tiers import overlapping_tier, tier_label

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_COLOUR = "#6C757D"
PRICE_MAX = 1_000_000_000  # rupiah
DURATION_MIN, DURATION_MAX = 5, 480  # minutes
DISTANCE_MAX = 10_000  # km
POSITION_MAX = 10_000


def _bounded_id(value, name):
    if value is not None and not 1 <= value <= INT_MAX:
        return {name: "Data yang dirujuk tidak ditemukan."}
    return {}


def _blank_required(data, names):
    """Required texts may not be emptied by an update."""
    return {name: "Wajib diisi." for name in names if name in data and data[name] in ("", None)}


# ---- service categories -----------------------------------------------------------------
@register
class ServiceCategories(Resource):
    """Groups of treatments (Konsultasi, Laser …) with a colour and an image."""

    name = "service_categories"
    model = ServiceCategory
    label = "Kategori layanan"
    inputs = ("service_categories", "codes", "color")
    required = ("service_categories", "codes")
    unique = ("codes",)
    outputs = ("id", "service_categories", "codes", "color", "images", "img_path")
    brief_fields = ("id", "service_categories", "codes", "color", "images", "img_path")
    filters = {"service_categories": like(ServiceCategory.service_categories),
               "codes": eq(ServiceCategory.codes)}
    table_columns = ("id", "service_categories", "codes", "color", "images")
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    upload = Upload(column="images", kind="service_categories")

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
        live = live_services_in(obj.id)
        if live:
            raise Conflict(f"Kategori masih dipakai oleh {live} layanan. Pindahkan atau hapus "
                           "layanan tersebut terlebih dahulu.")
        db.session.execute(update(Service).where(Service.id_service_categories == obj.id)
                           .values(id_service_categories=None))

    def out_img_path(self, obj):
        """Absolute URL of the image ("" when none)."""
        return public_url("service_categories", obj.images)


# ---- services ---------------------------------------------------------------------------
def _category_value(column):
    """The category's column for a service row, as a correlated subquery (sort, search)."""
    def expression():
        return (select(column).where(ServiceCategory.id == Service.id_service_categories)
                .correlate(Service).scalar_subquery())
    return expression


SEARCH_OUTPUTS = ("id", "services_name", "services_category", "services_price",
                  "services_description", "buffer_time", "is_available", "id_service_categories")


@register
class Services(Resource):
    """Treatments the clinic offers; `buffer_time` is the duration in minutes.

    Everyone may browse them; patients and visitors see only the available ones."""

    name = "services"
    model = Service
    label = "Layanan"
    inputs = ("services_name", "services_price", "services_description", "buffer_time",
              "is_available", "id_service_categories")
    required = ("services_name", "services_price", "id_service_categories")
    html_inputs = ("services_description",)
    money_inputs = ("services_price",)
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
                   "color": _category_value(ServiceCategory.color)}
    eager = (selectinload(Service.category), selectinload(Service.images))
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}

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
        """Lists carry the category name; one service carries its category's brief shape
        ({} when it has none, as documented)."""
        data = super().serialize(obj, actor, view)
        if view == "detail" and "service_categories" in data:
            category = get_resource("service_categories").brief(obj.category, actor)
            data["service_categories"] = category or {}
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


# ---- service images ---------------------------------------------------------------------
@register
class ServiceImages(GalleryResource):
    """Pictures of a service: multipart `picture`, one primary, ordered by nomor_urut_tampil."""

    name = "service_images"
    model = ServiceImage
    label = "Gambar layanan"
    nested = {"services": ("services", "service")}
    owner = "id_services"
    owner_resource = "services"
    owner_relation = "service"
    image_column = "service_image"
    kind = "services"
    inputs = ("id_services", "is_primary", "nomor_urut_tampil")
    required = ("id_services",)
    outputs = ("id", "id_services", "services", "service_image", "is_primary",
               "nomor_urut_tampil", "image_upload", "img_path")
    list_outputs = ("id", "id_services", "service_image", "is_primary", "nomor_urut_tampil",
                    "img_path")
    eager = (selectinload(ServiceImage.service).selectinload(Service.category),)
    order_by = (ServiceImage.id_services, ServiceImage.nomor_urut_tampil, ServiceImage.id)
    filters = {"id_services": id_filter(ServiceImage.id_services),
               "is_primary": eq(ServiceImage.is_primary)}
    table_columns = ("id", "id_services", "service_image", "is_primary", "nomor_urut_tampil",
                     "img_path")
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}

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
    label = "Hari libur"
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
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

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


# ---- delivery tiers ---------------------------------------------------------------------
@register
class Deliveries(Resource):
    """Courier price per km by distance range; ranges [distance_fr, distance_to) never overlap."""

    name = "deliveries"
    model = DeliveryTier
    label = "Tarif jarak kirim"
    endpoints = ("create", "explore", "search", "table", "get", "update", "delete")
    inputs = ("distance_fr", "distance_to", "segment", "price_in_km")
    required = ("distance_fr", "distance_to", "price_in_km")
    money_inputs = ("price_in_km",)
    outputs = ("id", "distance_fr", "distance_to", "segment", "price_in_km")
    filters = {"segment": like(DeliveryTier.segment)}
    table_columns = ("id", "distance_fr", "distance_to", "segment", "price_in_km")
    order_by = (DeliveryTier.distance_fr, DeliveryTier.id)
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

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
