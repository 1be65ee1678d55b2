"""The report rollups (models/reports.py, services/reports/rollup_tracking.py and rollups.py)
stay exact: after any mix of writes — orders paid, unpaid, cancelled after payment, un-paid
again, moved across midnight, lines edited and cancelled, orders deleted; appointments
rescheduled across days, cancelled, done, repriced, deleted; bulk Core updates as the payment
paths run them — every
figure read from the rollups equals the live reference query (`live=True`) over several
periods and filters, and the rollup rows equal a rebuild from scratch."""
import random
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select, update

from models import (Appointment, Order, OrderExtra, OrderItem, ReportDayAppointments,
                    ReportDayOrders, ReportDayProducts, ReportMemberDays,
                    ReportMonthAppointments, ReportMonthProducts, db)
from services.reports import dashboard, queries, question, rollups
from tests.factories.accounts import make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of
from tests.factories.catalog import make_menu
from tests.factories.doctors import make_doctor
from tests.factories.stores import make_store
from tests.services.test_order_races import race_app  # noqa: F401  (the fixture)

# around two month ends, so whole months (the month tables) and edge days both answer
DAYS = [date(2025, 1, 30), date(2025, 1, 31), date(2025, 2, 1), date(2025, 2, 14),
        date(2025, 2, 28), date(2025, 3, 1), date(2025, 3, 2)]
PERIODS = [(date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 2, 1), date(2025, 2, 28)),
           (date(2025, 1, 31), date(2025, 3, 1)), (date(2025, 2, 14), date(2025, 2, 14)),
           (date(2025, 1, 31), date(2025, 2, 1)), (date(2024, 12, 1), date(2025, 6, 30))]
ROLLUP_TABLES = [table for kind in rollups.DAY_TABLES.values() for table, *_r in kind] + \
    [ReportMonthProducts, ReportMonthAppointments, ReportMemberDays]


def _moment(rng, day):
    """A payment time on the day, often right next to midnight."""
    return rng.choice([datetime.combine(day, time(0, 30)), datetime.combine(day, time(23, 30)),
                       datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59)))])


def _order(rng, customers, menus, doctors, stores):
    kind = "C" if rng.random() < 0.25 else "E"
    paid = rng.random() < 0.8
    order = Order(id_member=rng.choice(customers).id, order_type=kind, status="PAID" if paid
                  else "CHECKOUT", order_date=datetime.combine(DAYS[0], time(7)),
                  is_paid=paid, paid_date=_moment(rng, rng.choice(DAYS)) if paid else None,
                  id_brandstore=rng.choice(stores).id if kind == "E" else None,
                  total_discount=rng.choice((0, 0, 5000)), courier_price=rng.choice((0, 9000)),
                  poin_used=rng.choice((0, 100)))
    db.session.add(order)
    db.session.flush()
    total = 0
    if kind == "E":
        for menu in rng.sample(menus, rng.randint(1, 3)):
            qty, price = rng.randint(1, 3), rng.choice((50000, 120000))
            db.session.add(OrderItem(id_order=order.id, id_menu=menu.id, qty=qty, price=price,
                                     price_total=qty * price,
                                     is_canceled=rng.random() < 0.1))
            total += qty * price
    else:
        price = rng.choice((75000, 150000))
        doctor = rng.choice(doctors + [None])
        db.session.add(OrderExtra(id_orders=order.id, id_doctors=doctor.id if doctor else None,
                                  qty=1, extra_prices=price))
        total = price
    order.total_price = total
    order.grand_totals = max(total - order.total_discount + order.courier_price, 0)
    db.session.commit()
    return order


def _change_order(rng, order, stores):
    """One of the ways an order's figures move."""
    move = rng.choice(("cancel", "unpay", "pay", "move", "delete", "line", "soft_delete",
                       "store"))
    if move == "cancel" and order.is_paid:
        order.status, order.is_canceled = "CANCEL", True
    elif move == "unpay":
        order.is_paid, order.paid_date, order.status = False, None, "CHECKOUT"
    elif move == "pay" and not order.is_paid:
        order.is_paid, order.status = True, "PAID"
        order.paid_date = _moment(rng, rng.choice(DAYS))
    elif move == "move" and order.paid_date:  # 23:30 → 00:30 the next day and similar
        order.paid_date = order.paid_date + timedelta(hours=rng.choice((1, -1, 25)))
    elif move == "delete":
        db.session.delete(order)
    elif move == "soft_delete":
        order.deleted_at = datetime(2025, 3, 5, 9)
    elif move == "line" and order.items:
        line = rng.choice(order.items)
        if rng.random() < 0.5:
            line.qty += 1
        else:
            line.is_canceled = not line.is_canceled
    elif move == "store" and order.order_type == "E":  # another store, another discount
        order.id_brandstore = rng.choice(stores).id
        order.total_discount += 1000
    db.session.commit()


def _appointments(rng, clinics):
    made = []
    for clinic in clinics:
        for slot in clinic["slots"]:
            for day in rng.sample(DAYS, 3):
                made.append(make_appointment(
                    clinic, slot=slot, day=day, patient=make_patient_of(),
                    status=rng.choice(("BOOKING", "RESCHEDULE", "ARRIVED", "DONE", "CANCEL")),
                    custom_price=rng.choice((100000, 275000))))
    return made


def _change_appointment(rng, appointment):
    move = rng.choice(("reschedule", "cancel", "done", "price", "delete"))
    if move == "reschedule":
        appointment.tanggal = rng.choice(DAYS)
        appointment.slot_key = None
        appointment.status = "RESCHEDULE"
    elif move == "cancel":
        appointment.status, appointment.slot_key = "CANCEL", None
    elif move == "done":
        appointment.status = "DONE"
    elif move == "price":
        appointment.custom_price += 25000
    else:
        db.session.delete(appointment)
    db.session.commit()


def _rows(table):
    key = [column for column in table.__table__.primary_key.columns]
    return [tuple(row) for row in db.session.execute(
        select(table.__table__).order_by(*key)).all()]


def _filters(first, last, **kw):
    return question.ReportFilters(period=question.Period(first, last), **kw)


def _sorted(rows):
    return sorted(rows, key=lambda row: sorted((k, str(v)) for k, v in row.items()))


def assert_figures_agree(menus, doctors, stores, clinics):
    """Every figure from the rollups equals the live query, for each period and filter."""
    for first, last in PERIODS:
        period = question.Period(first, last)
        variants = [{}, {"order_type": "E"}, {"order_type": "C"},
                    {"id_brandstore": [stores[0].id]}, {"id_menus": [menus[0].id]},
                    {"id_doctors": [doctors[0].id]},
                    {"id_doctors": [clinics[0]["doctor"].id]},
                    {"id_services": [clinics[1]["service"].id]}]
        for extra in variants:
            filters = _filters(first, last, **extra)
            for figure in (queries.sales_stats, queries.paid_orders_totals,
                           queries.store_sales, queries.product_sales,
                           queries.consultation_sales):
                assert figure(filters) == figure(filters, live=True), (figure, first, last,
                                                                       extra)
            for figure in (queries.appointment_performance, queries.doctor_performance):
                assert _sorted(figure(filters)) == _sorted(figure(filters, live=True)), \
                    (figure, first, last, extra)
        if first.year == last.year:
            for figure in (dashboard.revenue_by_month, dashboard.invoices_by_month,
                           dashboard.top_products, dashboard.top_services):
                assert figure(period) == figure(period, live=True), (figure, first, last)


def assert_rollups_equal_a_rebuild():
    kept = {table: _rows(table) for table in ROLLUP_TABLES}
    rollups.rebuild(date(2024, 12, 1), date(2025, 6, 30))
    db.session.flush()
    for table in ROLLUP_TABLES:
        assert _rows(table) == kept[table], table.__tablename__
    db.session.rollback()


@pytest.fixture
def world():
    rng = random.Random(12)
    customers = [make_user() for _ in range(4)]
    menus = [make_menu(nama_menus=f"Produk {n}") for n in range(5)]
    doctors = [make_doctor() for _ in range(2)]
    stores = [make_store(nama=f"Cabang {n}") for n in range(2)]
    clinics = [make_clinic(day=DAYS[0], starts=(time(9), time(10))) for _ in range(2)]
    return rng, customers, menus, doctors, stores, clinics


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_figure_from_the_rollups_equals_the_live_query(world, seed):
    rng, customers, menus, doctors, stores, clinics = world
    rng.seed(seed)
    orders = [_order(rng, customers, menus, doctors, stores) for _ in range(30)]
    appointments = _appointments(rng, clinics)
    assert db.session.scalar(select(db.func.count()).select_from(ReportDayOrders)) > 0
    assert db.session.scalar(select(db.func.count()).select_from(ReportDayProducts)) > 0
    assert db.session.scalar(select(db.func.count()).select_from(ReportDayAppointments)) > 0
    assert_figures_agree(menus, doctors, stores, clinics)
    for _ in range(40):
        order = rng.choice(orders)
        if db.session.get(Order, order.id) is None:
            continue
        _change_order(rng, order, stores)
    for _ in range(20):
        appointment = rng.choice(appointments)
        if db.session.get(Appointment, appointment.id) is None:
            continue
        _change_appointment(rng, appointment)
    assert_figures_agree(menus, doctors, stores, clinics)
    assert_rollups_equal_a_rebuild()


def test_a_figure_read_inside_the_transaction_sees_its_changes(world):
    rng, customers, menus, doctors, stores, _clinics = world
    order = _order(rng, customers, menus, doctors, stores)
    order.is_paid, order.status = True, "PAID"
    order.paid_date = datetime(2025, 2, 14, 10)
    db.session.flush()  # not committed yet
    filters = _filters(date(2025, 2, 1), date(2025, 2, 28))
    assert queries.sales_stats(filters) == queries.sales_stats(filters, live=True)
    assert queries.sales_stats(filters)["amount_total"] > 0


def _paid_order(customer, menu, store, paid_at):
    order = Order(id_member=customer.id, order_type="E", status="CHECKOUT",
                  id_brandstore=store.id, total_price=240000, grand_totals=240000)
    db.session.add(order)
    db.session.flush()
    db.session.add(OrderItem(id_order=order.id, id_menu=menu.id, qty=2, price=120000,
                             price_total=240000))
    db.session.commit()
    # the webhook's claim (services/payments/operations.py): a conditional Core update
    claimed = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == "CHECKOUT",
                            Order.is_paid.is_(False))
        .values(is_paid=True, status="PAID", paid_date=paid_at)
        .execution_options(synchronize_session=False)).rowcount
    assert claimed == 1
    db.session.commit()
    return order


def _day_total(day):
    return db.session.scalar(select(db.func.coalesce(db.func.sum(ReportDayOrders.total_price), 0))
                             .where(ReportDayOrders.day == day))


def test_core_updates_and_deletes_refresh_the_rollups(world):
    _rng, customers, menus, _doctors, stores, clinics = world
    day = date(2025, 2, 14)
    order = _paid_order(customers[0], menus[0], stores[0], datetime(2025, 2, 14, 23, 30))
    assert _day_total(day) == 240000
    # moved to the next day by a bulk update: both days recomputed
    db.session.execute(update(Order).where(Order.id == order.id)
                       .values(paid_date=datetime(2025, 2, 15, 0, 30))
                       .execution_options(synchronize_session=False))
    db.session.commit()
    assert _day_total(day) == 0 and _day_total(date(2025, 2, 15)) == 240000
    # cancelled by a bulk update (the status paths of services/orders/flow.py)
    db.session.execute(update(Order).where(Order.id == order.id)
                       .values(status="CANCEL", is_canceled=True)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    assert _day_total(date(2025, 2, 15)) == 0
    # a line deleted in bulk from a counted order
    other = _paid_order(customers[1], menus[1], stores[0], datetime(2025, 2, 20, 9))
    filters = _filters(date(2025, 2, 1), date(2025, 2, 28))
    assert [row["qty"] for row in queries.product_sales(filters)] == [2]
    db.session.execute(delete(OrderItem).where(OrderItem.id_order == other.id))
    db.session.commit()
    assert queries.product_sales(filters) == [] == queries.product_sales(filters, live=True)
    # an appointment marked DONE in bulk
    appointment = make_appointment(clinics[0], day=day, status="ARRIVED", custom_price=275000)
    db.session.execute(update(Appointment).where(Appointment.id == appointment.id)
                       .values(status="DONE").execution_options(synchronize_session=False))
    db.session.commit()
    [row] = queries.appointment_performance(filters)
    assert (row["qty"], row["revenue"]) == (1, 275000)
    assert queries.appointment_performance(filters) == \
        queries.appointment_performance(filters, live=True)
    assert_rollups_equal_a_rebuild()


def test_payment_through_the_webhook_path_counts_on_its_day(world):
    """The real payment path: the claim (Core) and OrderFlow.mark_paid (ORM)."""
    from services.orders.flow import OrderFlow
    from services.payments.operations import _claim

    _rng, customers, menus, _doctors, stores, _clinics = world
    order = Order(id_member=customers[0].id, order_type="E", status="CHECKOUT",
                  id_brandstore=stores[0].id, total_price=120000, grand_totals=120000,
                  order_code="E-TEST-1")
    db.session.add(order)
    db.session.flush()
    db.session.add(OrderItem(id_order=order.id, id_menu=menus[0].id, qty=1, price=120000,
                             price_total=120000))
    db.session.commit()
    assert _claim(order, is_paid=True)
    OrderFlow(order).mark_paid("gopay", datetime(2025, 2, 14, 23, 59))
    db.session.commit()
    assert _day_total(date(2025, 2, 14)) == 120000
    filters = _filters(date(2025, 2, 14), date(2025, 2, 14))
    assert queries.sales_stats(filters) == queries.sales_stats(filters, live=True)


def test_the_rebuild_command_restores_lost_rows(app, world):
    rng, customers, menus, doctors, stores, _clinics = world
    for _ in range(5):
        _order(rng, customers, menus, doctors, stores)
    kept = _rows(ReportDayOrders)
    db.session.execute(delete(ReportDayOrders))  # not a source table: nothing recomputes
    db.session.commit()
    assert _rows(ReportDayOrders) == []
    result = app.test_cli_runner().invoke(args=["reports-rebuild"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert _rows(ReportDayOrders) == kept


def test_payments_of_one_day_at_the_same_moment_all_count(race_app, world):
    """Ten payments of orders of the same day and customer at once, each in its own
    transaction (on MariaDB they overlap and queue on the month's latch): every one goes
    through, and the day's rollup holds all of them."""
    from services.orders.flow import OrderFlow
    from tests.services.test_order_races import race

    _rng, customers, menus, _doctors, stores, _clinics = world
    ids = []
    for number in range(10):
        order = Order(id_member=customers[0].id, order_type="E", status="CHECKOUT",
                      id_brandstore=stores[number % 2].id, total_price=100000 + number,
                      grand_totals=100000 + number, order_code=f"E-RACE-{number}")
        db.session.add(order)
        db.session.flush()
        db.session.add(OrderItem(id_order=order.id, id_menu=menus[number % 3].id, qty=1,
                                 price=100000 + number, price_total=100000 + number))
        ids.append(order.id)
    db.session.commit()

    def pay(order_id, minute):
        def load():
            order = db.session.get(Order, order_id)
            _ = list(order.items)
            return lambda: (OrderFlow(order).mark_paid(
                "qris", datetime(2025, 2, 14, 12, minute)), db.session.commit())
        return load

    outcomes = race(race_app, [pay(order_id, n) for n, order_id in enumerate(ids)])
    assert outcomes == ["ok"] * 10
    assert _day_total(date(2025, 2, 14)) == sum(100000 + n for n in range(10))
    filters = _filters(date(2025, 2, 14), date(2025, 2, 14))
    assert queries.sales_stats(filters) == queries.sales_stats(filters, live=True)
    assert queries.product_sales(filters) == queries.product_sales(filters, live=True)
    assert_rollups_equal_a_rebuild()
