"""The owner's dashboard figures: the KPI cards and the per-doctor chart, built from the
report queries (queries.py, dashboard.py) so a card shows the same number as the API; the one
figure the API does not have (new patients) is here, beside the periods the cards speak of.

Every card names the period it counts, so the screen can link it to the list behind it
(orders paid in the period, DONE appointments in the period, patients registered in it)."""
import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from models import Patient, clinic_now, db

from . import dashboard, queries
from .question import Period, ReportFilters


def today() -> date:
    """The clinic's date now (Asia/Jakarta)."""
    return clinic_now().date()


def this_month(day: date) -> Period:
    """The 1st of `day`'s month up to `day`."""
    return Period(day.replace(day=1), day)


def same_days_last_month(day: date) -> Period:
    """Last month's 1st up to the same day of the month as `day` (its last day when last
    month is shorter): what this month so far is compared with."""
    last_month_end = day.replace(day=1) - timedelta(days=1)
    first = last_month_end.replace(day=1)
    length = calendar.monthrange(first.year, first.month)[1]
    return Period(first, first.replace(day=min(day.day, length)))


def change_percent(now: int, before: int) -> float | None:
    """How much `now` grew (+) or shrank (−) from `before`, in percent (one decimal); None
    when there is nothing to compare with (before is 0)."""
    if not before:
        return None
    return round((now - before) * 100 / before, 1)


def new_patients(period: Period) -> int:
    """Patients registered (created, not deleted) in the period."""
    return int(db.session.execute(
        select(func.count(Patient.id))
        .where(period.holds(Patient.created), Patient.deleted_at.is_(None))).scalar_one())


def appointments_by_doctor(period: Period) -> list[dict]:
    """Per doctor: the appointments of the period booked (all) and done (DONE), summed over
    the services of appointment_performance; most done first."""
    doctors = {}
    for row in queries.appointment_performance(ReportFilters(period=period)):
        doctor = doctors.setdefault(row["id_doctors"], {
            "id_doctors": row["id_doctors"], "doctors": row["doctors"], "booked": 0,
            "done": 0, "cancelled": 0, "revenue": 0})
        doctor["booked"] += row["booked"]
        doctor["done"] += row["qty"]
        doctor["cancelled"] += row["cancelled"]
        doctor["revenue"] += row["revenue"]
    return sorted(doctors.values(), key=lambda row: (-row["done"], -row["booked"],
                                                     row["doctors"]))


@dataclass
class Cards:
    """The KPI cards' numbers and the periods they count."""

    day: date
    today: Period
    month: Period
    last_month: Period
    revenue_today: int
    revenue_month: int
    revenue_last_month: int
    revenue_change: float | None
    invoices_month: int
    appointments_done_month: int
    new_patients_month: int
    by_doctor: list


def _paid(period: Period) -> dict:
    return queries.sales_stats(ReportFilters(period=period))


def cards(day: date | None = None) -> Cards:
    """The dashboard's cards for `day` (default: today): net revenue today, this month and
    the same days of last month (with the change in percent), paid invoices this month,
    appointments done this month and new patients this month; and the month's appointments
    per doctor (for the chart), in a fixed number of queries."""
    day = day or today()
    month, last_month = this_month(day), same_days_last_month(day)
    paid_today, paid_month, paid_before = _paid(Period(day, day)), _paid(month), \
        _paid(last_month)
    by_doctor = appointments_by_doctor(month)
    return Cards(
        day=day, today=Period(day, day), month=month, last_month=last_month,
        revenue_today=paid_today["amount_total"], revenue_month=paid_month["amount_total"],
        revenue_last_month=paid_before["amount_total"],
        revenue_change=change_percent(paid_month["amount_total"], paid_before["amount_total"]),
        invoices_month=paid_month["total_sales"] + paid_month["total_online_consultation"],
        appointments_done_month=sum(row["done"] for row in by_doctor),
        new_patients_month=new_patients(month), by_doctor=by_doctor)


def charts(day: date | None = None) -> dict:
    """The year-to-date chart data: revenue and invoices per month, top products and top
    services (the dashboard API's figures)."""
    year = dashboard.year_to_date(day or today())
    return {"revenue": dashboard.revenue_by_month(year),
            "invoices": dashboard.invoices_by_month(year),
            "products": dashboard.top_products(year), "services": dashboard.top_services(year)}


__all__ = ["Cards", "appointments_by_doctor", "cards", "change_percent", "charts",
           "new_patients", "same_days_last_month", "this_month", "today"]
