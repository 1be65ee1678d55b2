"""The benchmark's database: a busy year of a clinic chain, generated fast and cached.

Full size (BENCH_SCALE=1): 20 stores, 300 products, 30 doctors, 50k users, 50k patients,
200k appointments, 100k medical records, 300k log rows and a year of orders holding 1M order
items. BENCH_SCALE multiplies the big tables (users, patients, appointments, records, logs,
order items); the catalog, stores and doctors keep their size.

The rows are written with the driver's executemany in chunks (no ORM objects), in ids this
module chooses, from one seeded random generator: the same scale and month give the same
data. The year is the twelve calendar months ending with the current one (orders up to today,
appointments up to the end of the month), so "this month", "year to date" and "upcoming" all
find rows.

Cache: SQLite builds into `.bench-cache/` (ignored by git; BENCH_CACHE_DIR moves it) in a
file named after the dataset version, the migration head, the scale and the month, so a new
migration or a new month builds a new one. MariaDB loads into the `colederma_bench` database
of the server given by URL and keeps a marker table (`bench_dataset`) with the same key and
the row counts: a matching marker skips the load."""
import json
import os
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
DATASET_VERSION = 3  # 2: the report rollups; 3: ix_orders_status_figures widened
SEED = 12
OWNER_USERNAME, OWNER_PASSWORD = "owner", "bench-password"

FULL = {"stores": 20, "products": 300, "doctors": 30, "users": 50_000, "patients": 50_000,
        "appointments": 200_000, "records": 100_000, "logs": 300_000,
        "order_items": 1_000_000}
SCALED = ("users", "patients", "appointments", "records", "logs", "order_items")

FIRST_NAMES = ("Sari", "Dewi", "Putri", "Ayu", "Rina", "Wulan", "Indah", "Fitri", "Maya",
               "Nadia", "Budi", "Agus", "Rizky", "Andi", "Dimas", "Eko", "Fajar", "Hendra",
               "Yusuf", "Bayu", "Citra", "Intan", "Lestari", "Kartika", "Anisa")
LAST_NAMES = ("Wijaya", "Santoso", "Pratama", "Saputra", "Hidayat", "Kusuma", "Nugroho",
              "Siregar", "Simanjuntak", "Lubis", "Harahap", "Setiawan", "Gunawan", "Halim",
              "Tanjung", "Rahmawati", "Permata", "Anggraini", "Maharani", "Utami")
PRODUCT_WORDS = ("Serum", "Krim", "Toner", "Sabun", "Gel", "Masker", "Sunscreen", "Lotion",
                 "Essence", "Vitamin")
PRODUCT_KINDS = ("Brightening", "Acne", "Hydrating", "Anti Aging", "Niacinamide", "Retinol",
                 "Centella", "Ceramide", "Vitamin C", "Salicylic")
SERVICES = ("Konsultasi Dokter", "Facial Acne", "Facial Brightening", "Chemical Peeling",
            "Microdermabrasi", "Laser Rejuvenation", "Laser Toning", "IPL", "Botox", "Filler",
            "Mesotherapy", "PRP", "Tanam Benang", "Radiofrekuensi", "Dermaplaning",
            "Infus Vitamin", "Suntik Jerawat", "Hair Removal", "Skin Booster", "Micro Needling",
            "Kuretase Komedo", "Cryotherapy", "Body Slimming", "Derma Roller", "Oxygen Facial")
LOG_ACTIONS = ("LOGIN", "LOGOUT", "CREATE", "UPDATE", "DELETE", "VIEW_PATIENT", "PAYMENT",
               "BOOK", "CANCEL")
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def sizes(scale: float) -> dict:
    """The row counts at `scale` (the catalog, stores and doctors never shrink)."""
    return {name: max(int(count * scale), 50) if name in SCALED else count
            for name, count in FULL.items()}


def scale_from_env() -> float:
    try:
        return float(os.environ.get("BENCH_SCALE", "1") or 1)
    except ValueError as exc:
        raise SystemExit("BENCH_SCALE must be a number (1 = full size, 0.01 = quick)") from exc


def migration_head() -> str:
    """The newest migration, so a schema change builds a new database."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return "+".join(sorted(ScriptDirectory.from_config(config).get_heads()))


@dataclass
class Span:
    """The benchmark's year: twelve calendar months ending with the current one."""

    today: date

    @property
    def first(self) -> date:
        month = self.today.month - 11
        year = self.today.year + (month - 1) // 12
        return date(year, (month - 1) % 12 + 1, 1)

    @property
    def month_end(self) -> date:
        following = (self.today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)


def cache_key(scale: float, today: date) -> str:
    return f"v{DATASET_VERSION}-{migration_head()}-s{scale:g}-{today:%Y%m}"


def cache_dir() -> Path:
    return Path(os.environ.get("BENCH_CACHE_DIR") or ROOT / ".bench-cache")


# ---- writing rows fast -----------------------------------------------------------------
class Writer:
    """executemany of plain tuples into a table through the raw driver connection; the
    columns not given get the model's scalar default (or `now` for clinic_now)."""

    def __init__(self, engine, now: datetime, bar):
        self.engine, self.dialect, self.now, self.bar = engine, engine.dialect, now, bar
        self.raw = engine.raw_connection()
        self.cursor = self.raw.cursor()
        self.mark = "?" if self.dialect.paramstyle == "qmark" else "%s"
        self.chunk = 20_000 if self.dialect.name == "sqlite" else 5_000
        if self.dialect.name == "sqlite":
            for pragma in ("foreign_keys=OFF", "synchronous=OFF", "journal_mode=OFF",
                           "cache_size=-200000"):
                self.cursor.execute(f"PRAGMA {pragma}")
        else:
            self.cursor.execute("SET FOREIGN_KEY_CHECKS=0")
            self.cursor.execute("SET UNIQUE_CHECKS=0")

    def insert(self, model, names: tuple, rows):
        table = getattr(model, "__table__", model)
        given = [table.c[name] for name in names]
        rest, rest_values = [], []
        for column in table.columns:
            if column.name in names or column.server_default is not None:
                continue
            default = column.default
            if default is None:
                if not column.nullable and not column.primary_key:
                    raise ValueError(f"{table.name}.{column.name} needs a value")
                value = None
            elif default.is_scalar:
                value = default.arg
            else:  # clinic_now
                value = self.now
            rest.append(column)
            rest_values.append(value)
        processors = [(index, column.type._cached_bind_processor(self.dialect))
                      for index, column in enumerate(given)]
        processors = [(index, proc) for index, proc in processors if proc]
        tail = tuple(
            (column.type._cached_bind_processor(self.dialect) or (lambda v: v))(value)
            if value is not None else None for column, value in zip(rest, rest_values))
        columns = ", ".join(column.name for column in given + rest)
        marks = ", ".join([self.mark] * (len(given) + len(rest)))
        sql = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
        batch = []
        for row in rows:
            if processors:
                row = list(row)
                for index, proc in processors:
                    if row[index] is not None:
                        row[index] = proc(row[index])
            batch.append(tuple(row) + tail)
            if len(batch) >= self.chunk:
                self._flush(sql, batch, table.name)
                batch = []
        if batch:
            self._flush(sql, batch, table.name)
        self.raw.commit()

    def _flush(self, sql, batch, name):
        self.bar.set_description(f"{name:<22}")
        self.cursor.executemany(sql, batch)
        self.bar.update(len(batch))

    def close(self):
        if self.dialect.name != "sqlite":
            self.cursor.execute("SET FOREIGN_KEY_CHECKS=1")
            self.cursor.execute("SET UNIQUE_CHECKS=1")
        self.raw.commit()
        self.cursor.close()
        self.raw.close()


# ---- the data ----------------------------------------------------------------------------
def _name(rng) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _moment(rng, day: date, opens=8, closes=21) -> datetime:
    return datetime.combine(day, time(rng.randint(opens, closes - 1), rng.randint(0, 59),
                                      rng.randint(0, 59)))


class Generator:
    """Plans and writes every table of the dataset."""

    def __init__(self, scale: float, today: date, password_hash: str):
        self.scale, self.size = scale, sizes(scale)
        self.span = Span(today)
        self.today = today
        self.now = datetime.combine(today, time(12, 0))
        self.password_hash = password_hash
        self.rng = random.Random(SEED)
        days = (today - self.span.first).days + 1
        self.order_days = [self.span.first + timedelta(days=n) for n in range(days)]
        # busier towards the end of the year and on weekends (Saturday, Sunday)
        self.day_weights = [(1 + 0.6 * n / days) * (1.3 if day.weekday() >= 5 else 1)
                            for n, day in enumerate(self.order_days)]

    def planned_rows(self) -> int:
        s = self.size
        orders = int(s["order_items"] / 3.0)
        return (s["users"] * 2 + s["patients"] + s["appointments"] + s["records"] + s["logs"]
                + s["order_items"] + orders + s["products"] * (1 + s["stores"]) + 8000)

    # users: 1 owner, 4 admins, 10 front desk, the doctors, then customers
    def write(self, writer: Writer):
        from models import (Appointment, Department, Doctor, DoctorSchedule, DoctorService,
                            Log, MedicalRecord, Menu, MenuCategory, Patient, PracticeWindow,
                            Promotion, Role, Service, ServiceCategory, Store, StoreMenu,
                            StoreMenuStock, User, UserDepartment)
        from models.accounts import user_search_text
        from models.patients import patient_search_text

        rng, s, now = self.rng, self.size, self.now
        first = self.span.first
        doctors = s["doctors"]
        self.staff_ids = list(range(1, 16 + doctors))
        self.doctor_user = {n: 15 + n for n in range(1, doctors + 1)}
        roles = ["OWNER"] + ["ADMIN"] * 4 + ["USERS"] * 10 + ["DOCTOR"] * doctors
        users, role_rows = [], []
        self.user_names = {}
        for uid in range(1, s["users"] + 1):
            role = roles[uid - 1] if uid <= len(roles) else "CUSTOMER"
            name = "Pemilik Klinik" if uid == 1 else _name(rng)
            if role == "DOCTOR":
                name = f"dr. {name}"
            self.user_names[uid] = name
            created = datetime.combine(first - timedelta(days=rng.randint(0, 700)), time(9)) \
                if rng.random() < 0.6 else _moment(rng, rng.choice(self.order_days))
            username = OWNER_USERNAME if uid == 1 else f"user{uid}"
            email, phone = f"user{uid}@example.com", f"08{rng.randint(10**9, 10**10 - 1)}"
            users.append((uid, username, name, email, phone, "Active", self.password_hash,
                          rng.random() < 0.01, created, created,
                          user_search_text({"username": username, "users_fullname": name,
                                            "users_email": email, "users_phone": phone,
                                            "users_status": "Active", "positions": ""})))
            role_rows.append((uid, uid, role))
        writer.insert(User, ("id", "username", "users_fullname", "users_email", "users_phone",
                             "users_status", "password_hash", "is_blocked", "created",
                             "updated", "search_text"), users)
        writer.insert(Role, ("id", "iduser", "rolecodes"), role_rows)
        writer.insert(Department, ("id", "department_name", "department_codes"),
                      [(n, f"Departemen {n}", f"D{n}") for n in range(1, 6)])
        writer.insert(UserDepartment, ("id", "id_users", "id_departments"),
                      [(uid, uid, uid % 5 + 1) for uid in self.staff_ids])
        del users, role_rows

        # catalog, stores, stock, promotions
        writer.insert(MenuCategory, ("id", "menu_categories", "codes"),
                      [(n, kind, f"MC{n}") for n, kind in enumerate(PRODUCT_KINDS, 1)])
        menus, self.prices = [], {}
        for mid in range(1, s["products"] + 1):
            price = rng.choice(range(25_000, 900_000, 5_000))
            self.prices[mid] = price
            menus.append((mid, f"{rng.choice(PRODUCT_WORDS)} {rng.choice(PRODUCT_KINDS)} "
                               f"{mid}", price, rng.randint(1, len(PRODUCT_KINDS)), "pcs",
                          rng.randint(30, 400)))
        writer.insert(Menu, ("id", "nama_menus", "harga", "id_menu_categories_1", "satuan",
                             "berat"), menus)
        writer.insert(Store, ("id", "nama", "alamat", "city", "opentime", "closetime"),
                      [(n, f"Colederma Cabang {n}", f"Jl. Cabang No. {n}",
                        ("Jakarta", "Bandung", "Surabaya", "Medan")[n % 4], time(9), time(21))
                       for n in range(1, s["stores"] + 1)])
        store_menus, stocks, smid = [], [], 0
        for store in range(1, s["stores"] + 1):
            for mid in rng.sample(range(1, s["products"] + 1), int(s["products"] * 0.7)):
                smid += 1
                store_menus.append((smid, mid, store))
                stocks.append((smid, smid, rng.randint(0, 250), now))
        writer.insert(StoreMenu, ("id", "idmenu", "idbrandstore"), store_menus)
        writer.insert(StoreMenuStock, ("id", "idbrandstoremenus", "quantitytotal",
                                       "datetimeupdateat"), stocks)
        promotions = []
        for pid in range(1, 61):
            start = datetime.combine(first + timedelta(days=rng.randint(0, 380)), time(0))
            quota = rng.choice((50, 100, 500, 1000))
            promotions.append((pid, rng.choice(("NOMINAL", "PERSEN")), rng.choice((10, 15, 20)),
                               quota, rng.randint(0, quota), start,
                               start + timedelta(days=rng.randint(7, 60)), f"PROMO{pid:03d}",
                               f"Promo {pid}"))
        writer.insert(Promotion, ("id", "type", "value", "quota", "used", "start_datetime",
                                  "expired_datetime", "display_codes", "title"), promotions)

        # services, doctors, their offers, windows and bookable slots
        writer.insert(ServiceCategory, ("id", "service_categories", "codes"),
                      [(n, f"Kategori {n}", f"SC{n}") for n in range(1, 6)])
        self.service_minutes = {}
        services = []
        for sid, name in enumerate(SERVICES, 1):
            self.service_minutes[sid] = rng.choice((30, 45, 60, 90))
            services.append((sid, name, rng.choice(range(150_000, 2_500_000, 50_000)),
                             self.service_minutes[sid], sid % 5 + 1))
        writer.insert(Service, ("id", "services_name", "services_price", "buffer_time",
                                "id_service_categories"), services)
        writer.insert(Doctor, ("id", "id_users", "live_id_users", "id_services", "custom_price"),
                      [(d, self.doctor_user[d], self.doctor_user[d], 1, 150_000)
                       for d in range(1, doctors + 1)])
        offers, self.offer_of = [], {}
        for d in range(1, doctors + 1):
            for sid in rng.sample(range(1, len(SERVICES) + 1), 4):
                oid = len(offers) + 1
                price = rng.choice(range(150_000, 2_500_000, 50_000))
                offers.append((oid, d, sid, sid, price))
                self.offer_of.setdefault(d, []).append((oid, sid, price))
        writer.insert(DoctorService, ("id", "id_doctors", "id_services", "live_id_services",
                                      "custom_price"), offers)
        windows, slots = [], []
        self.slot_times = [time(8 + minutes // 60, minutes % 60)
                           for minutes in range(0, 12 * 60, 20)]  # 08:00 … 19:40
        self.slot_id = {}
        for d in range(1, doctors + 1):
            for weekday in range(6):  # Senin … Sabtu
                windows.append((len(windows) + 1, d, DAY_NAMES[weekday], time(8), time(20)))
                for index, start in enumerate(self.slot_times):
                    oid, sid, price = self.offer_of[d][index % 4]
                    slots.append((len(slots) + 1, d, oid, price, DAY_NAMES[weekday], start))
                    self.slot_id[(d, weekday, index)] = (len(slots), sid, price)
        writer.insert(PracticeWindow, ("id", "id_doctors", "hari", "jam", "jam_selesai"), windows)
        writer.insert(DoctorSchedule, ("id", "id_doctors", "id_doctor_services", "custom_price",
                                       "hari", "jam"), slots)

        # patients: four in five belong to a customer account
        customers = s["users"] - len(self.staff_ids)
        self.patient_user = {}
        patients = []
        for pid in range(1, s["patients"] + 1):
            owner = len(self.staff_ids) + 1 + rng.randrange(customers) if rng.random() < 0.8 \
                else None
            self.patient_user[pid] = owner
            created = _moment(rng, rng.choice(self.order_days)) if rng.random() < 0.35 else \
                datetime.combine(first - timedelta(days=rng.randint(1, 900)), time(10))
            name = _name(rng)
            born = date(rng.randint(1960, 2010), rng.randint(1, 12), rng.randint(1, 28))
            gender = rng.choice("LP")
            phone = f"08{rng.randint(10**9, 10**10 - 1)}"
            patients.append((pid, owner, f"RM{pid:07d}", name, born, gender, phone, created,
                             created,
                             patient_search_text({"nama_lengkap_pasien": name,
                                                  "no_handphone": phone,
                                                  "patient_external_id": f"RM{pid:07d}"})))
        writer.insert(Patient, ("id", "id_users", "patient_external_id", "nama_lengkap_pasien",
                                "tanggal_lahir", "jenis_kelamin", "no_handphone", "created",
                                "updated", "search_text"), patients)
        del patients

        self._appointments(writer, Appointment, MedicalRecord)
        self._orders(writer)

        logs = ((lid, _moment(rng, rng.choice(self.order_days), 0, 24),
                 rng.choice(self.staff_ids) if rng.random() < 0.5
                 else rng.randint(1, s["users"]), rng.choice(LOG_ACTIONS),
                 rng.choice(("orders", "patients", "user_schedules", "users")),
                 rng.randint(1, 50_000), "bench", "10.0.0.1") for lid in range(1, s["logs"] + 1))
        writer.insert(Log, ("id", "created", "id_users", "action", "object_type", "object_id",
                            "descriptions", "ip_address"), logs)

    def _appointments(self, writer, Appointment, MedicalRecord):
        """Appointments on the doctors' free slots, Monday to Saturday, over the year and the
        rest of this month: the past mostly DONE, some cancelled or never come; the future
        booked."""
        rng, s = self.rng, self.size
        days = [self.span.first + timedelta(days=n)
                for n in range((self.span.month_end - self.span.first).days + 1)]
        days = [day for day in days if day.weekday() < 6]
        slots_per_day = len(self.slot_times)
        capacity = len(days) * s["doctors"] * slots_per_day
        count = min(s["appointments"], capacity)
        picked = sorted(rng.sample(range(capacity), count))
        rows, done = [], []
        for aid, code in enumerate(picked, 1):
            day_index, rest = divmod(code, s["doctors"] * slots_per_day)
            doctor, slot = divmod(rest, slots_per_day)
            doctor += 1
            day = days[day_index]
            schedule, sid, price = self.slot_id[(doctor, day.weekday(), slot)]
            start = self.slot_times[slot]
            patient = rng.randint(1, s["patients"])
            roll = rng.random()
            arrived = done_at = cancelled = None
            if day < self.today:
                status = "DONE" if roll < 0.76 else "CANCEL" if roll < 0.9 else \
                    "BOOKING" if roll < 0.98 else "RESCHEDULE"
            elif day == self.today:
                status = "DONE" if roll < 0.3 else "ARRIVED" if roll < 0.45 else \
                    "CANCEL" if roll < 0.55 else "BOOKING"
            else:
                status = "CANCEL" if roll < 0.08 else "RESCHEDULE" if roll < 0.15 else "BOOKING"
            moment = datetime.combine(day, start)
            if status in ("ARRIVED", "DONE"):
                arrived = moment - timedelta(minutes=10)
            if status == "DONE":
                done_at = moment + timedelta(minutes=self.service_minutes[sid])
                done.append((aid, patient, day, doctor))
            if status == "CANCEL":
                cancelled = moment - timedelta(days=1)
            booked = moment - timedelta(days=rng.randint(1, 20))
            rows.append((aid, doctor, sid, schedule, self.patient_user[patient], patient, price,
                         DAY_NAMES[day.weekday()], start, day, status,
                         None if status == "CANCEL" else f"{doctor}|{day}|{start:%H:%M}",
                         arrived, done_at, cancelled, booked, booked,
                         1 if status == "RESCHEDULE" else 0))
        writer.insert(Appointment, ("id", "id_doctors", "id_services", "id_doctor_schedules",
                                    "id_users", "id_patients", "custom_price", "hari", "jam",
                                    "tanggal", "status", "slot_key", "arrived_at", "done_at",
                                    "cancelled_at", "created", "updated", "reschedule_counts"),
                      rows)
        del rows
        rng.shuffle(done)
        records = []
        for rid, (aid, patient, day, doctor) in enumerate(done[:s["records"]], 1):
            stamp = datetime.combine(day, time(18))
            records.append((rid, patient, day, "Jerawat meradang di pipi", "Acne vulgaris",
                            rng.random() < 0.7, self.doctor_user[doctor], aid, stamp, stamp))
        writer.insert(MedicalRecord, ("id", "id_patients", "tanggal_konsul", "keluhan",
                                      "diagnosa", "is_verified", "id_users_author",
                                      "id_user_schedules", "created", "updated"), records)

    def _orders(self, writer):
        """Orders until the year holds the order items asked for: 85 % products (1–6 lines,
        popular products more often), 15 % online consultations; most paid and done, some
        paid then cancelled, some never paid, the last days' still to be handled."""
        from models import Order, OrderExtra, OrderItem

        rng, s = self.rng, self.size
        products = list(range(1, s["products"] + 1))
        popularity = [1 / (rank ** 0.8) for rank in range(1, len(products) + 1)]
        rng.shuffle(popularity)
        customers = list(range(len(self.staff_ids) + 1, s["users"] + 1))
        patients_of = {}
        for patient, user in self.patient_user.items():
            if user:
                patients_of.setdefault(user, patient)
        order_columns = ("id", "id_member", "id_patients", "id_brandstore", "order_type",
                         "order_code", "cart_key", "status", "order_date", "nama_pemesan",
                         "total_price", "total_discount", "courier_price", "grand_totals",
                         "is_paid", "paid_date", "pay_channel", "is_processing", "is_prepared",
                         "is_pickup", "is_done", "done_datetime", "is_canceled",
                         "cancel_datetime", "id_promo_discount_applied", "deleted_at",
                         "created", "updated")
        target, written, oid, item_id, extra_id = s["order_items"], 0, 0, 0, 0
        carts_left = max(int(200 * self.scale), 5)
        recent = self.today - timedelta(days=4)
        while written < target:
            orders, items, extras = [], [], []
            for _ in range(5000):
                if written >= target:
                    break
                oid += 1
                member = rng.choice(customers)
                day = rng.choices(self.order_days, self.day_weights)[0]
                ordered = _moment(rng, day)
                kind = "C" if rng.random() < 0.15 else "E"
                total = 0
                if kind == "E":
                    count = rng.choices((1, 2, 3, 4, 5, 6), (22, 22, 20, 16, 12, 8))[0]
                    picked = set(rng.choices(products, popularity, k=count))
                    for menu in picked:
                        item_id += 1
                        qty = rng.choices((1, 2, 3), (70, 22, 8))[0]
                        price = self.prices[menu]
                        total += price * qty
                        items.append((item_id, oid, menu, qty, "pcs", price, price * qty,
                                      ordered, ordered, ordered))
                    written += len(picked)
                else:
                    extra_id += 1
                    doctor = rng.randint(1, s["doctors"])
                    total = rng.choice((75_000, 100_000, 150_000))
                    extras.append((extra_id, oid, doctor, "Online consultation", 1, total,
                                   ordered, ordered))
                roll = rng.random()
                paid = cancelled = deleted = None
                status, cart_key = "DONE", None
                if carts_left and day == self.today and roll < 0.3:
                    carts_left -= 1
                    status, cart_key = "SHOPPING CARTS", f"{member}|{kind}"
                elif roll < 0.80:
                    paid = ordered + timedelta(minutes=rng.randint(1, 180))
                    if day >= recent and kind == "E":
                        status = rng.choice(("PAID", "PROCESSING", "PREPARED", "PICKUP", "DONE"))
                    if roll < 0.005:
                        deleted = paid + timedelta(days=1)
                elif roll < 0.85:  # paid, then cancelled (money given back)
                    paid = ordered + timedelta(minutes=rng.randint(1, 180))
                    status, cancelled = "CANCEL", paid + timedelta(hours=rng.randint(1, 48))
                elif roll < 0.94:  # the checkout expired unpaid
                    status, cancelled = "CANCEL", ordered + timedelta(days=1)
                else:
                    status = "CHECKOUT"
                discount = promotion = None
                if kind == "E" and rng.random() < 0.12:
                    promotion = rng.randint(1, 60)
                    discount = min(total // 10, 100_000)
                discount = discount or 0
                courier = rng.choice((0, 9_000, 15_000, 22_000)) if kind == "E" else 0
                code = None if cart_key else f"{kind}-{day:%Y%m%d}-{oid:07d}"
                orders.append((
                    oid, member, patients_of.get(member), rng.randint(1, s["stores"])
                    if kind == "E" else None, kind, code, cart_key, status, ordered,
                    self.user_names[member], total, discount, courier,
                    total - discount + courier, paid is not None, paid,
                    rng.choice(("bank_transfer", "gopay", "qris", "credit_card")) if paid else "",
                    status in ("PROCESSING", "PREPARED", "PICKUP", "DONE"),
                    status in ("PREPARED", "PICKUP", "DONE"), status in ("PICKUP", "DONE"),
                    status == "DONE", paid + timedelta(days=2) if status == "DONE" else None,
                    cancelled is not None, cancelled, promotion, deleted, ordered,
                    paid or ordered))
            writer.insert(Order, order_columns, orders)
            writer.insert(OrderItem, ("id", "id_order", "id_menu", "qty", "satuan", "price",
                                      "price_total", "order_datetime", "created", "updated"),
                          items)
            writer.insert(OrderExtra, ("id", "id_orders", "id_doctors", "item", "qty",
                                       "extra_prices", "created", "updated"), extras)


# ---- building and caching -------------------------------------------------------------------
COUNTED = ("users", "patients", "user_schedules", "patient_rekam_medis", "logs", "orders",
           "order_items")
ROLLUPS = ("report_day_orders", "report_day_products", "report_month_products",
           "report_day_consultations", "report_day_appointments", "report_month_appointments")


def row_counts(connection) -> dict:
    return {name: connection.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar()
            for name in COUNTED}


def _build(url: str, scale: float, today: date, folder: Path, progress: bool) -> dict:
    """Migrate the empty database at `url` and fill it."""
    from flask_migrate import upgrade

    from app import create_app
    from app.config import TestingConfig
    from services.accounts.operations import hash_password

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(folder),
                     ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024)
    with app.app_context():
        upgrade()
        from models import db

        generator = Generator(scale, today, hash_password(OWNER_PASSWORD))
        db.session.remove()
        with tqdm(total=generator.planned_rows(), unit=" rows", unit_scale=True,
                  disable=not progress, dynamic_ncols=True) as bar:
            writer = Writer(db.engine, generator.now, bar)
            try:
                generator.write(writer)
            finally:
                writer.close()
            bar.total = bar.n
            bar.set_description("done")
        # the rows above bypass the ORM: fill the report rollups as the nightly rebuild does
        from services.reports.rollups import rebuild

        rebuild(generator.span.first, generator.span.month_end)
        db.session.commit()
        if db.engine.dialect.name != "sqlite":
            with db.engine.connect() as connection:
                for name in COUNTED + ("order_extras",) + ROLLUPS:
                    connection.exec_driver_sql(f"ANALYZE TABLE {name}")
        else:
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        with db.engine.connect() as connection:
            counts = row_counts(connection)
        db.engine.dispose()
    return counts


def _migrate(url: str, folder: Path) -> dict:
    """Bring a dataset built at an older migration head up to the current one (what a
    deployment does: the new migrations run on a full database, back-fills included), then
    refresh the planner's statistics; returns the row counts."""
    from flask_migrate import upgrade

    from app import create_app
    from app.config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(folder))
    with app.app_context():
        from models import db

        upgrade()
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "sqlite":
                connection.exec_driver_sql("ANALYZE")
            else:
                for name in COUNTED + ("order_extras",) + ROLLUPS:
                    connection.exec_driver_sql(f"ANALYZE TABLE {name}")
            connection.commit()
            counts = row_counts(connection)
        db.engine.dispose()
    return counts


def _same_data(old_key: str, key: str) -> bool:
    """True when two cache keys differ only in the migration head (same generator version,
    scale and month): the older dataset can be migrated instead of generated again."""
    old, new = old_key.split("-"), key.split("-")
    return len(old) == len(new) and old[0] == new[0] and old[2:] == new[2:] and old != new


def ensure_sqlite(scale: float, today: date, progress: bool = True) -> tuple[Path, dict]:
    """The cached SQLite file for this scale (built first when missing) and its row counts."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = cache_key(scale, today)
    path = folder / f"bench-{key}.db"
    meta = folder / f"bench-{key}.json"
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    partial = folder / f"building-{key}.db"
    for leftover in folder.glob(f"building-{key}.db*"):
        leftover.unlink()
    older = [old for old in folder.glob(f"bench-*-s{scale:g}-*.db")
             if _same_data(old.name.removeprefix("bench-").removesuffix(".db"), key)]
    for old in folder.glob(f"bench-*-s{scale:g}-*"):  # an older schema or month
        if old not in older:
            old.unlink()
    scratch = folder / "uploads"
    counts = None
    if older:
        try:
            if progress:
                print(f"bench: migrating {older[0].name} to the current schema", flush=True)
            older[0].rename(partial)
            counts = _migrate(f"sqlite:///{partial}", scratch)
        except Exception as exc:  # noqa: BLE001 — any failure: generate it again
            print(f"bench: migrating the cached dataset failed ({exc}); generating it again",
                  flush=True)
            counts = None
            for leftover in folder.glob(f"building-{key}.db*"):
                leftover.unlink()
        for old in older:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)
    try:
        if counts is None:
            counts = _build(f"sqlite:///{partial}", scale, today, scratch, progress)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        partial.rename(path)
        meta.write_text(json.dumps(counts))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for leftover in folder.glob(f"building-{key}.db*"):
            leftover.unlink()
    return path, counts


MARIADB_DATABASE = "colederma_bench"


def _migrate_mariadb(url, key: str, folder: Path, progress: bool) -> dict | None:
    """Migrate the loaded bench database to the current head and re-mark it; None when that
    fails (the caller then loads it again)."""
    rendered = url.render_as_string(hide_password=False)
    try:
        if progress:
            print("bench: migrating the loaded MariaDB dataset to the current schema",
                  flush=True)
        counts = _migrate(rendered, folder)
    except Exception as exc:  # noqa: BLE001 — any failure: load it again
        print(f"bench: migrating the MariaDB dataset failed ({exc}); loading it again",
              flush=True)
        return None
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE bench_dataset SET dataset_key = :key, counts = "
                                    ":counts"), {"key": key, "counts": json.dumps(counts)})
    finally:
        engine.dispose()
    return counts


def ensure_mariadb(server_url: str, scale: float, today: date, folder: Path,
                   progress: bool = True) -> tuple[str, dict]:
    """The bench database on the MariaDB server of `server_url`, loaded unless its marker
    (key and row counts) says it already holds this dataset."""
    from sqlalchemy.engine import make_url

    url = make_url(server_url).set(database=MARIADB_DATABASE)
    key = cache_key(scale, today)
    server = create_engine(make_url(server_url).set(database=None))
    try:
        with server.connect() as connection:
            exists = connection.execute(text(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = :db "
                "AND table_name = 'bench_dataset'"), {"db": MARIADB_DATABASE}).scalar()
            if exists:
                marker = connection.execute(text(
                    f"SELECT dataset_key, counts FROM {MARIADB_DATABASE}.bench_dataset")).first()
                if marker and marker[0] == key:
                    connection.exec_driver_sql(f"USE {MARIADB_DATABASE}")
                    counts = row_counts(connection)
                    recorded = json.loads(marker[1])
                    # a run signs in, which writes a log row: logs may only have grown
                    if all(counts[name] == recorded.get(name) for name in counts
                           if name != "logs"):
                        return url.render_as_string(hide_password=False), counts
                elif marker and _same_data(marker[0], key):
                    migrated = _migrate_mariadb(url, key, folder, progress)
                    if migrated is not None:
                        return url.render_as_string(hide_password=False), migrated
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {MARIADB_DATABASE}")
            connection.exec_driver_sql(
                f"CREATE DATABASE {MARIADB_DATABASE} CHARACTER SET utf8mb4 "
                "COLLATE utf8mb4_unicode_ci")
    finally:
        server.dispose()
    rendered = url.render_as_string(hide_password=False)
    counts = _build(rendered, scale, today, folder, progress)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "CREATE TABLE bench_dataset (dataset_key VARCHAR(200), counts TEXT)")
            connection.execute(text("INSERT INTO bench_dataset VALUES (:key, :counts)"),
                               {"key": key, "counts": json.dumps(counts)})
    finally:
        engine.dispose()
    return rendered, counts


__all__ = ["ensure_mariadb", "ensure_sqlite", "sizes", "scale_from_env", "Span",
           "OWNER_USERNAME", "OWNER_PASSWORD"]
