"""Accounts: users, their roles and departments, API tokens and device tokens."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import SoftDeleteMixin, TimestampMixin, clinic_now, db

ROLE_CODES = ("OWNER", "ADMIN", "USERS", "DOCTOR", "CUSTOMER")
STAFF_ROLES = frozenset({"OWNER", "ADMIN", "USERS", "DOCTOR"})
MANAGER_ROLES = frozenset({"OWNER", "ADMIN"})


class User(TimestampMixin, SoftDeleteMixin, db.Model):
    """A person who signs in: staff, doctor or customer."""

    __tablename__ = "users"

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
