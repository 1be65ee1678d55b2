"""Who may do what: every route of users, roles, departments, user_departments, logs and
static_contents (and the users custom actions) × every role × own / foreign object.

The expected statuses are written out below from the clinic's rules; they are deliberately
NOT derived from the resource declarations (that would only test the declarations against
themselves). A cell is a status, a set of acceptable statuses (never including 200), `OWN` /
`ALL` (200, and a list showing only the caller's row / every live user), or `NA` (the
combination does not exist, e.g. anonymous × own object).

No answer in the matrix may contain a password hash, the text `password_hash` or `$argon2`,
or a stored token hash (checked by the base for every matrix)."""
from sqlalchemy import select

from app.extensions import db
from models import User
from tests.conftest import (PASSWORD, make_department, make_log, make_role, make_static_content,
                            make_user, make_user_department)
from tests.factories.accounts import make_recovery

from .base import (ANON, EITHER, NA, ROLES, RoleMatrix, Rows, next_number, picture, resource_of,
                   row_builder)

E = row_builder(ROLES)  # anonymous, CUSTOMER, DOCTOR, USERS, ADMIN, OWNER
OWN = Rows("own", name="own rows only")
ALL = Rows("live", name="all rows")
NEW_PASSWORD = "sandi-baru-2024"
# ---- the expected matrix ---------------------------------------------------------------
# key: (route, target). Targets: "own" (the caller's own object), "foreign" (someone else's
# ordinary object), "owner_account" (an OWNER's account), "list", or a variant of the body.
MATRIX = {
    #                                                         anon  CUST  DOC   USERS ADMIN OWNER
    # users: registration is public; only managers may set roles, departments, positions.
    ("POST users/create", "plain registration"):            E(200,  200,  200,  200,  200,  200),
    ("POST users/create", "with roles"):                    E(403,  403,  403,  403,  200,  200),
    ("POST users/create", "with id_departments"):           E(403,  403,  403,  403,  200,  200),
    ("POST users/create", "with positions"):                E(403,  403,  403,  403,  200,  200),
    ("POST users/create", "with role OWNER"):               E(403,  403,  403,  403,  403,  200),
    # users lists: the office sees everyone; customers and doctors only themselves.
    ("POST users/explore", "list"):                         E(401,  OWN,  OWN,  ALL,  ALL,  ALL),
    ("GET users/explore", "list"):                          E(401,  OWN,  OWN,  ALL,  ALL,  ALL),
    ("POST users/search", "list"):                          E(401,  OWN,  OWN,  ALL,  ALL,  ALL),
    ("POST users/table", "list"):                           E(401,  OWN,  OWN,  ALL,  ALL,  ALL),
    ("GET users/{?}", "own"):                               E(NA,   200,  200,  200,  200,  200),
    ("GET users/{?}", "foreign"):                           E(401,  404,  404,  200,  200,  200),
    ("GET users/{?}", "owner_account"):                     E(401,  404,  404,  200,  200,  200),
    # users update: own profile by anyone; others' by managers (an ADMIN not an OWNER's);
    # front desk (USERS) sees everyone but changes no one else (403, not 404).
    ("PUT users/{?}/update", "own"):                        E(NA,   200,  200,  200,  200,  200),
    ("PUT users/{?}/update", "foreign"):                    E(401,  404,  404,  403,  200,  200),
    ("PUT users/{?}/update", "owner_account"):              E(401,  404,  404,  403,  403,  200),
    ("PUT users/{?}/update", "own, sending roles"):         E(NA,   403,  403,  403,  200,  200),
    ("PUT users/{?}/update", "own, sending id_departments"): E(NA,  403,  403,  403,  200,  200),
    ("PUT users/{?}/update", "own, sending positions"):     E(NA,   403,  403,  403,  200,  200),
    ("PUT users/{?}/update", "foreign, sending roles"):     E(401, EITHER, EITHER, 403, 200,  200),
    ("PUT users/{?}/update", "foreign, granting OWNER"):    E(401, EITHER, EITHER, 403, 403,  200),
    ("POST users/{?}/update", "own"):                       E(NA,   200,  200,  200,  200,  200),
    ("POST users/{?}/update", "foreign"):                   E(401,  404,  404,  403,  200,  200),
    ("POST users/{?}/update", "owner_account"):             E(401,  404,  404,  403,  403,  200),
    # users delete: managers only; nobody deletes themselves; only an OWNER deletes an OWNER.
    ("DELETE users/{?}/delete", "own"):                     E(NA,   403,  403,  403,  409,  409),
    ("DELETE users/{?}/delete", "foreign"):                 E(401, EITHER, EITHER, 403, 200,  200),
    ("DELETE users/{?}/delete", "owner_account"):           E(401, EITHER, EITHER, 403, 403,  200),
    # picture: own by anyone, others' by managers (an ADMIN does not change an OWNER account).
    # Customers and doctors cannot see other users (404); the front desk can see them but
    # not change them (403, as for update).
    ("POST users/picture/upload", "own"):                   E(NA,   200,  200,  200,  200,  200),
    ("POST users/picture/upload", "foreign"):               E(401,  404,  404,  403,  200,  200),
    ("POST users/picture/upload", "owner_account"):         E(401,  404,  404,  403,  403,  200),
    # account actions
    ("POST users/{?}/unblock", "foreign"):                  E(401,  403,  403,  403,  200,  200),
    ("POST users/{?}/unblock", "own"):                      E(NA,   403,  403,  403,  200,  200),
    ("POST users/{?}/update/password", "own"):              E(NA,   200,  200,  200,  200,  200),
    ("POST users/{?}/update/password", "foreign"):          E(401, EITHER, EITHER, EITHER, 403, 403),
    ("POST users/{?}/update/password/admin", "foreign"):    E(401,  403,  403,  403,  200,  200),
    ("POST users/{?}/update/password/admin", "owner_account"): E(401, 403, 403,  403,  403,  200),
    ("GET users/data", "own"):                              E(401,  200,  200,  200,  200,  200),
    ("POST users/logout", "own"):                           E(401,  200,  200,  200,  200,  200),
    ("POST users/register_device_token", "own"):            E(401,  200,  200,  200,  200,  200),
    ("PUT users/register_device_token", "own"):             E(401,  200,  200,  200,  200,  200),
    ("POST users/login", "own"):                            E(200,  200,  200,  200,  200,  200),
    # password recovery is public: asking for a link, and using one, for another account
    # (the caller's own would end the caller's tokens mid-matrix)
    ("POST users/{?}/recovery/password/email", "foreign"):  E(200,  200,  200,  200,  200,  200),
    ("POST users/{?}/recovery/password/wa", "foreign"):     E(200,  200,  200,  200,  200,  200),
    ("POST users/{?}/forgot/{?}/password/email", "foreign"): E(200, 200,  200,  200,  200,  200),
    ("POST users/{?}/forgot/{?}/password/wa", "foreign"):   E(200,  200,  200,  200,  200,  200),

    # roles: managers only; only an OWNER grants or revokes OWNER.
    ("POST roles/create", "foreign"):                       E(401,  403,  403,  403,  200,  200),
    ("POST roles/create", "granting OWNER"):                E(401,  403,  403,  403,  403,  200),
    ("POST roles/explore", "list"):                         E(401,  403,  403,  403,  200,  200),
    ("GET roles/explore", "list"):                          E(401,  403,  403,  403,  200,  200),
    ("POST roles/search", "list"):                          E(401,  403,  403,  403,  200,  200),
    ("POST roles/table", "list"):                           E(401,  403,  403,  403,  200,  200),
    ("GET roles/{?}", "own"):                               E(NA,   403,  403,  403,  200,  200),
    ("GET roles/{?}", "foreign"):                           E(401,  403,  403,  403,  200,  200),
    ("PUT roles/{?}/update", "foreign"):                    E(401,  403,  403,  403,  200,  200),
    ("PUT roles/{?}/update", "granting OWNER"):             E(401,  403,  403,  403,  403,  200),
    ("PUT roles/{?}/update", "revoking OWNER"):             E(401,  403,  403,  403,  403,  200),
    ("POST roles/{?}/update", "foreign"):                   E(401,  403,  403,  403,  200,  200),
    ("DELETE roles/{?}/delete", "foreign"):                 E(401,  403,  403,  403,  200,  200),
    ("DELETE roles/{?}/delete", "revoking OWNER"):          E(401,  403,  403,  403,  403,  200),

    # departments: read by staff, written by managers.
    ("POST departments/create", "foreign"):                 E(401,  403,  403,  403,  200,  200),
    ("POST departments/explore", "list"):                   E(401,  403,  200,  200,  200,  200),
    ("GET departments/explore", "list"):                    E(401,  403,  200,  200,  200,  200),
    ("POST departments/search", "list"):                    E(401,  403,  200,  200,  200,  200),
    ("POST departments/table", "list"):                     E(401,  403,  200,  200,  200,  200),
    ("GET departments/{?}", "foreign"):                     E(401,  403,  200,  200,  200,  200),
    ("PUT departments/{?}/update", "foreign"):              E(401,  403,  403,  403,  200,  200),
    ("POST departments/{?}/update", "foreign"):             E(401,  403,  403,  403,  200,  200),
    ("DELETE departments/{?}/delete", "foreign"):           E(401,  403,  403,  403,  200,  200),

    # user_departments: read by staff (a customer not even their own membership).
    ("POST user_departments/create", "foreign"):            E(401,  403,  403,  403,  200,  200),
    ("POST user_departments/explore", "list"):              E(401,  403,  200,  200,  200,  200),
    ("GET user_departments/explore", "list"):               E(401,  403,  200,  200,  200,  200),
    ("POST user_departments/search", "list"):               E(401,  403,  200,  200,  200,  200),
    ("POST user_departments/table", "list"):                E(401,  403,  200,  200,  200,  200),
    ("GET user_departments/{?}", "own"):                    E(NA,   403,  200,  200,  200,  200),
    ("GET user_departments/{?}", "foreign"):                E(401,  403,  200,  200,  200,  200),
    ("PUT user_departments/{?}/update", "own"):             E(NA,   403,  403,  403,  200,  200),
    ("PUT user_departments/{?}/update", "foreign"):         E(401,  403,  403,  403,  200,  200),
    ("POST user_departments/{?}/update", "foreign"):        E(401,  403,  403,  403,  200,  200),
    ("DELETE user_departments/{?}/delete", "own"):          E(NA,   403,  403,  403,  200,  200),
    ("DELETE user_departments/{?}/delete", "foreign"):      E(401,  403,  403,  403,  200,  200),

    # static_contents: public reads, manager writes.
    ("POST static_contents/create", "foreign"):             E(401,  403,  403,  403,  200,  200),
    ("POST static_contents/explore", "list"):               E(200,  200,  200,  200,  200,  200),
    ("GET static_contents/explore", "list"):                E(200,  200,  200,  200,  200,  200),
    ("POST static_contents/search", "list"):                E(200,  200,  200,  200,  200,  200),
    ("POST static_contents/table", "list"):                 E(200,  200,  200,  200,  200,  200),
    ("GET static_contents/{?}", "foreign"):                 E(200,  200,  200,  200,  200,  200),
    ("PUT static_contents/{?}/update", "foreign"):          E(401,  403,  403,  403,  200,  200),
    ("POST static_contents/{?}/update", "foreign"):         E(401,  403,  403,  403,  200,  200),
    ("DELETE static_contents/{?}/delete", "foreign"):       E(401,  403,  403,  403,  200,  200),

    # logs: managers only.
    ("POST logs/create", "foreign"):                        E(401,  403,  403,  403,  200,  200),
    ("POST logs/explore", "list"):                          E(401,  403,  403,  403,  200,  200),
    ("GET logs/explore", "list"):                           E(401,  403,  403,  403,  200,  200),
    ("POST logs/search", "list"):                           E(401,  403,  403,  403,  200,  200),
    ("POST logs/table", "list"):                            E(401,  403,  403,  403,  200,  200),
    ("GET logs/{?}", "foreign"):                            E(401,  403,  403,  403,  200,  200),
    ("PUT logs/{?}/update", "foreign"):                     E(401,  403,  403,  403,  200,  200),
    ("POST logs/{?}/update", "foreign"):                    E(401,  403,  403,  403,  200,  200),
    ("DELETE logs/{?}/delete", "foreign"):                  E(401,  403,  403,  403,  200,  200),
}

RESOURCES = ("users", "roles", "departments", "user_departments", "logs", "static_contents")
LIST_SEEDS = {"users": lambda: None,
              "roles": lambda: make_role(make_user(roles=()), "DOCTOR"),
              "departments": make_department, "user_departments": make_user_department,
              "static_contents": make_static_content, "logs": make_log}


def fresh_name(prefix):
    """A name not used before."""
    return f"{prefix}{next_number()}x"


def users_create_body(target):
    """A registration, with the extra field the target names."""
    name = fresh_name("daftar")
    body = {"username": name, "users_fullname": "Pendaftar Baru",
            "users_email": f"{name}@example.com", "users_phone": "081300000000",
            "password": NEW_PASSWORD, "retype_password": NEW_PASSWORD}
    if target == "with roles":
        body["roles"] = ["USERS"]
    elif target == "with id_departments":
        body["id_departments"] = [make_department().id]
    elif target == "with positions":
        body["positions"] = "Perawat"
    elif target == "with role OWNER":
        body["roles"] = ["OWNER"]
    return body


def users_update_body(target, user):
    """A profile change, or the field an "…, sending …" target sends."""
    if target == "own, sending roles":
        return {"roles": sorted(user.role_codes)}  # unchanged, but not theirs to send
    if target == "own, sending id_departments":
        return {"id_departments": [make_department().id]}
    if target == "own, sending positions":
        return {"positions": "Kepala Klinik"}
    if target == "foreign, sending roles":
        return {"roles": ["USERS"]}
    if target == "foreign, granting OWNER":
        return {"roles": ["CUSTOMER", "OWNER"]}
    return {"users_fullname": "Nama Diubah", "users_address": "Jl. Baru 1"}


class TestAccountsRoleMatrix(RoleMatrix):
    """Users, roles, departments, memberships, static contents and logs."""

    callers = ROLES
    matrix = MATRIX
    resources = RESOURCES
    route_count = 67
    change_bodies = {
        "users/{?}/update/password": {"prev_password": PASSWORD, "new_password": NEW_PASSWORD,
                                      "new_password_confirm": NEW_PASSWORD},
        "users/{?}/update/password/admin": {"new_password": NEW_PASSWORD,
                                            "new_password_confirm": NEW_PASSWORD},
        "departments/{?}/update": {"department_descriptions": "Diubah"},
        "user_departments/{?}/update": {"descriptions": "Diubah"},
        "static_contents/{?}/update": {"contents": "<p>Diubah</p>"},
        "logs/{?}/update": {"descriptions": "Diubah"},
    }

    def covers(self, path):
        """The six resources; users/patients/* is in the patients matrix."""
        return super().covers(path) and not path.startswith("users/patients/")

    def seed_list(self, route, target):
        """One more row of the resource than the callers bring."""
        LIST_SEEDS[resource_of(route)]()

    def row_ids(self, label, caller, route):
        """"own": the caller's users row; "live": every user not deleted."""
        if label == "own":
            return {self.users[caller].id}
        return set(db.session.execute(select(User.id).where(User.deleted_at.is_(None))).scalars())

    def create_request(self, caller, resource, target):
        """A valid create of the resource (with what the target names)."""
        if resource == "users":
            return {"json": users_create_body(target)}
        if resource == "roles":
            code = "OWNER" if target == "granting OWNER" else "USERS"
            return {"json": {"iduser": make_user(roles=()).id, "rolecodes": code}}
        if resource == "departments":
            code = fresh_name("K")
            return {"json": {"department_name": f"Departemen {code}", "department_codes": code,
                             "department_descriptions": "Uji"}}
        if resource == "user_departments":
            return {"json": {"id_users": make_user().id, "id_departments": make_department().id,
                             "descriptions": "Anggota baru"}}
        if resource == "static_contents":
            return {"json": {"type": fresh_name("halaman"), "contents": "<p>Isi baru</p>"}}
        return {"json": {"action": "catatan", "object_type": "users",
                         "descriptions": "Catatan uji"}}

    def target_object(self, caller, route, target):
        """The caller's own row, an OWNER's, or someone else's ordinary one."""
        resource = resource_of(route)
        own = target == "own" or target.startswith("own,")
        if resource == "users":
            return self.target_user(caller, target, blocked=route.endswith("/unblock"))
        if resource == "roles":
            if own:
                return self.users[caller].roles[0]
            if target == "revoking OWNER":
                return make_user(roles=("OWNER",)).roles[0]
            return make_role(make_user(roles=()), "USERS")
        if resource == "user_departments":
            return make_user_department(self.users[caller] if own else make_user(),
                                        make_department())
        if resource == "logs":
            return make_log(is_manual=True, action="catatan", descriptions="manual")
        return {"departments": make_department,
                "static_contents": make_static_content}[resource]()

    def target_user(self, caller, target, blocked=False):
        """The users row a call is about (a foreign one is blocked for users/unblock)."""
        if target == "own" or target.startswith("own,"):
            return self.users[caller]
        if target == "owner_account":
            return make_user(roles=("OWNER",))
        if blocked:
            return make_user(is_blocked=True, num_of_login_attempts=5)
        return make_user()

    def change_request(self, caller, path, target, obj):
        """Profile and role changes depend on the target; the rest are fixed bodies."""
        if path == "users/{?}/update":
            return {"json": users_update_body(target, obj)}
        if path == "roles/{?}/update":
            code = {"granting OWNER": "OWNER", "revoking OWNER": "ADMIN"}.get(target, "DOCTOR")
            return {"json": {"rolecodes": code}}
        return super().change_request(caller, path, target, obj)

    # ---- the users actions that are not the engine's shapes ----------------------------------
    def own_profile(self, caller, method, target):
        """GET users/data, which must be the caller's own profile."""
        response = self.call(caller, "GET", "/api/users/data")
        if response.status_code == 200 and \
                response.get_json()["users"]["id"] != self.users[caller].id:
            self.mismatch(f"users/data as {caller} is not the caller's profile")
        return response

    def logout(self, caller, method, target):
        """POST users/logout with a fresh token, which must then be refused."""
        headers = {} if caller == ANON else {
            "Authorization": f"Bearer {self.auth.token(self.users[caller])}"}
        response = self.call(caller, "POST", "/api/users/logout", headers=headers)
        if response.status_code == 200:  # the token really ended
            again = self.call(caller, "GET", "/api/users/data", headers=headers)
            self.check(caller, "GET users/data", 401, again,
                       label="POST users/logout then users/data with that token")
        return response

    def register_device_token(self, caller, method, target):
        """POST or PUT users/register_device_token with a new device token."""
        return self.call(caller, method, "/api/users/register_device_token", json={
            "device_token": f"device-{caller}-{method}-{next_number()}", "already_login": False})

    def login(self, caller, method, target):
        """POST users/login with the caller's own password (anonymous: a new account's)."""
        user = make_user() if caller == ANON else self.users[caller]
        return self.call(caller, "POST", "/api/users/login", json={
            "act": "login", "username": user.username, "password": PASSWORD, "app": "mobile"})

    def upload_picture(self, caller, method, target):
        """POST users/picture/upload for the target user."""
        user = self.target_user(caller, target)
        return self.call(caller, "POST", "/api/users/picture/upload",
                         data={"id_users": str(user.id), "picture": picture()},
                         content_type="multipart/form-data")

    def ask_recovery(self, caller, method, target):
        """POST users/{address or number}/recovery/password/email|wa for a new account."""
        channel = "email" if target == "email" else "wa"
        user = make_user()
        identity = user.users_email if channel == "email" else user.users_phone
        return self.call(caller, "POST", f"/api/users/{identity}/recovery/password/{channel}")

    def use_recovery(self, caller, method, target):
        """POST users/{…}/forgot/{hash}/password/email|wa with a link sent to a new account."""
        channel = "email" if target == "email" else "wa"
        user = make_user()
        _row, raw = make_recovery(user, channel)
        identity = user.users_email if channel == "email" else user.users_phone
        return self.call(caller, "POST", f"/api/users/{identity}/forgot/{raw}/password/{channel}",
                         json={"new_password": NEW_PASSWORD,
                               "confirm_new_password": NEW_PASSWORD})

    custom_calls = {"users/data": own_profile, "users/logout": logout,
                    "users/register_device_token": register_device_token,
                    "users/login": login, "users/picture/upload": upload_picture,
                    "users/{?}/recovery/password/email":
                        lambda self, caller, method, target: self.ask_recovery(
                            caller, method, "email"),
                    "users/{?}/recovery/password/wa":
                        lambda self, caller, method, target: self.ask_recovery(
                            caller, method, "wa"),
                    "users/{?}/forgot/{?}/password/email":
                        lambda self, caller, method, target: self.use_recovery(
                            caller, method, "email"),
                    "users/{?}/forgot/{?}/password/wa":
                        lambda self, caller, method, target: self.use_recovery(
                            caller, method, "wa")}
