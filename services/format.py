"""How values read on the staff screens and in messages: money, durations, dates, days and
phone numbers. Defined once; the screens register these as template filters."""
from datetime import date, datetime, time

from services.access import role_label

DASH = "–"
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # Monday first


def _blank(value) -> bool:
    return value is None or value == ""


def rupiah(value) -> str:
    """Whole rupiah as staff read it: Rp 1.250.000, -Rp 5.000, – for nothing."""
    if _blank(value):
        return DASH
    amount = int(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def thousands(value) -> str:
    """Whole rupiah without the "Rp", as a money input shows it: 160.000 ('' for nothing)."""
    if _blank(value):
        return ""
    return f"{int(value):,}".replace(",", ".")


def idr(value) -> str:
    """Money as the mobile app shows it (documented): IDR 123.000."""
    amount = int(value or 0)
    sign = "-" if amount < 0 else ""
    return f"{sign}IDR {abs(amount):,}".replace(",", ".")


def minutes(value) -> str:
    """A duration as staff read it: 30 menit."""
    if _blank(value):
        return DASH
    return f"{int(value)} menit"


def day_text(value) -> str:
    """A date as dd/mm/yyyy ('' for nothing)."""
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else ""


def moment_text(value) -> str:
    """A date and time as dd/mm/yyyy HH:MM ('' for nothing)."""
    return value.strftime("%d/%m/%Y %H:%M") if isinstance(value, datetime) else ""


def hour_minute(value) -> str:
    """A time of day as HH:MM ('' for nothing)."""
    return value.strftime("%H:%M") if isinstance(value, (time, datetime)) else ""


def weekday_name(day) -> str:
    """The Indonesian name of the day of the week of a date (Senin … Minggu)."""
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return WEEKDAYS[day.weekday()]


GENDERS = {"L": "Laki-laki", "P": "Perempuan"}


def gender(value) -> str:
    """L/P spelled out (– for nothing)."""
    return GENDERS.get(value or "", DASH)


def yes_no(value) -> str:
    """Ya / Tidak."""
    return "Ya" if value else "Tidak"


def show(value) -> str:
    """Any value as staff read it: dd/mm/yyyy dates, Ya/Tidak, lists joined, – for nothing."""
    if value is None or value == "" or value == []:
        return DASH
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime):
        return moment_text(value)
    if isinstance(value, date):
        return day_text(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(role_label(item["role_codes"]) if isinstance(item, dict)
                         and "role_codes" in item else str(item) for item in value)
    return str(value)
