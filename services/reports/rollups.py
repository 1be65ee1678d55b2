"""Recomputing the report rollups (models/reports.py) from their source rows: the live figures of
a range of clinic days as rollup rows, `recompute` (the days a transaction changed, delete +
INSERT … SELECT of the live query restricted to them, and the month rows of products and
appointments summed again from the day rows) and `recompute_members` (each customer's paid
days). Which days a transaction changed is noted by rollup_tracking.py, which calls these just
before the transaction commits.

The safety net: `rebuild(first, last)` recomputes every day of a range (the
`flask --app wsgi reports-rebuild` command; the beat's nightly `colederma.rebuild_reports`
rebuilds yesterday and today)."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, func, insert, literal, select

from models import (
    Appointment,
    Order,
    OrderExtra,
    OrderItem,
    ReportDayAppointments,
    ReportDayConsultations,
    ReportDayOrders,
    ReportDayProducts,
    ReportMemberDays,
    ReportMonthAppointments,
    ReportMonthProducts,
    db,
)
from models.orders import CANCEL
from models.reports import NO_DAY

ORDERS, APPOINTMENTS = "orders", "appointments"
WAITING = ("BOOKING", "RESCHEDULE")


# ---- the live figures of a range of days, as rows of the rollups ----------------------------
def _counted():
    return and_(Order.is_paid.is_(True), Order.is_canceled.is_(False), Order.status != CANCEL,
                Order.deleted_at.is_(None))


def _paid_between(first: date, last: date):
    return and_(Order.paid_date >= datetime.combine(first, time.min),
                Order.paid_date < datetime.combine(last + timedelta(days=1), time.min))


def day_orders_rows(first: date, last: date):
    day = func.date(Order.paid_date)
    store = func.coalesce(Order.id_brandstore, 0)
    return select(day, Order.order_type, store, func.count(Order.id),
                  func.sum(Order.total_price), func.sum(Order.total_discount),
                  func.sum(Order.courier_price), func.sum(Order.poin_used),
                  func.sum(Order.grand_totals)) \
        .where(_counted(), _paid_between(first, last)).group_by(day, Order.order_type, store)


def day_products_rows(first: date, last: date):
    day = func.date(Order.paid_date)
    return select(day, Order.order_type, OrderItem.id_menu, func.sum(OrderItem.qty),
                  func.sum(OrderItem.price * OrderItem.qty)) \
        .join(Order, Order.id == OrderItem.id_order) \
        .where(_counted(), _paid_between(first, last), OrderItem.is_canceled.is_(False)) \
        .group_by(day, Order.order_type, OrderItem.id_menu)


def day_consultations_rows(first: date, last: date):
    day = func.date(Order.paid_date)
    doctor = func.coalesce(OrderExtra.id_doctors, 0)
    return select(day, Order.order_type, doctor, func.sum(OrderExtra.qty),
                  func.sum(OrderExtra.extra_prices * OrderExtra.qty)) \
        .join(Order, Order.id == OrderExtra.id_orders) \
        .where(_counted(), _paid_between(first, last)) \
        .group_by(day, Order.order_type, doctor)


def day_appointments_rows(first: date, last: date):
    done = Appointment.status == "DONE"
    return select(Appointment.tanggal, Appointment.id_doctors, Appointment.id_services,
                  func.count(Appointment.id), func.count(case((done, Appointment.id))),
                  func.count(case((Appointment.status == "CANCEL", Appointment.id))),
                  func.count(case((Appointment.status.in_(WAITING), Appointment.id))),
                  func.coalesce(func.sum(case((done, Appointment.custom_price), else_=0)), 0)) \
        .where(Appointment.tanggal >= first, Appointment.tanggal <= last) \
        .group_by(Appointment.tanggal, Appointment.id_doctors, Appointment.id_services)


# (day table, its columns in the order of the select, the select, the month table)
DAY_TABLES = {
    ORDERS: (
        (ReportDayOrders, ("day", "order_type", "id_brandstore", "orders", "total_price",
                           "total_discount", "courier_price", "poin_used", "grand_totals"),
         day_orders_rows, None),
        (ReportDayProducts, ("day", "order_type", "id_menu", "qty", "price_total"),
         day_products_rows, ReportMonthProducts),
        (ReportDayConsultations, ("day", "order_type", "id_doctors", "qty", "amount"),
         day_consultations_rows, None),
    ),
    APPOINTMENTS: (
        (ReportDayAppointments, ("day", "id_doctors", "id_services", "booked", "done",
                                 "cancelled", "waiting", "revenue"),
         day_appointments_rows, ReportMonthAppointments),
    ),
}
MONTH_KEYS = {ReportMonthProducts: ("order_type", "id_menu"),
              ReportMonthAppointments: ("id_doctors", "id_services")}
MONTH_SUMS = {ReportMonthProducts: ("qty", "price_total"),
              ReportMonthAppointments: ("booked", "done", "cancelled", "waiting", "revenue")}


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _refresh_days(session, kind: str, first: date, last: date):
    """Delete and insert again the day rows of `kind` from `first` to `last`."""
    for table, columns, rows, _month in DAY_TABLES[kind]:
        session.execute(delete(table).where(table.day >= first, table.day <= last))
        session.execute(insert(table).from_select(list(columns), rows(first, last)))


def _refresh_months(session, kind: str, months):
    """Sum the month rows of `kind` again from their day rows."""
    for table, _columns, _rows, month_table in DAY_TABLES[kind]:
        if month_table is None:
            continue
        keys, sums = MONTH_KEYS[month_table], MONTH_SUMS[month_table]
        for month in sorted(months):
            session.execute(delete(month_table).where(month_table.month == month))
            source = select(literal(month, month_table.month.type),
                            *(getattr(table, key) for key in keys),
                            *(func.sum(getattr(table, name)) for name in sums)) \
                .where(table.day >= month, table.day < next_month(month)) \
                .group_by(*(getattr(table, key) for key in keys))
            session.execute(insert(month_table).from_select(["month", *keys, *sums], source))


def _member_days_rows(members=None):
    """Each customer's paid days with the one before (NO_DAY for the first): of these
    customers, or of all when None."""
    conditions = [_counted(), Order.paid_date.is_not(None)]
    if members is not None:
        conditions.append(Order.id_member.in_(members))
    days = select(Order.id_member.label("id_member"), func.date(Order.paid_date).label("day")) \
        .where(*conditions).distinct().subquery()
    previous = func.lag(days.c.day).over(partition_by=days.c.id_member, order_by=days.c.day)
    return select(days.c.id_member, days.c.day,
                  func.coalesce(previous, literal(NO_DAY, ReportMemberDays.day.type)))


def recompute_members(session, members=None) -> None:
    """The report_member_days rows of these customers (all when None), again."""
    columns = ["id_member", "day", "prev_day"]
    if members is None:
        session.execute(delete(ReportMemberDays))
        session.execute(insert(ReportMemberDays).from_select(columns, _member_days_rows()))
        return
    members = sorted({member for member in members if member is not None})
    for start in range(0, len(members), 500):
        chunk = members[start:start + 500]
        session.execute(delete(ReportMemberDays).where(ReportMemberDays.id_member.in_(chunk)))
        session.execute(insert(ReportMemberDays).from_select(columns, _member_days_rows(chunk)))


def _runs(days) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) ranges."""
    runs = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def recompute(session, kind: str, days) -> None:
    """Recompute the rollup rows of these days (and their months) from the source rows."""
    days = {day for day in days if day is not None}
    if not days:
        return
    for first, last in _runs(days):
        _refresh_days(session, kind, first, last)
    _refresh_months(session, kind, {month_of(day) for day in days})


def rebuild(first: date, last: date, session=None, everyone: bool = False) -> dict:
    """Recompute every rollup row from `first` to `last` (whole months for the month tables;
    the paid days of the customers who paid in the range, of every customer with
    `everyone`); the caller commits. Returns how many rows each table holds for the range."""
    session = session or db.session
    if everyone:
        recompute_members(session)
    else:
        paid = set(session.scalars(select(Order.id_member).where(
            _paid_between(first, last)).distinct()))
        kept = set(session.scalars(select(ReportMemberDays.id_member).where(
            ReportMemberDays.day >= first, ReportMemberDays.day <= last).distinct()))
        recompute_members(session, paid | kept)
    months = set()
    month = month_of(first)
    while month <= last:
        months.add(month)
        month = next_month(month)
    for kind in (ORDERS, APPOINTMENTS):
        _refresh_days(session, kind, first, last)
        _refresh_months(session, kind, months)
    counts = {}
    for kind in (ORDERS, APPOINTMENTS):
        for table, *_rest in DAY_TABLES[kind]:
            counts[table.__tablename__] = session.scalar(
                select(func.count()).select_from(table)
                .where(table.day >= first, table.day <= last))
    counts["report_member_days"] = session.scalar(
        select(func.count()).select_from(ReportMemberDays)
        .where(ReportMemberDays.day >= first, ReportMemberDays.day <= last))
    return counts


def source_span(session=None) -> tuple[date, date] | None:
    """The first and last day any source row has (paid orders, appointments), or None."""
    session = session or db.session
    paid = session.execute(select(func.min(Order.paid_date), func.max(Order.paid_date))).one()
    days = session.execute(select(func.min(Appointment.tanggal),
                                  func.max(Appointment.tanggal))).one()
    ends = [value.date() if isinstance(value, datetime) else value
            for value in (*paid, *days) if value is not None]
    ends = [date.fromisoformat(str(value)[:10]) if isinstance(value, str) else value
            for value in ends]
    return (min(ends), max(ends)) if ends else None


__all__ = ["APPOINTMENTS", "DAY_TABLES", "ORDERS", "month_of", "next_month", "rebuild",
           "recompute", "recompute_members", "source_span"]
