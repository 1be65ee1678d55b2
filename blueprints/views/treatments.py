"""How the treatments look on the staff screens: service categories, services and their
pictures, holidays and delivery tiers (money, durations, chips, thumbnails, badges)."""
from markupsafe import Markup

from models import DeliveryTier, Service
from services.engine.gallery import primary_image
from services.format import minutes, rupiah, weekday_name
from services.treatments.declarations import DURATION_MAX, DURATION_MIN
from services.treatments.queries import category_choices, live_services_in, service_choices
from services.treatments.tiers import ordered_tiers

from ..cells import colour_chip, thumbnail
from .base import AdminView, Column, admin_view
from .gallery import pictures_view

ASSETS = ("css/treatments.css",)


@admin_view
class ServiceCategoriesView(AdminView):
    """Categories with their colour chip and picture."""

    resource_name = "service_categories"
    assets = ASSETS
    list_columns = ("service_categories", "codes", "color", "gambar")
    detail_fields = ("service_categories", "codes", "color", "jumlah_layanan")
    labels = {"service_categories": "Nama kategori", "codes": "Kode", "color": "Warna",
              "images": "Gambar"}
    form_help = {"color": "Format #RRGGBB, misalnya #0D6EFD. Kosongkan untuk abu-abu.",
                 "codes": "Kode singkat yang unik, misalnya LSR."}
    columns = {
        "color": Column("Warna", cell=lambda category: colour_chip(category.color)),
        "gambar": Column("Gambar", value=lambda category: "Ada" if category.images else "",
                         cell=lambda category: thumbnail("service_categories", category.images,
                                                         category.service_categories)),
        "jumlah_layanan": Column("Jumlah layanan",
                                 value=lambda category: live_services_in(category.id)),
    }


def _primary_thumbnail(service) -> Markup:
    image = primary_image(service.images)
    return thumbnail("services", image.service_image if image else "", service.services_name)


def _availability(service) -> str:
    return "Tersedia" if service.is_available else "Tidak tersedia"


def _availability_badge(service) -> Markup:
    colour = "success" if service.is_available else "secondary"
    return Markup('<span class="badge text-bg-{}">{}</span>').format(colour,
                                                                      _availability(service))


def _category_chip(service):
    if service.category is None:
        return None
    return colour_chip(service.category.color, label=service.category.service_categories)


@admin_view
class ServicesView(AdminView):
    """Services: price in rupiah, duration in minutes, availability, category and picture."""

    resource_name = "services"
    assets = ASSETS
    list_columns = ("services_name", "service_categories", "harga", "durasi", "ketersediaan",
                    "gambar")
    detail_fields = ("services_name", "service_categories", "harga", "durasi", "ketersediaan",
                     "services_description", "jumlah_gambar")
    list_filters = ("id_service_categories", "is_available")
    labels = {"services_name": "Nama layanan", "services_price": "Harga (Rp)",
              "services_description": "Deskripsi", "buffer_time": "Durasi (menit)",
              "is_available": "Tersedia", "id_service_categories": "Kategori",
              "service_categories": "Kategori"}
    choices = {"id_service_categories": category_choices,
               "is_available": [("1", "Tersedia"), ("0", "Tidak tersedia")]}
    form_help = {"buffer_time": f"Lama tindakan, {DURATION_MIN}–{DURATION_MAX} menit.",
                 "services_price": "Dalam rupiah, misalnya 250000 atau 250.000."}
    columns = {
        "service_categories": Column("Kategori", cell=_category_chip),
        "harga": Column("Harga", value=lambda service: rupiah(service.services_price),
                        sort=Service.services_price),
        "durasi": Column("Durasi", value=lambda service: minutes(service.buffer_time),
                         sort=Service.buffer_time),
        "ketersediaan": Column("Status", value=_availability, cell=_availability_badge,
                               sort=Service.is_available),
        "gambar": Column("Gambar", value=lambda service: f"{len(service.images)} gambar"
                         if service.images else "", cell=_primary_thumbnail),
        "jumlah_gambar": Column("Jumlah gambar", value=lambda service: len(service.images)),
    }


pictures_view("service_images", "services_name", service_choices)


@admin_view
class HolidaysView(AdminView):
    """Holidays as dd/mm/yyyy with the weekday."""

    resource_name = "holidays"
    list_columns = ("dates", "hari", "descriptions")
    detail_fields = ("dates", "hari", "descriptions")
    labels = {"dates": "Tanggal", "descriptions": "Keterangan"}
    form_help = {"dates": "Klinik tutup sepanjang hari pada tanggal ini.",
                 "descriptions": "Misalnya: Hari Raya Natal."}
    columns = {"hari": Column("Hari", value=lambda holiday: weekday_name(holiday.dates)
                              if holiday.dates else "")}


@admin_view
class DeliveriesView(AdminView):
    """Delivery tiers as ranges in km with their price per km; the detail lists them all."""

    resource_name = "deliveries"
    list_columns = ("jarak", "segment", "tarif")
    detail_fields = ("jarak", "segment", "distance_fr", "distance_to", "tarif")
    labels = {"distance_fr": "Dari (km)", "distance_to": "Sampai (km)", "segment": "Segmen",
              "price_in_km": "Tarif per km (Rp)"}
    form_help = {"distance_to": "Batas atas tidak termasuk: 0–5 lalu 5–10 tidak bertumpukan.",
                 "segment": "Kosongkan untuk memakai “Range dari X s.d Y KM”."}
    columns = {
        "jarak": Column("Jarak", value=lambda tier: f"{tier.distance_fr}–{tier.distance_to} km",
                        sort=DeliveryTier.distance_fr),
        "tarif": Column("Tarif per km", value=lambda tier: f"{rupiah(tier.price_in_km)}/km",
                        sort=DeliveryTier.price_in_km),
    }

    def detail_context(self, obj, actor) -> dict:
        """Every tier, nearest range first (the detail shows where this one stands)."""
        return {"delivery_tiers": ordered_tiers()}
