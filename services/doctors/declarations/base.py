"""What the declarations of a doctor's rows (offers, practice windows, slots) share."""
from services.access import OFFICE, is_staff, own_doctor_ids
from services.engine import brief
from services.engine.resource import PUBLIC, Resource

from ..queries import doctor_name, live_doctorids_in
from ..rules import check_change_own


class DoctorRow(Resource):
    """A row of one doctor: lists carry the doctor's name, one row's answer nests the doctor
    (its brief shape); rows of deleted doctors are gone, `public_rows` says what patients and
    visitors see."""

    def public_rows(self, stmt):
        """The rows patients and visitors see (override)."""
        return stmt

    def visible_rows(self, stmt, actor):
        """Staff see the rows of doctors not deleted; others what `public_rows` leaves."""
        if is_staff(actor):
            return stmt.where(self.model.id_doctors.in_(live_doctorids_in()))
        return self.public_rows(stmt)

    def serialize(self, obj, actor, view="detail"):
        """One row nests its doctor as an object; lists carry the doctor's name."""
        data = super().serialize(obj, actor, view)
        if view == "detail" and "doctors" in data:
            data["doctors"] = brief("doctors", obj.doctor, actor)
        return data

    def out_doctors(self, obj):
        """The doctor's name."""
        return doctor_name(obj.doctor)


class ScheduleRow(DoctorRow):
    """A row of a doctor's weekly schedule (a practice window, a slot): the office keeps
    every doctor's, a doctor their own."""

    access = {"read": PUBLIC, "create": OFFICE, "update": OFFICE, "delete": OFFICE}
    own_actions = frozenset({"create", "update", "delete"})

    def own_rows(self, stmt, actor):
        """A doctor's own rows."""
        return stmt.where(self.model.id_doctors.in_(own_doctor_ids(actor)))

    def check_change(self, obj, actor):
        """A doctor changes only their own rows."""
        check_change_own(obj, actor)
