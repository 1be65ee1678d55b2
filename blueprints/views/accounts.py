"""How users, roles, departments, memberships and the audit log look on the staff screens."""
from models import ROLE_CODES
from services.accounts import queries

from .base import AdminView, Column, admin_view

ROLE_CHOICES = [(code, code) for code in ROLE_CODES]


def _department_names(user) -> list[str]:
    return [row.department.department_name for row in user.departments]


def _username(role) -> str:
    return role.user.username if role.user else ""


@admin_view
class UsersView(AdminView):
    """Users: who they are, their roles and departments, lockout state."""

    resource_name = "users"
    label_plural = "Pengguna"
    list_columns = ("username", "users_fullname", "users_email", "users_phone", "roles",
                    "is_blocked")
    detail_fields = ("username", "users_fullname", "users_email", "users_phone",
                     "users_address", "users_birthday", "positions", "users_status", "roles",
                     "department_names", "is_blocked", "num_of_login_attempts",
                     "is_password_reset_required", "created")
    labels = {
        "username": "Nama pengguna", "users_fullname": "Nama lengkap", "users_email": "E-mail",
        "users_phone": "Telepon", "users_address": "Alamat", "users_birthday": "Tanggal lahir",
        "positions": "Jabatan", "users_status": "Status", "password": "Kata sandi",
        "retype_password": "Ulangi kata sandi", "roles": "Peran",
        "id_departments": "Departemen", "is_blocked": "Diblokir", "id": "ID",
        "num_of_login_attempts": "Gagal masuk berturut-turut",
        "is_password_reset_required": "Wajib ganti kata sandi", "created": "Terdaftar",
    }
    columns = {"department_names": Column(label="Departemen", value=_department_names)}
    choices = {"roles": ROLE_CHOICES, "id_departments": queries.department_choices}
    # the API makes a user given no role a CUSTOMER (registration); staff creating or
    # changing an account on the screens choose its roles themselves
    form_required = {"roles": "Pilih setidaknya satu peran."}

    def extra_form_values(self, obj) -> dict:
        """Roles and departments for the edit form."""
        return {"roles": [role.rolecodes for role in obj.roles],
                "id_departments": [row.id_departments for row in obj.departments]}


@admin_view
class RolesView(AdminView):
    """Roles, listed with the username of their holder."""

    resource_name = "roles"
    label_plural = "Peran"
    list_columns = ("iduser", "username", "rolecodes", "descriptions")
    labels = {"iduser": "ID pengguna", "rolecodes": "Kode peran", "descriptions": "Keterangan"}
    columns = {"username": Column(label="Pengguna", value=_username)}
    choices = {"rolecodes": ROLE_CHOICES}


@admin_view
class DepartmentsView(AdminView):
    """Departments."""

    resource_name = "departments"
    label_plural = "Departemen"
    labels = {"department_name": "Nama departemen", "department_descriptions": "Keterangan",
              "department_codes": "Kode", "id": "ID"}


@admin_view
class UserDepartmentsView(AdminView):
    """Who is in which department."""

    resource_name = "user_departments"
    label_plural = "Anggota departemen"
    list_columns = ("users_fullname", "department_name", "descriptions")
    labels = {"id_departments": "Departemen", "id_users": "Pengguna", "descriptions": "Keterangan",
              "users_fullname": "Nama", "department_name": "Departemen"}
    choices = {"id_departments": queries.department_choices}


@admin_view
class LogsView(AdminView):
    """The audit log, newest first."""

    resource_name = "logs"
    label_plural = "Log audit"
    not_on_screens = ("create", "update", "delete")  # the audit log is read, never written
    list_columns = ("created", "username", "action", "object_type", "object_id", "descriptions")
    labels = {"created": "Waktu", "username": "Pengguna", "action": "Aksi",
              "object_type": "Objek", "object_id": "ID objek", "descriptions": "Keterangan",
              "ip_address": "Alamat IP", "id": "ID", "is_manual": "Catatan manual"}
