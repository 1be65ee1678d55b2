"""Who may do what: every route of users, roles, departments, user_departments, logs and
static_contents (and the users custom actions) × every role × own / foreign object.

The expected statuses are written out below from the clinic's rules; they are deliberately
NOT derived from the resource declarations (that would only test the declarations against
themselves). A cell is a status, a set of acceptable statuses (never including 200), `OWN` /
`ALL` (200, and a list showing only the caller's row / every live user), or `NA` (the
combination does not exist, e.g. anonymous × own object).

No answer in the matrix may contain a password hash, the text `password_hash` or `$argon2`,
or a stored token hash."""
import io
import itertools
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from models import User, UserToken

from .conftest import (PASSWORD, make_department, make_log, make_role, make_static_content,
                       make_user, make_user_department, png_bytes)

ROLES = ("anonymous", "CUSTOMER", "DOCTOR", "USERS", "ADMIN", "OWNER")
ANON = "anonymous"
MANAGERS = ("ADMIN", "OWNER")
NA = None
EITHER = frozenset({403, 404})  # refused, whether by hiding (404) or by saying so (403)
OWN = "own rows only"
ALL = "all rows"
NEW_PASSWORD = "sandi-baru-2024"
_serial = itertools.count(1)


def E(anonymous, customer, doctor, users, admin, owner):
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, customer, doctor, users, admin, owner)))


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


# ---- the team and the checks ------------------------------------------------------------
class Team:
    """One signed-in user per role (anonymous has no headers), created once per test."""

    def __init__(self, client, auth):
        self.client = client
        self.auth = auth
        self.users = {role: make_user(roles=(role,)) for role in ROLES if role != ANON}
        self.headers = {ANON: {}}
        self.headers.update({role: auth.headers(user) for role, user in self.users.items()})
        self.bodies = []
        self.failures = []
        self.checked = 0

    def call(self, role, method, url, headers=None, **kwargs):
        """Call the API as `role`, keeping the body for the secret check."""
        response = self.client.open(url, method=method,
                                    headers=headers if headers is not None else self.headers[role],
                                    **kwargs)
        self.bodies.append((f"{method} {url} as {role}", response.get_data(as_text=True)))
        return response

    def check(self, label, role, expected, response, ids=None, own_id=None):
        """Compare one answer with its cell; remember every mismatch."""
        self.checked += 1
        status = response.status_code
        where = f"{label} as {role}: got {status}"
        detail = response.get_data(as_text=True)[:200]
        if isinstance(expected, int):
            if status != expected:
                self.failures.append(f"{where}, expected {expected} — {detail}")
        elif isinstance(expected, frozenset):
            assert 200 not in expected
            if status not in expected:
                self.failures.append(f"{where}, expected one of {sorted(expected)} — {detail}")
        elif expected in (OWN, ALL):
            if status != 200:
                self.failures.append(f"{where}, expected 200 ({expected}) — {detail}")
                return
            wanted = {own_id} if expected == OWN else live_user_ids()
            if ids is None or set(ids) != wanted:
                self.failures.append(f"{label} as {role}: ids {sorted(ids or [])}, "
                                     f"expected {sorted(wanted)} ({expected})")
        else:
            raise AssertionError(f"bad cell {expected!r}")

    def finish(self):
        """Fail with every mismatch at once, and if any answer disclosed a secret."""
        db.session.expire_all()
        secrets = set(db.session.execute(select(User.password_hash)).scalars())
        secrets |= set(db.session.execute(select(UserToken.token_hash)).scalars())
        secrets.discard(None)
        secrets.discard("")
        leaks = []
        for label, body in self.bodies:
            for needle in ("password_hash", "$argon2"):
                if needle in body:
                    leaks.append(f"{label}: contains {needle!r}")
            for secret in secrets:
                if secret in body:
                    leaks.append(f"{label}: contains a stored hash")
        assert self.checked, "no cell was checked"
        assert not leaks, "\n".join(leaks)
        assert not self.failures, "\n" + "\n".join(self.failures)


def live_user_ids():
    """Ids of the users not deleted."""
    return set(db.session.execute(select(User.id).where(User.deleted_at.is_(None))).scalars())


def fresh_name(prefix="baru"):
    number = next(_serial)
    return f"{prefix}{number}x"


def target_user(team, role, target):
    """The users row a call is about."""
    if target == "own" or target.startswith("own,"):
        return team.users[role]
    if target == "owner_account":
        return make_user(roles=("OWNER",))
    return make_user()


def list_ids(kind, body, key):
    """The ids a list answer shows."""
    if kind == "table":
        return [row[0] for row in body["data"]]
    if kind == "search":
        return [row["id"] for row in body[key]]
    return [row["id"] for row in body["data"]]


def picture():
    return (io.BytesIO(png_bytes()), "foto.png")


# ---- how each route is called ------------------------------------------------------------
def _list_call(team, role, method, resource, kind):
    if kind == "explore" and method == "GET":
        return team.call(role, "GET", f"/api/{resource}/explore?page=1&length=100")
    if kind == "explore":
        return team.call(role, "POST", f"/api/{resource}/explore?page=1&length=100", json={})
    if kind == "search":
        return team.call(role, "POST", f"/api/{resource}/search", json={})
    return team.call(role, "POST", f"/api/{resource}/table",
                     data={"draw": "1", "start": "0", "length": "100"})


def users_create_body(target):
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


def perform_users(team, role, route, target):
    """Call one users route as `role` on `target`; returns (response, ids or None)."""
    method, path = route.split(" ", 1)
    kind = path.split("/")[-1]
    if path == "users/create":
        return team.call(role, "POST", "/api/users/create", json=users_create_body(target)), None
    if kind in ("explore", "search", "table"):
        response = _list_call(team, role, method, "users", kind)
        ids = list_ids(kind, response.get_json(), "users") if response.status_code == 200 else None
        return response, ids
    if path == "users/data":
        return team.call(role, "GET", "/api/users/data"), None
    if path == "users/logout":
        headers = {} if role == ANON else {
            "Authorization": f"Bearer {team.auth.token(team.users[role])}"}
        response = team.call(role, "POST", "/api/users/logout", headers=headers)
        if response.status_code == 200:  # the token really ended
            again = team.call(role, "GET", "/api/users/data", headers=headers)
            team.check(f"{route} then users/data with that token", role, 401, again)
        return response, None
    if path == "users/register_device_token":
        return team.call(role, method, "/api/users/register_device_token",
                         json={"device_token": f"device-{role}-{method}-{next(_serial)}",
                               "already_login": False}), None
    if path == "users/login":
        user = make_user() if role == ANON else team.users[role]
        return team.call(role, "POST", "/api/users/login", json={
            "act": "login", "username": user.username, "password": PASSWORD,
            "app": "mobile"}), None
    if path == "users/picture/upload":
        user = target_user(team, role, target)
        return team.call(role, "POST", "/api/users/picture/upload",
                         data={"id_users": str(user.id), "picture": picture()},
                         content_type="multipart/form-data"), None
    if path == "users/{?}/unblock":
        user = target_user(team, role, target)
        if target == "foreign":
            user = make_user(is_blocked=True, num_of_login_attempts=5)
        return team.call(role, "POST", f"/api/users/{user.id}/unblock"), None
    user = target_user(team, role, target)
    url = f"/api/users/{user.id}"
    if path == "users/{?}":
        return team.call(role, "GET", url), None
    if path == "users/{?}/update":
        body = {"users_fullname": "Nama Diubah", "users_address": "Jl. Baru 1"}
        if target == "own, sending roles":
            body = {"roles": sorted(user.role_codes)}  # unchanged, but not theirs to send
        elif target == "own, sending id_departments":
            body = {"id_departments": [make_department().id]}
        elif target == "own, sending positions":
            body = {"positions": "Kepala Klinik"}
        elif target == "foreign, sending roles":
            body = {"roles": ["USERS"]}
        elif target == "foreign, granting OWNER":
            body = {"roles": ["CUSTOMER", "OWNER"]}
        return team.call(role, method, url + "/update", json=body), None
    if path == "users/{?}/delete":
        return team.call(role, "DELETE", url + "/delete"), None
    if path == "users/{?}/update/password":
        return team.call(role, "POST", url + "/update/password", json={
            "prev_password": PASSWORD, "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD}), None
    if path == "users/{?}/update/password/admin":
        return team.call(role, "POST", url + "/update/password/admin", json={
            "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}), None
    raise AssertionError(f"no way to call {route}")


def perform_roles(team, role, route, target):
    method, path = route.split(" ", 1)
    kind = path.split("/")[-1]
    if kind in ("explore", "search", "table"):
        make_role(make_user(roles=()), "DOCTOR")
        return _list_call(team, role, method, "roles", kind), None
    if path == "roles/create":
        code = "OWNER" if target == "granting OWNER" else "USERS"
        return team.call(role, "POST", "/api/roles/create",
                         json={"iduser": make_user(roles=()).id, "rolecodes": code}), None
    if target == "own":
        row = team.users[role].roles[0]
    elif target == "revoking OWNER":
        row = make_user(roles=("OWNER",)).roles[0]
    else:
        row = make_role(make_user(roles=()), "USERS")
    url = f"/api/roles/{row.id}"
    if path == "roles/{?}":
        return team.call(role, "GET", url), None
    if path == "roles/{?}/update":
        code = {"granting OWNER": "OWNER", "revoking OWNER": "ADMIN"}.get(target, "DOCTOR")
        return team.call(role, method, url + "/update", json={"rolecodes": code}), None
    if path == "roles/{?}/delete":
        return team.call(role, "DELETE", url + "/delete"), None
    raise AssertionError(f"no way to call {route}")


def perform_departments(team, role, route, target):
    method, path = route.split(" ", 1)
    kind = path.split("/")[-1]
    if kind in ("explore", "search", "table"):
        make_department()
        return _list_call(team, role, method, "departments", kind), None
    if path == "departments/create":
        code = fresh_name("K")
        return team.call(role, "POST", "/api/departments/create", json={
            "department_name": f"Departemen {code}", "department_codes": code,
            "department_descriptions": "Uji"}), None
    department = make_department()
    url = f"/api/departments/{department.id}"
    if path == "departments/{?}":
        return team.call(role, "GET", url), None
    if path == "departments/{?}/update":
        return team.call(role, method, url + "/update",
                         json={"department_descriptions": "Diubah"}), None
    if path == "departments/{?}/delete":
        return team.call(role, "DELETE", url + "/delete"), None
    raise AssertionError(f"no way to call {route}")


def perform_user_departments(team, role, route, target):
    method, path = route.split(" ", 1)
    kind = path.split("/")[-1]
    if kind in ("explore", "search", "table"):
        make_user_department()
        return _list_call(team, role, method, "user_departments", kind), None
    if path == "user_departments/create":
        return team.call(role, "POST", "/api/user_departments/create", json={
            "id_users": make_user().id, "id_departments": make_department().id,
            "descriptions": "Anggota baru"}), None
    owner = team.users[role] if target == "own" else make_user()
    row = make_user_department(owner, make_department())
    url = f"/api/user_departments/{row.id}"
    if path == "user_departments/{?}":
        return team.call(role, "GET", url), None
    if path == "user_departments/{?}/update":
        return team.call(role, method, url + "/update", json={"descriptions": "Diubah"}), None
    if path == "user_departments/{?}/delete":
        return team.call(role, "DELETE", url + "/delete"), None
    raise AssertionError(f"no way to call {route}")


def perform_static_contents(team, role, route, target):
    method, path = route.split(" ", 1)
    kind = path.split("/")[-1]
    if kind in ("explore", "search", "table"):
        make_static_content()
        return _list_call(team, role, method, "static_contents", kind), None
    if path == "static_contents/create":
        return team.call(role, "POST", "/api/static_contents/create", json={
            "type": fresh_name("halaman"), "contents": "<p>Isi baru</p>"}), None
    row = make_static_content()
    url = f"/api/static_contents/{row.id}"
    if path == "static_contents/{?}":
        return team.call(role, "GET", url), None
    if path == "static_contents/{?}/update":
        return team.call(role, method, url + "/update", json={"contents": "<p>Diubah</p>"}), None
    if path == "static_contents/{?}/delete":
        return team.call(role, "DELETE", url + "/delete"), None
    raise AssertionError(f"no way to call {route}")


def perform_logs(team, role, route, target):
    method, path = route.split(" ", 1)
    kind = path.split("/")[-1]
    if kind in ("explore", "search", "table"):
        make_log()
        return _list_call(team, role, method, "logs", kind), None
    if path == "logs/create":
        return team.call(role, "POST", "/api/logs/create", json={
            "action": "catatan", "object_type": "users", "descriptions": "Catatan uji"}), None
    row = make_log(is_manual=True, action="catatan", descriptions="manual")
    url = f"/api/logs/{row.id}"
    if path == "logs/{?}":
        return team.call(role, "GET", url), None
    if path == "logs/{?}/update":
        return team.call(role, method, url + "/update", json={"descriptions": "Diubah"}), None
    if path == "logs/{?}/delete":
        return team.call(role, "DELETE", url + "/delete"), None
    raise AssertionError(f"no way to call {route}")


PERFORMERS = {"users": perform_users, "roles": perform_roles,
              "departments": perform_departments, "user_departments": perform_user_departments,
              "static_contents": perform_static_contents, "logs": perform_logs}

ROUTES = list(dict.fromkeys(route for route, _target in MATRIX))


@pytest.mark.parametrize("route", ROUTES)
def test_role_matrix(client, auth, route):
    team = Team(client, auth)
    resource = route.split(" ", 1)[1].split("/")[0]
    perform = PERFORMERS[resource]
    for (row_route, target), cells in MATRIX.items():
        if row_route != route:
            continue
        for role in ROLES:
            expected = cells[role]
            if expected is NA:
                continue
            response, ids = perform(team, role, route, target)
            team.check(f"{route} [{target}]", role, expected, response, ids=ids,
                       own_id=team.users[role].id if role != ANON else None)
            if route == "GET users/data" and response.status_code == 200:
                if response.get_json()["users"]["id"] != team.users[role].id:
                    team.failures.append(f"users/data as {role} is not the caller's profile")
    team.finish()


def test_matrix_covers_every_route(app):
    """Every /api route of the six resources (and the users actions) has rows in the matrix,
    for every method it answers."""
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
        if not rule.rule.startswith("/api/") or path.split("/")[0] not in RESOURCES:
            continue
        if path.startswith("users/patients/"):  # in tests/test_role_matrix_patients.py
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {path}")
    assert len(routes) >= 55
    assert routes <= set(ROUTES), f"routes without a matrix row: {sorted(routes - set(ROUTES))}"
    assert set(ROUTES) <= routes, f"matrix rows for missing routes: {sorted(set(ROUTES) - routes)}"
