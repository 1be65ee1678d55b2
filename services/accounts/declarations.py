"""Declarations of users, roles, departments, user departments and logs."""
import re
from datetime import timedelta

from marshmallow import fields, validate
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from models import (MANAGER_ROLES, ROLE_CODES, STAFF_ROLES, Department, Log, Role, User,
                    UserDepartment, clinic_now, db)
from services import audit
from services.accounts.operations import check_new_password, hash_password, revoke_all_tokens
from services.engine.fields import FlexDate, Number, Text
from services.engine.resource import (PUBLIC, Resource, Upload, contains, custom, eq, like,
                                      register)
from services.errors import Conflict, Forbidden, Invalid
from services.uploads import public_url

MANAGERS = MANAGER_ROLES
OFFICE = frozenset({"OWNER", "ADMIN", "USERS"})
USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,50}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE_CHOICES = [(code, code) for code in ROLE_CODES]


def role_dict(role: Role) -> dict:
    """A role as embedded in a user."""
    return {"id": role.id, "id_users": role.iduser, "role_codes": role.rolecodes,
            "descriptions": role.descriptions}


def department_dict(department: Department) -> dict:
    """A department as embedded elsewhere."""
    return {"id": department.id, "department_name": department.department_name,
            "department_descriptions": department.department_descriptions,
            "department_codes": department.department_codes}


def count_owners(exclude_user_id=None) -> int:
    """Live OWNER accounts, optionally leaving one out."""
    stmt = (select(func.count(func.distinct(Role.iduser))).join(User, User.id == Role.iduser)
            .where(Role.rolecodes == "OWNER", User.deleted_at.is_(None)))
    if exclude_user_id is not None:
        stmt = stmt.where(Role.iduser != exclude_user_id)
    return db.session.execute(stmt).scalar_one()


def has_role_filter(stmt, value):
    """Users holding the role code (or any of a list)."""
    codes = value if isinstance(value, list) else [value]
    return stmt.where(exists().where(Role.iduser == User.id,
                                     Role.rolecodes.in_([str(code).upper() for code in codes])))


def in_department_filter(stmt, value):
    """Users in the department id (or any of a list)."""
    ids = [int(str(item)) for item in (value if isinstance(value, list) else [value])]
    return stmt.where(exists().where(UserDepartment.id_users == User.id,
                                     UserDepartment.id_departments.in_(ids)))


def keyword_filter(stmt, value):
    """Users whose username, name, e-mail or phone contains the text."""
    return stmt.where(or_(*[contains(column, value) for column in (
        User.username, User.users_fullname, User.users_email, User.users_phone)]))


@register
class Users(Resource):
    """People who sign in. Public create registers a customer."""

    name = "users"
    model = User
    label, label_plural = "Pengguna", "Pengguna"
    admin_section = "Pengguna"
    inputs = ("username", "users_fullname", "users_email", "users_phone", "users_address",
              "users_birthday", "positions", "users_status")
    required = ("username", "users_fullname")
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
    output_roles = {"num_of_login_attempts": MANAGERS}
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
        "role_codes": custom(has_role_filter), "id_departments": custom(in_department_filter),
        "keyword": custom(keyword_filter),
    }
    table_columns = ("id", "username", "users_fullname", "users_email", "users_phone",
                     "users_address", "users_birthday", "roles", "users_picture",
                     "users_status", "is_blocked", "is_email_confirmed", "is_phone_confirmed",
                     "reset_hash", "otp", "positions")
    admin_columns = ("username", "users_fullname", "users_email", "users_phone", "roles",
                     "is_blocked")
    admin_detail = ("username", "users_fullname", "users_email", "users_phone", "users_address",
                    "users_birthday", "positions", "users_status", "roles", "department_names",
                    "is_blocked", "num_of_login_attempts", "is_password_reset_required",
                    "created")
    eager = (selectinload(User.roles),
             selectinload(User.departments).selectinload(UserDepartment.department))
    access = {"read": OFFICE, "create": PUBLIC, "update": MANAGERS, "delete": MANAGERS}
    own_actions = frozenset({"read", "update"})
    upload = Upload(column="users_picture", kind="users", style="picture", owner_field="id_users")
    labels = {
        "username": "Nama pengguna", "users_fullname": "Nama lengkap", "users_email": "E-mail",
        "users_phone": "Telepon", "users_address": "Alamat", "users_birthday": "Tanggal lahir",
        "positions": "Jabatan", "users_status": "Status", "password": "Kata sandi",
        "retype_password": "Ulangi kata sandi", "roles": "Peran",
        "id_departments": "Departemen", "is_blocked": "Diblokir", "id": "ID",
        "department_names": "Departemen", "num_of_login_attempts": "Gagal masuk berturut-turut",
        "is_password_reset_required": "Wajib ganti kata sandi", "created": "Terdaftar",
    }
    choices = {
        "roles": ROLE_CHOICES,
        "id_departments": lambda: [(d.id, d.department_name) for d in db.session.execute(
            select(Department).order_by(Department.department_name)).scalars()],
    }

    def own_rows(self, stmt, actor):
        """A user reaches only their own row."""
        return stmt.where(User.id == actor.id)

    def describe(self, obj):
        """The username."""
        return obj.username

    def validate(self, data, actor, obj=None):
        """Username and e-mail shape, password rules, who may hand out OWNER."""
        problems = {}
        if "username" in data and not USERNAME.match(data["username"]):
            problems["username"] = "3–50 karakter: huruf, angka, titik, garis bawah atau strip."
        if data.get("users_email") and not EMAIL.match(data["users_email"]):
            problems["users_email"] = "Alamat e-mail tidak valid."
        if problems:
            raise Invalid(fields=problems)
        if obj is None:
            check_new_password(data.get("password"), data.get("retype_password"))
        roles = data.get("roles")
        if roles is not None:
            data["roles"] = roles = list(dict.fromkeys(roles))
            had_owner = obj is not None and obj.has_role("OWNER")
            if ("OWNER" in roles) != had_owner and not actor.has_role("OWNER"):
                raise Forbidden("Hanya OWNER yang dapat memberi atau mencabut peran OWNER.",
                                fields={"roles": "Peran OWNER hanya diatur oleh OWNER."})
            if had_owner and "OWNER" not in roles and count_owners(exclude_user_id=obj.id) == 0:
                raise Conflict("Klinik harus memiliki setidaknya satu OWNER.",
                               fields={"roles": "OWNER terakhir tidak dapat dicabut."})
        return data

    def apply(self, obj, data, actor):
        """Columns, plus the password hash on create."""
        super().apply(obj, data, actor)
        if "password" in data:
            obj.password_hash = hash_password(data["password"])
        if obj.users_email == "":
            obj.users_email = None

    def after_save(self, obj, data, actor, created):
        """Roles (CUSTOMER by default) and departments, replaced when given."""
        roles = data.get("roles")
        if created and not roles:
            roles = ["CUSTOMER"]
        if roles is not None:
            before = sorted(role.rolecodes for role in obj.roles)
            keep = [role for role in obj.roles if role.rolecodes in roles]
            obj.roles[:] = keep + [Role(rolecodes=code, descriptions="")
                                   for code in roles if code not in {r.rolecodes for r in keep}]
            if not created and before != sorted(roles):
                audit.record("role_change", actor, "users", obj.id,
                             f"{obj.username}: {','.join(before)} -> {','.join(sorted(roles))}")
        department_ids = data.get("id_departments")
        if department_ids is not None:
            department_ids = list(dict.fromkeys(department_ids))
            found = set(db.session.execute(select(Department.id).where(
                Department.id.in_(department_ids))).scalars())
            missing = [value for value in department_ids if value not in found]
            if missing:
                raise Invalid(fields={"id_departments": f"Departemen tidak ditemukan: {missing}"})
            keep = [row for row in obj.departments if row.id_departments in department_ids]
            obj.departments[:] = keep + [
                UserDepartment(id_departments=value, descriptions="Init new users")
                for value in department_ids if value not in {r.id_departments for r in keep}]

    def check_change(self, obj, actor):
        """An OWNER account is changed only by an OWNER (or its holder)."""
        if obj.has_role("OWNER") and not actor.has_role("OWNER") and actor.id != obj.id:
            raise Forbidden("Hanya OWNER yang dapat mengubah akun OWNER.")

    def before_delete(self, obj, actor):
        """Not yourself, and not the last OWNER."""
        if obj.id == actor.id:
            raise Conflict("Anda tidak dapat menghapus akun Anda sendiri.")
        if obj.has_role("OWNER"):
            if count_owners(exclude_user_id=obj.id) == 0:
                raise Conflict("OWNER terakhir tidak dapat dihapus.")
        revoke_all_tokens(obj)

    def form_extra_values(self, obj):
        """Roles and departments for the edit form."""
        return {"roles": [role.rolecodes for role in obj.roles],
                "id_departments": [row.id_departments for row in obj.departments]}

    # outputs
    def out_users_picture_url(self, obj):
        """Absolute URL of the picture."""
        return public_url("users", obj.users_picture)

    def out_reset_hash(self, obj):
        """Recovery secrets are never disclosed; the key stays for the app."""
        return ""

    out_otp = out_reset_hash

    def out_roles(self, obj):
        """Roles as embedded objects."""
        return [role_dict(role) for role in obj.roles]

    def out_departments(self, obj):
        """Department memberships."""
        return [{"id": row.id, "id_users": row.id_users, "id_departments": row.id_departments,
                 "descriptions": row.descriptions} for row in obj.departments]

    def out_department_names(self, obj):
        """Department names, for the admin detail screen."""
        return [row.department.department_name for row in obj.departments]

    def out_id_departments(self, obj):
        """The first department id (0 when none), as the list answer shows it."""
        return obj.departments[0].id_departments if obj.departments else 0

    def out_department_ids(self, obj):
        """Ids of the user's departments, comma-separated (brief)."""
        return ",".join(str(row.id_departments) for row in obj.departments)

    def out_department_name(self, obj):
        """Names of the user's departments, comma-separated (brief)."""
        return ",".join(row.department.department_name for row in obj.departments)

    def out_department_descriptions(self, obj):
        """Descriptions of the user's departments, comma-separated (brief)."""
        return ",".join(row.department.department_descriptions for row in obj.departments)

    def out_department_codes(self, obj):
        """Codes of the user's departments, comma-separated (brief)."""
        return ",".join(row.department.department_codes for row in obj.departments)

    def out_total_point(self, obj):
        """Loyalty points; the points ledger arrives with the commerce feature."""
        return 0

    def out_donor_informations(self, obj):
        """Not used by the clinic; kept for the app."""
        return []

    def out_notifications(self, obj):
        """Notification counts; notifications arrive with their own feature."""
        return {"notifications": 0, "unread": 0, "isread": 0}

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
    nested = {"user": ("users", "user")}
    label, label_plural = "Peran", "Peran"
    admin_section = "Pengguna"
    inputs = ("iduser", "rolecodes", "descriptions")
    required = ("iduser", "rolecodes")
    outputs = ("id", "iduser", "user", "rolecodes", "descriptions")
    list_outputs = ("id", "iduser", "rolecodes", "descriptions")
    filters = {"iduser": eq(Role.iduser), "rolecodes": eq(Role.rolecodes)}
    table_columns = ("id", "iduser", "rolecodes", "descriptions")
    admin_columns = ("iduser", "username", "rolecodes", "descriptions")
    eager = (selectinload(Role.user),)
    access = {"read": MANAGERS, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    labels = {"iduser": "ID pengguna", "rolecodes": "Kode peran", "descriptions": "Keterangan",
              "username": "Pengguna"}
    choices = {"rolecodes": ROLE_CHOICES}

    def describe(self, obj):
        """User and role."""
        return f"{obj.user.username if obj.user else obj.iduser}:{obj.rolecodes}"

    def validate(self, data, actor, obj=None):
        """A known code, once per user; OWNER only by an OWNER; never strip the last OWNER."""
        if "rolecodes" in data:
            data["rolecodes"] = data["rolecodes"].upper()
            if data["rolecodes"] not in ROLE_CODES:
                raise Invalid(fields={"rolecodes": f"Pilih salah satu: {', '.join(ROLE_CODES)}."})
        touches_owner = data.get("rolecodes") == "OWNER" or (obj is not None and obj.rolecodes == "OWNER")
        if touches_owner and not actor.has_role("OWNER"):
            raise Forbidden("Hanya OWNER yang dapat mengatur peran OWNER.")
        if obj is not None and obj.rolecodes == "OWNER" and (
                data.get("rolecodes", "OWNER") != "OWNER" or data.get("iduser", obj.iduser) != obj.iduser) \
                and count_owners(exclude_user_id=obj.iduser) == 0:
            raise Conflict("OWNER terakhir tidak dapat dicabut.")
        user_id = data.get("iduser", obj.iduser if obj else None)
        code = data.get("rolecodes", obj.rolecodes if obj else None)
        duplicate = select(Role.id).where(Role.iduser == user_id, Role.rolecodes == code)
        if obj is not None:
            duplicate = duplicate.where(Role.id != obj.id)
        if db.session.execute(duplicate).first():
            raise Invalid(fields={"rolecodes": "Pengguna ini sudah memiliki peran tersebut."})
        return data

    def before_delete(self, obj, actor):
        """Same OWNER rules as changing."""
        if obj.rolecodes == "OWNER":
            if not actor.has_role("OWNER"):
                raise Forbidden("Hanya OWNER yang dapat mencabut peran OWNER.")
            if count_owners(exclude_user_id=obj.iduser) == 0:
                raise Conflict("OWNER terakhir tidak dapat dicabut.")
        audit.record("role_change", actor, "users", obj.iduser, f"cabut {obj.rolecodes}")

    def after_save(self, obj, data, actor, created):
        """Role changes are audited on the user too."""
        audit.record("role_change", actor, "users", obj.iduser, f"{obj.rolecodes}")


    def out_username(self, obj):
        """For the admin list."""
        return obj.user.username if obj.user else ""


@register
class Departments(Resource):
    """Clinic departments."""

    name = "departments"
    model = Department
    label, label_plural = "Departemen", "Departemen"
    admin_section = "Pengguna"
    inputs = ("department_name", "department_descriptions", "department_codes")
    required = ("department_name", "department_codes")
    unique = ("department_codes",)
    outputs = ("id", "department_name", "department_descriptions", "department_codes")
    filters = {"department_name": like(Department.department_name),
               "department_codes": eq(Department.department_codes)}
    table_columns = ("id", "department_name", "department_descriptions", "department_codes")
    access = {"read": STAFF_ROLES, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    labels = {"department_name": "Nama departemen", "department_descriptions": "Keterangan",
              "department_codes": "Kode", "id": "ID"}

    def describe(self, obj):
        """The department code."""
        return obj.department_codes

    def before_delete(self, obj, actor):
        """A department with members cannot go."""
        if db.session.execute(select(UserDepartment.id).where(
                UserDepartment.id_departments == obj.id).limit(1)).first():
            raise Conflict("Departemen masih memiliki anggota.")


def _user_fullname_expr():
    return (select(User.users_fullname).where(User.id == UserDepartment.id_users)
            .correlate(UserDepartment).scalar_subquery())


def _department_name_expr():
    return (select(Department.department_name)
            .where(Department.id == UserDepartment.id_departments)
            .correlate(UserDepartment).scalar_subquery())


@register
class UserDepartments(Resource):
    """Which user belongs to which department."""

    name = "user_departments"
    model = UserDepartment
    nested = {"users": ("users", "user")}
    label, label_plural = "Anggota departemen", "Anggota departemen"
    admin_section = "Pengguna"
    inputs = ("id_departments", "id_users", "descriptions")
    required = ("id_departments", "id_users")
    outputs = ("id", "id_users", "id_departments", "users", "departments", "descriptions")
    list_outputs = ("id", "id_users", "id_departments", "descriptions", "users_fullname",
                    "department_name")
    filters = {"id_departments": eq(UserDepartment.id_departments),
               "id_users": eq(UserDepartment.id_users)}
    table_columns = ("id", "id_users", "id_departments", "descriptions", "users_fullname",
                     "department_name")
    table_exprs = {"users_fullname": _user_fullname_expr, "department_name": _department_name_expr}
    admin_columns = ("users_fullname", "department_name", "descriptions")
    eager = (selectinload(UserDepartment.user).selectinload(User.departments)
             .selectinload(UserDepartment.department),
             selectinload(UserDepartment.department))
    access = {"read": STAFF_ROLES, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    labels = {"id_departments": "Departemen", "id_users": "Pengguna", "descriptions": "Keterangan",
              "users_fullname": "Nama", "department_name": "Departemen"}
    choices = {"id_departments": Users.choices["id_departments"]}

    def validate(self, data, actor, obj=None):
        """A user is in a department once."""
        user_id = data.get("id_users", obj.id_users if obj else None)
        department_id = data.get("id_departments", obj.id_departments if obj else None)
        stmt = select(UserDepartment.id).where(UserDepartment.id_users == user_id,
                                               UserDepartment.id_departments == department_id)
        if obj is not None:
            stmt = stmt.where(UserDepartment.id != obj.id)
        if db.session.execute(stmt).first():
            raise Invalid(fields={"id_departments": "Pengguna sudah di departemen ini."})
        return data


    def out_departments(self, obj):
        """The department."""
        return department_dict(obj.department) if obj.department else None

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
    label, label_plural = "Log audit", "Log audit"
    admin_section = "Pengaturan"
    inputs = ("action", "object_type", "object_id", "descriptions")
    required = ("action", "descriptions")
    outputs = ("id", "created", "id_users", "username", "action", "object_type", "object_id",
               "descriptions", "ip_address", "is_manual")
    filters = {"id_users": eq(Log.id_users), "action": eq(Log.action),
               "object_type": eq(Log.object_type), "object_id": eq(Log.object_id),
               "username": like(Log.username), "is_manual": eq(Log.is_manual),
               "date_from": custom(lambda stmt, value: stmt.where(Log.created >= _day(value))),
               "date_to": custom(lambda stmt, value: stmt.where(
                   Log.created < _day(value, next_day=True)))}
    table_columns = ("id", "created", "username", "action", "object_type", "object_id",
                     "descriptions", "ip_address")
    admin_columns = ("created", "username", "action", "object_type", "object_id", "descriptions")
    order_by = (Log.id.desc(),)
    access = {"read": MANAGERS, "create": MANAGERS, "update": MANAGERS, "delete": MANAGERS}
    labels = {"created": "Waktu", "username": "Pengguna", "action": "Aksi",
              "object_type": "Objek", "object_id": "ID objek", "descriptions": "Keterangan",
              "ip_address": "Alamat IP", "id": "ID", "is_manual": "Catatan manual"}

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


def _day(value, next_day=False):
    """A filter date (dd/mm/yyyy or ISO) as the start of that day or of the next."""
    day = FlexDate().deserialize(value)
    return day + timedelta(days=1) if next_day else day
