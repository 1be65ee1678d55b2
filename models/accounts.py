"""Accounts: users, their roles and departments, API tokens and device tokens."""
from datetime import date, datetime

from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Index, Integer, String,
                        UniqueConstraint, event, inspect)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import SoftDeleteMixin, TimestampMixin, clinic_now, db

ROLE_CODES = ("OWNER", "ADMIN", "USERS", "DOCTOR", "CUSTOMER")
STAFF_ROLES = frozenset({"OWNER", "ADMIN", "USERS", "DOCTOR"})
MANAGER_ROLES = frozenset({"OWNER", "ADMIN"})

# the columns the users' text search looks in (the table, the admin Pengguna list), the
# person's own first, the address last: only its end is cut, when a user fills the others to
# the brim (the index ix_users_search, this text beside the full name, stays within
# MariaDB's 3,072 bytes of an index key: 600 + 150 characters of utf8mb4)
USER_SEARCHED = ("username", "users_fullname", "users_email", "users_phone", "positions",
                 "users_status", "users_birthday", "users_address")
USER_SEARCH_TEXT_LENGTH = 600  # 50 + 150 + 150 + 20 + 100 + 30 + 10 + 7 line breaks, + 83
# compared byte by byte on MariaDB (utf8mb4_bin: a quarter faster than the table's
# utf8mb4_unicode_ci in a LIKE over every row): the text is lower case already, so a search
# (lower case too) matches the same rows, accents counting as on SQLite
SEARCH_TEXT_TYPE = String(USER_SEARCH_TEXT_LENGTH).with_variant(
    mysql.VARCHAR(USER_SEARCH_TEXT_LENGTH, charset="utf8mb4", collation="utf8mb4_bin"),
    "mysql", "mariadb")


def user_search_text(values) -> str:
    """The searched columns of a user (a mapping or an object) as one lower-case text, a
    line each (a date as yyyy-mm-dd): a word of a search (never holding a line break) is
    found in it exactly when it is found in one of the columns."""
    get = values.get if isinstance(values, dict) else (lambda name: getattr(values, name, None))
    return "\n".join(_searched(get(name)) for name in USER_SEARCHED)[:USER_SEARCH_TEXT_LENGTH]


def _searched(value) -> str:
    if value is None:
        return ""
    return (value.isoformat() if isinstance(value, date) else str(value)).lower()


class User(TimestampMixin, SoftDeleteMixin, db.Model):
    """A person who signs in: staff, doctor or customer."""

    __tablename__ = "users"
    # the users' search scans this narrow index instead of the wide rows, and sorts what it
    # finds by name from it alone; search_text first, so that lookups of the live users keep
    # using ix_users_deleted_at
    __table_args__ = (Index("ix_users_search", "search_text", "deleted_at", "users_fullname"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    users_fullname: Mapped[str] = mapped_column(String(150))
    users_email: Mapped[str | None] = mapped_column(String(150), unique=True, nullable=True)
    users_phone: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    users_address: Mapped[str | None] = mapped_column(String(255), nullable=True)
    users_birthday: Mapped[date | None] = mapped_column(Date, nullable=True)
    users_picture: Mapped[str] = mapped_column(String(100), default="")
    users_status: Mapped[str] = mapped_column(String(30), default="Created")
    positions: Mapped[str] = mapped_column(String(100), default="")
    is_blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    is_email_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_phone_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_password_reset_required: Mapped[bool] = mapped_column(Boolean, default=False)
    num_of_login_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # after repeated wrong passwords, sign-ins wait until then (it lifts by itself)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # the points ledger's sum (user_points), changed only by a conditional update with its row
    total_point: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    password_hash: Mapped[str] = mapped_column(String(255))
    # the searched columns (USER_SEARCHED), lower case, one per line: kept by the ORM on every
    # insert and update (user_search_text); never part of an answer; deferred: loading a user
    # (e.g. the one signed in) never reads it
    search_text: Mapped[str] = mapped_column(SEARCH_TEXT_TYPE, default="", server_default="",
                                             deferred=True, info={"lower_case": True})

    roles: Mapped[list["Role"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Role.id"
    )
    departments: Mapped[list["UserDepartment"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserDepartment.id"
    )

    @property
    def role_codes(self) -> set[str]:
        """The codes of this user's roles."""
        return {role.rolecodes for role in self.roles}

    def has_role(self, *codes: str) -> bool:
        """True when the user holds any of the given role codes."""
        return bool(self.role_codes.intersection(codes))

    @property
    def is_staff(self) -> bool:
        """True for anyone who works at the clinic (not a customer only)."""
        return bool(self.role_codes & STAFF_ROLES)

    @property
    def is_manager(self) -> bool:
        """True for OWNER and ADMIN, who manage accounts and master data."""
        return bool(self.role_codes & MANAGER_ROLES)

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        """Flask-Login: a loaded user is signed in."""
        return True

    @property
    def is_active(self) -> bool:
        """Flask-Login: blocked or deleted accounts cannot use a session."""
        return not self.is_blocked and self.deleted_at is None

    @property
    def is_anonymous(self) -> bool:
        """Flask-Login: never anonymous."""
        return False

    def get_id(self) -> str:
        """Session id that changes with the password, so a new password ends old sessions."""
        import hashlib

        stamp = hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]
        return f"{self.id}:{stamp}"


class Role(db.Model):
    """One role a user holds (OWNER, ADMIN, USERS, DOCTOR, CUSTOMER)."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("iduser", "rolecodes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iduser: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rolecodes: Mapped[str] = mapped_column(String(20))
    descriptions: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship(back_populates="roles")


class Department(db.Model):
    """A clinic department (front office, pharmacy, finance …)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_name: Mapped[str] = mapped_column(String(100))
    department_descriptions: Mapped[str] = mapped_column(String(255), default="")
    department_codes: Mapped[str] = mapped_column(String(20), unique=True)


class UserDepartment(db.Model):
    """Membership of a user in a department."""

    __tablename__ = "user_departments"
    __table_args__ = (UniqueConstraint("id_users", "id_departments"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    id_departments: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    descriptions: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship(back_populates="departments")
    department: Mapped[Department] = relationship()


class UserToken(db.Model):
    """A bearer token, stored only as its SHA-256 hash."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app: Mapped[str] = mapped_column(String(10), default="website")
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    user: Mapped[User] = relationship()


class DeviceToken(TimestampMixin, db.Model):
    """A push-notification device token of a user's phone."""

    __tablename__ = "user_device_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_token: Mapped[str] = mapped_column(String(255), unique=True)


@event.listens_for(User, "before_insert")
def _new_search_text(_mapper, _connection, user):
    for name in USER_SEARCHED:  # the column defaults the INSERT would give (users_status)
        default = User.__table__.c[name].default
        if getattr(user, name) is None and default is not None and default.is_scalar:
            setattr(user, name, default.arg)
    user.search_text = user_search_text(user)


@event.listens_for(User, "before_update")
def _keep_search_text(_mapper, _connection, user):
    state = inspect(user)
    if any(state.attrs[name].history.has_changes() for name in USER_SEARCHED):
        user.search_text = user_search_text(user)
