"""How users, roles, departments, memberships and the audit log look on the staff screens."""
from services.access import role_choices, role_label
from services.accounts import queries

from .base import AdminView, Column, admin_view

ROLE_CHOICES = role_choices()  # (code, "Pemilik") …: the codes go to the API, people read words
USER_STATUSES = {"Created": "Terdaftar"}  # the account state the API writes by default


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
        "num_of_login_attempts": "Gagal masuk berturut-turut", "role_codes": "Peran",
        "is_password_reset_required": "Wajib ganti kata sandi", "created": "Terdaftar",
    }
    list_filters = ("role_codes",)
    columns = {"department_names": Column(label="Departemen", value=_department_names),
               "users_status": Column(value=lambda user: USER_STATUSES.get(
                   user.users_status, user.users_status))}
    choices = {"roles": ROLE_CHOICES, "role_codes": ROLE_CHOICES,
               "id_departments": queries.department_choices}
    # the API makes a user given no role a CUSTOMER (registration); staff creating or
    # changing an account on the screens choose its roles themselves
    form_required = {"roles": "Pilih setidaknya satu peran."}

    def extra_form_values(self, obj) -> dict:
        """Roles and departments for the edit form."""
        return {"roles": [role.rolecodes for role in obj.roles],
                "id_departments": [row.id_departments for row in obj.departments]}


@admin_view
class RolesView(AdminView):
    """One role row (its own page and form); the Peran list shows people instead
    (PeopleWithRolesView, blueprints/roles.py)."""

    resource_name = "roles"
    label_plural = "Peran"
    list_columns = ("iduser", "username", "rolecodes", "descriptions")
    detail_fields = ("username", "rolecodes", "descriptions")
    labels = {"iduser": "ID pengguna", "rolecodes": "Peran", "descriptions": "Keterangan"}
    columns = {"username": Column(label="Pengguna", value=_username),
               "rolecodes": Column(value=lambda role: role_label(role.rolecodes))}
    choices = {"rolecodes": ROLE_CHOICES}


class PeopleWithRolesView(AdminView):
    """The Peran list: one row per person (name, username, their roles as badges), linking
    to the person. Not registered: the users' own screens keep UsersView."""

    resource_name = "users"
    label_plural = "Peran"
    list_columns = ("users_fullname", "username", "roles")
    list_filters = ("role_codes",)
    default_sort = "users_fullname"
    labels = {"users_fullname": "Nama", "username": "Nama pengguna", "roles": "Peran",
              "role_codes": "Peran"}
    choices = {"role_codes": ROLE_CHOICES}


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


def _action_choices():
    from ..audit_lines import action_choices  # audit_lines reads the views: imported late
    return action_choices()


def _sentence(entry) -> str:
    from ..audit_lines import sentence
    return sentence(entry)


@admin_view
class LogsView(AdminView):
    """The audit log, newest first, each entry read as a sentence ("Stok Acne Night Cream di
    IORA Dago −1 oleh owner"); the stored codes stay on the entry's page and in the API."""

    resource_name = "logs"
    label_plural = "Log audit"
    not_on_screens = ("create", "update", "delete")  # the audit log is read, never written
    list_columns = ("created", "kejadian", "ip_address")
    list_filters = ("action",)
    detail_fields = ("kejadian", "created", "username", "action", "object_type", "object_id",
                     "descriptions", "ip_address", "is_manual")
    labels = {"created": "Waktu", "username": "Pengguna", "action": "Kode aksi",
              "object_type": "Jenis objek", "object_id": "ID objek",
              "descriptions": "Catatan tersimpan", "ip_address": "Alamat IP", "id": "ID",
              "is_manual": "Catatan manual"}
    columns = {"kejadian": Column("Kejadian", value=_sentence, template="logs/_sentence.html")}
    choices = {"action": _action_choices}

    def list_context(self, rows, actor) -> dict:
        """The sentences of the page, the names they need read once for all rows."""
        from ..audit_lines import sentences
        return {"audit_sentences": sentences(rows)}
