"""Accounts: passwords, sign-in with lockout, who holds which role and department (with the
OWNER rules), and the users/data summary (bearer tokens: tokens.py)."""
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from models import (Department, DeviceToken, Log, Role, User, UserDepartment, UserToken, clinic_now,
                    db)
from services import audit
from services.access import is_staff
from services.errors import Conflict, Forbidden, Invalid, Throttled, Unauthorized

from .queries import count_owners, has_live_members, missing_departments
from .tokens import revoke_all_tokens

BAD_CREDENTIALS = "Nama pengguna atau kata sandi salah."


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(time_cost=config.get("ARGON2_TIME_COST", 3),
                          memory_cost=config.get("ARGON2_MEMORY_COST", 65536))


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """True when the password matches; upgrades an outdated hash in place."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def check_new_password(password, confirmation, field="password", confirm_field="retype_password"):
    """Refuse a short password or a confirmation that differs."""
    problems = {}
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if not isinstance(password, str) or len(password) < minimum:
        problems[field] = f"Minimal {minimum} karakter."
    elif len(password) > 128:
        problems[field] = "Maksimal 128 karakter."
    if password != confirmation:
        problems[confirm_field] = "Konfirmasi kata sandi tidak sama."
    if problems:
        raise Invalid(fields=problems)


def find_login(login: str):
    """The live account whose username or e-mail is `login` (any case)."""
    login = (login or "").strip().lower()
    if not login:
        return None
    stmt = select(User).where(User.deleted_at.is_(None)).where(
        or_(func.lower(User.username) == login, func.lower(User.users_email) == login))
    return db.session.execute(stmt).scalars().first()


def lock_wait(failures: int) -> timedelta | None:
    """How long sign-ins wait after this many wrong passwords in a row: nothing below
    MAX_LOGIN_ATTEMPTS, then LOGIN_LOCK_SECONDS doubling with each more, at most
    LOGIN_LOCK_MAX_SECONDS."""
    config = current_app.config
    beyond = failures - config["MAX_LOGIN_ATTEMPTS"]
    if beyond < 0:
        return None
    seconds = config["LOGIN_LOCK_SECONDS"] * 2 ** min(beyond, 20)
    return timedelta(seconds=min(seconds, config["LOGIN_LOCK_MAX_SECONDS"]))


def _wait_message(until) -> Throttled:
    minutes = max(1, -(-int((until - clinic_now()).total_seconds()) // 60))
    return Throttled(f"Terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit.")


def _refuse_unknown_login(login: str):
    """An unknown name (or no password) answers as a wrong password does, lock included:
    its failures are counted in the audit log, so a locked account cannot be told apart."""
    _hasher().hash("timing-equaliser")  # same work as a real check
    name = str(login or "")[:50]
    window = clinic_now() - timedelta(seconds=current_app.config["LOGIN_LOCK_MAX_SECONDS"] * 2)
    failures, last = db.session.execute(
        select(func.count(Log.id), func.max(Log.created)).where(
            Log.action == "login_failed", Log.id_users.is_(None), Log.username == name,
            Log.created >= window)).one()
    wait = lock_wait(failures)
    if wait is not None and last is not None and last + wait > clinic_now():
        raise _wait_message(last + wait)
    audit.record("login_failed", None, "users", None, f"login={name[:40]}", username=name)
    db.session.commit()
    raise Unauthorized(BAD_CREDENTIALS, error_code="bad_credentials")


def _count_wrong_password(user: User):
    """One more wrong password: the account waits once there were too many (growing waits,
    lifting by themselves); the lock is written to the audit log for the owner to see."""
    db.session.execute(update(User).where(User.id == user.id).values(
        num_of_login_attempts=User.num_of_login_attempts + 1))
    audit.record("login_failed", user, "users", user.id, "kata sandi salah")
    db.session.commit()
    db.session.refresh(user)
    wait = lock_wait(user.num_of_login_attempts)
    if wait is not None:
        user.locked_until = clinic_now() + wait
        audit.record("login_locked", None, "users", user.id,
                     f"{user.username}: masuk ditunda {int(wait.total_seconds() // 60) or 1} "
                     f"menit setelah {user.num_of_login_attempts} kata sandi salah",
                     username=user.username)
        db.session.commit()


def authenticate(login: str, password: str, *, staff_only: bool = False) -> User:
    """Check credentials. Wrong passwords in a row make sign-ins wait (growing, lifting by
    themselves); an unknown name answers the same way; only a manager blocks an account."""
    user = find_login(login)
    if user is None or not isinstance(password, str):
        _refuse_unknown_login(login)
    if user.locked_until is not None and user.locked_until > clinic_now():
        _hasher().hash("timing-equaliser")
        raise _wait_message(user.locked_until)
    if not verify_password(user, password):
        _count_wrong_password(user)
        raise Unauthorized(BAD_CREDENTIALS, error_code="bad_credentials")
    if user.is_blocked:
        db.session.commit()
        raise Forbidden("Akun Anda diblokir. Hubungi admin klinik untuk membukanya.",
                        error_code="account_blocked")
    if staff_only and not is_staff(user):
        db.session.commit()
        raise Forbidden("Akun pelanggan tidak dapat masuk ke back-office.",
                        error_code="not_staff")
    user.num_of_login_attempts = 0
    user.locked_until = None
    audit.record("login", user, "users", user.id, "")
    db.session.commit()
    return user


def record_screen_logout(user: User):
    """Write that a user signed out of the staff screens (their session ends with it)."""
    audit.record("logout", user, "users", user.id, "admin")
    db.session.commit()


# ---- account actions -------------------------------------------------------------------
def change_own_password(user: User, previous: str, new: str, confirmation: str,
                        keep: UserToken | None = None):
    """The user changes their password; other sessions and tokens end."""
    if not isinstance(previous, str) or not verify_password(user, previous):
        raise Invalid(fields={"prev_password": "Kata sandi lama salah."})
    check_new_password(new, confirmation, "new_password", "new_password_confirm")
    user.password_hash = hash_password(new)
    user.is_password_reset_required = False
    revoke_all_tokens(user, keep)
    audit.record("password_change", user, "users", user.id, "oleh pengguna sendiri")
    db.session.commit()


def set_password_by_admin(actor: User, user: User, new: str, confirmation: str):
    """A manager sets someone's password; they must change it at next sign-in."""
    if user.has_role("OWNER"):
        _refuse_owner_change_by(actor, "Hanya Pemilik yang dapat mengubah kata sandi akun Pemilik.")
    check_new_password(new, confirmation, "new_password", "new_password_confirm")
    user.password_hash = hash_password(new)
    user.is_password_reset_required = actor.id != user.id
    user.num_of_login_attempts = 0
    user.locked_until = None
    revoke_all_tokens(user)
    audit.record("password_change", actor, "users", user.id, f"oleh admin untuk {user.username}")
    db.session.commit()


def unblock(actor: User, user: User):
    """Lift a block and a waiting sign-in, and reset the failed-attempt counter."""
    user.is_blocked = False
    user.locked_until = None
    user.num_of_login_attempts = 0
    audit.record("unblock", actor, "users", user.id, user.username)
    db.session.commit()


def register_device_token(user: User, device_token: str):
    """Remember a phone's push token for this user (moves it if another user had it)."""
    device_token = (device_token or "").strip() if isinstance(device_token, str) else ""
    if not device_token or len(device_token) > 255:
        raise Invalid(fields={"device_token": "Wajib diisi, maksimal 255 karakter."})
    row = db.session.execute(
        select(DeviceToken).where(DeviceToken.device_token == device_token)).scalars().first()
    if row is None:
        db.session.add(DeviceToken(id_users=user.id, device_token=device_token))
    else:
        row.id_users = user.id
        row.updated = clinic_now()
    db.session.commit()


# ---- roles, departments and the OWNER rules -----------------------------------------------
def _refuse_owner_change_by(actor, message: str, **extra):
    if not actor.has_role("OWNER"):
        raise Forbidden(message, **extra)


def _refuse_losing_last_owner(user_id, message: str, **extra):
    if count_owners(exclude_user_id=user_id) == 0:
        raise Conflict(message, **extra)


def checked_roles(actor, user: User | None, roles) -> list:
    """The role codes of a user's create or update, without repeats: only an OWNER gives or
    takes the OWNER role, and the clinic never loses its last OWNER."""
    roles = list(dict.fromkeys(roles))
    had_owner = user is not None and user.has_role("OWNER")
    if ("OWNER" in roles) != had_owner:
        _refuse_owner_change_by(actor, "Hanya Pemilik yang dapat memberi atau mencabut peran Pemilik.",
                                fields={"roles": "Peran Pemilik hanya diatur oleh Pemilik."})
    if had_owner and "OWNER" not in roles:
        _refuse_losing_last_owner(user.id, "Klinik harus memiliki setidaknya satu Pemilik.",
                                  fields={"roles": "Pemilik terakhir tidak dapat dicabut."})
    return roles


def check_role_row(actor, data: dict, role: Role | None):
    """A role row given or changed: OWNER only by an OWNER, never stripping the last OWNER."""
    touches_owner = data.get("rolecodes") == "OWNER" or (role is not None
                                                         and role.rolecodes == "OWNER")
    if touches_owner:
        _refuse_owner_change_by(actor, "Hanya Pemilik yang dapat mengatur peran Pemilik.")
    if role is not None and role.rolecodes == "OWNER" and (
            data.get("rolecodes", "OWNER") != "OWNER"
            or data.get("iduser", role.iduser) != role.iduser):
        _refuse_losing_last_owner(role.iduser, "Pemilik terakhir tidak dapat dicabut.")


def check_role_removal(actor, role: Role):
    """Revoking a role row: the OWNER role only by an OWNER, never the last one; audited."""
    if role.rolecodes == "OWNER":
        _refuse_owner_change_by(actor, "Hanya Pemilik yang dapat mencabut peran Pemilik.")
        _refuse_losing_last_owner(role.iduser, "Pemilik terakhir tidak dapat dicabut.")
    audit.record("role_change", actor, "users", role.iduser, f"cabut {role.rolecodes}")


def replace_roles(actor, user: User, roles, created: bool):
    """Give the user exactly these roles (CUSTOMER for a new account given none); a change of
    an existing account is audited."""
    if created and not roles:
        roles = ["CUSTOMER"]
    if roles is None:
        return
    before = sorted(role.rolecodes for role in user.roles)
    keep = [role for role in user.roles if role.rolecodes in roles]
    held = {role.rolecodes for role in keep}
    user.roles[:] = keep + [Role(rolecodes=code, descriptions="")
                            for code in roles if code not in held]
    if not created and before != sorted(roles):
        audit.record("role_change", actor, "users", user.id,
                     f"{user.username}: {','.join(before)} -> {','.join(sorted(roles))}")


def replace_departments(user: User, department_ids):
    """Put the user in exactly these departments (422 naming unknown ones)."""
    department_ids = list(dict.fromkeys(department_ids))
    missing = missing_departments(department_ids)
    if missing:
        raise Invalid(fields={"id_departments": f"Departemen tidak ditemukan: {missing}"})
    keep = [row for row in user.departments if row.id_departments in department_ids]
    member_of = {row.id_departments for row in keep}
    user.departments[:] = keep + [
        UserDepartment(id_departments=value, descriptions="Init new users")
        for value in department_ids if value not in member_of]


def check_owner_account_change(actor, user: User):
    """An OWNER account is changed only by an OWNER (or its holder)."""
    if user.has_role("OWNER") and actor.id != user.id:
        _refuse_owner_change_by(actor, "Hanya Pemilik yang dapat mengubah akun Pemilik.")


def prepare_user_removal(actor, user: User):
    """Before deleting an account: not one's own, not the last OWNER; its tokens end."""
    if user.id == actor.id:
        raise Conflict("Anda tidak dapat menghapus akun Anda sendiri.")
    if user.has_role("OWNER"):
        _refuse_losing_last_owner(user.id, "Pemilik terakhir tidak dapat dihapus.")
    revoke_all_tokens(user)


def prepare_department_removal(department: Department):
    """Before deleting a department: refuse while a live user belongs to it; the memberships
    of deleted users (who are no members) go with it."""
    if has_live_members(department.id):
        raise Conflict("Departemen masih memiliki anggota.")
    db.session.execute(delete(UserDepartment).where(
        UserDepartment.id_departments == department.id)
        .execution_options(synchronize_session="fetch"))


# ---- users/data ------------------------------------------------------------------------
USER_DATA_PARTS = []


def user_data_part(function):
    """Register a function(user) -> dict that adds keys to users/data (later features)."""
    USER_DATA_PARTS.append(function)
    return function


@user_data_part
def _empty_parts(user):
    """Keys the document shows; the features that fill them register their own parts."""
    return {"next_appointments": [], "latest_orders": [], "patients": [], "counts_carts": 0,
            "threads": [], "doctors": []}


def user_data(user: User, serialized: dict) -> dict:
    """The users/data answer: the profile plus every registered part."""
    body = dict(serialized)
    for part in USER_DATA_PARTS:
        body.update(part(user))
    return {"users": body, "permissions": sorted(user.role_codes)}
