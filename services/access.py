"""Who is who: the roles, the groups of staff they form, and the questions every feature asks
about the caller. Defined once; declarations, operations and screens import from here."""
from sqlalchemy import select

from models import MANAGER_ROLES, ROLE_CODES, STAFF_ROLES, Doctor, db

OWNER, ADMIN, USERS, DOCTOR, CUSTOMER = ROLE_CODES
MANAGERS = MANAGER_ROLES  # OWNER and ADMIN: accounts, master data, prices
OFFICE = frozenset({OWNER, ADMIN, USERS})  # the front office: every patient, appointment, schedule
STAFF = STAFF_ROLES  # everyone who works at the clinic: the office and the doctors

# The roles as people say them: every screen shows these words (the API keeps the codes).
ROLE_LABELS = {OWNER: "Pemilik", ADMIN: "Admin", USERS: "Staf", DOCTOR: "Dokter",
               CUSTOMER: "Pelanggan"}


def role_label(code) -> str:
    """A role code in Bahasa Indonesia ("Pemilik" for OWNER); an unknown code as it is."""
    return ROLE_LABELS.get(code, code or "")


def ordered_roles(codes) -> list[str]:
    """Role codes in the order of ROLE_CODES, highest first (unknown codes last)."""
    order = {code: index for index, code in enumerate(ROLE_CODES)}
    return sorted(codes, key=lambda code: (order.get(code, len(order)), code))


def role_labels(codes) -> list[str]:
    """Role codes in Bahasa Indonesia, highest first ("Pemilik", "Dokter")."""
    return [role_label(code) for code in ordered_roles(codes)]


def role_choices() -> list[tuple[str, str]]:
    """Every role for a form or a filter: (code, label), highest first."""
    return [(code, role_label(code)) for code in ROLE_CODES]


def is_manager(actor) -> bool:
    """True for OWNER and ADMIN."""
    return actor is not None and actor.has_role(*MANAGERS)


def is_office(actor) -> bool:
    """True for OWNER, ADMIN and USERS: they handle every patient, appointment and schedule."""
    return actor is not None and actor.has_role(*OFFICE)


def is_staff(actor) -> bool:
    """True for anyone who works at the clinic (they also see what is hidden from patients)."""
    return actor is not None and actor.has_role(*STAFF)


def has_doctor_role(actor) -> bool:
    """True when the actor holds the DOCTOR role (whatever other roles they hold)."""
    return actor is not None and actor.has_role(DOCTOR)


def is_doctor_only(actor) -> bool:
    """True for a doctor who is not also office staff: they reach their own rows only."""
    return has_doctor_role(actor) and not is_office(actor)


def is_client(actor) -> bool:
    """True for a signed-in customer (anyone who does not work at the clinic)."""
    return actor is not None and not is_staff(actor)


def doctor_of(actor) -> Doctor | None:
    """The live doctor record of a signed-in DOCTOR, or None."""
    if not has_doctor_role(actor):
        return None
    return db.session.execute(select(Doctor).where(
        Doctor.id_users == actor.id, Doctor.deleted_at.is_(None))).scalars().first()


def own_doctor_ids(actor):
    """SELECT of the id of the actor's live doctor record (at most one row)."""
    return select(Doctor.id).where(Doctor.id_users == actor.id, Doctor.deleted_at.is_(None))
