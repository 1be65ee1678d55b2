"""How doctors, the services they offer, practice windows and slots look on the staff screens
(Jadwal Dokter): labels, list columns and filters, detail fields, form choices and help, and
the screen-only columns (a price as "Rp 250.000", a status badge, a slot's hours)."""
from markupsafe import Markup

from models import DAYS, Doctor, DoctorSchedule, DoctorService, PracticeWindow, Service
from services.doctors.queries import (candidate_user_choices, doctor_choices, live_offers,
                                      offer_choices, related_value, service_choices, slot_counts,
                                      weekly_schedule)
from services.doctors.rules import BUFFER_MAX, slot_end, window_hours
from services.format import hour_minute, minutes, rupiah

from ..cells import active_badge
from .base import AdminView, Column, admin_view

DAY_CHOICES = [(day, day) for day in DAYS]
ACTIVE_CHOICES = [("1", "Aktif"), ("0", "Nonaktif")]
LABELS = {"id": "ID", "id_doctors": "Dokter", "doctors": "Dokter", "id_services": "Layanan",
          "services": "Layanan", "services_name": "Layanan", "hari": "Hari",
          "jam": "Jam mulai", "jam_selesai": "Jam selesai", "is_active": "Aktif",
          "doctor_description": "Profil dokter", "availability_description": "Hari praktik"}


def price_column(model) -> Column:
    """The row's own price as staff read it, sorted by the amount."""
    return Column("Tarif", value=lambda obj: rupiah(obj.custom_price), sort=model.custom_price)


def status_column(model) -> Column:
    """Aktif / Nonaktif, a badge in the lists, sorted by the flag."""
    return Column("Status", value=lambda obj: "Aktif" if obj.is_active else "Nonaktif",
                  cell=lambda obj: active_badge(obj.is_active), sort=model.is_active)


def offered_services(doctor) -> str:
    """The names of the services a doctor offers, by name."""
    return ", ".join(sorted(offer.service.services_name for offer in live_offers(doctor)))


def offers_cell(doctor) -> Markup:
    """How many services a doctor offers (active ones), their names on hover."""
    offers = live_offers(doctor)
    if not offers:
        return Markup('<span class="text-secondary">Belum ada</span>')
    return Markup('<span title="{}">{} layanan</span>').format(
        offered_services(doctor), sum(1 for offer in offers if offer.is_active))


def slot_hours(slot) -> str:
    """A slot's start–end: 09:00–09:30."""
    return f"{hour_minute(slot.jam)}–{hour_minute(slot_end(slot))}"


def slot_count_text(offer) -> str:
    """Slots of an offer: "3 aktif dari 4"."""
    active, total = slot_counts(offer)
    return f"{active} aktif dari {total}"


@admin_view
class DoctorsView(AdminView):
    """Doctors: name, price, services offered and status; the detail shows the week."""

    resource_name = "doctors"
    list_columns = ("users_fullname", "short_description", "harga", "layanan", "status")
    detail_fields = ("users_fullname", "username", "short_description",
                     "availability_description", "services_name", "harga", "status",
                     "doctor_description")
    list_filters = ("is_active",)
    labels = {**LABELS, "id_users": "Akun pengguna", "users": "Akun",
              "id_services": "Layanan utama", "services": "Layanan utama",
              "services_name": "Layanan utama", "custom_price": "Tarif konsultasi (Rp)",
              "short_description": "Keterangan singkat", "users_fullname": "Nama dokter",
              "users_picture": "Foto", "users_picture_url": "URL foto"}
    columns = {
        "username": Column("Nama pengguna", value=lambda doctor: doctor.user.username
                           if doctor.user else ""),
        "harga": price_column(Doctor),
        "layanan": Column("Layanan", value=offered_services, cell=offers_cell),
        "status": status_column(Doctor),
    }
    choices = {"id_users": candidate_user_choices, "id_services": service_choices,
               "is_active": ACTIVE_CHOICES}
    form_help = {
        "id_users": "Akun yang sudah ada dan belum menjadi dokter; akun ini mendapat peran DOCTOR.",
        "custom_price": "Dalam rupiah, misalnya 250000 atau 250.000.",
        "availability_description": "Teks untuk aplikasi, mis. Senin, Rabu, Jumat.",
        "short_description": "Mis. Spesialis Dermatologi dan Venereologi.",
        "is_active": "Dokter nonaktif tidak tampil di aplikasi dan tidak dapat dipesan.",
    }

    def detail_context(self, obj, actor) -> dict:
        """The doctor's week (windows and slots per day) and the services offered."""
        return {"week": weekly_schedule(obj), "offers": live_offers(obj)}


@admin_view
class DoctorServicesView(AdminView):
    """Offers: doctor, service, price, duration, buffer and status."""

    resource_name = "doctor_services"
    list_columns = ("doctors", "services_name", "harga", "durasi", "jeda", "status")
    detail_fields = ("doctors", "services_name", "harga", "durasi", "jeda", "status",
                     "jumlah_slot")
    list_filters = ("id_doctors", "is_active")
    labels = {**LABELS, "services_description": "Deskripsi layanan",
              "custom_price": "Tarif dokter (Rp)",
              "doctor_buffer_time": "Jeda setelah layanan (menit)"}
    columns = {
        "harga": price_column(DoctorService),
        "durasi": Column("Durasi layanan", value=lambda offer: minutes(
            offer.service.buffer_time) if offer.service else "–", sort=related_value(
            Service.buffer_time, Service.id == DoctorService.id_services, DoctorService)),
        "jeda": Column("Jeda", value=lambda offer: minutes(offer.doctor_buffer_time),
                       sort=DoctorService.doctor_buffer_time),
        "status": status_column(DoctorService),
        "jumlah_slot": Column("Slot jadwal", value=slot_count_text),
    }
    choices = {"id_doctors": doctor_choices, "id_services": service_choices,
               "is_active": ACTIVE_CHOICES}
    form_help = {
        "custom_price": "Kosongkan atau 0 untuk memakai harga layanan.",
        "doctor_buffer_time": f"Waktu jeda dokter setelah layanan, 0–{BUFFER_MAX} menit.",
        "is_active": "Layanan nonaktif tidak dapat dipesan dan tidak ikut dibuatkan slot.",
    }


@admin_view
class SchedulesView(AdminView):
    """Practice windows: doctor, day and hours."""

    resource_name = "schedules"
    list_columns = ("doctors", "hari", "jam_praktik")
    detail_fields = ("doctors", "hari", "jam_praktik")
    list_filters = ("id_doctors", "hari")
    labels = LABELS
    columns = {"jam_praktik": Column("Jam praktik", value=window_hours, sort=PracticeWindow.jam)}
    choices = {"id_doctors": doctor_choices, "hari": DAY_CHOICES}
    form_help = {"jam": "Format JJ:MM, mis. 09:00.",
                 "jam_selesai": "Format JJ:MM, setelah jam mulai, mis. 12:00. Jam praktik "
                                "satu dokter pada hari yang sama tidak boleh bertumpukan."}


@admin_view
class DoctorSchedulesView(AdminView):
    """Slots: doctor, day, hours, service, price and status."""

    resource_name = "doctor_schedules"
    list_columns = ("doctors", "hari", "jam_slot", "services_name", "harga", "status")
    detail_fields = list_columns
    list_filters = ("id_doctors", "hari", "is_active")
    labels = {**LABELS, "id_doctor_services": "Layanan dokter",
              "doctor_services": "Layanan dokter", "custom_price": "Tarif (Rp)",
              "service_categories": "Kategori"}
    columns = {"jam_slot": Column("Jam", value=slot_hours, sort=DoctorSchedule.jam),
               "harga": price_column(DoctorSchedule), "status": status_column(DoctorSchedule)}
    choices = {"id_doctors": doctor_choices, "id_doctor_services": offer_choices,
               "hari": DAY_CHOICES, "is_active": ACTIVE_CHOICES}
    form_help = {"jam": "Format JJ:MM, mis. 17:00.",
                 "id_doctor_services": "Harus layanan milik dokter yang dipilih.",
                 "custom_price": "Kosongkan atau 0 untuk memakai tarif layanan dokter."}
