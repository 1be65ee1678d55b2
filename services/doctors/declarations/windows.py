"""The schedules resource: a doctor's weekly practice windows, from which slots are cut."""
from sqlalchemy.orm import selectinload

from models import Doctor, PracticeWindow
from services.access import STAFF
from services.engine.filters import id_filter
from services.engine.resource import register
from services.errors import Invalid

from ..operations import release_moved_window, release_window
from ..queries import (day_order, doctor_name, doctor_name_of, overlapping_window,
                       public_doctorids_in)
from ..rules import (check_day_and_required, check_own_doctor, day_filter, ids_out_of_range,
                     window_label)
from .base import ScheduleRow

WINDOW_INPUTS = ("id_doctors", "hari", "jam", "jam_selesai")


@register
class Schedules(ScheduleRow):
    """A doctor's weekly practice window (hari, jam–jam_selesai); windows of one doctor on
    one day never overlap. Slots are cut from them by doctor_schedules/generate."""

    name = "schedules"
    model = PracticeWindow
    label = "Jam praktik"
    inputs = WINDOW_INPUTS
    required = WINDOW_INPUTS
    input_roles = {"id_doctors": STAFF}  # a doctor names only themselves (validate)
    outputs = ("id", "id_doctors", "doctors", "hari", "jam", "jam_selesai")
    list_outputs = ("id", "id_doctors", "hari", "jam", "jam_selesai", "doctors")
    filters = {"id_doctors": id_filter(PracticeWindow.id_doctors),
               "hari": day_filter(PracticeWindow.hari)}
    table_columns = ("id", "id_doctors", "doctors", "hari", "jam", "jam_selesai")
    table_exprs = {"doctors": doctor_name_of(PracticeWindow)}
    order_by = (PracticeWindow.id_doctors, day_order(PracticeWindow.hari), PracticeWindow.jam,
                PracticeWindow.id)
    eager = (selectinload(PracticeWindow.doctor).selectinload(Doctor.user),)

    def public_rows(self, stmt):
        """Patients and visitors see the windows of public doctors."""
        return stmt.where(PracticeWindow.id_doctors.in_(public_doctorids_in()))

    def describe(self, obj):
        """Doctor, day and hours."""
        return f"{doctor_name(obj.doctor) or obj.id_doctors} · {window_label(obj)}"

    def validate(self, data, actor, obj=None):
        """A known day, the end after the start, no overlap with the doctor's other windows
        on that day (touching is fine); a doctor only for themselves."""
        problems = ids_out_of_range(data, "id_doctors")
        if problems:
            raise Invalid(fields=problems)
        doctor_id = data.get("id_doctors", obj.id_doctors if obj else None)
        check_own_doctor(actor, doctor_id)
        problems = check_day_and_required(data, WINDOW_INPUTS)
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
                message = f"Bertumpukan dengan jam praktik {window_label(other)}."
                raise Invalid(message, fields={"jam": message, "jam_selesai": message})
        return data

    def after_save(self, obj, data, actor, created):
        """A window that shrank or moved lets go of the slots that no longer fit."""
        if not created:
            release_moved_window(obj, actor)

    def before_delete(self, obj, actor):
        """The slots cut from this window go with it (or close, when appointments used them)."""
        release_window(obj, actor)
