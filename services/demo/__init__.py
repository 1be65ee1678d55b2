"""Demo data taken from the document's examples; loading it twice changes nothing."""
from sqlalchemy import func, select

from models import Department, Role, StaticContent, User, UserDepartment, db
from services import audit
from services.accounts.operations import check_new_password, hash_password

DEMO_OWNER = {"username": "owner", "password": "colederma-demo-2026",
              "users_fullname": "Didit Velliz", "users_email": "owner@colederma.local"}

DEPARTMENTS = [
    ("Information Technology", "Networking Service and Applications.", "IT"),
    ("Finance", "Finance Department", "FNC"),
    ("Front Office", "Pendaftaran dan kasir klinik", "FO"),
    ("Farmasi", "Apotek dan persediaan produk", "APT"),
    ("Dokter", "Dokter spesialis kulit dan kelamin", "DOK"),
]

STAFF = [
    # username, fullname, email, phone, roles, department codes, position
    ("admin", "Rina Kartika", "admin@colederma.local", "081381461200", ["ADMIN", "USERS"],
     ["FO"], "Admin Klinik"),
    ("frontdesk", "Sari Wulandari", "frontdesk@colederma.local", "081381461201", ["USERS"],
     ["FO"], "Resepsionis"),
    ("markusnr", "Markus Nahesson SpKK", "markus@colederma.local", "081381461202", ["DOCTOR"],
     ["DOK"], "Dokter Spesialis"),
    ("rikki07", "rikki 07", "rikki07@test.com", "0851222123007", ["CUSTOMER"], [], "-"),
    ("didit", "Didit Velliz", "didit@gmail.com", "081381461286", ["CUSTOMER"], [], "-"),
]
DEMO_PASSWORD = "colederma-demo-2026"

CONTENTS = [
    ("about-us", "<p>Colederma adalah klinik dermatologi yang berdiri sejak 2018, melayani "
                 "perawatan kulit, kelamin dan estetika oleh dokter spesialis.</p>"),
    ("booking-info", "<p>Pemesanan jadwal dokter dapat dilakukan paling lambat 60 menit "
                     "sebelum praktik dan paling lama 15 hari ke depan.</p>"),
    ("terms", "<p>Dengan menggunakan aplikasi Colederma Anda menyetujui syarat dan ketentuan "
              "layanan klinik.</p>"),
    ("privacy", "<p>Data pribadi dan rekam medis Anda hanya diakses oleh tenaga kesehatan "
                "yang merawat Anda.</p>"),
]


def _user(username):
    return db.session.execute(select(User).where(
        func.lower(User.username) == username.lower())).scalars().first()


def create_or_reset_owner(username, password, fullname=None, email=None):
    """Create an OWNER, or reset an existing account's password and make it an OWNER."""
    check_new_password(password, password)
    user = _user(username)
    created = user is None
    if created:
        user = User(username=username, users_fullname=fullname or username,
                    users_email=email, password_hash=hash_password(password))
        db.session.add(user)
    else:
        user.password_hash = hash_password(password)
        user.is_blocked = False
        user.num_of_login_attempts = 0
        user.deleted_at = None
    if not user.has_role("OWNER"):
        user.roles.append(Role(rolecodes="OWNER", descriptions="create-owner"))
    db.session.flush()
    audit.record("create_owner", None, "users", user.id, username, username="cli")
    db.session.commit()
    return user, created


def seed_demo() -> dict:
    """Insert what is missing of the demo data; returns how many rows of each were added."""
    added = {"departments": 0, "users": 0, "static_contents": 0}
    departments = {}
    for name, description, code in DEPARTMENTS:
        row = db.session.execute(select(Department).where(
            Department.department_codes == code)).scalars().first()
        if row is None:
            row = Department(department_name=name, department_descriptions=description,
                             department_codes=code)
            db.session.add(row)
            added["departments"] += 1
        departments[code] = row
    db.session.flush()
    if _user(DEMO_OWNER["username"]) is None:
        owner = User(username=DEMO_OWNER["username"], users_fullname=DEMO_OWNER["users_fullname"],
                     users_email=DEMO_OWNER["users_email"], users_phone="081381461286",
                     users_address="Bandung, Indonesia", positions="Owner",
                     password_hash=hash_password(DEMO_OWNER["password"]))
        owner.roles = [Role(rolecodes=code) for code in ("OWNER", "ADMIN", "USERS")]
        owner.departments = [UserDepartment(id_departments=departments["IT"].id,
                                            descriptions="Init new users")]
        db.session.add(owner)
        added["users"] += 1
    password_hash = None
    for username, fullname, email, phone, roles, codes, position in STAFF:
        if _user(username) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        user = User(username=username, users_fullname=fullname, users_email=email,
                    users_phone=phone, users_address="Bandung, Indonesia", positions=position,
                    password_hash=password_hash)
        user.roles = [Role(rolecodes=code) for code in roles]
        user.departments = [UserDepartment(id_departments=departments[code].id,
                                           descriptions="Init new users") for code in codes]
        db.session.add(user)
        added["users"] += 1
    for kind, contents in CONTENTS:
        if db.session.execute(select(StaticContent.id).where(StaticContent.type == kind)).first():
            continue
        db.session.add(StaticContent(type=kind, contents=contents))
        added["static_contents"] += 1
    db.session.flush()
    from . import appointments, catalog, doctors, orders, patients, stores, treatments

    # in this order
    for part in (catalog, treatments, stores, doctors, patients, appointments, orders):
        part.seed(added)
    db.session.commit()
    return added
