"""Declarations of doctors, the services they offer, practice windows and bookable slots.

Doctors are people who sign in: a doctor row links a live user account, which holds the
DOCTOR role exactly while the doctor exists (given on create in the same transaction, taken
back when the doctor is deleted). Browsing is public, so the app can show doctors and their
schedule; what is inactive (a doctor, an offer, a slot) is seen by staff only. Managers keep
doctors and their prices; the front desk (USERS) also keeps the weekly schedule; a doctor may
keep their own practice windows and slots, never their price nor another doctor's rows."""
from datetime import date, datetime, timedelta

from markupsafe import Markup
from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import selectinload

from models import (DAYS, MANAGER_ROLES, Appointment, Doctor, DoctorSchedule, DoctorService,
                    PracticeWindow, Role, Service, ServiceCategory, User, UserDepartment,
                    clinic_now, db)
from services import audit
from services.appointments import operations as booking
from services.accounts.operations import user_data_part
from services.engine import brief, core, get_resource
from services.engine.fields import Number
from services.engine.resource import (INT_MAX, PUBLIC, Resource, custom, eq, id_filter, ids_in,
                                      register)
from services.errors import Conflict, Forbidden, Invalid
from services.uploads import public_url

from services.access import is_staff
from services.format import minutes, rupiah

OFFICE = frozenset({"OWNER", "ADMIN", "USERS"})  # the front desk keeps the weekly schedule
MANAGERS = MANAGER_ROLES  # doctors and their prices
SCHEDULERS = OFFICE | {"DOCTOR"}  # who may name a doctor on a window or slot (own rows only)
PRICE_MAX = 1_000_000_000  # rupiah
BUFFER_MAX = 240  # minutes a doctor keeps after a service
LIVE = ("BOOKING", "RESCHEDULE", "ARRIVED")


# ---- small helpers shared by the declarations, the API actions and the admin screens ----
def is_office(actor) -> bool:
    """True for managers and the front desk (they manage every doctor's schedule)."""
    return actor is not None and actor.has_role(*OFFICE)


def normalize_day(value):
    """The day name as stored (Senin … Minggu) from any case, or None when it is no day."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("'", "")
    for day in DAYS:
        if day.lower() == text:
            return day
    return None


def hour_minute(value) -> str:
    """A time of day as HH:MM."""
    return value.strftime("%H:%M") if value is not None else ""


def window_label(window: PracticeWindow) -> str:
    """A practice window as staff read it: Senin 09:00–12:00."""
    return f"{window.hari} {hour_minute(window.jam)}–{hour_minute(window.jam_selesai)}"


def slot_end(slot: DoctorSchedule):
    """When an appointment in the slot ends (start + the service's duration), as a time."""
    begins = datetime.combine(date(2000, 1, 3), slot.jam)
    return (begins + timedelta(minutes=slot.offer.service.buffer_time)).time()


def day_order(column):
    """SQL ordering of a day-name column Monday first."""
    return case({day: index for index, day in enumerate(DAYS)}, value=column, else_=len(DAYS))


def _day_filter(column):
    def apply(stmt, value):
        values = value if isinstance(value, list) else [value]
        days = [normalize_day(item) for item in values]
        if not days or any(day is None for day in days):
            raise ValueError(value)
        return stmt.where(column.in_(days))
    return custom(apply)


def _bounded(data, *names):
    """Ids outside the INT range refer to nothing."""
    return {name: "Data yang dirujuk tidak ditemukan." for name in names
            if data.get(name) is not None and not 1 <= data[name] <= INT_MAX}


def live_doctorids_in():
    """Ids of doctors not deleted (their rows and those hanging off them are shown)."""
    return select(Doctor.id).where(Doctor.deleted_at.is_(None))


def public_doctorids_in():
    """Ids of the doctors patients and visitors see: active, not deleted, account live."""
    return (select(Doctor.id).join(User, User.id == Doctor.id_users)
            .where(Doctor.is_active.is_(True), Doctor.deleted_at.is_(None),
                   User.deleted_at.is_(None)))


def public_offerids_in():
    """Ids of the offers patients and visitors see: active, of a public doctor, for an
    available service."""
    return (select(DoctorService.id).join(Service, Service.id == DoctorService.id_services)
            .where(DoctorService.is_active.is_(True),
                   DoctorService.id_doctors.in_(public_doctorids_in()),
                   Service.is_available.is_(True), Service.deleted_at.is_(None)))


def own_doctorids_in(actor):
    """Ids of the live doctor record of a user (at most one)."""
    return select(Doctor.id).where(Doctor.id_users == actor.id, Doctor.deleted_at.is_(None))


def doctor_of(actor) -> Doctor | None:
    """The live doctor record of a user, or None."""
    if actor is None:
        return None
    return db.session.execute(select(Doctor).where(
        Doctor.id_users == actor.id, Doctor.deleted_at.is_(None))).scalars().first()


def may_manage_schedule(actor, doctor: Doctor) -> bool:
    """True when the actor may change this doctor's windows and slots."""
    if actor is None or doctor is None:
        return False
    return is_office(actor) or (actor.has_role("DOCTOR") and doctor.id_users == actor.id)


def _check_own_doctor(actor, doctor_id):
    """Refuse a doctor (or anyone outside the office) naming another doctor's schedule."""
    if is_office(actor):
        return
    own = doctor_of(actor) if actor is not None and actor.has_role("DOCTOR") else None
    if own is None:
        raise Forbidden("Hanya staf klinik atau dokter yang bersangkutan yang dapat mengatur "
                        "jadwal ini.", fields={"id_doctors": "Bukan jadwal Anda."})
    if doctor_id is not None and doctor_id != own.id:
        raise Forbidden("Anda hanya dapat mengatur jadwal Anda sendiri.",
                        fields={"id_doctors": "Bukan jadwal Anda."})


def _check_change_own(obj, actor):
    """A doctor changes only rows of their own doctor record."""
    if is_office(actor):
        return
    own = doctor_of(actor) if actor is not None and actor.has_role("DOCTOR") else None
    if own is None or obj.id_doctors != own.id:
        raise Forbidden("Anda hanya dapat mengubah jadwal Anda sendiri.")


def _upcoming_appointments(column, value) -> int:
    """Live appointments from today on whose `column` equals `value`."""
    return db.session.execute(select(func.count(Appointment.id)).where(
        column == value, Appointment.status.in_(LIVE),
        Appointment.tanggal >= clinic_now().date())).scalar_one()


def _offer_doctor_name():
    return (select(User.users_fullname).join(Doctor, Doctor.id_users == User.id)
            .where(Doctor.id == DoctorService.id_doctors).correlate(DoctorService)
            .scalar_subquery())


def doctor_name(doctor: Doctor | None):
    """The doctor's display name (their account's full name)."""
    if doctor is None or doctor.user is None:
        return None
    return doctor.user.users_fullname


def status_badge(active: bool) -> Markup:
    """Aktif / Nonaktif as a coloured badge."""
    if active:
        return Markup('<span class="badge text-bg-success">Aktif</span>')
    return Markup('<span class="badge text-bg-secondary">Nonaktif</span>')


# ---- choices for the admin forms and filters ---------------------------------------------
def candidate_user_choices():
    """Live accounts that are not doctors yet (for the create-doctor form)."""
    taken = select(Doctor.live_id_users).where(Doctor.live_id_users.is_not(None))
    return [(user.id, f"{user.users_fullname} ({user.username})") for user in db.session.execute(
        select(User).where(User.deleted_at.is_(None), User.id.not_in(taken))
        .order_by(User.users_fullname, User.id)).scalars()]


def doctor_choices():
    """Live doctors by name."""
    return [(doctor_id, name) for doctor_id, name in db.session.execute(
        select(Doctor.id, User.users_fullname).join(User, User.id == Doctor.id_users)
        .where(Doctor.deleted_at.is_(None)).order_by(User.users_fullname, Doctor.id))]


def service_choices():
    """Live services by name."""
    return [(service_id, name) for service_id, name in db.session.execute(
        select(Service.id, Service.services_name).where(Service.deleted_at.is_(None))
        .order_by(Service.services_name, Service.id))]


def offer_choices():
    """Offers of live doctors: doctor — service (price)."""
    rows = db.session.execute(
        select(DoctorService).options(selectinload(DoctorService.doctor).selectinload(Doctor.user),
                                      selectinload(DoctorService.service))
        .where(DoctorService.id_doctors.in_(live_doctorids_in()))).scalars().all()
    rows.sort(key=lambda row: (doctor_name(row.doctor) or "", row.service.services_name, row.id))
    return [(row.id, f"{doctor_name(row.doctor)} — {row.service.services_name} "
                     f"({rupiah(row.custom_price)})") for row in rows]


DAY_CHOICES = [(day, day) for day in DAYS]
ACTIVE_CHOICES = [("1", "Aktif"), ("0", "Nonaktif")]


# ---- doctors ----------------------------------------------------------------------------
def _doctor_user_value(column):
    def expression():
        return (select(column).where(User.id == Doctor.id_users).correlate(Doctor)
                .scalar_subquery())
    return expression


def _doctor_service_name():
    return (select(Service.services_name).where(Service.id == Doctor.id_services)
            .correlate(Doctor).scalar_subquery())


def _doctors_offering(stmt, value):
    """Doctors whose main service is one of the ids, or who offer one of them."""
    ids = [int(item) for item in ids_in(value)]
    offering = select(DoctorService.id_doctors).where(DoctorService.id_services.in_(ids))
    return stmt.where(or_(Doctor.id_services.in_(ids), Doctor.id.in_(offering)))




@register
class Doctors(Resource):
    """A doctor: a user account with the DOCTOR role and a public profile and price.

    `doctors/create` and `update` answer under `stylists`, as the document shows. The linked
    account is chosen on create and fixed afterwards (an update ignores `id_users`)."""

    name = "doctors"
    model = Doctor
    nested = {"users": ("users", "user"), "services": ("services", "service")}
    label, label_plural = "Dokter", "Dokter"
    admin_section = "Jadwal Dokter"
    envelopes = {"create": "stylists", "update": "stylists"}
    inputs = ("id_users", "id_services", "custom_price", "doctor_description",
              "availability_description", "short_description", "is_active")
    required = ("id_users",)
    create_only = ("id_users",)
    extra_inputs = {"custom_price": Number(allow_none=True)}  # blank: 0
    html_inputs = ("doctor_description",)
    outputs = ("id", "id_users", "users", "id_services", "services", "custom_price",
               "doctor_description", "availability_description", "short_description",
               "is_active", "users_fullname", "users_picture", "users_picture_url")
    list_outputs = ("id", "id_users", "id_services", "custom_price", "doctor_description",
                    "availability_description", "short_description", "is_active",
                    "users_fullname", "services_name", "users_picture", "users_picture_url")
    brief_fields = ("id", "id_users", "id_services", "custom_price", "doctor_description",
                    "availability_description", "short_description", "is_active",
                    "users_fullname", "services_name", "users_picture", "users_picture_url")
    filters = {"id_users": id_filter(Doctor.id_users), "id_services": custom(_doctors_offering),
               "is_active": eq(Doctor.is_active)}
    table_columns = ("id", "id_users", "id_services", "custom_price", "doctor_description",
                     "availability_description", "is_active", "users_fullname",
                     "services_name", "short_description")
    table_exprs = {"users_fullname": _doctor_user_value(User.users_fullname),
                   "username": _doctor_user_value(User.username),
                   "services_name": _doctor_service_name,
                   "harga": Doctor.custom_price, "status": Doctor.is_active}
    eager = (selectinload(Doctor.user).selectinload(User.departments)
             .selectinload(UserDepartment.department),
             selectinload(Doctor.service).selectinload(Service.category),
             selectinload(Doctor.offers).selectinload(DoctorService.service))
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    admin_columns = ("users_fullname", "short_description", "harga", "layanan", "status")
    admin_detail = ("users_fullname", "username", "short_description",
                    "availability_description", "services_name", "harga", "status",
                    "doctor_description")
    admin_filters = ("is_active",)
    labels = {"id": "ID", "id_users": "Akun pengguna", "users": "Akun",
              "id_services": "Layanan utama", "services": "Layanan utama",
              "services_name": "Layanan utama", "custom_price": "Tarif konsultasi (Rp)",
              "doctor_description": "Profil dokter", "availability_description": "Hari praktik",
              "short_description": "Keterangan singkat", "is_active": "Aktif",
              "users_fullname": "Nama dokter", "username": "Nama pengguna",
              "harga": "Tarif", "layanan": "Layanan", "status": "Status",
              "users_picture": "Foto", "users_picture_url": "URL foto"}
    choices = {"id_users": candidate_user_choices, "id_services": service_choices,
               "is_active": ACTIVE_CHOICES}
    form_help = {
        "id_users": "Akun yang sudah ada dan belum menjadi dokter; akun ini mendapat peran DOCTOR.",
        "custom_price": "Dalam rupiah, tanpa titik. Contoh: 250000.",
        "availability_description": "Teks untuk aplikasi, mis. Senin, Rabu, Jumat.",
        "short_description": "Mis. Spesialis Dermatologi dan Venereologi.",
        "is_active": "Dokter nonaktif tidak tampil di aplikasi dan tidak dapat dipesan.",
    }

    def visible_rows(self, stmt, actor):
        """Patients and visitors see active doctors whose account is live."""
        if is_staff(actor):
            return stmt
        return stmt.where(Doctor.id.in_(public_doctorids_in()))

    def describe(self, obj):
        """The doctor's name."""
        return doctor_name(obj) or f"#{obj.id}"

    def validate(self, data, actor, obj=None):
        """A live account that is not a doctor yet, a price of 0 or more, an optional service."""
        if data.get("id_services") == 0:
            data["id_services"] = None  # the app sends 0 for "none"
        problems = _bounded(data, "id_users", "id_services")
        price = data.get("custom_price")
        if price is not None and not 0 <= price <= PRICE_MAX:
            problems["custom_price"] = "Tarif tidak boleh negatif (maksimal Rp 1.000.000.000)."
        if "custom_price" in data and price is None:
            data["custom_price"] = 0  # blank means no price of their own
        if obj is None and "id_users" not in problems and data.get("id_users") is not None:
            existing = db.session.execute(select(Doctor.id).where(
                Doctor.live_id_users == data["id_users"])).first()
            if existing is not None:
                problems["id_users"] = "Akun ini sudah terdaftar sebagai dokter."
        if problems:
            raise Invalid(fields=problems)
        return data

    def after_save(self, obj, data, actor, created):
        """The linked account gains the DOCTOR role with the doctor (same transaction)."""
        if not created:
            return
        user = db.session.get(User, obj.id_users)
        if not user.has_role("DOCTOR"):
            user.roles.append(Role(rolecodes="DOCTOR", descriptions="dokter"))
            audit.record("role_change", actor, "users", user.id, f"{user.username}: +DOCTOR")

    def before_delete(self, obj, actor):
        """Refused while appointments are coming up; otherwise the account loses the DOCTOR
        role and the doctor's slots are closed."""
        upcoming = _upcoming_appointments(Appointment.id_doctors, obj.id)
        if upcoming:
            raise Conflict(f"Dokter masih memiliki {upcoming} janji mendatang. Batalkan atau "
                           "pindahkan janji tersebut, atau nonaktifkan dokter saja.")
        removed = db.session.execute(delete(Role).where(
            Role.iduser == obj.id_users, Role.rolecodes == "DOCTOR")).rowcount
        db.session.execute(update(DoctorSchedule).where(DoctorSchedule.id_doctors == obj.id)
                           .values(is_active=False))
        obj.is_active = False
        if removed:
            audit.record("role_change", actor, "users", obj.id_users,
                         f"{obj.user.username if obj.user else obj.id_users}: -DOCTOR")
        if obj.user is not None:
            db.session.expire(obj.user, ["roles"])

    # outputs

    def out_id_services(self, obj):
        """The main service's id, 0 when none (as the app expects)."""
        return obj.id_services or 0


    def out_services_name(self, obj):
        """The main service's name, or null."""
        return obj.service.services_name if obj.service is not None else None

    def out_users_fullname(self, obj):
        """The doctor's name."""
        return doctor_name(obj)

    def out_username(self, obj):
        """The account's username (admin)."""
        return obj.user.username if obj.user else ""

    def out_users_picture(self, obj):
        """The account's picture file name."""
        return obj.user.users_picture if obj.user else ""

    def out_users_picture_url(self, obj):
        """Absolute URL of the account's picture ("" when none)."""
        return public_url("users", obj.user.users_picture) if obj.user else ""

    def out_harga(self, obj):
        """The price as staff read it."""
        return rupiah(obj.custom_price)

    def out_status(self, obj):
        """Aktif / Nonaktif."""
        return "Aktif" if obj.is_active else "Nonaktif"

    def out_layanan(self, obj):
        """The services offered (admin list)."""
        names = sorted(offer.service.services_name for offer in obj.offers)
        return ", ".join(names) if names else ""

    def admin_cell(self, obj, name):
        """Status badge and the number of services in the admin list."""
        if name == "status":
            return status_badge(obj.is_active)
        if name == "layanan":
            active = sum(1 for offer in obj.offers if offer.is_active)
            if not obj.offers:
                return Markup('<span class="text-secondary">Belum ada</span>')
            return Markup('<span title="{}">{} layanan</span>').format(
                self.out_layanan(obj), active)
        return None


# ---- doctor services (offers) -----------------------------------------------------------
def _offer_doctor_value(column):
    def expression():
        return (select(column).where(Doctor.id == DoctorService.id_doctors)
                .correlate(DoctorService).scalar_subquery())
    return expression


def _offer_service_value(column):
    def expression():
        return (select(column).where(Service.id == DoctorService.id_services)
                .correlate(DoctorService).scalar_subquery())
    return expression


@register
class DoctorServices(Resource):
    """What a doctor offers: one row per doctor and service, at the doctor's price (the
    service's price when 0 or absent), with extra buffer minutes kept after the service."""

    name = "doctor_services"
    model = DoctorService
    nested = {"services": ("services", "service")}
    label, label_plural = "Layanan dokter", "Layanan dokter"
    admin_section = "Jadwal Dokter"
    inputs = ("id_doctors", "id_services", "custom_price", "doctor_buffer_time", "is_active")
    required = ("id_doctors", "id_services")
    extra_inputs = {"custom_price": Number(allow_none=True),  # blank: the service's price
                    "doctor_buffer_time": Number(allow_none=True)}  # blank: 0
    outputs = ("id", "id_doctors", "id_services", "doctors", "services", "custom_price",
               "doctor_buffer_time", "is_active")
    list_outputs = ("id", "id_doctors", "id_services", "doctors", "doctor_description",
                    "availability_description", "services_name", "services_description",
                    "custom_price", "doctor_buffer_time", "is_active")
    brief_fields = list_outputs  # the offer as nested in a slot
    filters = {"id_doctors": id_filter(DoctorService.id_doctors),
               "id_services": id_filter(DoctorService.id_services),
               "is_active": eq(DoctorService.is_active)}
    table_columns = ("id", "id_doctors", "id_services", "doctors", "doctor_description",
                     "availability_description", "services_name", "services_description",
                     "custom_price", "doctor_buffer_time", "is_active")
    table_exprs = {"doctors": _offer_doctor_name,
                   "doctor_description": _offer_doctor_value(Doctor.doctor_description),
                   "availability_description": _offer_doctor_value(
                       Doctor.availability_description),
                   "services_name": _offer_service_value(Service.services_name),
                   "services_description": _offer_service_value(Service.services_description),
                   "harga": DoctorService.custom_price, "jeda": DoctorService.doctor_buffer_time,
                   "durasi": _offer_service_value(Service.buffer_time),
                   "status": DoctorService.is_active}
    order_by = (DoctorService.id_doctors, DoctorService.id)
    eager = (selectinload(DoctorService.doctor).selectinload(Doctor.user),
             selectinload(DoctorService.service).selectinload(Service.category))
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    admin_columns = ("doctors", "services_name", "harga", "durasi", "jeda", "status")
    admin_detail = ("doctors", "services_name", "harga", "durasi", "jeda", "status",
                    "jumlah_slot")
    admin_filters = ("id_doctors", "is_active")
    labels = {"id": "ID", "id_doctors": "Dokter", "id_services": "Layanan", "doctors": "Dokter",
              "services": "Layanan", "services_name": "Layanan",
              "services_description": "Deskripsi layanan",
              "doctor_description": "Profil dokter", "availability_description": "Hari praktik",
              "custom_price": "Tarif dokter (Rp)", "doctor_buffer_time": "Jeda setelah layanan (menit)",
              "is_active": "Aktif", "harga": "Tarif", "jeda": "Jeda", "durasi": "Durasi layanan",
              "status": "Status", "jumlah_slot": "Slot jadwal"}
    choices = {"id_doctors": doctor_choices, "id_services": service_choices,
               "is_active": ACTIVE_CHOICES}
    form_help = {
        "custom_price": "Kosongkan atau 0 untuk memakai harga layanan.",
        "doctor_buffer_time": f"Waktu jeda dokter setelah layanan, 0–{BUFFER_MAX} menit.",
        "is_active": "Layanan nonaktif tidak dapat dipesan dan tidak ikut dibuatkan slot.",
    }

    def visible_rows(self, stmt, actor):
        """Offers of deleted doctors are gone; patients see only bookable offers."""
        if is_staff(actor):
            return stmt.where(DoctorService.id_doctors.in_(live_doctorids_in()))
        return stmt.where(DoctorService.id.in_(public_offerids_in()))

    def describe(self, obj):
        """Doctor and service."""
        service = obj.service.services_name if obj.service else f"layanan #{obj.id_services}"
        return f"{doctor_name(obj.doctor) or obj.id_doctors} · {service}"

    def validate(self, data, actor, obj=None):
        """One row per doctor and service; price and buffer 0 or more; the price defaults to
        the service's price; doctor and service stay (create another offer instead)."""
        problems = _bounded(data, "id_doctors", "id_services")
        if obj is not None:
            for name in ("id_doctors", "id_services"):
                if name in data and data[name] not in (None, getattr(obj, name)):
                    problems[name] = "Tidak dapat diganti; buat layanan dokter baru."
                data.pop(name, None)
        price = data.get("custom_price")
        if price is not None and not 0 <= price <= PRICE_MAX:
            problems["custom_price"] = "Tarif tidak boleh negatif (maksimal Rp 1.000.000.000)."
        buffer = data.get("doctor_buffer_time")
        if buffer is not None and not 0 <= buffer <= BUFFER_MAX:
            problems["doctor_buffer_time"] = f"Jeda 0–{BUFFER_MAX} menit."
        if "doctor_buffer_time" in data and buffer is None:
            data["doctor_buffer_time"] = 0
        if problems:
            raise Invalid(fields=problems)
        doctor_id = data.get("id_doctors", obj.id_doctors if obj else None)
        service_id = data.get("id_services", obj.id_services if obj else None)
        if obj is None and doctor_id is not None and service_id is not None:
            if db.session.execute(select(DoctorService.id).where(
                    DoctorService.id_doctors == doctor_id,
                    DoctorService.id_services == service_id).limit(1)).first():
                raise Invalid("Dokter ini sudah menawarkan layanan tersebut.",
                              fields={"id_services": "Dokter ini sudah menawarkan layanan ini."})
        if (obj is None and not data.get("custom_price")) or \
                (obj is not None and "custom_price" in data and not data["custom_price"]):
            service = db.session.get(Service, service_id) if service_id else None
            if service is not None:
                data["custom_price"] = service.services_price
        return data

    def after_save(self, obj, data, actor, created):
        """The doctor's slots of this offer carry its price."""
        if not created and "custom_price" in data:
            db.session.execute(update(DoctorSchedule).where(
                DoctorSchedule.id_doctor_services == obj.id).values(custom_price=obj.custom_price))

    def before_delete(self, obj, actor):
        """An offer already booked stays (deactivate it instead); its unused slots go."""
        slot_ids = select(DoctorSchedule.id).where(DoctorSchedule.id_doctor_services == obj.id)
        booked = db.session.execute(select(func.count(Appointment.id)).where(
            Appointment.id_doctor_schedules.in_(slot_ids))).scalar_one()
        if booked:
            raise Conflict(f"Layanan ini sudah dipakai {booked} janji; nonaktifkan saja "
                           "(is_active = 0) agar riwayatnya tetap ada.")
        db.session.execute(delete(DoctorSchedule).where(
            DoctorSchedule.id_doctor_services == obj.id))

    def serialize(self, obj, actor, view="detail"):
        """One offer nests its doctor as an object; lists carry the doctor's name."""
        data = super().serialize(obj, actor, view)
        if view == "detail" and "doctors" in data:
            data["doctors"] = brief("doctors", obj.doctor, actor)
        return data

    # outputs
    def out_doctors(self, obj):
        """The doctor's name (lists and table)."""
        return doctor_name(obj.doctor)


    def out_services_name(self, obj):
        """The service's name."""
        return obj.service.services_name if obj.service else None

    def out_services_description(self, obj):
        """The service's description."""
        return obj.service.services_description if obj.service else None

    def out_doctor_description(self, obj):
        """The doctor's profile."""
        return obj.doctor.doctor_description if obj.doctor else None

    def out_availability_description(self, obj):
        """The doctor's practice days as written for the app."""
        return obj.doctor.availability_description if obj.doctor else None

    def out_harga(self, obj):
        """The price as staff read it."""
        return rupiah(obj.custom_price)

    def out_jeda(self, obj):
        """The buffer as staff read it."""
        return minutes(obj.doctor_buffer_time)

    def out_durasi(self, obj):
        """The service's duration as staff read it."""
        return minutes(obj.service.buffer_time) if obj.service else "–"

    def out_status(self, obj):
        """Aktif / Nonaktif."""
        return "Aktif" if obj.is_active else "Nonaktif"

    def out_jumlah_slot(self, obj):
        """Slots of this offer, active of all (admin detail)."""
        total, active = db.session.execute(select(
            func.count(DoctorSchedule.id),
            func.coalesce(func.sum(case((DoctorSchedule.is_active.is_(True), 1), else_=0)), 0))
            .where(DoctorSchedule.id_doctor_services == obj.id)).one()
        return f"{int(active)} aktif dari {int(total)}"

    def admin_cell(self, obj, name):
        """Status badge."""
        if name == "status":
            return status_badge(obj.is_active)
        return None


# ---- practice windows (schedules) ---------------------------------------------------------
def _window_doctor_name():
    return (select(User.users_fullname).join(Doctor, Doctor.id_users == User.id)
            .where(Doctor.id == PracticeWindow.id_doctors).correlate(PracticeWindow)
            .scalar_subquery())


def overlapping_window(doctor_id, day, start, end, exclude_id=None) -> PracticeWindow | None:
    """Another window of the doctor on that day sharing some time (touching is fine)."""
    stmt = select(PracticeWindow).where(
        PracticeWindow.id_doctors == doctor_id, PracticeWindow.hari == day,
        PracticeWindow.jam < end, PracticeWindow.jam_selesai > start)
    if exclude_id is not None:
        stmt = stmt.where(PracticeWindow.id != exclude_id)
    return db.session.execute(stmt.order_by(PracticeWindow.jam).limit(1)).scalars().first()


def release_slots(doctor_id, day, start, end, exclude_window_id=None) -> tuple[int, int]:
    """After a window shrank, moved or went: the doctor's slots that started in it and no
    longer fit in any remaining window are removed (or closed, when appointments used them).
    Returns (removed, closed)."""
    slots = db.session.execute(select(DoctorSchedule).options(
        selectinload(DoctorSchedule.offer).selectinload(DoctorService.service)).where(
        DoctorSchedule.id_doctors == doctor_id, DoctorSchedule.hari == day,
        DoctorSchedule.jam >= start, DoctorSchedule.jam < end)).scalars().all()
    if not slots:
        return 0, 0
    stmt = select(PracticeWindow).where(PracticeWindow.id_doctors == doctor_id,
                                        PracticeWindow.hari == day)
    if exclude_window_id is not None:
        stmt = stmt.where(PracticeWindow.id != exclude_window_id)
    windows = db.session.execute(stmt).scalars().all()
    loose = [slot for slot in slots if not _fits(slot, windows)]
    used = set(db.session.execute(select(Appointment.id_doctor_schedules).where(
        Appointment.id_doctor_schedules.in_([slot.id for slot in loose]))).scalars())
    removed = closed = 0
    for slot in loose:
        if slot.id in used:
            if slot.is_active:
                slot.is_active = False
                closed += 1
        else:
            db.session.delete(slot)
            removed += 1
    return removed, closed


@register
class Schedules(Resource):
    """A doctor's weekly practice window (hari, jam–jam_selesai); windows of one doctor on
    one day never overlap. Slots are cut from them by doctor_schedules/generate."""

    name = "schedules"
    model = PracticeWindow
    label, label_plural = "Jam praktik", "Jam praktik"
    admin_section = "Jadwal Dokter"
    inputs = ("id_doctors", "hari", "jam", "jam_selesai")
    required = ("id_doctors", "hari", "jam", "jam_selesai")
    input_roles = {"id_doctors": SCHEDULERS}
    outputs = ("id", "id_doctors", "doctors", "hari", "jam", "jam_selesai")
    list_outputs = ("id", "id_doctors", "hari", "jam", "jam_selesai", "doctors")
    filters = {"id_doctors": id_filter(PracticeWindow.id_doctors),
               "hari": _day_filter(PracticeWindow.hari)}
    table_columns = ("id", "id_doctors", "doctors", "hari", "jam", "jam_selesai")
    table_exprs = {"doctors": _window_doctor_name, "jam_praktik": PracticeWindow.jam}
    order_by = (PracticeWindow.id_doctors, day_order(PracticeWindow.hari), PracticeWindow.jam,
                PracticeWindow.id)
    eager = (selectinload(PracticeWindow.doctor).selectinload(Doctor.user),)
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    own_actions = frozenset({"create", "update", "delete"})
    admin_columns = ("doctors", "hari", "jam_praktik")
    admin_detail = ("doctors", "hari", "jam_praktik")
    admin_filters = ("id_doctors", "hari")
    labels = {"id": "ID", "id_doctors": "Dokter", "doctors": "Dokter", "hari": "Hari",
              "jam": "Jam mulai", "jam_selesai": "Jam selesai", "jam_praktik": "Jam praktik"}
    choices = {"id_doctors": doctor_choices, "hari": DAY_CHOICES}
    form_help = {"jam": "Format JJ:MM, mis. 09:00.",
                 "jam_selesai": "Format JJ:MM, setelah jam mulai, mis. 12:00. Jam praktik "
                                "satu dokter pada hari yang sama tidak boleh bertumpukan."}

    def visible_rows(self, stmt, actor):
        """Windows of deleted doctors are gone; patients see those of public doctors."""
        if is_staff(actor):
            return stmt.where(PracticeWindow.id_doctors.in_(live_doctorids_in()))
        return stmt.where(PracticeWindow.id_doctors.in_(public_doctorids_in()))

    def own_rows(self, stmt, actor):
        """A doctor's own windows."""
        return stmt.where(PracticeWindow.id_doctors.in_(own_doctorids_in(actor)))

    def check_change(self, obj, actor):
        """A doctor changes only their own windows."""
        _check_change_own(obj, actor)

    def describe(self, obj):
        """Doctor, day and hours."""
        return f"{doctor_name(obj.doctor) or obj.id_doctors} · {window_label(obj)}"

    def validate(self, data, actor, obj=None):
        """A known day, the end after the start, no overlap with the doctor's other windows
        on that day (touching is fine); a doctor only for themselves."""
        problems = _bounded(data, "id_doctors")
        if problems:
            raise Invalid(fields=problems)
        doctor_id = data.get("id_doctors", obj.id_doctors if obj else None)
        _check_own_doctor(actor, doctor_id)
        if "hari" in data:
            day = normalize_day(data["hari"])
            if day is None:
                problems["hari"] = f"Pilih salah satu: {', '.join(DAYS)}."
            else:
                data["hari"] = day
        for name in ("id_doctors", "hari", "jam", "jam_selesai"):
            if name in data and data[name] is None:
                problems[name] = "Wajib diisi."
        if problems:
            raise Invalid(fields=problems)
        day = data.get("hari", obj.hari if obj else None)
        start = data.get("jam", obj.jam if obj else None)
        end = data.get("jam_selesai", obj.jam_selesai if obj else None)
        if start is not None and end is not None and end <= start:
            raise Invalid("Jam selesai harus setelah jam mulai.",
                          fields={"jam_selesai": "Harus setelah jam mulai."})
        if None not in (doctor_id, day, start, end):
            other = overlapping_window(doctor_id, day, start, end, obj.id if obj else None)
            if other is not None:
                message = (f"Bertumpukan dengan jam praktik {window_label(other)}.")
                raise Invalid(message, fields={"jam": message, "jam_selesai": message})
        return data

    def apply(self, obj, data, actor):
        """Copy the inputs, remembering where the window was (to release its slots)."""
        if obj.id is not None:
            obj._previous_place = (obj.id_doctors, obj.hari, obj.jam, obj.jam_selesai)
        super().apply(obj, data, actor)

    def after_save(self, obj, data, actor, created):
        """A window that shrank or moved lets go of the slots that no longer fit."""
        previous = getattr(obj, "_previous_place", None)
        if created or previous is None:
            return
        db.session.flush()
        doctor_id, day, start, end = previous
        removed, closed = release_slots(doctor_id, day, start, end)
        if removed or closed:
            audit.record("release_slots", actor, "doctors", doctor_id,
                         f"{removed} slot dihapus, {closed} slot ditutup")

    def before_delete(self, obj, actor):
        """The slots cut from this window go with it (or close, when appointments used them)."""
        removed, closed = release_slots(obj.id_doctors, obj.hari, obj.jam, obj.jam_selesai,
                                        exclude_window_id=obj.id)
        obj._released = (removed, closed)  # for the screen that asked (same session object)
        if removed or closed:
            audit.record("release_slots", actor, "doctors", obj.id_doctors,
                         f"{removed} slot dihapus, {closed} slot ditutup")

    def serialize(self, obj, actor, view="detail"):
        """One window nests its doctor as an object; lists carry the doctor's name."""
        data = super().serialize(obj, actor, view)
        if view == "detail" and "doctors" in data:
            data["doctors"] = brief("doctors", obj.doctor, actor)
        return data

    def out_doctors(self, obj):
        """The doctor's name."""
        return doctor_name(obj.doctor)

    def out_jam_praktik(self, obj):
        """Hours as staff read them: 09:00–12:00."""
        return f"{hour_minute(obj.jam)}–{hour_minute(obj.jam_selesai)}"


# ---- bookable slots (doctor_schedules) ----------------------------------------------------
def _slot_offer_value(column, *joins):
    def expression():
        stmt = select(column).select_from(DoctorService)
        for target, condition in joins:
            stmt = stmt.join(target, condition)
        return (stmt.where(DoctorService.id == DoctorSchedule.id_doctor_services)
                .correlate(DoctorSchedule).scalar_subquery())
    return expression


def _slot_doctor_name():
    return (select(User.users_fullname).join(Doctor, Doctor.id_users == User.id)
            .where(Doctor.id == DoctorSchedule.id_doctors).correlate(DoctorSchedule)
            .scalar_subquery())


def _slots_of_services(stmt, value):
    """Slots of offers for one of the service ids."""
    offers = select(DoctorService.id).where(DoctorService.id_services.in_(ids_in(value)))
    return stmt.where(DoctorSchedule.id_doctor_services.in_(offers))


@register
class DoctorSchedules(Resource):
    """A bookable weekly slot: doctor, offer (service), day and start; booking needs it
    active. `generate` cuts the practice windows into slots; `activate`/`unactivate` open
    and close one."""

    name = "doctor_schedules"
    model = DoctorSchedule
    nested = {"doctor_services": ("doctor_services", "offer")}
    label, label_plural = "Slot jadwal", "Slot jadwal"
    admin_section = "Jadwal Dokter"
    inputs = ("id_doctors", "id_doctor_services", "custom_price", "hari", "jam")
    required = ("id_doctors", "id_doctor_services", "hari", "jam")
    extra_inputs = {"custom_price": Number(allow_none=True)}  # blank: the offer's price
    input_roles = {"id_doctors": SCHEDULERS, "custom_price": OFFICE}
    outputs = ("id", "id_doctors", "id_doctor_services", "id_services", "doctors",
               "doctor_services", "hari", "jam", "jam_selesai", "custom_price", "is_active",
               "services_name")
    list_outputs = ("id", "id_doctors", "id_doctor_services", "id_services", "hari", "jam",
                    "jam_selesai", "services_name", "service_categories", "doctors",
                    "custom_price", "is_active")
    brief_fields = ("id", "id_doctors", "id_services", "id_doctor_services", "custom_price",
                    "hari", "jam", "is_active", "doctor_buffer_time", "services_name",
                    "service_categories", "doctors")
    filters = {"id_doctors": id_filter(DoctorSchedule.id_doctors),
               "id_doctor_services": id_filter(DoctorSchedule.id_doctor_services),
               "id_services": custom(_slots_of_services),
               "is_active": eq(DoctorSchedule.is_active),
               "hari": _day_filter(DoctorSchedule.hari)}
    table_columns = ("id", "id_doctors", "id_doctor_services", "hari", "jam", "services_name",
                     "service_categories", "doctors")
    table_exprs = {
        "services_name": _slot_offer_value(
            Service.services_name, (Service, Service.id == DoctorService.id_services)),
        "service_categories": _slot_offer_value(
            ServiceCategory.service_categories,
            (Service, Service.id == DoctorService.id_services),
            (ServiceCategory, ServiceCategory.id == Service.id_service_categories)),
        "doctors": _slot_doctor_name, "harga": DoctorSchedule.custom_price,
        "jam_slot": DoctorSchedule.jam, "status": DoctorSchedule.is_active,
    }
    order_by = (DoctorSchedule.id_doctors, day_order(DoctorSchedule.hari), DoctorSchedule.jam,
                DoctorSchedule.id)
    eager = (selectinload(DoctorSchedule.offer).selectinload(DoctorService.service)
             .selectinload(Service.category),
             selectinload(DoctorSchedule.offer).selectinload(DoctorService.doctor)
             .selectinload(Doctor.user),
             selectinload(DoctorSchedule.doctor).selectinload(Doctor.user))
    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    own_actions = frozenset({"create", "update", "delete"})
    admin_columns = ("doctors", "hari", "jam_slot", "services_name", "harga", "status")
    admin_detail = ("doctors", "hari", "jam_slot", "services_name", "harga", "status")
    admin_filters = ("id_doctors", "hari", "is_active")
    labels = {"id": "ID", "id_doctors": "Dokter", "id_doctor_services": "Layanan dokter",
              "id_services": "Layanan", "doctors": "Dokter", "doctor_services": "Layanan dokter",
              "hari": "Hari", "jam": "Jam mulai", "jam_selesai": "Jam selesai",
              "custom_price": "Tarif (Rp)", "is_active": "Aktif", "services_name": "Layanan",
              "service_categories": "Kategori", "harga": "Tarif", "status": "Status",
              "jam_slot": "Jam"}
    choices = {"id_doctors": doctor_choices, "id_doctor_services": offer_choices,
               "hari": DAY_CHOICES, "is_active": ACTIVE_CHOICES}
    form_help = {"jam": "Format JJ:MM, mis. 17:00.",
                 "id_doctor_services": "Harus layanan milik dokter yang dipilih.",
                 "custom_price": "Kosongkan atau 0 untuk memakai tarif layanan dokter."}

    def visible_rows(self, stmt, actor):
        """Slots of deleted doctors are gone; patients see active slots of bookable offers."""
        if is_staff(actor):
            return stmt.where(DoctorSchedule.id_doctors.in_(live_doctorids_in()))
        return stmt.where(DoctorSchedule.is_active.is_(True),
                          DoctorSchedule.id_doctor_services.in_(public_offerids_in()))

    def own_rows(self, stmt, actor):
        """A doctor's own slots."""
        return stmt.where(DoctorSchedule.id_doctors.in_(own_doctorids_in(actor)))

    def check_change(self, obj, actor):
        """A doctor changes only their own slots."""
        _check_change_own(obj, actor)

    def describe(self, obj):
        """Doctor, day, time and service."""
        service = obj.offer.service.services_name if obj.offer and obj.offer.service else ""
        return (f"{doctor_name(obj.doctor) or obj.id_doctors} · {obj.hari} "
                f"{hour_minute(obj.jam)} {service}").strip()

    def validate(self, data, actor, obj=None):
        """A known day and time, an offer of that doctor, no duplicate slot; the price
        defaults to the offer's; a booked slot keeps its day, time and offer."""
        problems = _bounded(data, "id_doctors", "id_doctor_services")
        if problems:
            raise Invalid(fields=problems)
        doctor_id = data.get("id_doctors", obj.id_doctors if obj else None)
        _check_own_doctor(actor, doctor_id)
        if "hari" in data:
            day = normalize_day(data["hari"])
            if day is None:
                problems["hari"] = f"Pilih salah satu: {', '.join(DAYS)}."
            else:
                data["hari"] = day
        for name in ("id_doctors", "id_doctor_services", "hari", "jam"):
            if name in data and data[name] is None:
                problems[name] = "Wajib diisi."
        price = data.get("custom_price")
        if price is not None and not 0 <= price <= PRICE_MAX:
            problems["custom_price"] = "Tarif tidak boleh negatif (maksimal Rp 1.000.000.000)."
        if problems:
            raise Invalid(fields=problems)
        offer_id = data.get("id_doctor_services", obj.id_doctor_services if obj else None)
        offer = db.session.get(DoctorService, offer_id) if offer_id else None
        if offer is not None and doctor_id is not None and offer.id_doctors != doctor_id:
            raise Invalid("Layanan dokter ini bukan milik dokter tersebut.",
                          fields={"id_doctor_services": "Bukan layanan milik dokter ini."})
        day = data.get("hari", obj.hari if obj else None)
        start = data.get("jam", obj.jam if obj else None)
        if obj is not None:
            moved = any(name in data and data[name] != getattr(obj, name)
                        for name in ("id_doctors", "id_doctor_services", "hari", "jam"))
            if moved:
                upcoming = _upcoming_appointments(Appointment.id_doctor_schedules, obj.id)
                if upcoming:
                    raise Conflict(f"Slot ini dipakai {upcoming} janji mendatang; hari, jam "
                                   "dan layanannya tidak dapat diubah. Buat slot baru lalu "
                                   "jadwalkan ulang janjinya.")
        if None not in (doctor_id, offer_id, day, start):
            stmt = select(DoctorSchedule.id).where(
                DoctorSchedule.id_doctors == doctor_id, DoctorSchedule.hari == day,
                DoctorSchedule.jam == start, DoctorSchedule.id_doctor_services == offer_id)
            if obj is not None:
                stmt = stmt.where(DoctorSchedule.id != obj.id)
            if db.session.execute(stmt.limit(1)).first():
                message = (f"Slot {day} {hour_minute(start)} untuk layanan ini sudah ada.")
                raise Invalid(message, fields={"jam": message})
        if offer is not None and ((obj is None and not data.get("custom_price")) or (
                obj is not None and "custom_price" in data and not data["custom_price"])):
            data["custom_price"] = offer.custom_price
        return data

    def before_delete(self, obj, actor):
        """A slot appointments used stays (deactivate it instead)."""
        used = db.session.execute(select(func.count(Appointment.id)).where(
            Appointment.id_doctor_schedules == obj.id)).scalar_one()
        if used:
            raise Conflict(f"Slot ini sudah dipakai {used} janji; nonaktifkan saja "
                           "(unactivate) agar riwayatnya tetap ada.")

    def serialize(self, obj, actor, view="detail"):
        """One slot nests its doctor and offer as objects; lists carry the names."""
        data = super().serialize(obj, actor, view)
        if view == "detail":
            if "doctors" in data:
                data["doctors"] = brief("doctors", obj.doctor, actor)
            if "doctor_services" in data:
                data["doctor_services"] = brief("doctor_services", obj.offer, actor)
        return data

    # outputs
    def out_doctors(self, obj):
        """The doctor's name."""
        return doctor_name(obj.doctor)


    def out_doctor_buffer_time(self, obj):
        """Minutes the doctor keeps after the slot's service (the offer's buffer)."""
        return obj.offer.doctor_buffer_time if obj.offer else 0

    def out_id_services(self, obj):
        """The service of the slot's offer."""
        return obj.offer.id_services if obj.offer else None

    def out_services_name(self, obj):
        """The service's name."""
        return obj.offer.service.services_name if obj.offer and obj.offer.service else None

    def out_service_categories(self, obj):
        """The service's category name."""
        service = obj.offer.service if obj.offer else None
        return service.category.service_categories if service and service.category else None

    def out_jam_selesai(self, obj):
        """When an appointment in the slot ends (start + the service's duration)."""
        return slot_end(obj) if obj.offer and obj.offer.service else None

    def out_jam_slot(self, obj):
        """Start–end as staff read it."""
        return f"{hour_minute(obj.jam)}–{hour_minute(self.out_jam_selesai(obj))}"

    def out_harga(self, obj):
        """The price as staff read it."""
        return rupiah(obj.custom_price)

    def out_status(self, obj):
        """Aktif / Nonaktif."""
        return "Aktif" if obj.is_active else "Nonaktif"

    def admin_cell(self, obj, name):
        """Status badge."""
        if name == "status":
            return status_badge(obj.is_active)
        return None


# ---- operations beyond CRUD (used by the API and the admin screens) -----------------------
def set_slot_active(actor, slot_id, active: bool) -> DoctorSchedule:
    """Open or close one slot for booking (staff, or the slot's doctor)."""
    resource = get_resource("doctor_schedules")
    slot = core.load(resource, actor, slot_id, "update")
    try:
        if slot.is_active != active:
            slot.is_active = active
            audit.record("activate" if active else "unactivate", actor, resource.name, slot.id,
                         resource.describe(slot))
        core.commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    return slot


def parse_doctor_id(value) -> int:
    """The `id_doctors` of a request body, or 422."""
    if isinstance(value, bool) or value in (None, ""):
        raise Invalid(fields={"id_doctors": "Wajib diisi."})
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise Invalid(fields={"id_doctors": "Harus berupa angka."}) from exc
    if not 1 <= number <= INT_MAX:
        raise Invalid(fields={"id_doctors": "Dokter tidak ditemukan."})
    return number


def generate_for(actor, doctor_id) -> list[dict]:
    """Cut a doctor's practice windows into slots (services.booking.generate_slots): the
    office for any doctor, a doctor for themselves. Returns the new slots as documented."""
    reach = core.require(get_resource("doctor_schedules"), actor, "create")
    if reach == "own":
        _check_own_doctor(actor, None)
    number = parse_doctor_id(doctor_id)
    doctor = db.session.execute(select(Doctor).where(
        Doctor.id == number, Doctor.deleted_at.is_(None))).scalars().first()
    if doctor is None:
        raise Invalid(fields={"id_doctors": "Dokter tidak ditemukan."})
    if reach == "own":
        _check_own_doctor(actor, doctor.id)
    return booking.generate_slots(doctor, actor)


def _fits(slot, windows) -> bool:
    """True when the slot (start + the service's duration) lies inside one of the windows."""
    base = date(2000, 1, 3)
    begins = datetime.combine(base, slot.jam)
    ends = begins + timedelta(minutes=slot.offer.service.buffer_time)
    return any(window.hari == slot.hari and datetime.combine(base, window.jam) <= begins
               and ends <= datetime.combine(base, window.jam_selesai) for window in windows)


def fits_in_windows(slot: DoctorSchedule) -> bool:
    """True when the slot lies inside one of its doctor's practice windows of its day."""
    windows = db.session.execute(select(PracticeWindow).where(
        PracticeWindow.id_doctors == slot.id_doctors,
        PracticeWindow.hari == slot.hari)).scalars().all()
    return _fits(slot, windows)


def weekly_schedule(doctor: Doctor) -> dict:
    """The doctor's windows and slots per day (Senin … Minggu): `windows` by start, `slots`
    by time then service, and `groups` (the slots per offer, by service name); each slot item
    has its end and whether it fits in a window."""
    windows = db.session.execute(select(PracticeWindow).where(
        PracticeWindow.id_doctors == doctor.id).order_by(PracticeWindow.jam)).scalars().all()
    slots = db.session.execute(select(DoctorSchedule).options(
        selectinload(DoctorSchedule.offer).selectinload(DoctorService.service)
        .selectinload(Service.category)).where(
        DoctorSchedule.id_doctors == doctor.id).order_by(DoctorSchedule.jam,
                                                         DoctorSchedule.id)).scalars().all()
    days = {day: {"windows": [], "slots": [], "groups": []} for day in DAYS}
    for window in windows:
        if window.hari in days:
            days[window.hari]["windows"].append(window)
    for slot in slots:
        if slot.hari in days:
            days[slot.hari]["slots"].append({"slot": slot, "end": slot_end(slot),
                                             "inside": _fits(slot, days[slot.hari]["windows"])})
    for entry in days.values():
        entry["slots"].sort(key=lambda item: (item["slot"].jam,
                                              item["slot"].offer.service.services_name))
        groups = {}
        for item in entry["slots"]:
            offer = item["slot"].offer
            groups.setdefault(offer.id, {"offer": offer, "service": offer.service,
                                         "slots": []})["slots"].append(item)
        entry["groups"] = sorted(groups.values(), key=lambda group: (
            group["service"].services_name, group["offer"].id))
    return days


# ---- users/data ---------------------------------------------------------------------------
@user_data_part
def doctor_profile(user) -> dict:
    """users/data `doctors`: a DOCTOR's own profile with the services offered; [] otherwise."""
    if not user.has_role("DOCTOR"):
        return {"doctors": []}
    doctor = db.session.execute(select(Doctor).options(
        selectinload(Doctor.offers).selectinload(DoctorService.service)).where(
        Doctor.id_users == user.id, Doctor.deleted_at.is_(None))).scalars().first()
    if doctor is None:
        return {"doctors": []}
    services = [{"id": offer.id, "id_services": offer.id_services,
                 "services_name": offer.service.services_name,
                 "custom_price": offer.custom_price,
                 "doctor_buffer_time": offer.doctor_buffer_time,
                 "buffer_time": offer.service.buffer_time, "is_active": int(offer.is_active)}
                for offer in sorted(doctor.offers, key=lambda row: row.id)]
    return {"doctors": [{"id": doctor.id, "custom_price": doctor.custom_price,
                         "is_active": int(doctor.is_active),
                         "short_description": doctor.short_description,
                         "availability_description": doctor.availability_description,
                         "services": services}]}


__all__ = ["DAYS", "doctor_of", "generate_for", "may_manage_schedule",
           "fits_in_windows", "normalize_day", "release_slots", "set_slot_active", "weekly_schedule"]
