"""The report figures read from the rollups (models/reports.py, kept by rollup_tracking.py and
rollups.py): the same answers as the live queries of queries.py and dashboard.py, from a few
thousand summary rows instead of a year of orders. Those two decide which one answers (these
only when the filters are ones the rollups keep: period, order type, store, product, doctor,
service); nothing else should call them.

A period is read as whole months from the month tables (products, appointments) and the days
around them from the day tables."""
from datetime import date, timedelta

from sqlalchemy import and_, case, extract, func, literal, or_, select, union_all

from models import (
    Doctor,
    Menu,
    ReportDayAppointments,
    ReportDayConsultations,
    ReportDayOrders,
    ReportDayProducts,
    ReportMemberDays,
    ReportMonthAppointments,
    ReportMonthProducts,
    Service,
    Store,
    User,
    db,
)

# importing rollup_tracking registers the session events that keep the rollups exact
from .rollup_tracking import pending, settle
from .rollups import next_month


def _ready():
    """A transaction that changed orders or appointments reads its own changes."""
    if pending(db.session):
        settle(db.session)


def pieces(first: date, last: date, months_before: date | None = None):
    """The period as whole months (their first days) and the runs of days around them
    [(first, last)]; a month is whole only when it ends before `months_before` (if given)."""
    months, days = [], []
    cursor = first
    while cursor <= last:
        start = cursor.replace(day=1)
        following = next_month(start)
        end = following - timedelta(days=1)
        if cursor == start and end <= last and (months_before is None or end < months_before):
            months.append(start)
            cursor = following
            continue
        stop = min(end, last)
        if days and days[-1][1] + timedelta(days=1) == cursor:
            days[-1][1] = stop
        else:
            days.append([cursor, stop])
        cursor = stop + timedelta(days=1)
    return months, [(a, b) for a, b in days]


def _days(column, first: date, last: date):
    return and_(column >= first, column <= last)


def _any_day(column, runs):
    return or_(*(_days(column, a, b) for a, b in runs))


def _union(parts):
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()


# ---- orders ---------------------------------------------------------------------------------
def _order_conditions(table, filters):
    conditions = [_days(table.day, filters.period.first, filters.period.last)]
    if filters.order_type:
        conditions.append(table.order_type == filters.order_type)
    if filters.id_brandstore:
        conditions.append(table.id_brandstore.in_(filters.id_brandstore))
    return conditions


def order_sums(filters) -> dict:
    """The counted orders of the period: how many, and the sums of their money columns, per
    order type."""
    _ready()
    t = ReportDayOrders
    rows = db.session.execute(
        select(t.order_type, func.sum(t.orders), func.sum(t.total_price),
               func.sum(t.total_discount), func.sum(t.courier_price), func.sum(t.poin_used),
               func.sum(t.grand_totals))
        .where(*_order_conditions(t, filters)).group_by(t.order_type)).all()
    names = ("orders", "total_price", "total_discount", "courier_price", "poin_used",
             "grand_totals")
    return {kind: dict(zip(names, (int(value or 0) for value in values)))
            for kind, *values in rows}


def customers(period) -> int:
    """How many customers had counted orders in the period: their paid days in the period
    whose previous paid day is before it (each customer's first day in the period)."""
    _ready()
    t = ReportMemberDays
    return int(db.session.scalar(select(func.count()).select_from(t).where(
        t.day >= period.first, t.day <= period.last, t.prev_day < period.first)) or 0)


def store_sales(filters) -> list[tuple]:
    """(id_brandstore or None, store name, orders, sales, discount, net), most net first."""
    _ready()
    t = ReportDayOrders
    net = func.sum(t.total_price - t.total_discount)
    rows = db.session.execute(
        select(t.id_brandstore, Store.nama, func.sum(t.orders), func.sum(t.total_price),
               func.sum(t.total_discount), net)
        .outerjoin(Store, Store.id == t.id_brandstore)
        .where(*_order_conditions(t, filters))
        .group_by(t.id_brandstore, Store.nama)
        .order_by(net.desc(), t.id_brandstore)).all()
    return [(store_id or None, name, *values) for store_id, name, *values in rows]


def by_month(period, measure: str) -> dict:
    """{(year, month): value} of the counted orders of the period: "net" (total_price −
    total_discount) or "orders"."""
    _ready()
    t = ReportDayOrders
    value = func.sum(t.total_price - t.total_discount) if measure == "net" \
        else func.sum(t.orders)
    year, month = extract("year", t.day), extract("month", t.day)
    rows = db.session.execute(
        select(year, month, value).where(_days(t.day, period.first, period.last))
        .group_by(year, month)).all()
    return {(int(y), int(m)): int(v or 0) for y, m, v in rows}


def product_sales(filters) -> list[tuple]:
    """(id_menu, nama_menus, qty, money) of the product lines of the period, most money
    first."""
    _ready()
    months, runs = pieces(filters.period.first, filters.period.last)

    def part(table, where):
        conditions = [where]
        if filters.order_type:
            conditions.append(table.order_type == filters.order_type)
        if filters.id_menus:
            conditions.append(table.id_menu.in_(filters.id_menus))
        return select(table.id_menu, table.qty, table.price_total).where(*conditions)

    lines = _union([
        part(ReportMonthProducts, ReportMonthProducts.month.in_(months)) if months else None,
        part(ReportDayProducts, _any_day(ReportDayProducts.day, runs)) if runs else None])
    if lines is None:
        return []
    money = func.sum(lines.c.price_total)
    return db.session.execute(
        select(Menu.id, Menu.nama_menus, func.sum(lines.c.qty), money)
        .join(lines, lines.c.id_menu == Menu.id)
        .group_by(Menu.id, Menu.nama_menus).order_by(money.desc(), Menu.id)).all()


def consultation_sales(filters) -> list[tuple]:
    """(id_doctors or None, doctor's name, qty, amount) of the online consultations of the
    period, most money first."""
    _ready()
    t = ReportDayConsultations
    conditions = [_days(t.day, filters.period.first, filters.period.last), t.order_type == "C"]
    if filters.order_type:
        conditions.append(t.order_type == filters.order_type)
    if filters.id_doctors:
        conditions.append(t.id_doctors.in_(filters.id_doctors))
    money = func.sum(t.amount)
    rows = db.session.execute(
        select(t.id_doctors, User.users_fullname, func.sum(t.qty), money)
        .outerjoin(Doctor, Doctor.id == t.id_doctors)
        .outerjoin(User, User.id == Doctor.id_users)
        .where(*conditions).group_by(t.id_doctors, User.users_fullname)
        .order_by(money.desc(), t.id_doctors)).all()
    return [(doctor_id or None, name, qty, amount) for doctor_id, name, qty, amount in rows]


# ---- appointments -----------------------------------------------------------------------------
def _appointment_rows(period, today: date, id_doctors=(), id_services=()):
    """The rollup rows of the period: doctor, service, booked, done, cancelled, no-show (still
    waiting on a day before today) and revenue. Month rows only for months before today's,
    whose waiting ones are all no-shows."""
    months, runs = pieces(period.first, period.last, months_before=today.replace(day=1))

    def part(table, where, no_show):
        conditions = [where]
        if id_doctors:
            conditions.append(table.id_doctors.in_(id_doctors))
        if id_services:
            conditions.append(table.id_services.in_(id_services))
        return select(table.id_doctors, table.id_services, table.booked, table.done,
                      table.cancelled, no_show.label("no_show"), table.revenue) \
            .where(*conditions)

    m, d = ReportMonthAppointments, ReportDayAppointments
    return _union([
        part(m, m.month.in_(months), m.waiting) if months else None,
        part(d, _any_day(d.day, runs), case((d.day < today, d.waiting), else_=literal(0)))
        if runs else None])


def appointment_performance(filters, today: date) -> list[tuple]:
    """(id_doctors, name, picture, id_services, service, booked, done, cancelled, no-show,
    minutes, revenue) per doctor and service, in the doctors' and services' name order."""
    _ready()
    rows = _appointment_rows(filters.period, today, filters.id_doctors, filters.id_services)
    if rows is None:
        return []
    return db.session.execute(
        select(rows.c.id_doctors, User.users_fullname, User.users_picture, rows.c.id_services,
               Service.services_name, func.sum(rows.c.booked), func.sum(rows.c.done),
               func.sum(rows.c.cancelled), func.sum(rows.c.no_show),
               func.coalesce(func.sum(rows.c.done * Service.buffer_time), 0),
               func.sum(rows.c.revenue))
        .select_from(rows)
        .join(Doctor, Doctor.id == rows.c.id_doctors)
        .join(User, User.id == Doctor.id_users)
        .join(Service, Service.id == rows.c.id_services)
        .group_by(rows.c.id_doctors, User.users_fullname, User.users_picture,
                  rows.c.id_services, Service.services_name)
        .order_by(User.users_fullname, Service.services_name)).all()


def top_services(period, today: date, limit: int) -> list[tuple]:
    """(id_services, services_name, done) of the services done most in the period."""
    _ready()
    rows = _appointment_rows(period, today)
    if rows is None:
        return []
    count = func.sum(rows.c.done)
    return db.session.execute(
        select(Service.id, Service.services_name, count)
        .join(rows, rows.c.id_services == Service.id)
        .group_by(Service.id, Service.services_name).having(count > 0)
        .order_by(count.desc(), Service.id).limit(limit)).all()
