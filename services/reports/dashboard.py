"""Dashboard figures: the year-to-date totals per month and the top products and services
(dashboard/total/*), and the scopes of the "what comes next" lists (dashboard/upcoming/*:
appointments still to come, paid product orders to handle, promotions not expired).

They follow the rules of the report figures (queries.py's docstring) and are built on them:
the period (`Period`), the counted orders (`counted_order`) and the products sold
(`product_sales`). Like those, each total answers from the rollups (summaries.py) and from the
live query with `live=True`."""
import calendar
from datetime import date

from sqlalchemy import extract, func, select
from sqlalchemy.orm import aliased

from models import Appointment, Order, Promotion, Service, clinic_now, db
from models.orders import PAID, PREPARED, PROCESSING
from services.appointments.statuses import LIVE

from . import summaries
from .queries import DONE_APPOINTMENT, counted_order, product_sales
from .question import Period, ReportFilters

TO_HANDLE = (PAID, PROCESSING, PREPARED)  # paid product orders the clinic still has to send
TOP_LIMIT = 10


# ---- totals of the year (dashboard/total/*) --------------------------------------
def year_to_date(today: date | None = None) -> Period:
    """1 January of this year up to today (clinic days)."""
    today = today or clinic_now().date()
    return Period(today.replace(month=1, day=1), today)


def _months(period: Period, values: dict, key: str, as_text: bool) -> list[dict]:
    result = []
    for month in range(period.first.month, period.last.month + 1):
        value = int(values.get((period.first.year, month), 0))
        result.append({"months": month, "years": period.first.year,
                       key: str(value) if as_text else value,
                       "month_names": calendar.month_name[month]})
    return result


def _by_month(measure, period: Period) -> dict:
    year, month = extract("year", Order.paid_date), extract("month", Order.paid_date)
    rows = db.session.execute(
        select(year, month, measure)
        .where(counted_order(), period.holds(Order.paid_date))
        .group_by(year, month)).all()
    return {(int(y), int(m)): value or 0 for y, m, value in rows}


def revenue_by_month(period: Period | None = None, live: bool = False) -> list[dict]:
    """dashboard/total/pendapatan: the net money of paid orders per month, year to date
    (every month, empty ones as "0"); the same figure as stats' amount_total."""
    period = period or year_to_date()
    values = _by_month(func.sum(Order.total_price - Order.total_discount), period) if live \
        else summaries.by_month(period, "net")
    return _months(period, values, "amounts", as_text=True)


def invoices_by_month(period: Period | None = None, live: bool = False) -> list[dict]:
    """dashboard/total/invoice: how many orders were paid per month, year to date."""
    period = period or year_to_date()
    values = _by_month(func.count(Order.id), period) if live \
        else summaries.by_month(period, "orders")
    return _months(period, values, "counts", as_text=False)


def top_products(period: Period | None = None, limit: int = TOP_LIMIT,
                 live: bool = False) -> list[dict]:
    """dashboard/total/products: the products sold most (quantity in paid orders), year to
    date; counts as text, as documented."""
    rows = product_sales(ReportFilters(period=period or year_to_date()), live=live)
    rows.sort(key=lambda row: (-row["qty"], row["id_menu"]))
    return [{"id_menu": row["id_menu"], "nama_menus": row["nama_menus"],
             "counts": str(row["qty"])} for row in rows[:limit]]


def top_services(period: Period | None = None, limit: int = TOP_LIMIT,
                 live: bool = False) -> list[dict]:
    """dashboard/total/services: the services done most (DONE appointments), year to date."""
    period = period or year_to_date()
    if not live:
        return [{"id_services": service_id, "services_name": name, "counts": int(counted)}
                for service_id, name, counted in summaries.top_services(
                    period, clinic_now().date(), limit)]
    count = func.count(Appointment.id)
    rows = db.session.execute(
        select(Service.id, Service.services_name, count)
        .join(Appointment, Appointment.id_services == Service.id)
        .where(Appointment.status == DONE_APPOINTMENT, Appointment.tanggal >= period.first,
               Appointment.tanggal <= period.last)
        .group_by(Service.id, Service.services_name)
        .order_by(count.desc(), Service.id).limit(limit)).all()
    return [{"id_services": service_id, "services_name": name, "counts": int(counted)}
            for service_id, name, counted in rows]


# ---- upcoming lists (dashboard/upcoming/*: scopes over the resources' own tables)
def upcoming_appointments(stmt):
    """Appointments from today on that still hold their slot (booked, rescheduled, arrived)."""
    return stmt.where(Appointment.tanggal >= clinic_now().date(), Appointment.status.in_(LIVE))


UPCOMING_APPOINTMENTS_ORDER = (Appointment.tanggal.asc(), Appointment.jam.asc(),
                               Appointment.id.asc())


def orders_to_handle(stmt):
    """Paid product orders the clinic has yet to process, prepare or hand over.

    They are few (the last days' orders): they are read from ix_orders_status_figures (which
    holds every column the condition asks) and sorted. Left to themselves, MariaDB walks
    ix_orders_paid_figures in paid_date order to spare the sort, and SQLite trusts its
    statistics of `deleted_at IS NULL` (~200 rows: NULL for nearly all) and reads every order
    through that index; each reads a year of orders to find a few thousand (bench/RESULTS.md).
    So MariaDB is told to leave that index alone, and SQLite gets the ids by status first."""
    stmt = stmt.where(counted_order(), Order.order_type == "E", Order.status.in_(TO_HANDLE))
    if db.session.get_bind().dialect.name == "sqlite":
        handled = aliased(Order)
        return stmt.where(Order.id.in_(select(handled.id).where(
            handled.status.in_(TO_HANDLE), handled.order_type == "E")))
    for dialect in ("mysql", "mariadb"):
        stmt = stmt.with_hint(Order, "IGNORE INDEX (ix_orders_paid_figures)", dialect)
    return stmt


ORDERS_TO_HANDLE_ORDER = (Order.paid_date.asc(), Order.id.asc())


def running_promotions(stmt):
    """Promotions not expired yet (running now, or starting later)."""
    return stmt.where(Promotion.expired_datetime >= clinic_now())


RUNNING_PROMOTIONS_ORDER = (Promotion.start_datetime.asc(), Promotion.id.asc())


__all__ = [
    "ORDERS_TO_HANDLE_ORDER",
    "RUNNING_PROMOTIONS_ORDER",
    "TO_HANDLE",
    "UPCOMING_APPOINTMENTS_ORDER",
    "invoices_by_month",
    "orders_to_handle",
    "revenue_by_month",
    "running_promotions",
    "top_products",
    "top_services",
    "upcoming_appointments",
    "year_to_date",
]
