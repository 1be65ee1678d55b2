"""The doctor_schedules resource: bookable weekly slots (doctor, offer, day and start)."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, Service,
                    ServiceCategory, db)
from services.access import OFFICE, STAFF, is_staff
from services.engine.fields import Money
from services.engine.filters import custom, eq, id_filter, ids_in
from services.engine.resource import register
from services.errors import Conflict, Invalid
from services.format import hour_minute

from ..queries import (day_order, doctor_name, doctor_name_of, live_offerids_in,
                       public_offerids_in, upcoming_appointments)
from ..rules import (check_day_and_required, check_own_doctor, day_filter, ids_out_of_range,
                     price_problems, slot_end)
from .base import ScheduleRow

SLOT_KEY = ("id_doctors", "id_doctor_services", "hari", "jam")  # what makes a slot


def _offer_value(column, *joins):
    """A column reached from the slot's offer (joining `joins`), as a correlated subquery."""
    def expression():
        stmt = select(column).select_from(DoctorService)
        for target, condition in joins:
            stmt = stmt.join(target, condition)
        return (stmt.where(DoctorService.id == DoctorSchedule.id_doctor_services)
                .correlate(DoctorSchedule).scalar_subquery())
    return expression


def _slots_of_services(stmt, value):
    """Slots of offers for one of the service ids."""
    offers = select(DoctorService.id).where(DoctorService.id_services.in_(ids_in(value)))
    return stmt.where(DoctorSchedule.id_doctor_services.in_(offers))


SERVICE_OF_OFFER = (Service, Service.id == DoctorService.id_services)


@register
class DoctorSchedules(ScheduleRow):
    """A bookable weekly slot: doctor, offer (service), day and start; booking needs it
    active. `generate` cuts the practice windows into slots; `activate`/`unactivate` open
    and close one."""

    name = "doctor_schedules"
    model = DoctorSchedule
    nested = {"doctor_services": ("doctor_services", "offer")}  # one slot's answer
    label = "Slot jadwal"
    inputs = ("id_doctors", "id_doctor_services", "custom_price", "hari", "jam")
    required = SLOT_KEY
    extra_inputs = {"custom_price": Money(allow_none=True)}  # blank: the offer's price
    input_roles = {"id_doctors": STAFF, "custom_price": OFFICE}  # a doctor: only themselves
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
               "hari": day_filter(DoctorSchedule.hari)}
    table_columns = ("id", "id_doctors", "id_doctor_services", "hari", "jam", "services_name",
                     "service_categories", "doctors")
    table_exprs = {
        "services_name": _offer_value(Service.services_name, SERVICE_OF_OFFER),
        "service_categories": _offer_value(
            ServiceCategory.service_categories, SERVICE_OF_OFFER,
            (ServiceCategory, ServiceCategory.id == Service.id_service_categories)),
        "doctors": doctor_name_of(DoctorSchedule),
    }
    order_by = (DoctorSchedule.id_doctors, day_order(DoctorSchedule.hari), DoctorSchedule.jam,
                DoctorSchedule.id)
    eager = (selectinload(DoctorSchedule.offer).selectinload(DoctorService.service)
             .selectinload(Service.category),
             selectinload(DoctorSchedule.offer).selectinload(DoctorService.doctor)
             .selectinload(Doctor.user),
             selectinload(DoctorSchedule.doctor).selectinload(Doctor.user))

    def visible_rows(self, stmt, actor):
        """Slots of deleted doctors or deleted offers are gone; patients see active slots of
        bookable offers."""
        if is_staff(actor):
            return stmt.where(DoctorSchedule.id_doctor_services.in_(live_offerids_in()))
        return stmt.where(DoctorSchedule.is_active.is_(True),
                          DoctorSchedule.id_doctor_services.in_(public_offerids_in()))

    def describe(self, obj):
        """Doctor, day, time and service."""
        service = obj.offer.service.services_name if obj.offer and obj.offer.service else ""
        return (f"{doctor_name(obj.doctor) or obj.id_doctors} · {obj.hari} "
                f"{hour_minute(obj.jam)} {service}").strip()

    def validate(self, data, actor, obj=None):
        """A known day and time, an offer of that doctor, no duplicate slot; the price
        defaults to the offer's; a booked slot keeps its day, time and offer."""
        problems = ids_out_of_range(data, "id_doctors", "id_doctor_services")
        if problems:
            raise Invalid(fields=problems)
        doctor_id = data.get("id_doctors", obj.id_doctors if obj else None)
        check_own_doctor(actor, doctor_id)
        problems = {**check_day_and_required(data, SLOT_KEY), **price_problems(data)}
        if problems:
            raise Invalid(fields=problems)
        offer_id = data.get("id_doctor_services", obj.id_doctor_services if obj else None)
        offer = db.session.get(DoctorService, offer_id) if offer_id else None
        if offer is not None and doctor_id is not None and offer.id_doctors != doctor_id:
            raise Invalid("Layanan dokter ini bukan milik dokter tersebut.",
                          fields={"id_doctor_services": "Bukan layanan milik dokter ini."})
        day = data.get("hari", obj.hari if obj else None)
        start = data.get("jam", obj.jam if obj else None)
        if obj is not None and any(name in data and data[name] != getattr(obj, name)
                                   for name in SLOT_KEY):
            upcoming = upcoming_appointments(Appointment.id_doctor_schedules == obj.id)
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
                message = f"Slot {day} {hour_minute(start)} untuk layanan ini sudah ada."
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

    # outputs
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
