"""Checkouts at the same moment: threads, each with its own app context and so its own
database session and connection, released together by a barrier, act on the real database.
What checkout reserves — the promotion's quota, the stock, the customer's points, the order
code, the one open cart per customer and type, and one order acted on by several requests
at once (a double tap) — must come out exactly right: the winners
take it, every loser gets a clean Conflict (a 409, never a 500) and keeps its cart untouched.

They run on both databases: on MariaDB (make test, phase b) the transactions really overlap
and meet on row locks; SQLite lets one writer at a time, so there they show that the queued
writers (busy_timeout) still count right."""
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from app import create_app
from app.config import TestingConfig

from models import (Order, OrderEvent, Promotion, PromotionUse, StoreMenuStock, User,
                    UserPoint, db)
from models.orders import CART, CHECKOUT, PAID
from services.errors import Conflict
from services.orders import flow as flow_module
from services.orders import reservations
from services.orders.flow import OrderFlow, cart_key
from tests.factories.accounts import make_user
from tests.factories.catalog import make_promotion
from tests.factories.orders import add_consultation, add_item, make_cart, make_stocked_cart
from tests.factories.stores import make_product, make_store, make_store_menu

RACERS = 40  # the most threads a test here releases at once


@pytest.fixture(scope="module")
def race_app(app):
    """The application on the same database with a pool that gives every racing thread its
    own connection at once (the suite's pool holds 35)."""
    racing = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=app.config[
        "SQLALCHEMY_DATABASE_URI"], UPLOAD_DIR=app.config["UPLOAD_DIR"],
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": RACERS,
                                   "max_overflow": 5})
    yield racing
    with racing.app_context():
        db.engine.dispose()


def race(app, jobs):
    """Run every job (a callable taking no argument) in its own thread and app context, all
    released at once; returns their outcomes in job order: "ok", the Conflict's error code,
    or the repr of any other exception (which the tests then reject)."""
    assert len(jobs) <= RACERS
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            try:
                prepared = job()  # loads its rows before the start line
                barrier.wait(timeout=30)
                prepared()
                outcomes[index] = "ok"
            except Conflict as exc:
                outcomes[index] = exc.error_code
            except Exception as exc:  # noqa: BLE001 - any other outcome fails the test
                outcomes[index] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index, job), daemon=True)
               for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert not any(thread.is_alive() for thread in threads), "a checkout never finished"
    db.session.rollback()
    db.session.expire_all()
    return outcomes


def checkout_job(order_id, actor_id):
    """A job: load the cart and its customer, then (at the start line) check it out."""
    def load():
        order = db.session.get(Order, order_id)
        actor = db.session.get(User, actor_id)
        _ = list(order.items), order.promotion  # loaded before the race starts
        return lambda: OrderFlow(order, actor).checkout()
    return load


def ledger_sum(user_id):
    return db.session.execute(select(func.coalesce(func.sum(
        UserPoint.add_point - UserPoint.use_point), 0)).where(
        UserPoint.id_users == user_id)).scalar_one()


def give_points(customer, points):
    """Points as the ledger records them: a row and total_point together."""
    customer.total_point = points
    db.session.add(UserPoint(id_users=customer.id, add_point=points, usecase="Saldo awal"))
    db.session.commit()


def stock_of(row_id):
    return db.session.execute(select(StoreMenuStock.quantitytotal).where(
        StoreMenuStock.idbrandstoremenus == row_id)).scalar_one()


def test_forty_checkouts_against_a_quota_of_five(race_app):
    promotion = make_promotion(type="NOMINAL", value=10000, quota=5)
    carts = []
    for _ in range(40):
        customer = make_user()
        give_points(customer, 1000)
        order, _item, row = make_stocked_cart(customer, quantity=10, qty=2)
        order.id_promo_discount_applied = promotion.id
        order.poin_used = 1000
        db.session.commit()
        carts.append((order.id, customer.id, row.id))

    outcomes = race(race_app, [checkout_job(order_id, customer_id)
                          for order_id, customer_id, _row in carts])

    assert sorted(outcomes) == ["ok"] * 5 + ["promotion_unavailable"] * 35, outcomes
    assert db.session.get(Promotion, promotion.id).used == 5
    assert db.session.execute(select(func.count(PromotionUse.id))).scalar_one() == 5
    for outcome, (order_id, customer_id, row_id) in zip(outcomes, carts):
        order = db.session.get(Order, order_id)
        customer = db.session.get(User, customer_id)
        if outcome == "ok":
            assert order.status == CHECKOUT and order.order_code and order.cart_key is None
            assert (stock_of(row_id), customer.total_point) == (8, 0)
        else:  # the loser's cart is exactly as it was
            assert order.status == CART and order.order_code is None
            assert order.cart_key == cart_key(customer_id, "E") and not order.is_reserved
            assert (stock_of(row_id), customer.total_point) == (10, 1000)
            assert db.session.execute(select(func.count(OrderEvent.id)).where(
                OrderEvent.id_orders == order_id)).scalar_one() == 0
        assert customer.total_point == ledger_sum(customer_id)


def test_twenty_checkouts_of_one_unit_against_a_stock_of_seven(race_app):
    store = make_store()
    product = make_product(harga=50000, pajak=0, berat=100)
    row = make_store_menu(product, store, quantity=7)
    carts = []
    for _ in range(20):
        customer = make_user()
        order = make_cart(customer, id_brandstore=store.id, courier="jne", is_courier=True,
                          courier_price=10000)
        add_item(order, product, 1)
        carts.append((order.id, customer.id))

    outcomes = race(race_app, [checkout_job(*cart) for cart in carts])

    assert sorted(outcomes) == ["ok"] * 7 + ["out_of_stock"] * 13, outcomes
    assert stock_of(row.id) == 0
    statuses = db.session.execute(select(Order.status, func.count(Order.id))
                                  .group_by(Order.status)).all()
    assert dict(statuses) == {CHECKOUT: 7, CART: 13}


def test_one_customers_points_spent_by_several_carts_at_once(race_app):
    customer = make_user()
    give_points(customer, 10000)
    carts = []
    for number in range(6):
        # one open cart per customer and type: the others are carts without a key, as an
        # uncheckout leaves one when another cart was opened meanwhile
        key = cart_key(customer.id, "E") if number == 0 else None
        order, _item, _row = make_stocked_cart(customer, quantity=5, qty=1, cart_key=key)
        order.poin_used = 6000
        db.session.commit()
        carts.append((order.id, customer.id))

    outcomes = race(race_app, [checkout_job(*cart) for cart in carts])

    assert sorted(outcomes) == ["not_enough_points"] * 5 + ["ok"], outcomes
    total = db.session.get(User, customer.id).total_point
    assert total == 4000 == ledger_sum(customer.id)
    spent = db.session.execute(select(func.count(UserPoint.id)).where(
        UserPoint.id_users == customer.id, UserPoint.use_point > 0)).scalar_one()
    assert spent == 1


def test_order_codes_stay_unique_under_twenty_checkouts_of_one_type(race_app):
    carts = []
    for _ in range(20):
        customer = make_user()
        order, _item, _row = make_stocked_cart(customer, quantity=5, qty=1)
        carts.append((order.id, customer.id))

    outcomes = race(race_app, [checkout_job(*cart) for cart in carts])

    assert outcomes == ["ok"] * 20, outcomes
    codes = db.session.execute(select(Order.order_code)).scalars().all()
    assert len(codes) == len(set(codes)) == 20
    assert all(code.startswith("E-") for code in codes)


def test_ten_simultaneous_cart_openings_leave_one_open_cart(race_app):
    customer = make_user()
    customer_id = customer.id

    def open_cart():
        def insert():
            db.session.add(Order(id_member=customer_id, order_type="E",
                                 cart_key=cart_key(customer_id, "E")))
            try:
                db.session.commit()
            except IntegrityError as exc:
                db.session.rollback()
                raise Conflict(error_code="cart_exists") from exc
        return insert

    outcomes = race(race_app, [open_cart] * 10)

    assert sorted(outcomes) == ["cart_exists"] * 9 + ["ok"], outcomes
    carts = db.session.execute(select(Order).where(Order.id_member == customer_id)).scalars()
    assert [order.cart_key for order in carts] == [cart_key(customer_id, "E")]


def test_one_cart_checked_out_ten_times_at_once_takes_once(race_app):
    """A double tap (or a retrying client): the same cart checked out by ten requests."""
    customer = make_user()
    give_points(customer, 5000)
    promotion = make_promotion(type="NOMINAL", value=10000, quota=100)
    order, _item, row = make_stocked_cart(customer, quantity=10, qty=2)
    order.poin_used, order.id_promo_discount_applied = 3000, promotion.id
    db.session.commit()

    outcomes = race(race_app, [checkout_job(order.id, customer.id)] * 10)

    assert sorted(outcomes) == ["ok"] + ["wrong_state"] * 9, outcomes
    assert stock_of(row.id) == 8
    assert db.session.get(User, customer.id).total_point == 2000 == ledger_sum(customer.id)
    assert db.session.get(Promotion, promotion.id).used == 1
    assert db.session.execute(select(func.count(OrderEvent.id)).where(
        OrderEvent.id_orders == order.id)).scalar_one() == 1


def test_one_order_cancelled_ten_times_at_once_gives_back_once(race_app):
    customer = make_user()
    give_points(customer, 5000)
    order, _item, row = make_stocked_cart(customer, quantity=10, qty=2)
    order.poin_used = 3000
    db.session.commit()
    OrderFlow(order, customer).checkout()
    order_id, customer_id = order.id, customer.id

    def cancel_job():
        order = db.session.get(Order, order_id)
        actor = db.session.get(User, customer_id)
        _ = list(order.items), order.status
        return lambda: OrderFlow(order, actor).cancel("dobel klik")

    outcomes = race(race_app, [cancel_job] * 10)

    assert sorted(outcomes) == ["ok"] + ["wrong_state"] * 9, outcomes
    assert stock_of(row.id) == 10
    assert db.session.get(User, customer_id).total_point == 5000 == ledger_sum(customer_id)


# ---- what the races rely on, one thread at a time -----------------------------------------------
def deadlock():
    return OperationalError("UPDATE promotions ...", {}, Exception(
        1213, "Deadlock found when trying to get lock; try restarting transaction"))


def test_a_deadlock_victim_runs_its_checkout_again(app, monkeypatch):
    order, _item, row = make_stocked_cart(quantity=5, qty=2)
    real_reserve, calls = reservations.reserve, []

    def reserve_after_a_deadlock(order):
        calls.append(1)
        real_reserve(order)  # takes the stock, then the database picks this one as victim
        if len(calls) == 1:
            raise deadlock()
    monkeypatch.setattr(reservations, "reserve", reserve_after_a_deadlock)
    monkeypatch.setattr(flow_module.time, "sleep", lambda _seconds: None)

    OrderFlow(order, None).checkout()

    db.session.expire_all()
    assert len(calls) == 2
    assert order.status == CHECKOUT and order.order_code.endswith("-001")  # number not lost
    assert stock_of(row.id) == 3  # taken once, not twice
    assert db.session.execute(select(func.count(OrderEvent.id)).where(
        OrderEvent.id_orders == order.id)).scalar_one() == 1


def test_a_checkout_that_stays_deadlocked_is_a_clean_conflict(app, monkeypatch):
    order, _item, row = make_stocked_cart(quantity=5, qty=2)
    calls = []

    def always_deadlocked(order):
        calls.append(1)
        raise deadlock()
    monkeypatch.setattr(reservations, "reserve", always_deadlocked)
    monkeypatch.setattr(flow_module.time, "sleep", lambda _seconds: None)

    with pytest.raises(Conflict) as refused:
        OrderFlow(order, None).checkout()

    assert refused.value.error_code == "busy" and refused.value.status == 409
    assert len(calls) == flow_module.TRANSITION_ATTEMPTS
    db.session.rollback()
    db.session.expire_all()
    assert (order.status, order.order_code, order.cart_key) == (
        CART, None, cart_key(order.id_member, "E"))
    assert stock_of(row.id) == 5


def test_other_database_errors_are_not_retried(app, monkeypatch):
    order, _item, _row = make_stocked_cart()
    calls = []

    def connection_lost(order):
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception(2013, "Lost connection"))
    monkeypatch.setattr(reservations, "reserve", connection_lost)
    with pytest.raises(OperationalError):
        OrderFlow(order, None).checkout()
    assert len(calls) == 1


def test_order_numbers_follow_the_codes_already_given_and_skip_none(app):
    customer = make_user()
    prefix = f"E-{flow_module.clinic_now():%Y%m%d}-"
    for number in ("007", "012"):  # e.g. imported before the counter existed
        make_cart(customer, cart_key=None, status=PAID, order_code=prefix + number)
    refused, _item, _row = make_stocked_cart(quantity=1, qty=2)
    with pytest.raises(Conflict):
        OrderFlow(refused, None).checkout()  # rolled back: its number is given again
    db.session.rollback()
    first, _item, _row = make_stocked_cart()
    second, _item, _row = make_stocked_cart()
    consultation = make_cart(order_type="C")
    add_consultation(consultation)
    OrderFlow(first, None).checkout()
    OrderFlow(second, None).checkout()
    OrderFlow(consultation, None).checkout()
    assert (first.order_code, second.order_code) == (prefix + "013", prefix + "014")
    assert consultation.order_code == f"C-{prefix[2:]}001"  # each type counts on its own


def test_stock_rows_are_taken_in_product_order(app):
    store = make_store()
    first, second = make_product(), make_product()
    for product in (first, second):
        make_store_menu(product, store, quantity=3)
    order = make_cart(id_brandstore=store.id, courier="jne", is_courier=True)
    add_item(order, second)  # added first, but locked second
    add_item(order, first)
    assert [item.id_menu for item in order.items] == [second.id, first.id]
    assert [item.id_menu for item in reservations.stock_lines(order)] == [first.id, second.id]
