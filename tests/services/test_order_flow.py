"""The order workflow: every state × every transition (only the documented ones move, each
from its own state, a wrong state is a 409 naming it); totals in one place; what checkout
takes (stock, promotion quota, points) and what cancel, uncheckout and uncancel give back;
points earned on payment and taken back by unpaid; the timeline."""
import pytest
from sqlalchemy import func, select

from models import (Order, OrderEvent, PromotionUse, StoreMenuStock, User, UserPoint, db)
from models.orders import (CANCEL, CART, CHECKOUT, DONE, ORDER_STATUSES, PAID, PICKUP, PREPARED,
                           PROCESSING)
from services.errors import Conflict
from services.orders.flow import OrderFlow
from services.orders.money import compute_totals
from tests.factories.accounts import make_user
from tests.factories.catalog import make_promotion
from tests.factories.orders import add_consultation, make_cart, make_stocked_cart

# transition -> (the states it moves from, where it goes)
MOVES = {
    "checkout": ({CART}, CHECKOUT), "uncheckout": ({CHECKOUT}, CART),
    "mark_paid": ({CHECKOUT}, PAID), "mark_unpaid": ({PAID}, CHECKOUT),
    "start_processing": ({PAID}, PROCESSING), "undo_processing": ({PROCESSING}, PAID),
    "mark_prepared": ({PROCESSING}, PREPARED), "undo_prepared": ({PREPARED}, PROCESSING),
    "hand_to_courier": ({PREPARED}, PICKUP), "undo_pickup": ({PICKUP}, PREPARED),
    "confirm_received": ({PICKUP}, DONE),
    "cancel": ({CART, CHECKOUT, PAID, PROCESSING, PREPARED}, CANCEL),
    "expire": ({CHECKOUT}, CANCEL),
}
# how to bring a fresh cart into each state
PATH = {CART: [], CHECKOUT: ["checkout"], PAID: ["checkout", "mark_paid"],
        PROCESSING: ["checkout", "mark_paid", "start_processing"],
        PREPARED: ["checkout", "mark_paid", "start_processing", "mark_prepared"],
        PICKUP: ["checkout", "mark_paid", "start_processing", "mark_prepared",
                 "record_receipt_number", "hand_to_courier"],
        DONE: ["checkout", "mark_paid", "start_processing", "mark_prepared",
               "record_receipt_number", "hand_to_courier", "confirm_received"],
        CANCEL: ["cancel"]}
ARGS = {"mark_paid": ("QRIS",), "record_receipt_number": ("JNE0012345",)}


def run(order, staff, step):
    return getattr(OrderFlow(order, staff), step)(*ARGS.get(step, ()))


def order_in(state, staff):
    order, _item, _row = make_stocked_cart()
    for step in PATH[state]:
        run(order, staff, step)
    return order


@pytest.mark.parametrize("state", ORDER_STATUSES)
@pytest.mark.parametrize("transition", sorted(MOVES))
def test_every_state_and_transition(app, state, transition):
    staff = make_user(roles=("ADMIN",))
    order = order_in(state, staff)
    sources, target = MOVES[transition]
    if transition == "hand_to_courier" and state == PREPARED:
        run(order, staff, "record_receipt_number")  # the courier's receipt comes first
    if state in sources:
        run(order, staff, transition)
        db.session.expire_all()
        assert db.session.get(Order, order.id).status == target
    else:
        with pytest.raises(Conflict) as refused:
            run(order, staff, transition)
        assert state in refused.value.message  # names the current state
        db.session.rollback()
        assert db.session.get(Order, order.id).status == state


def test_uncancel_returns_to_the_state_before(app):
    staff = make_user(roles=("ADMIN",))
    for state in (CART, CHECKOUT, PAID, PROCESSING, PREPARED):
        order = order_in(state, staff)
        OrderFlow(order, staff).cancel("salah pesan")
        OrderFlow(order, staff).uncancel()
        assert order.status == state


def test_totals_are_computed_in_one_place(app):
    customer = make_user()
    customer.total_point = 10000
    db.session.commit()
    order, item, _row = make_stocked_cart(customer, qty=3, price=50000, courier_price=18000)
    order.id_promo_discount_applied = make_promotion(type="PERSEN", value=10).id
    order.poin_used = 5000
    db.session.commit()
    totals = compute_totals(order)
    assert (totals.items, totals.discount, totals.points, totals.courier) == (150000, 15000,
                                                                              5000, 18000)
    assert totals.grand_totals == 150000 - 15000 - 5000 + 18000
    assert sum(price * qty for _id, _name, price, qty in totals.lines) == totals.grand_totals


def test_checkout_takes_stock_quota_and_points_and_cancel_gives_them_back(app):
    customer = make_user()
    customer.total_point = 7000
    db.session.commit()
    promotion = make_promotion(type="NOMINAL", value=10000, quota=3)
    order, _item, row = make_stocked_cart(customer, quantity=5, qty=2)
    order.id_promo_discount_applied = promotion.id
    order.poin_used = 7000
    db.session.commit()

    OrderFlow(order, customer).checkout()
    db.session.expire_all()
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 3
    assert promotion.used == 1
    assert db.session.get(User, customer.id).total_point == 0
    assert order.order_code.startswith("E-") and order.cart_key is None
    assert order.grand_totals == 200000 - 10000 - 7000 + 20000

    OrderFlow(order, customer).cancel("berubah pikiran")
    db.session.expire_all()
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 5
    assert promotion.used == 0
    assert db.session.execute(select(func.count(PromotionUse.id))).scalar_one() == 0
    user = db.session.get(User, customer.id)
    ledger = db.session.execute(select(func.sum(UserPoint.add_point - UserPoint.use_point))
                                .where(UserPoint.id_users == customer.id)).scalar_one()
    assert user.total_point == 7000 and ledger == 0  # the ledger holds the spend and return


def test_checkout_refuses_more_than_the_stock_and_changes_nothing(app):
    order, _item, row = make_stocked_cart(quantity=1, qty=2)
    with pytest.raises(Conflict) as refused:
        OrderFlow(order, None).checkout()
    assert "Stok" in refused.value.message
    db.session.rollback()
    assert db.session.get(StoreMenuStock, row.stock.id).quantitytotal == 1
    assert db.session.get(Order, order.id).status == CART


def test_a_promotion_once_per_customer(app):
    customer = make_user()
    promotion = make_promotion(quota=10)
    first, _i, _r = make_stocked_cart(customer)
    first.id_promo_discount_applied = promotion.id
    db.session.commit()
    OrderFlow(first, customer).checkout()
    OrderFlow(first, customer).mark_paid("QRIS")
    second, _i, _r = make_stocked_cart(customer)
    second.id_promo_discount_applied = promotion.id
    db.session.commit()
    with pytest.raises(Conflict):
        OrderFlow(second, customer).checkout()


def test_payment_earns_points_and_unpaid_takes_them_back(app):
    customer = make_user()
    order, _item, _row = make_stocked_cart(customer, qty=1, price=100000, courier_price=0)
    OrderFlow(order, customer).checkout()
    OrderFlow(order, None).mark_paid("bank_transfer")
    db.session.expire_all()
    assert db.session.get(User, customer.id).total_point == 1000  # 1 per Rp 100
    assert order.invoice_snapshot and order.order_code in order.invoice_snapshot
    OrderFlow(order, make_user(roles=("ADMIN",))).mark_unpaid()
    db.session.expire_all()
    assert db.session.get(User, customer.id).total_point == 0


def test_a_consultation_is_completed_not_shipped(app):
    customer = make_user()
    order = make_cart(customer, order_type="C")
    add_consultation(order, price=100000)
    OrderFlow(order, customer).checkout()
    OrderFlow(order, None).mark_paid("gopay")
    with pytest.raises(Conflict):
        OrderFlow(order, None).start_processing()
    db.session.rollback()
    OrderFlow(order, None).complete_consultation()
    assert order.status == DONE and order.consultation_closed is not None


def test_every_step_is_on_the_timeline(app):
    staff = make_user(roles=("ADMIN",))
    order = order_in(DONE, staff)
    steps = db.session.execute(select(OrderEvent.action).where(OrderEvent.id_orders == order.id)
                               .order_by(OrderEvent.id)).scalars().all()
    assert steps == ["checkout", "paid", "processing", "prepared", "noresi", "pickup",
                     "consignee"]


def test_handing_to_the_courier_needs_the_receipt_number(app):
    staff = make_user(roles=("ADMIN",))
    order = order_in(PREPARED, staff)
    with pytest.raises(Conflict) as refused:
        OrderFlow(order, staff).hand_to_courier()
    assert "resi" in refused.value.message


@pytest.mark.parametrize("step", ["uncheckout", "uncancel"])
def test_back_to_a_cart_is_refused_while_another_cart_is_open(app, step):
    customer = make_user()
    order, _item, _row = make_stocked_cart(customer)
    if step == "uncheckout":
        OrderFlow(order, customer).checkout()
    else:
        OrderFlow(order, customer).cancel("salah")
    make_stocked_cart(customer)  # a new cart meanwhile (commits: every object is expired)
    with pytest.raises(Conflict) as refused:
        getattr(OrderFlow(order, customer), step)()
    assert refused.value.error_code == "cart_exists"
    db.session.rollback()
    assert db.session.get(Order, order.id).status == (CHECKOUT if step == "uncheckout"
                                                      else CANCEL)
