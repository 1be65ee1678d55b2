"""Factories of accounts, static contents and logs."""
import itertools

from models import Department, Log, Role, StaticContent, User, UserDepartment, db

from . import FACTORIES, VALID_CREATE

PASSWORD = "rahasia-123"
_counter = itertools.count(1)


def make_user(roles=("CUSTOMER",), password=PASSWORD, **kw):
    """A user with the given roles."""
    number = next(_counter)
    from services.accounts.operations import hash_password
    values = {"username": f"user{number}", "users_fullname": f"Pengguna {number}",
              "users_email": f"user{number}@example.com", "users_phone": f"0812000{number:05d}"}
    values.update(kw)
    user = User(password_hash=hash_password(password), **values)
    user.roles = [Role(rolecodes=code) for code in roles]
    db.session.add(user)
    db.session.commit()
    return user


def make_department(**kw):
    """A department."""
    number = next(_counter)
    values = {"department_name": f"Departemen {number}", "department_codes": f"D{number}",
              "department_descriptions": "Uji"}
    values.update(kw)
    department = Department(**values)
    db.session.add(department)
    db.session.commit()
    return department


def make_user_department(user=None, department=None, **kw):
    """A department membership."""
    row = UserDepartment(id_users=(user or make_user()).id,
                         id_departments=(department or make_department()).id,
                         descriptions=kw.get("descriptions", "Anggota"))
    db.session.add(row)
    db.session.commit()
    return row


def make_role(user=None, rolecodes="USERS", **kw):
    """A role row."""
    row = Role(iduser=(user or make_user(roles=())).id, rolecodes=rolecodes,
               descriptions=kw.get("descriptions", ""))
    db.session.add(row)
    db.session.commit()
    return row


def make_static_content(**kw):
    """A static content page."""
    number = next(_counter)
    values = {"type": f"page-{number}", "contents": "<p>Isi</p>"}
    values.update(kw)
    row = StaticContent(**values)
    db.session.add(row)
    db.session.commit()
    return row


def make_log(**kw):
    """An audit entry (system-written unless is_manual=True)."""
    values = {"action": "login", "object_type": "users", "descriptions": "uji",
              "username": "sistem"}
    values.update(kw)
    row = Log(**values)
    db.session.add(row)
    db.session.commit()
    return row


FACTORIES.update({"users": make_user, "roles": lambda: make_role(rolecodes="USERS"),
                  "departments": make_department, "user_departments": make_user_department,
                  "static_contents": make_static_content,
                  "logs": lambda: make_log(is_manual=True)})

VALID_CREATE.update({
    "users": lambda: {"username": "baru", "users_fullname": "Baru", "password": "rahasia-123",
                      "retype_password": "rahasia-123"},
    "roles": lambda: {"iduser": str(make_user(roles=()).id), "rolecodes": "USERS"},
    "departments": lambda: {"department_name": "Farmasi", "department_codes": "APT"},
    "user_departments": lambda: {"id_users": make_user().id,
                                 "id_departments": str(make_department().id)},
    "static_contents": lambda: {"type": "about-us", "contents": "<p>Tentang</p>"},
    "logs": lambda: {"action": "catatan", "descriptions": "Stok opname"},
})


def make_recovery(user, channel="email", raw=None, minutes=30, used=False):
    """A password-recovery link of a user; answers (row, the raw token it was made from)."""
    import secrets
    from datetime import timedelta

    from models import PasswordRecovery, clinic_now
    from services.accounts.tokens import token_digest
    raw = raw or secrets.token_urlsafe(24)
    now = clinic_now()
    row = PasswordRecovery(id_users=user.id, channel=channel, token_hash=token_digest(raw),
                           created=now - timedelta(minutes=1),
                           expires_at=now + timedelta(minutes=minutes),
                           used_at=now if used else None)
    db.session.add(row)
    db.session.commit()
    return row, raw
