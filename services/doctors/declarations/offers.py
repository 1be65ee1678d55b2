"""The doctor_services resource: what a doctor offers, at which price, with which buffer. A
deleted offer is kept (softly deleted) for the appointments that used it."""
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from models import Doctor, DoctorSchedule, DoctorService, Service, db
from services.access import MANAGERS
from services.engine.fields import Money, Number
from services.engine.filters import eq, id_filter
from services.engine.resource import PUBLIC, register
from services.errors import Invalid

from ..operations import retire_offer
from ..queries import doctor_name, doctor_name_of, public_offerids_in, related_value
from ..rules import BUFFER_MAX, ids_out_of_range, price_problems
from .base import DoctorRow


def _doctor_value(column):
    return related_value(column, Doctor.id == DoctorService.id_doctors, DoctorService)


def _service_value(column):
    return related_value(column, Service.id == DoctorService.id_services, DoctorService)


@register
class DoctorServices(DoctorRow):
    """What a doctor offers: one live row per doctor and service, at the doctor's price (the
    service's price when 0 or absent), with extra buffer minutes kept after the service.
    Deleting one keeps it for the history (its unused slots go, the used ones close)."""

    name = "doctor_services"
    model = DoctorService
    nested = {"services": ("services", "service")}
    label = "Layanan dokter"
    inputs = ("id_doctors", "id_services", "custom_price", "doctor_buffer_time", "is_active")
    required = ("id_doctors", "id_services")
    extra_inputs = {"custom_price": Money(allow_none=True),  # blank: the service's price
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
    table_exprs = {"doctors": doctor_name_of(DoctorService),
                   "doctor_description": _doctor_value(Doctor.doctor_description),
                   "availability_description": _doctor_value(Doctor.availability_description),
                   "services_name": _service_value(Service.services_name),
                   "services_description": _service_value(Service.services_description)}
    order_by = (DoctorService.id_doctors, DoctorService.id)
    eager = (selectinload(DoctorService.doctor).selectinload(Doctor.user),
             selectinload(DoctorService.service).selectinload(Service.category))
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

    def public_rows(self, stmt):
        """Patients and visitors see only bookable offers."""
        return stmt.where(DoctorService.id.in_(public_offerids_in()))

    def describe(self, obj):
        """Doctor and service."""
        service = obj.service.services_name if obj.service else f"layanan #{obj.id_services}"
        return f"{doctor_name(obj.doctor) or obj.id_doctors} · {service}"

    def validate(self, data, actor, obj=None):
        """One live row per doctor and service; price and buffer 0 or more; the price
        defaults to the service's price; doctor and service stay (create another offer)."""
        problems = ids_out_of_range(data, "id_doctors", "id_services")
        if obj is not None:
            for name in ("id_doctors", "id_services"):
                if name in data and data[name] not in (None, getattr(obj, name)):
                    problems[name] = "Tidak dapat diganti; buat layanan dokter baru."
                data.pop(name, None)
        problems.update(price_problems(data))
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
                    DoctorService.live_id_services == service_id).limit(1)).first():
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
        """Refused while appointments are coming up in its slots; otherwise the offer stops
        being bookable, its unused slots go and the used ones close (the engine then marks
        it deleted: past appointments keep pointing at it)."""
        retire_offer(obj, actor)

    # outputs
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
