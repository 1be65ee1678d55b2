"""Accounts read models: owner counts, membership questions, the search filters of users and
logs, form choices and the dashboard's account summary."""
from datetime import date, timedelta

from sqlalchemy import exists, func, or_, select, true

from models import Department, Log, Role, User, UserDepartment, db
from services.access import is_manager
from services.engine.fields import FlexDate
from services.engine.filters import contains, ids_in


# ---- who holds what ----------------------------------------------------------------------
def count_owners(exclude_user_id=None) -> int:
    """Live OWNER accounts, optionally leaving one out."""
    stmt = (select(func.count(func.distinct(Role.iduser))).join(User, User.id == Role.iduser)
            .where(Role.rolecodes == "OWNER", User.deleted_at.is_(None)))
    if exclude_user_id is not None:
        stmt = stmt.where(Role.iduser != exclude_user_id)
    return db.session.execute(stmt).scalar_one()


def has_live_members(department_id: int) -> bool:
    """True when a live (not deleted) user belongs to the department."""
    return db.session.execute(
        select(UserDepartment.id).join(User, User.id == UserDepartment.id_users)
        .where(UserDepartment.id_departments == department_id, User.deleted_at.is_(None))
        .limit(1)).first() is not None


def _pair_taken(model, first, second, except_id) -> bool:
    """True when a row of `model` has both column conditions (other than row `except_id`)."""
    stmt = select(model.id).where(first, second, model.id != except_id if except_id else true())
    return db.session.execute(stmt).first() is not None


def membership_exists(user_id, department_id, except_id=None) -> bool:
    """True when the user is already in the department (another row than `except_id`)."""
    return _pair_taken(UserDepartment, UserDepartment.id_users == user_id,
                       UserDepartment.id_departments == department_id, except_id)


def role_exists(user_id, code, except_id=None) -> bool:
    """True when the user already holds the role (another row than `except_id`)."""
    return _pair_taken(Role, Role.iduser == user_id, Role.rolecodes == code, except_id)


def missing_departments(department_ids) -> list:
    """The ids among `department_ids` that name no department."""
    found = set(db.session.execute(select(Department.id).where(
        Department.id.in_(department_ids))).scalars())
    return [value for value in department_ids if value not in found]


# ---- search filters ----------------------------------------------------------------------
def has_role_filter(stmt, value):
    """Users holding the role code (or any of a list)."""
    codes = value if isinstance(value, list) else [value]
    return stmt.where(exists().where(Role.iduser == User.id,
                                     Role.rolecodes.in_([str(code).upper() for code in codes])))


def in_department_filter(stmt, value):
    """Users in the department id (or any of a list)."""
    return stmt.where(exists().where(UserDepartment.id_users == User.id,
                                     UserDepartment.id_departments.in_(ids_in(value))))


def keyword_filter(stmt, value):
    """Users whose username, name, e-mail or phone contains the text."""
    return stmt.where(or_(*[contains(column, value) for column in (
        User.username, User.users_fullname, User.users_email, User.users_phone)]))


def day_start(value):
    """A filter date (dd/mm/yyyy or ISO)."""
    return FlexDate().deserialize(value)


def logged_from(stmt, value):
    """Logs written on or after the day."""
    return stmt.where(Log.created >= day_start(value))


def logged_until(stmt, value):
    """Logs written on or before the day (the last day of the calendar: every log)."""
    day = day_start(value)
    if day == date.max:
        return stmt
    return stmt.where(Log.created < day + timedelta(days=1))


# ---- subqueries for list columns -----------------------------------------------------------
def member_fullname():
    """SQL: the name of a membership's user (sorts and searches the list)."""
    return (select(User.users_fullname).where(User.id == UserDepartment.id_users)
            .correlate(UserDepartment).scalar_subquery())


def member_department_name():
    """SQL: the name of a membership's department (sorts and searches the list)."""
    return (select(Department.department_name)
            .where(Department.id == UserDepartment.id_departments)
            .correlate(UserDepartment).scalar_subquery())


# ---- choices and summaries -------------------------------------------------------------------
def department_choices() -> list[tuple]:
    """Every department as (id, name), A–Z, for selects."""
    return [(row.id, row.department_name) for row in db.session.execute(
        select(Department).order_by(Department.department_name)).scalars()]


def accounts_summary(actor, recent: int = 8) -> dict:
    """The dashboard's overview: live accounts by role, how many are blocked, and (for
    managers) the latest audit entries."""
    by_role = dict(db.session.execute(
        select(Role.rolecodes, func.count(Role.id)).join(User, User.id == Role.iduser)
        .where(User.deleted_at.is_(None)).group_by(Role.rolecodes)).all())
    blocked = db.session.execute(select(func.count(User.id)).where(
        User.is_blocked.is_(True), User.deleted_at.is_(None))).scalar_one()
    entries = []
    if is_manager(actor):
        entries = db.session.execute(
            select(Log).order_by(Log.id.desc()).limit(recent)).scalars().all()
    return {"by_role": by_role, "blocked": blocked, "recent": entries}
