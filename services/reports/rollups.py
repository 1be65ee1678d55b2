"""Keeping the report rollups (models/reports.py) exact: every change to an order, order line,
order extra or appointment recomputes the summary rows of the clinic days it touches, inside
the same transaction, just before it commits.

How it works (no write path can forget it):
- `before_flush` notes, for every order / order item / order extra / appointment the flush
  writes (new, changed or deleted), the days it moves: the order's paid day before and after
  (an item or extra: its order's), the appointment's `tanggal` before and after.
- `do_orm_execute` does the same for bulk `update(...)` / `delete(...)` statements on those
  tables (the conditional updates of services/orders/flow.py, shipping.py and
  services/payments/operations.py): it reads the rows the statement's WHERE picks first (their
  old days) and the orders' new paid day again at commit.
- `before_commit` flushes, then recomputes each noted day: its rows are deleted and inserted
  again by INSERT … SELECT of the live query restricted to that day (idempotent and exact), and
  the month rows of products and appointments are summed again from the day rows.
- On MariaDB (READ COMMITTED, as app/__init__.py sets it: each statement reads what others
  committed, without locking what it reads), a transaction locks the latch rows
  (report_latches) of the kinds and months and of the customers it recomputes, all at once in
  one order, just before recomputing; two transactions that move the same month therefore
  recompute one after the other, and the second one's INSERT … SELECT sees the first one's
  committed rows: neither overwrites the other with stale sums, and neither inserts a row the
  other just inserted.

The safety net: `rebuild(first, last)` recomputes every day of a range (the
`flask --app wsgi reports-rebuild` command; the beat's nightly `colederma.rebuild_reports`
rebuilds yesterday and today)."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, event, func, insert, literal, select
from sqlalchemy.orm import Session, attributes

from models import (
    Appointment,
    Order,
    OrderExtra,
    OrderItem,
    ReportDayAppointments,
    ReportDayConsultations,
    ReportDayOrders,
    ReportDayProducts,
    ReportLatch,
    ReportMemberDays,
    ReportMonthAppointments,
    ReportMonthProducts,
    db,
)
from models.orders import CANCEL
from models.reports import NO_DAY

ORDERS, APPOINTMENTS = "orders", "appointments"
STATE_KEY = "report_rollups"
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


# ---- noting what a transaction changes ------------------------------------------------------
def _state(session) -> dict:
    return session.info.setdefault(STATE_KEY, {ORDERS: set(), APPOINTMENTS: set(),
                                               "order_ids": set(), "members": set(),
                                               "latched": set()})


def _day(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


def _values(obj, name: str) -> list:
    """The attribute's value now and as last loaded or flushed."""
    history = attributes.get_history(obj, name, passive=attributes.PASSIVE_NO_INITIALIZE)
    return [*(history.added or ()), *(history.unchanged or ()), *(history.deleted or ())]


def _order_days(session, order_ids) -> set:
    """The paid days the orders have in the database (as this transaction sees them)."""
    order_ids = {order_id for order_id in order_ids if order_id is not None}
    if not order_ids:
        return set()
    with session.no_autoflush:
        return {_day(value) for value in session.scalars(
            select(Order.paid_date).where(Order.id.in_(order_ids))) if value is not None}


def _paid_days(session, order) -> set:
    """An order's paid day now and as stored (paid_date keeps its old value when set:
    active_history), read from the database when the object holds neither."""
    if order is None:
        return set()
    values = _values(order, "paid_date")
    if not values and order.id is not None and "paid_date" not in order.__dict__:
        return _order_days(session, {order.id})
    return {_day(value) for value in values if value is not None}


def _members_of(session, order) -> set:
    """The order's customer now and as stored (read from the database when not loaded)."""
    values = _values(order, "id_member")
    if not values and order.id is not None:
        with session.no_autoflush:
            values = list(session.scalars(select(Order.id_member).where(Order.id == order.id)))
    return {value for value in values if value is not None}


def _note(session, kind: str, days, order_ids=(), members=()):
    state = _state(session)
    state["members"].update(member for member in members if member is not None)
    days = {day for day in days if day is not None}
    state[kind].update(days)
    state["order_ids"].update(order_id for order_id in order_ids if order_id is not None)


def _latch(session, names):
    """MariaDB: lock these latch rows (in one order, so two transactions never wait for each
    other), once per transaction; held until it ends. SQLite writes one transaction at a
    time anyway."""
    bind = session.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb"):
        return
    state = _state(session)
    names = sorted(set(names) - state["latched"])
    if not names:
        return
    from sqlalchemy.dialects.mysql import insert as mysql_insert

    for name in names:
        statement = mysql_insert(ReportLatch).values(name=name)
        session.execute(statement.on_duplicate_key_update(name=statement.inserted.name))
        state["latched"].add(name)


@event.listens_for(Session, "before_flush")
def _note_flushed_rows(session, _context, _instances):
    orders, order_days, appointment_days, members = set(), set(), set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Order):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            order_days |= _paid_days(session, obj)
            members |= _members_of(session, obj)
            if obj.id is not None:
                orders.add(obj.id)
        elif isinstance(obj, (OrderItem, OrderExtra)):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            name = "id_order" if isinstance(obj, OrderItem) else "id_orders"
            ids = {value for value in _values(obj, name) if value is not None}
            parent = obj.__dict__.get("order")
            if parent is not None:
                order_days |= _paid_days(session, parent)
                ids.discard(parent.id)
                if parent.id is not None:
                    orders.add(parent.id)
            order_days |= _order_days(session, ids)
            orders |= ids
        elif isinstance(obj, Appointment):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            appointment_days.update(_day(value) for value in _values(obj, "tanggal"))
    if order_days or orders or members:
        _note(session, ORDERS, order_days, orders, members)
    if appointment_days:
        _note(session, APPOINTMENTS, appointment_days)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statements(orm_execute_state):
    """update(...) / delete(...) on the source tables: note the rows' days before it runs."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    statement = orm_execute_state.statement
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    if name not in ("orders", "order_items", "order_extras", "user_schedules"):
        return
    session = orm_execute_state.session
    where = statement.whereclause
    with session.no_autoflush:
        if name == "orders":
            stmt = select(Order.id, Order.paid_date, Order.id_member)
            picked = session.execute(stmt.where(where) if where is not None else stmt).all()
            _note(session, ORDERS, {_day(paid) for _id, paid, _member in picked},
                  {order_id for order_id, _paid, _member in picked},
                  {member for _id, _paid, member in picked})
        elif name in ("order_items", "order_extras"):
            model, column = (OrderItem, OrderItem.id_order) if name == "order_items" \
                else (OrderExtra, OrderExtra.id_orders)
            stmt = select(column)
            ids = set(session.scalars(stmt.where(where) if where is not None else stmt))
            _note(session, ORDERS, _order_days(session, ids), ids)
        else:
            stmt = select(Appointment.tanggal).distinct()
            days = set(session.scalars(stmt.where(where) if where is not None else stmt))
            _note(session, APPOINTMENTS, days)
            # a bulk update may move tanggal: recompute the new days too
            values = getattr(statement, "_values", None) or {}
            for key, value in values.items():
                if getattr(key, "key", key) == "tanggal":
                    new = getattr(value, "value", None)
                    if isinstance(new, date):
                        _note(session, APPOINTMENTS, {new})


def pending(session) -> bool:
    state = session.info.get(STATE_KEY)
    return bool(state and (state[ORDERS] or state[APPOINTMENTS] or state["order_ids"]
                           or state["members"]))


def settle(session) -> None:
    """Flush and recompute every noted day now (before commit; before a report reads the
    rollups in a transaction that changed their sources)."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # before_commit comes before the commit's own flush
    if not pending(session):
        return
    state = _state(session)
    if state["order_ids"]:
        _note(session, ORDERS, _order_days(session, state["order_ids"]))
        with session.no_autoflush:
            state["members"].update(session.scalars(select(Order.id_member).where(
                Order.id.in_(state["order_ids"]))))
        state["order_ids"].clear()
    members, state["members"] = set(state["members"]), set()
    _latch(session, [f"{kind}:{month_of(day):%Y-%m}" for kind in (ORDERS, APPOINTMENTS)
                     for day in state[kind]] + [f"member:{member}" for member in members])
    recompute_members(session, members)
    for kind in (ORDERS, APPOINTMENTS):
        days, state[kind] = set(state[kind]), set()
        recompute(session, kind, days)


@event.listens_for(Session, "before_commit")
def _recompute_before_commit(session):
    settle(session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(STATE_KEY, None)


__all__ = ["rebuild", "recompute", "settle", "source_span", "month_of", "next_month",
           "DAY_TABLES", "ORDERS", "APPOINTMENTS"]
