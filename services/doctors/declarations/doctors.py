"""The doctors resource: a user account with the DOCTOR role, a public profile and a price."""
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from models import Doctor, DoctorService, Service, User, UserDepartment, db
from services.access import MANAGERS, STAFF, is_staff
from services.engine.fields import Money
from services.engine.filters import custom, eq, id_filter, ids_in
from services.engine.resource import PUBLIC, Resource, register
from services.errors import Invalid
from services.uploads import public_url

from ..operations import grant_doctor_role, retire_doctor
from ..queries import doctor_name, public_doctorids_in, related_value
from ..rules import ids_out_of_range, price_problems


def _doctors_offering(stmt, value):
    """Doctors whose main service is one of the ids, or who offer one of them (live offers)."""
    ids = ids_in(value)
    offering = select(DoctorService.id_doctors).where(DoctorService.id_services.in_(ids),
                                                      DoctorService.deleted_at.is_(None))
    return stmt.where(or_(Doctor.id_services.in_(ids), Doctor.id.in_(offering)))


@register
class Doctors(Resource):
    """A doctor: a user account with the DOCTOR role and a public profile and price.

    `doctors/create` and `update` answer under `stylists`, as the document shows. The linked
    account is chosen on create and fixed afterwards (an update ignores `id_users`)."""

    name = "doctors"
    model = Doctor
    nested = {"users": ("users", "user"), "services": ("services", "service")}
    label = "Dokter"
    envelopes = {"create": "stylists", "update": "stylists"}
    inputs = ("id_users", "id_services", "custom_price", "doctor_description",
              "availability_description", "short_description", "is_active")
    required = ("id_users",)
    create_only = ("id_users",)
    extra_inputs = {"custom_price": Money(allow_none=True)}  # blank: 0
    html_inputs = ("doctor_description",)
    outputs = ("id", "id_users", "users", "id_services", "services", "custom_price",
               "doctor_description", "availability_description", "short_description",
               "is_active", "users_fullname", "users_picture", "users_picture_url")
    list_outputs = ("id", "id_users", "id_services", "custom_price", "doctor_description",
                    "availability_description", "short_description", "is_active",
                    "users_fullname", "services_name", "users_picture", "users_picture_url")
    brief_fields = list_outputs  # the doctor as nested in offers, windows and slots
    filters = {"id_users": id_filter(Doctor.id_users), "id_services": custom(_doctors_offering),
               "is_active": eq(Doctor.is_active)}
    table_columns = ("id", "id_users", "id_services", "custom_price", "doctor_description",
                     "availability_description", "is_active", "users_fullname",
                     "services_name", "short_description")
    table_exprs = {
        "users_fullname": related_value(User.users_fullname, User.id == Doctor.id_users, Doctor),
        "services_name": related_value(Service.services_name, Service.id == Doctor.id_services,
                                       Doctor)}
    eager = (selectinload(Doctor.user).selectinload(User.departments)
             .selectinload(UserDepartment.department),
             selectinload(Doctor.service).selectinload(Service.category),
             selectinload(Doctor.offers).selectinload(DoctorService.service))
    output_roles = {"users": STAFF}  # the public profile carries no account data
    access = {"read": PUBLIC, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

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
        problems = {**ids_out_of_range(data, "id_users", "id_services"), **price_problems(data)}
        if "custom_price" in data and data["custom_price"] is None:
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
        if created:
            grant_doctor_role(obj, actor)

    def before_delete(self, obj, actor):
        """Refused while appointments are coming up; otherwise the account loses the DOCTOR
        role and the doctor's slots are closed."""
        retire_doctor(obj, actor)

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

    def out_users_picture(self, obj):
        """The account's picture file name."""
        return obj.user.users_picture if obj.user else ""

    def out_users_picture_url(self, obj):
        """Absolute URL of the account's picture ("" when none)."""
        return public_url("users", obj.user.users_picture) if obj.user else ""
