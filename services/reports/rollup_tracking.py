"""Keeping the report rollups (models/reports.py) exact: every change to an order, order line,
order extra or appointment recomputes the summary rows of the clinic days it touches, inside
the same transaction, just before it commits. The session events that note those days are
registered here (on import: summaries.py imports this module, so every report reader does);
the recomputing itself is in rollups.py.

How it works (no write path can forget it):
- `before_flush` notes, for every order / order item / order extra / appointment the flush
  writes (new, changed or deleted), the days it moves: the order's paid day before and after
  (an item or extra: its order's), the appointment's `tanggal` before and after.
- `do_orm_execute` does the same for bulk `update(...)` / `delete(...)` statements on those
  tables (the conditional updates of services/orders/flow.py, shipping.py and
  services/payments/operations.py): it reads the rows the statement's WHERE picks first (their
  old days) and the orders' new paid day again at commit.
- `before_commit` flushes, then recomputes each noted day (rollups.recompute: its rows are
  deleted and inserted again by INSERT … SELECT of the live query restricted to that day,
  idempotent and exact; the month rows of products and appointments are summed again from the
  day rows) and the paid days of the customers noted (rollups.recompute_members).
- On MariaDB (READ COMMITTED, as app/__init__.py sets it: each statement reads what others
  committed, without locking what it reads), a transaction locks the latch rows
  (report_latches) of the kinds and months and of the customers it recomputes, all at once in
  one order, just before recomputing; two transactions that move the same month therefore
  recompute one after the other, and the second one's INSERT … SELECT sees the first one's
  committed rows: neither overwrites the other with stale sums, and neither inserts a row the
  other just inserted."""
from datetime import date, datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session, attributes

from models import Appointment, Order, OrderExtra, OrderItem, ReportLatch

from .rollups import APPOINTMENTS, ORDERS, month_of, recompute, recompute_members

STATE_KEY = "report_rollups"


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
            _model, column = (OrderItem, OrderItem.id_order) if name == "order_items" \
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


__all__ = ["pending", "settle"]
