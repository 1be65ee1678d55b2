"""Declarations of users, roles, departments, user departments and logs: the API contract.
How they look on the staff screens is blueprints/views/accounts.py."""
import re

from marshmallow import fields, validate
from sqlalchemy.orm import joinedload, selectinload

from models import ROLE_CODES, Department, Log, Role, User, UserDepartment, clinic_now
from services import audit
from services.access import MANAGERS, OFFICE, STAFF
from services.engine import brief
from services.engine.fields import Number, Text
from services.engine.filters import custom, eq, like
from services.engine.resource import OWN, PUBLIC, Resource, Upload, register
from services.errors import Conflict, Invalid, Problems
from services.uploads import public_url

from . import operations, queries

USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,50}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# MariaDB would otherwise take the live users through ix_users_deleted_at and read every row
# for its search_text; told so, it scans the narrow ix_users_search (or a better index).
# SQLite picks ix_users_search by itself.
SEARCH_HINTS = {dialect: "IGNORE INDEX (ix_users_deleted_at)" for dialect in ("mysql", "mariadb")}


@register
class Users(Resource):
    """People who sign in. Public create registers a customer."""

    name = "users"
    model = User
    label = "Pengguna"
    inputs = ("username", "users_fullname", "users_email", "users_phone", "users_address",
              "users_birthday", "positions", "users_status")
    required = ("username", "users_fullname")
    phone_inputs = ("users_phone",)
    birth_date_inputs = ("users_birthday",)
    create_only = ("password", "retype_password")
    unique = ("username", "users_email")
    extra_inputs = {
        "password": Text(required=True, load_only=True),
        "retype_password": Text(required=True, load_only=True),
        "roles": fields.List(fields.String(validate=validate.OneOf(ROLE_CODES)),
                             validate=validate.Length(max=len(ROLE_CODES))),
        "id_departments": fields.List(Number(), validate=validate.Length(max=50)),
    }
    input_roles = {"roles": MANAGERS, "id_departments": MANAGERS, "positions": MANAGERS,
                   "users_status": MANAGERS}
    # other people's contact details, birthday, block state and login counters stay with the
    # office (the counters with managers), nested or not; a user sees their own
    output_roles = {"num_of_login_attempts": MANAGERS,
                    **dict.fromkeys(("users_email", "users_phone", "users_address",
                                     "users_birthday", "is_blocked"), OFFICE | {OWN})}
    brief_fields = ("id", "username", "users_fullname", "users_email", "users_phone",
                    "users_address", "users_birthday", "users_picture", "users_picture_url",
                    "users_status", "is_blocked", "is_email_confirmed", "is_phone_confirmed",
                    "is_password_reset_required", "reset_hash", "otp", "positions",
                    "num_of_login_attempts", "department_ids", "department_name",
                    "department_descriptions", "department_codes")
    outputs = ("id", "username", "users_fullname", "users_email", "users_phone",
               "users_address", "users_birthday", "users_picture", "users_picture_url",
               "users_status", "is_blocked", "is_email_confirmed", "is_phone_confirmed",
               "is_password_reset_required", "reset_hash", "otp", "positions",
               "num_of_login_attempts", "total_point", "departments", "roles",
               "donor_informations", "notifications", "created")
    list_outputs = ("id", "username", "users_fullname", "users_email", "users_phone",
                    "users_address", "users_birthday", "users_picture", "users_picture_url",
                    "users_status", "is_blocked", "is_email_confirmed", "is_phone_confirmed",
                    "reset_hash", "otp", "positions", "id_departments", "roles")
    filters = {
        "is_blocked": eq(User.is_blocked), "is_email_confirmed": eq(User.is_email_confirmed),
        "is_phone_confirmed": eq(User.is_phone_confirmed), "positions": eq(User.positions),
        "users_fullname": like(User.users_fullname), "username": like(User.username),
        "role_codes": custom(queries.has_role_filter),
        "id_departments": custom(queries.in_department_filter),
        "keyword": custom(queries.keyword_filter),
    }
    table_columns = ("id", "username", "users_fullname", "users_email", "users_phone",
                     "users_address", "users_birthday", "roles", "users_picture",
                     "users_status", "is_blocked", "is_email_confirmed", "is_phone_confirmed",
                     "reset_hash", "otp", "positions")
    # the table's and the admin list's text search: each word (any order, any case, a
    # substring) in the username, name, e-mail, phone, position, status, birthday or address
    # (models.accounts.USER_SEARCHED), looked for in the narrow search_text the model keeps
    search_columns = ("search_text",)
    search_words = True
    search_hints = SEARCH_HINTS
    # one-per-user collections of a few rows each: joined into the page's statement (its rows
    # are picked by id first, so no LIMIT cuts a user's roles short) — a statement per
    # collection cost more than the repeated columns (bench/RESULTS.md)
    eager = (joinedload(User.roles),
             joinedload(User.departments).joinedload(UserDepartment.department))
    access = {"read": OFFICE, "create": PUBLIC, "update": MANAGERS, "delete": MANAGERS}
    rate_limits = {"create": "REGISTRATION_RATE_LIMIT"}  # anyone may register: not in a loop
    own_actions = frozenset({"read", "update"})
    upload = Upload(column="users_picture", kind="users", style="picture", owner_field="id_users")

    def own_rows(self, stmt, actor):
        """A user reaches only their own row."""
        return stmt.where(User.id == actor.id)

    def is_own(self, actor, obj) -> bool:
        """The user's own account."""
        return actor is not None and obj.id == actor.id

    def reader_of_created(self, obj, actor):
        """A registration (no one signed in) is answered to the new user themselves."""
        return actor if actor is not None else obj

    def describe(self, obj):
        """The username."""
        return obj.username

    def validate(self, data, actor, obj=None):
        """Username and e-mail shape, password rules, who may hand out OWNER: every
        problem at once."""
        problems = Problems()
        if "username" in data and not USERNAME.match(data["username"]):
            problems.add("username", "3–50 karakter: huruf, angka, titik, garis bawah atau strip.")
        if data.get("users_email") and not EMAIL.match(data["users_email"]):
            problems.add("users_email", "Alamat e-mail tidak valid.")
        if obj is None:
            with problems.collect():
                operations.check_new_password(data.get("password"), data.get("retype_password"))
        if data.get("roles") is not None:
            with problems.collect():
                data["roles"] = operations.checked_roles(actor, obj, data["roles"])
        problems.raise_if_any()
        return data

    def apply(self, obj, data, actor):
        """Columns, plus the password hash on create."""
        super().apply(obj, data, actor)
        if "password" in data:
            obj.password_hash = operations.hash_password(data["password"])
        if obj.users_email == "":
            obj.users_email = None

    def after_save(self, obj, data, actor, created):
        """Roles (CUSTOMER by default) and departments, replaced when given."""
        operations.replace_roles(actor, obj, data.get("roles"), created)
        if data.get("id_departments") is not None:
            operations.replace_departments(obj, data["id_departments"])

    def check_change(self, obj, actor):
        """An OWNER account is changed only by an OWNER (or its holder)."""
        operations.check_owner_account_change(actor, obj)

    def before_delete(self, obj, actor):
        """Not yourself, and not the last OWNER."""
        operations.prepare_user_removal(actor, obj)

    # outputs
    def out_users_picture_url(self, obj):
        """Absolute URL of the picture."""
        return public_url("users", obj.users_picture)

    def out_reset_hash(self, obj):
        """Recovery secrets are never disclosed; the key stays for the app."""
        return ""

    out_otp = out_reset_hash

    def out_roles(self, obj):
        """Roles, each in the roles' brief shape."""
        return [brief("roles", role) for role in obj.roles]

    def out_departments(self, obj):
        """Department memberships, each in the user_departments' brief shape."""
        return [brief("user_departments", row) for row in obj.departments]

    def out_id_departments(self, obj):
        """The first department id (0 when none), as the list answer shows it."""
        return obj.departments[0].id_departments if obj.departments else 0

    def _joined(self, obj, attribute):
        return ",".join(str(getattr(row.department, attribute)) for row in obj.departments)

    def out_department_ids(self, obj):
        """Ids of the user's departments, comma-separated (brief)."""
        return self._joined(obj, "id")

    def out_department_name(self, obj):
        """Names of the user's departments, comma-separated (brief)."""
        return self._joined(obj, "department_name")

    def out_department_descriptions(self, obj):
        """Descriptions of the user's departments, comma-separated (brief)."""
        return self._joined(obj, "department_descriptions")

    def out_department_codes(self, obj):
        """Codes of the user's departments, comma-separated (brief)."""
        return self._joined(obj, "department_codes")

    def out_total_point(self, obj):
        """Loyalty points; the points ledger arrives with the commerce feature."""
        return 0

    def out_donor_informations(self, obj):
        """Not used by the clinic; kept for the app."""
        return []

    def out_notifications(self, obj):
        """How many notifications the user has, unread and read."""
        from services.notifications.operations import counts

        return counts(obj.id)

    def table_value(self, obj, name):
        """Role codes as text in the table."""
        if name == "roles":
            return ", ".join(role.rolecodes for role in obj.roles)
        return super().table_value(obj, name)


@register
class Roles(Resource):
    """A role held by a user."""

    name = "roles"
    model = Role
    label = "Peran"
    nested = {"user": ("users", "user")}
    brief_fields = ("id", ("id_users", "iduser"), ("role_codes", "rolecodes"), "descriptions")
    inputs = ("iduser", "rolecodes", "descriptions")
    required = ("iduser", "rolecodes")
    outputs = ("id", "iduser", "user", "rolecodes", "descriptions")
    list_outputs = ("id", "iduser", "rolecodes", "descriptions")
    filters = {"iduser": eq(Role.iduser), "rolecodes": eq(Role.rolecodes)}
    table_columns = ("id", "iduser", "rolecodes", "descriptions")
    eager = (selectinload(Role.user),)
    access = {"read": MANAGERS, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

    def describe(self, obj):
        """User and role."""
        return f"{obj.user.username if obj.user else obj.iduser}:{obj.rolecodes}"

    def validate(self, data, actor, obj=None):
        """A known code, once per user; OWNER only by an OWNER; never strip the last OWNER."""
        if "rolecodes" in data:
            data["rolecodes"] = data["rolecodes"].upper()
            if data["rolecodes"] not in ROLE_CODES:
                raise Invalid(fields={"rolecodes": f"Pilih salah satu: {', '.join(ROLE_CODES)}."})
        operations.check_role_row(actor, data, obj)
        user_id = data.get("iduser", obj.iduser if obj else None)
        code = data.get("rolecodes", obj.rolecodes if obj else None)
        if queries.role_exists(user_id, code, except_id=obj.id if obj else None):
            raise Invalid(fields={"rolecodes": "Pengguna ini sudah memiliki peran tersebut."})
        return data

    def before_delete(self, obj, actor):
        """Same OWNER rules as changing."""
        operations.check_role_removal(actor, obj)

    def after_save(self, obj, data, actor, created):
        """Role changes are audited on the user too."""
        audit.record("role_change", actor, "users", obj.iduser, f"{obj.rolecodes}")


@register
class Departments(Resource):
    """Clinic departments."""

    name = "departments"
    model = Department
    label = "Departemen"
    inputs = ("department_name", "department_descriptions", "department_codes")
    required = ("department_name", "department_codes")
    unique = ("department_codes",)
    outputs = ("id", "department_name", "department_descriptions", "department_codes")
    brief_fields = outputs
    filters = {"department_name": like(Department.department_name),
               "department_codes": eq(Department.department_codes)}
    table_columns = outputs
    access = {"read": STAFF, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

    def describe(self, obj):
        """The department code."""
        return obj.department_codes

    def before_delete(self, obj, actor):
        """A department with live members cannot go (deleted users are no members)."""
        operations.prepare_department_removal(obj)


@register
class UserDepartments(Resource):
    """Which user belongs to which department."""

    name = "user_departments"
    model = UserDepartment
    label = "Anggota departemen"
    nested = {"users": ("users", "user"), "departments": ("departments", "department")}
    brief_fields = ("id", "id_users", "id_departments", "descriptions")
    inputs = ("id_departments", "id_users", "descriptions")
    required = ("id_departments", "id_users")
    outputs = ("id", "id_users", "id_departments", "users", "departments", "descriptions")
    list_outputs = ("id", "id_users", "id_departments", "descriptions", "users_fullname",
                    "department_name")
    filters = {"id_departments": eq(UserDepartment.id_departments),
               "id_users": eq(UserDepartment.id_users)}
    table_columns = ("id", "id_users", "id_departments", "descriptions", "users_fullname",
                     "department_name")
    table_exprs = {"users_fullname": queries.member_fullname,
                   "department_name": queries.member_department_name}
    eager = (selectinload(UserDepartment.user).selectinload(User.departments)
             .selectinload(UserDepartment.department),
             selectinload(UserDepartment.department))
    access = {"read": STAFF, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

    def validate(self, data, actor, obj=None):
        """A user is in a department once."""
        user_id = data.get("id_users", obj.id_users if obj else None)
        department_id = data.get("id_departments", obj.id_departments if obj else None)
        if queries.membership_exists(user_id, department_id, except_id=obj.id if obj else None):
            raise Invalid(fields={"id_departments": "Pengguna sudah di departemen ini."})
        return data

    def out_users_fullname(self, obj):
        """Member's name."""
        return obj.user.users_fullname if obj.user else ""

    def out_department_name(self, obj):
        """Department's name."""
        return obj.department.department_name if obj.department else ""


@register
class Logs(Resource):
    """The audit log. System entries are read-only; managers may add, edit and remove notes."""

    name = "logs"
    model = Log
    label = "Log audit"
    inputs = ("action", "object_type", "object_id", "descriptions")
    required = ("action", "descriptions")
    outputs = ("id", "created", "id_users", "username", "action", "object_type", "object_id",
               "descriptions", "ip_address", "is_manual")
    filters = {"id_users": eq(Log.id_users), "action": eq(Log.action),
               "object_type": eq(Log.object_type), "object_id": eq(Log.object_id),
               "username": like(Log.username), "is_manual": eq(Log.is_manual),
               "date_from": custom(queries.logged_from), "date_to": custom(queries.logged_until)}
    table_columns = ("id", "created", "username", "action", "object_type", "object_id",
                     "descriptions", "ip_address")
    order_by = (Log.id.desc(),)
    access = {"read": MANAGERS, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}

    def describe(self, obj):
        """Action and object."""
        return f"{obj.action} {obj.object_type}#{obj.object_id or '-'}"

    def validate(self, data, actor, obj=None):
        """System entries cannot be edited."""
        if obj is not None and not obj.is_manual:
            raise Conflict("Log yang ditulis sistem tidak dapat diubah.")
        return data

    def apply(self, obj, data, actor):
        """A manual note carries its author."""
        super().apply(obj, data, actor)
        if obj.id is None:
            obj.is_manual = True
            obj.id_users = actor.id
            obj.username = actor.username
            obj.ip_address = audit.client_ip()
            obj.created = clinic_now()

    def before_delete(self, obj, actor):
        """System entries cannot be removed."""
        if not obj.is_manual:
            raise Conflict("Log yang ditulis sistem tidak dapat dihapus.")
