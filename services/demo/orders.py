"""Demo orders, so the "Pesanan" board and the reports have something to show on first run:
product orders (type E) and paid online consultations (type C) in every state, spread over
the year so far (the last four months at least) and this month, some cancelled.

Each is built as the app builds it — a cart through the models with its money from
services/orders/money.refresh_totals, then OrderFlow (checkout, mark_paid, processing …,
cancel), which reserves the online store's stock with its conditional updates (never
negative: a product is used only while the store keeps a few in stock; the store first
receives RESTOCK units of each product those months were sold from). The flow stamps
today's clock; the history is then dated deliberately (the order, each step, its timeline and
points ledger rows, the code `<type>-<yyyymmdd>-<nnn>` of its day and the invoice snapshot),
the money left exactly as the flow computed it. Runs after the catalog, stores and doctors
parts; adds nothing once any order exists (loading twice changes nothing)."""
import json
import random
from datetime import timedelta

from sqlalchemy import func, select

from models import (Doctor, Menu, Order, OrderExtra, OrderItem, Role, StoreMenu, StoreMenuStock,
                    User, UserPoint, clinic_now, db)
from models.orders import CANCEL, CART, CHECKOUT, DONE, PAID, PICKUP, PREPARED, PROCESSING
from services.accounts.operations import hash_password
from services.errors import DomainError
from services.orders.flow import OrderFlow, cart_key, invoice_snapshot
from services.orders.money import refresh_totals, selling_price
from services.orders.reservations import online_store_id

HISTORY_DAYS = 120
KEEP_IN_STOCK = 2  # a product is ordered only while the store keeps more than this
RESTOCK = 40  # units of each product the online store received before the history
COURIERS = [("jne", "REG", 18000), ("jnt", "EZ", 15000), ("sicepat", "BEST", 22000),
            ("sameday", "Instant", 25000)]
CANCEL_REASONS = ["Pelanggan membatalkan pesanan", "Alamat pengiriman tidak dapat dijangkau",
                  "Stok di gudang rusak", "Pelanggan meminta ganti produk"]
PAY_CHANNELS = ["QRIS", "Transfer bank", "GoPay", "Kartu kredit", "OVO"]
# username, full name, phone, address (password services.demo.DEMO_PASSWORD)
CUSTOMERS = [
    ("ayu.lestari", "Ayu Lestari", "081311220001", "Jl. Cihampelas No. 21, Bandung"),
    ("bima.pratama", "Bima Pratama", "081311220002", "Jl. Tebet Raya No. 5, Jakarta Selatan"),
    ("citra.maharani", "Citra Maharani", "081311220003", "Jl. Darmo Permai I/17, Surabaya"),
    ("dewi.anggraini", "Dewi Anggraini", "081311220004", "Jl. Setiabudi No. 88, Bandung"),
    ("eko.saputra", "Eko Saputra", "081311220005", "Jl. Margonda Raya No. 120, Depok"),
]
# the steps that bring a cart to each state, and the hours after the order each one took
PATHS = {
    CART: [], CHECKOUT: ["checkout"], PAID: ["checkout", "paid"],
    PROCESSING: ["checkout", "paid", "processing"],
    PREPARED: ["checkout", "paid", "processing", "prepared"],
    PICKUP: ["checkout", "paid", "processing", "prepared", "noresi", "pickup"],
    DONE: ["checkout", "paid", "processing", "prepared", "noresi", "pickup", "consignee"],
}
HOURS = {"checkout": 0, "paid": 1, "processing": 4, "prepared": 20, "noresi": 26,
         "pickup": 27, "consignee": 74, "complete": 30, "cancel": 6}
# the recent part of the board: (state, type, hours ago, cancelled from, points)
RECENT = [
    (CART, "E", 2, None), (CHECKOUT, "E", 1, None), (CHECKOUT, "E", 3, None),
    (CHECKOUT, "C", 5, None), (PAID, "E", 6, None), (PAID, "E", 10, None),
    (PAID, "C", 20, None), (PAID, "E", 26, None), (PROCESSING, "E", 28, None),
    (PROCESSING, "E", 30, None), (PROCESSING, "E", 40, None), (PREPARED, "E", 45, None),
    (PREPARED, "E", 50, None), (PREPARED, "E", 60, None), (PICKUP, "E", 72, None),
    (PICKUP, "E", 80, None), (PICKUP, "E", 96, None), (DONE, "E", 110, None),
    (DONE, "C", 130, None), (DONE, "E", 150, None), (CANCEL, "E", 30, CHECKOUT),
    (CANCEL, "E", 90, PAID), (CANCEL, "C", 120, CHECKOUT),
]
HISTORY_ORDERS = 34


def _office_user():
    return db.session.execute(
        select(User).join(Role, Role.iduser == User.id)
        .where(Role.rolecodes.in_(("USERS", "ADMIN", "OWNER")), User.deleted_at.is_(None))
        .order_by(Role.rolecodes.desc(), User.id)).scalars().first()


def _customers(added) -> list[User]:
    """The demo customers (added when missing), then the document's rikki07 and didit."""
    found, password_hash = [], None
    for username, fullname, phone, address in CUSTOMERS:
        user = db.session.execute(select(User).where(
            func.lower(User.username) == username)).scalars().first()
        if user is None:
            from . import DEMO_PASSWORD
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(username=username, users_fullname=fullname, users_phone=phone,
                        users_email=f"{username}@contoh.id", users_address=address,
                        positions="-", password_hash=password_hash)
            user.roles = [Role(rolecodes="CUSTOMER")]
            db.session.add(user)
            added["users"] = added.get("users", 0) + 1
        found.append(user)
    for username in ("rikki07", "didit"):
        user = db.session.execute(select(User).where(User.username == username)).scalars().first()
        if user is not None:
            found.append(user)
    db.session.flush()
    return found


def _stocked_products(store_id) -> list[tuple[Menu, StoreMenuStock]]:
    """Products the online store sells without a prescription, with their stock rows."""
    return db.session.execute(
        select(Menu, StoreMenuStock)
        .join(StoreMenu, StoreMenu.idmenu == Menu.id)
        .join(StoreMenuStock, StoreMenuStock.idbrandstoremenus == StoreMenu.id)
        .where(StoreMenu.idbrandstore == store_id, Menu.deleted_at.is_(None),
               Menu.is_resep_required.is_(False))
        .order_by(Menu.id)).all()


def _live_doctors() -> list[Doctor]:
    return db.session.execute(select(Doctor).where(
        Doctor.deleted_at.is_(None), Doctor.is_active.is_(True))
        .order_by(Doctor.id)).scalars().all()


def _code(order_type: str, day) -> str:
    """The next free order code of that type and day (as checkout gives it)."""
    prefix = f"{order_type}-{day:%Y%m%d}-"
    used = db.session.execute(select(func.count(Order.id)).where(
        Order.order_code.like(f"{prefix}%"))).scalar_one()
    return f"{prefix}{used + 1:03d}"


def _cart(customer, order_type, store_id, products, doctors, rng, number):
    """A customer's cart priced by services/orders/money.py; None when nothing is in stock."""
    order = Order(id_member=customer.id, order_type=order_type,
                  cart_key=cart_key(customer.id, order_type),
                  nama_pemesan=customer.users_fullname, notelp_pemesan=customer.users_phone or "",
                  email_pemesan=customer.users_email or "",
                  alamat_pemesan=customer.users_address or "",
                  nama_penerima=customer.users_fullname,
                  alamat_kirim=customer.users_address or "")
    if order_type == "E":
        available = [(menu, stock) for menu, stock in products
                     if stock.quantitytotal > KEEP_IN_STOCK]
        if not available:
            return None
        courier, service, price = COURIERS[number % len(COURIERS)]
        order.id_brandstore, order.courier, order.courier_service = store_id, courier, service
        order.courier_price, order.is_courier = price, True
        db.session.add(order)
        db.session.flush()
        for menu, stock in rng.sample(available, min(len(available), 1 + number % 2)):
            db.session.add(OrderItem(id_order=order.id, id_menu=menu.id, qty=1,
                                     satuan=menu.satuan or "", price=selling_price(menu),
                                     pajak=menu.pajak or 0, berat=menu.berat or 0))
    else:
        if not doctors:
            return None
        doctor = doctors[number % len(doctors)]
        db.session.add(order)
        db.session.flush()
        db.session.add(OrderExtra(id_orders=order.id, id_doctors=doctor.id,
                                  item="Konsultasi online", qty=1,
                                  extra_prices=doctor.custom_price or 150_000,
                                  extra_notes="Konsultasi jerawat dan kulit berminyak"))
    db.session.flush()
    db.session.refresh(order)
    refresh_totals(order)
    db.session.commit()
    return order


def _steps(state, order_type, cancelled_from):
    if state == CANCEL:
        return [*_steps(cancelled_from, order_type, None), "cancel"]
    if order_type == "C":
        return {CART: [], CHECKOUT: ["checkout"], PAID: ["checkout", "paid"],
                DONE: ["checkout", "paid", "complete"]}[state]
    return PATHS[state]


def _run(order, actor, step, rng, number):
    flow = OrderFlow(order, actor)
    if step == "checkout":
        flow.checkout()
    elif step == "paid":
        flow.mark_paid(PAY_CHANNELS[number % len(PAY_CHANNELS)])
    elif step == "noresi":
        if order.courier != "sameday":
            flow.record_receipt_number(f"{order.courier.upper()}{rng.randrange(10**9, 10**10)}")
    elif step == "cancel":
        if order.status == CHECKOUT and number % 2:
            flow.expire()
        else:
            flow.cancel(CANCEL_REASONS[number % len(CANCEL_REASONS)])
    else:
        getattr(flow, {"processing": "start_processing", "prepared": "mark_prepared",
                       "pickup": "hand_to_courier", "consignee": "confirm_received",
                       "complete": "complete_consultation"}[step])()


def _date_history(order, placed, now):
    """Date the order, its steps, timeline and points rows from `placed` (never after now),
    and freeze its invoice again with those dates."""
    def at(step):
        hours = HOURS.get(step, 0)
        return min(placed + timedelta(hours=hours, minutes=7 if hours else 0),
                   now - timedelta(minutes=5))

    order.order_date = order.created = placed
    for item in order.items:
        item.order_datetime = item.created = placed
    for attribute, step in (("paid_date", "paid"), ("processing_datetime", "processing"),
                            ("prepared_datetime", "prepared"), ("pickup_datetime", "pickup"),
                            ("delivered_datetime", "consignee"), ("cancel_datetime", "cancel")):
        if getattr(order, attribute) is not None:
            setattr(order, attribute, at(step))
    if order.done_datetime is not None:
        order.done_datetime = at("complete" if order.order_type == "C" else "consignee")
        if order.consultation_closed is not None:
            order.consultation_closed = order.done_datetime
    for event in order.events:
        event.created = at(event.action if event.action != "unpaid" else "paid")
    for row in db.session.execute(select(UserPoint).where(UserPoint.id_orders == order.id)).scalars():
        row.created = at("paid" if row.add_point and "Didapat" in row.usecase else
                         "cancel" if "Dikembalikan" in row.usecase else "checkout")
    if order.is_paid:
        order.invoice_snapshot = json.dumps(invoice_snapshot(order), default=str)
    order.updated = max(filter(None, (order.paid_date, order.done_datetime, order.cancel_datetime,
                                      order.pickup_datetime, placed)))


def _plan(rng, now):
    """(state, type, when placed, cancelled from) for the history (since 1 January, at
    least HISTORY_DAYS back, so the dashboard's months are filled), the days of this month
    before the recent board, and the recent board."""
    plan = []
    # (a day short of 1 January: the hours taken off below keep the first one in this year)
    history_days = max(HISTORY_DAYS,
                       (now.date() - now.date().replace(month=1, day=1)).days - 1)
    history_orders = max(HISTORY_ORDERS, history_days * HISTORY_ORDERS // HISTORY_DAYS)
    for index in range(history_orders):
        days = history_days - index * (history_days - 8) / history_orders
        placed = now - timedelta(days=days, hours=rng.randrange(0, 10))
        placed = placed.replace(hour=8 + rng.randrange(0, 12), minute=rng.randrange(60),
                                second=0, microsecond=0)
        order_type = "C" if index % 5 == 2 else "E"
        if index % 7 == 3:
            plan.append((CANCEL, order_type, placed, PAID if index % 2 else CHECKOUT))
        else:
            plan.append((DONE, order_type, placed, None))
    for day in range(1, now.day - 6, 2):  # this month before the recent board: finished
        placed = now.replace(day=day, hour=9 + rng.randrange(0, 9), minute=rng.randrange(60),
                             second=0, microsecond=0)
        plan.append((DONE, "C" if day % 5 == 3 else "E", placed, None))
    for state, order_type, hours, cancelled_from in RECENT:
        placed = (now - timedelta(hours=hours, minutes=rng.randrange(5, 50))).replace(
            second=0, microsecond=0)
        plan.append((state, order_type, placed, cancelled_from))
    # an open cart last: its customer opens no other cart of that type after it
    return sorted(plan, key=lambda entry: entry[0] == CART)


def seed(added: dict) -> None:
    """Add the demo orders when there are none yet; count them in `added`."""
    added.setdefault("orders", 0)
    if db.session.execute(select(func.count(Order.id))).scalar_one():
        return
    actor, store_id = _office_user(), online_store_id()
    if actor is None or store_id is None:
        return
    customers = _customers(added)
    products = _stocked_products(store_id)
    for _menu, stock in products:  # the delivery that the history's sales came from
        stock.quantitytotal += RESTOCK
    doctors = _live_doctors()
    db.session.commit()  # what the earlier parts added is kept whatever happens below
    rng, now = random.Random(2610), clinic_now()
    open_carts = set()
    for number, (state, order_type, placed, cancelled_from) in enumerate(_plan(rng, now)):
        customer = customers[number % len(customers)]
        if (customer.id, order_type) in open_carts:
            continue
        order = _cart(customer, order_type, store_id, products, doctors, rng, number)
        if order is None:
            continue
        order.order_code = _code(order_type, placed) if state != CART else None
        try:
            for step in _steps(state, order_type, cancelled_from):
                _run(order, actor, step, rng, number)
        except DomainError:  # e.g. the stock ran out meanwhile: drop this one
            db.session.rollback()
            db.session.delete(db.session.get(Order, order.id))
            db.session.commit()
            continue
        if state == CART:
            open_carts.add((customer.id, order_type))
        _date_history(order, placed, now)
        db.session.commit()
        for _menu, stock in products:
            db.session.refresh(stock)
        added["orders"] += 1
