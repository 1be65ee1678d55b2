"""Rules of doctors' rows, shared by the declarations, the operations and the queries: limits of
prices and buffers, day names, ids in range, when a slot ends and whether it fits in a
practice window, and who may change whose schedule (the office any doctor's, a doctor their
own)."""
from datetime import date, datetime, timedelta

from models import DAYS, Doctor, DoctorSchedule, PracticeWindow
from services.access import doctor_of, has_doctor_role, is_office
from services.engine.filters import INT_MAX, custom
from services.errors import Forbidden, Invalid
from services.format import hour_minute

PRICE_MAX = 1_000_000_000  # rupiah
PRICE_PROBLEM = "Tarif tidak boleh negatif (maksimal Rp 1.000.000.000)."
BUFFER_MAX = 240  # minutes a doctor keeps after a service
REQUIRED = "Wajib diisi."


def normalize_day(value):
    """The day name as stored (Senin … Minggu) from any case, or None when it is no day."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("'", "")
    for day in DAYS:
        if day.lower() == text:
            return day
    return None


def day_filter(column):
    """Filter on a day-name column: one day or a list, in any case; anything else is invalid."""
    def apply(stmt, value):
        values = value if isinstance(value, list) else [value]
        days = [normalize_day(item) for item in values]
        if not days or any(day is None for day in days):
            raise ValueError(value)
        return stmt.where(column.in_(days))
    return custom(apply)


def ids_out_of_range(data, *names) -> dict:
    """Problems of the ids outside the INT range: they refer to nothing."""
    return {name: "Data yang dirujuk tidak ditemukan." for name in names
            if data.get(name) is not None and not 1 <= data[name] <= INT_MAX}


def price_problems(data) -> dict:
    """The problem of a `custom_price` outside 0 … PRICE_MAX, if any."""
    price = data.get("custom_price")
    if price is not None and not 0 <= price <= PRICE_MAX:
        return {"custom_price": PRICE_PROBLEM}
    return {}


def check_day_and_required(data, names) -> dict:
    """Normalize `hari` in place; problems of an unknown day or a required input sent empty."""
    problems = {}
    if "hari" in data:
        day = normalize_day(data["hari"])
        if day is None:
            problems["hari"] = f"Pilih salah satu: {', '.join(DAYS)}."
        else:
            data["hari"] = day
    for name in names:
        if name in data and data[name] is None:
            problems[name] = REQUIRED
    return problems


def window_hours(window: PracticeWindow) -> str:
    """A practice window's hours as staff read them: 09:00–12:00."""
    return f"{hour_minute(window.jam)}–{hour_minute(window.jam_selesai)}"


def window_label(window: PracticeWindow) -> str:
    """A practice window as staff read it: Senin 09:00–12:00."""
    return f"{window.hari} {window_hours(window)}"


def slot_end(slot: DoctorSchedule):
    """When an appointment in the slot ends (start + the service's duration), as a time."""
    begins = datetime.combine(date(2000, 1, 3), slot.jam)
    return (begins + timedelta(minutes=slot.offer.service.buffer_time)).time()


def fits(slot: DoctorSchedule, windows) -> bool:
    """True when the slot (start + the service's duration) lies inside one of the windows."""
    base = date(2000, 1, 3)
    begins = datetime.combine(base, slot.jam)
    ends = begins + timedelta(minutes=slot.offer.service.buffer_time)
    return any(window.hari == slot.hari and datetime.combine(base, window.jam) <= begins
               and ends <= datetime.combine(base, window.jam_selesai) for window in windows)


def may_manage_schedule(actor, doctor: Doctor | None) -> bool:
    """True when the actor may change this doctor's windows and slots."""
    if actor is None or doctor is None:
        return False
    return is_office(actor) or (has_doctor_role(actor) and doctor.id_users == actor.id)


def check_own_doctor(actor, doctor_id):
    """Refuse a doctor (or anyone outside the office) naming another doctor's schedule; with
    no doctor named, refuse anyone who is neither office nor a doctor with a record."""
    if is_office(actor):
        return
    own = doctor_of(actor)
    if own is None:
        raise Forbidden("Hanya staf klinik atau dokter yang bersangkutan yang dapat mengatur "
                        "jadwal ini.", fields={"id_doctors": "Bukan jadwal Anda."})
    if doctor_id is not None and doctor_id != own.id:
        raise Forbidden("Anda hanya dapat mengatur jadwal Anda sendiri.",
                        fields={"id_doctors": "Bukan jadwal Anda."})


def check_change_own(obj, actor):
    """A doctor changes only rows of their own doctor record (the office any)."""
    if is_office(actor):
        return
    own = doctor_of(actor)
    if own is None or obj.id_doctors != own.id:
        raise Forbidden("Anda hanya dapat mengubah jadwal Anda sendiri.")


def parse_doctor_id(value) -> int:
    """The `id_doctors` of a request body, or 422."""
    if isinstance(value, bool) or value in (None, ""):
        raise Invalid(fields={"id_doctors": REQUIRED})
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise Invalid(fields={"id_doctors": "Harus berupa angka."}) from exc
    if not 1 <= number <= INT_MAX:
        raise Invalid(fields={"id_doctors": "Dokter tidak ditemukan."})
    return number
