"""Conformance seeds of users, roles, departments, user departments, logs, static contents."""
from tests.factories.accounts import (make_department, make_log, make_recovery, make_role,
                                      make_static_content, make_user, make_user_department)

from . import MISSING_EXAMPLES, SEEDS, Seed

def seed_users(kind, path, caller):
    departments = [make_department() for _ in range(3)]
    if kind in ("create",):
        return Seed(ids={"id_departments": [d.id for d in departments]})
    if kind == "delete":
        return Seed(target=make_user())
    if path == "users/{?}/unblock":
        return Seed(target=make_user(is_blocked=True, num_of_login_attempts=5))
    if path == "users/{?}/update/password":
        return Seed(target=caller)
    if path == "users/{?}/update/password/admin":
        return Seed(target=make_user())
    if "/recovery/password/" in path or "/forgot/" in path:
        return _recovery_seed(path)
    # A user matching every documented filter (role OWNER, position Owner, department,
    # name containing "liz", flags 0), so lists are not empty and nesting is compared.
    user = make_user(roles=("OWNER", "ADMIN", "USERS"), users_fullname="Didit Velliz",
                     positions="Owner", users_address="Bandung, Indonesia")
    make_user_department(user, departments[0])
    return Seed(target=user, ids={"id_departments": [d.id for d in departments],
                                  "id_users": [user.id]})


def _recovery_seed(path):
    """The document's own address and number (users/didit@gmail.com/…): an account holding
    them, and for the forgot endpoints a link sent to it."""
    channel = path.rsplit("/", 1)[1]
    identity = "didit@gmail.com" if channel == "email" else "6281200001121"
    user = make_user(users_email="didit@gmail.com", users_phone="081200001121")
    if "/forgot/" not in path:
        return Seed(target=user, path_values=[identity])
    _row, raw = make_recovery(user, channel)
    return Seed(target=user, path_values=[identity, raw])


def seed_roles(kind, path, caller):
    if kind == "delete":
        return Seed(target=make_role(rolecodes="USERS"))
    user = make_user(roles=())
    role = make_role(user, "USERS")
    return Seed(target=role, ids={"iduser": [user.id]})


def seed_departments(kind, path, caller):
    if kind == "create":
        return Seed()
    return Seed(target=make_department())


def seed_user_departments(kind, path, caller):
    if kind == "delete":
        return Seed(target=make_user_department())
    if kind == "create":  # a pair not linked yet, so the example does not conflict
        return Seed(ids={"id_users": [make_user().id], "id_departments": [make_department().id]})
    row = make_user_department(make_user(), make_department(), descriptions="Hello testing")
    return Seed(target=row, ids={"id_users": [row.id_users],
                                 "id_departments": [row.id_departments]})


def seed_logs(kind, path, caller):
    if kind == "create":
        return Seed()
    make_log()  # a system entry too, so lists show both kinds
    return Seed(target=make_log(is_manual=True, action="catatan", descriptions="uji manual"))


def seed_static_contents(kind, path, caller):
    if kind == "create":
        return Seed()
    if kind == "delete":
        return Seed(target=make_static_content())
    make_static_content(type="booking-info", contents="<p>Jadwal</p>")
    return Seed(target=make_static_content(type="about-us", contents="<p>Tentang</p>"))


SEEDS.update({"users": seed_users, "roles": seed_roles, "departments": seed_departments,
              "user_departments": seed_user_departments, "logs": seed_logs,
              "static_contents": seed_static_contents})

# Bodies for endpoints the document gives no request example for.
MISSING_EXAMPLES.update({
    "logs/create": {"action": "catatan", "object_type": "users", "descriptions": "Catatan uji"},
    "logs/{?}/update": {"descriptions": "Catatan diubah"},
})
