"""Report figures (report/penjualan/*, report/offline/*), each answering a question (the
period and filters: question.py): one query per figure, reused by the API, the screens and the exports, so the
numbers agree everywhere. The dashboard's figures (dashboard/total/*, dashboard/upcoming/*)
are in dashboard.py, built on these.

The rules every figure (here and in dashboard.py) follows:
- Dates are clinic days (Asia/Jakarta): the app stores naive clinic-time datetimes
  (models.base.clinic_now), so a day is [00:00, next 00:00) of those values.
- Money counts paid orders only (`is_paid`, not cancelled, not deleted), on the day they were
  paid (`paid_date`). Refunds do not exist; a paid order later cancelled counts nothing.
- An order's sales are its `total_price` (products and consultations, before discount); the
  net (`amount_total`, the dashboard's revenue) is `total_price - total_discount`: the
  courier's price goes to the courier, the tax to the state, points are a way of paying.
- An appointment's revenue is the `custom_price` of a DONE appointment, on its `tanggal`;
  cancelled appointments never count.

Each figure has one public function here. It answers from the per-day rollups
(summaries.py, kept exact by rollup_tracking.py) when its filters are ones the rollups keep,
and from the live query over the orders and appointments otherwise; `live=True` asks the live
query, the reference the rollups are tested against (tests/services/test_report_rollups.py)."""
from sqlalchemy import and_, case, distinct, exists, func, select

from models import (
    Appointment,
    Doctor,
    Menu,
    Order,
    OrderExtra,
    OrderItem,
    Service,
    Store,
    User,
    clinic_now,
    db,
)
from models.orders import CANCEL
from services.uploads import public_url

from . import summaries
from .question import ReportFilters

DONE_APPOINTMENT, CANCEL_APPOINTMENT = "DONE", "CANCEL"


# ---- orders --------------------------------------------------------------------------
def counted_order():
    """SQL: an order whose money counts (paid, not cancelled, not deleted)."""
    return and_(Order.is_paid.is_(True), Order.is_canceled.is_(False), Order.status != CANCEL,
                Order.deleted_at.is_(None))


def paid_orders_condition(filters: ReportFilters):
    """SQL: the counted orders paid in the period that match the filters."""
    conditions = [counted_order(), filters.period.holds(Order.paid_date)]
    if filters.order_type:
        conditions.append(Order.order_type == filters.order_type)
    if filters.status:
        conditions.append(Order.status == filters.status)
    if filters.id_menus:
        # correlated to the order only: the product and consultation figures read the lines
        # themselves too
        conditions.append(exists().where(OrderItem.id_order == Order.id,
                                         OrderItem.is_canceled.is_(False),
                                         OrderItem.id_menu.in_(filters.id_menus))
                          .correlate(Order))
    if filters.id_doctors:
        conditions.append(exists().where(OrderExtra.id_orders == Order.id,
                                         OrderExtra.id_doctors.in_(filters.id_doctors))
                          .correlate(Order))
    if filters.id_brandstore:
        conditions.append(Order.id_brandstore.in_(filters.id_brandstore))
    return and_(*conditions)


def paid_orders_scope(filters: ReportFilters):
    """A scope (stmt -> stmt) of the orders the sales report lists."""
    return lambda stmt: stmt.where(paid_orders_condition(filters))


def _orders_rolled_up(filters: ReportFilters) -> bool:
    """The rollup of orders keeps the period, the order type and the store."""
    return not (filters.status or filters.id_menus or filters.id_doctors)


def _customers(filters: ReportFilters) -> int:
    """How many customers paid orders of the period (distinct customers do not add up over
    days: report_member_days answers without a type or store, the live query with them)."""
    if not (filters.order_type or filters.id_brandstore):
        return summaries.customers(filters.period)
    return int(db.session.scalar(select(func.count(distinct(Order.id_member)))
                                 .where(paid_orders_condition(filters))) or 0)


def sales_stats(filters: ReportFilters, live: bool = False) -> dict:
    """report/penjualan/stats: counts and money of the paid orders of the period."""
    if not live and _orders_rolled_up(filters):
        sums = summaries.order_sums(filters)
        sale, consultation = sums.get("E", {}), sums.get("C", {})
        amount_sales = sale.get("total_price", 0)
        amount_consultations = consultation.get("total_price", 0)
        discount = sum(kind.get("total_discount", 0) for kind in sums.values())
        return {"total_sales": sale.get("orders", 0),
                "total_online_consultation": consultation.get("orders", 0),
                "amount_sales": amount_sales, "amount_online_consultation": amount_consultations,
                "amount_discount": discount,
                "amount_total": amount_sales + amount_consultations - discount,
                "total_customer": _customers(filters)}
    is_sale, is_consultation = Order.order_type == "E", Order.order_type == "C"
    row = db.session.execute(select(
        func.count(case((is_sale, Order.id))),
        func.count(case((is_consultation, Order.id))),
        func.coalesce(func.sum(case((is_sale, Order.total_price), else_=0)), 0),
        func.coalesce(func.sum(case((is_consultation, Order.total_price), else_=0)), 0),
        func.coalesce(func.sum(Order.total_discount), 0),
        func.count(distinct(Order.id_member)),
    ).where(paid_orders_condition(filters))).one()
    sales, consultations, amount_sales, amount_consultations, discount, customers = row
    return {"total_sales": int(sales), "total_online_consultation": int(consultations),
            "amount_sales": int(amount_sales),
            "amount_online_consultation": int(amount_consultations),
            "amount_discount": int(discount),
            "amount_total": int(amount_sales) + int(amount_consultations) - int(discount),
            "total_customer": int(customers)}


OVERALL_SORTS = {"order_code": Order.order_code, "paid_date": Order.paid_date,
                 "order_type": Order.order_type, "nama_pemesan": Order.nama_pemesan,
                 "nama_toko": Store.nama, "total_price": Order.total_price,
                 "total_discount": Order.total_discount, "courier_price": Order.courier_price,
                 "poin_used": Order.poin_used, "grand_totals": Order.grand_totals,
                 "status": Order.status}


def paid_orders(filters: ReportFilters, sort: str = "paid_date", descending: bool = True,
                offset: int = 0, limit: int | None = None) -> list[dict]:
    """The rows of the overall sales list (the orders of paid_orders_scope, with the store
    that served them), sorted by one of OVERALL_SORTS (then by id), a page of them when
    `limit` is given."""
    column = OVERALL_SORTS.get(sort, Order.paid_date)
    direction = (column.desc(), Order.id.desc()) if descending else (column.asc(), Order.id.asc())
    stmt = paid_orders_scope(filters)(
        select(Order.id, Order.order_code, Order.paid_date, Order.order_type,
               Order.nama_pemesan, Order.id_brandstore, Store.nama, Order.total_price,
               Order.total_discount, Order.courier_price, Order.poin_used, Order.grand_totals,
               Order.status).outerjoin(Store, Store.id == Order.id_brandstore)
    ).order_by(*direction).offset(max(offset, 0))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [{"id": order_id, "order_code": code or "", "paid_date": paid, "order_type": kind,
             "nama_pemesan": name or "", "id_brandstore": store_id, "nama_toko": store or "",
             "total_price": int(price or 0), "total_discount": int(discount or 0),
             "courier_price": int(courier or 0), "poin_used": int(points or 0),
             "grand_totals": int(grand or 0), "status": status}
            for order_id, code, paid, kind, name, store_id, store, price, discount, courier,
            points, grand, status in db.session.execute(stmt).all()]


def paid_orders_totals(filters: ReportFilters, live: bool = False) -> dict:
    """The totals row of the overall sales list: how many paid orders and the sums of their
    money columns; `total_price`, `total_discount` and `amount_total` equal sales_stats'
    amount_sales + amount_online_consultation, amount_discount and amount_total."""
    if not live and _orders_rolled_up(filters):
        names = ("orders", "total_price", "total_discount", "courier_price", "poin_used",
                 "grand_totals")
        sums = summaries.order_sums(filters).values()
        totals = {name: sum(kind[name] for kind in sums) for name in names}
        return {**totals, "amount_total": totals["total_price"] - totals["total_discount"]}
    row = db.session.execute(select(
        func.count(Order.id), func.coalesce(func.sum(Order.total_price), 0),
        func.coalesce(func.sum(Order.total_discount), 0),
        func.coalesce(func.sum(Order.courier_price), 0),
        func.coalesce(func.sum(Order.poin_used), 0),
        func.coalesce(func.sum(Order.grand_totals), 0),
    ).where(paid_orders_condition(filters))).one()
    orders, price, discount, courier, points, grand = (int(value) for value in row)
    return {"orders": orders, "total_price": price, "total_discount": discount,
            "courier_price": courier, "poin_used": points, "grand_totals": grand,
            "amount_total": price - discount}


def store_sales(filters: ReportFilters, live: bool = False) -> list[dict]:
    """Per store (the one whose stock served the order, `orders.id_brandstore`; online
    consultations have none and are one row of their own, id_brandstore None): the paid
    orders, their sales (total_price), discount and net (amount_total = sales − discount),
    most net money first. The rows add up to sales_stats."""
    if not live and _orders_rolled_up(filters):
        rows = summaries.store_sales(filters)
        return [{"id_brandstore": store_id, "nama_toko": name or "", "orders": int(orders),
                 "amount_sales": int(sales), "amount_discount": int(discount),
                 "amount_total": int(total)}
                for store_id, name, orders, sales, discount, total in rows]
    net = func.coalesce(func.sum(Order.total_price - Order.total_discount), 0)
    rows = db.session.execute(
        select(Order.id_brandstore, Store.nama, func.count(Order.id),
               func.coalesce(func.sum(Order.total_price), 0),
               func.coalesce(func.sum(Order.total_discount), 0), net)
        .outerjoin(Store, Store.id == Order.id_brandstore)
        .where(paid_orders_condition(filters))
        .group_by(Order.id_brandstore, Store.nama)
        .order_by(net.desc(), Order.id_brandstore)).all()
    return [{"id_brandstore": store_id, "nama_toko": name or "", "orders": int(orders),
             "amount_sales": int(sales), "amount_discount": int(discount),
             "amount_total": int(total)}
            for store_id, name, orders, sales, discount, total in rows]


def product_sales(filters: ReportFilters, live: bool = False) -> list[dict]:
    """report/penjualan/products: per product, the quantity and money sold in paid orders
    (lines not cancelled), most money first."""
    if not live and not (filters.status or filters.id_doctors or filters.id_brandstore):
        return [{"id_menu": menu_id, "nama_menus": name, "qty": int(qty),
                 "price_total": int(total)}
                for menu_id, name, qty, total in summaries.product_sales(filters)]
    conditions = [paid_orders_condition(filters), OrderItem.is_canceled.is_(False)]
    if filters.id_menus:
        conditions.append(OrderItem.id_menu.in_(filters.id_menus))
    money = func.sum(OrderItem.price * OrderItem.qty)
    rows = db.session.execute(
        select(Menu.id, Menu.nama_menus, func.sum(OrderItem.qty), money)
        .join(OrderItem, OrderItem.id_menu == Menu.id).join(Order, Order.id == OrderItem.id_order)
        .where(*conditions).group_by(Menu.id, Menu.nama_menus)
        .order_by(money.desc(), Menu.id)).all()
    return [{"id_menu": menu_id, "nama_menus": name, "qty": int(qty), "price_total": int(total)}
            for menu_id, name, qty, total in rows]


def consultation_sales(filters: ReportFilters, live: bool = False) -> list[dict]:
    """report/penjualan/online_consultations: per doctor, the paid online consultations and
    their money, most money first."""
    if not live and not (filters.status or filters.id_menus or filters.id_brandstore):
        return [{"id_doctors": doctor_id, "doctors": name or "", "qty": int(qty),
                 "amount": int(amount)}
                for doctor_id, name, qty, amount in summaries.consultation_sales(filters)]
    conditions = [paid_orders_condition(filters), Order.order_type == "C"]
    if filters.id_doctors:
        conditions.append(OrderExtra.id_doctors.in_(filters.id_doctors))
    money = func.sum(OrderExtra.extra_prices * OrderExtra.qty)
    rows = db.session.execute(
        select(OrderExtra.id_doctors, User.users_fullname, func.sum(OrderExtra.qty), money)
        .join(Order, Order.id == OrderExtra.id_orders)
        .outerjoin(Doctor, Doctor.id == OrderExtra.id_doctors)
        .outerjoin(User, User.id == Doctor.id_users)
        .where(*conditions).group_by(OrderExtra.id_doctors, User.users_fullname)
        .order_by(money.desc(), OrderExtra.id_doctors)).all()
    return [{"id_doctors": doctor_id, "doctors": name or "", "qty": int(qty),
             "amount": int(amount)} for doctor_id, name, qty, amount in rows]


# ---- appointments --------------------------------------------------------------------
NOT_ARRIVED = ("BOOKING", "RESCHEDULE")


def appointment_performance(filters: ReportFilters, live: bool = False) -> list[dict]:
    """report/offline/appoinment/performance: per doctor and service, the appointments of the
    period (by `tanggal`): booked (all), done (`qty`), cancelled, no-show, the minutes of the
    done ones (`durations`) and their revenue (custom_price of DONE only).

    A no-show is an appointment whose day has passed (`tanggal` before today, clinic time)
    and that is still BOOKING or RESCHEDULE: the patient never arrived."""
    period = filters.period
    today = clinic_now().date()
    if not live:
        return _performance_rows(summaries.appointment_performance(filters, today))
    no_show = and_(Appointment.status.in_(NOT_ARRIVED), Appointment.tanggal < today)
    conditions = [Appointment.tanggal >= period.first, Appointment.tanggal <= period.last]
    if filters.id_doctors:
        conditions.append(Appointment.id_doctors.in_(filters.id_doctors))
    if filters.id_services:
        conditions.append(Appointment.id_services.in_(filters.id_services))
    done = Appointment.status == DONE_APPOINTMENT
    rows = db.session.execute(
        select(Appointment.id_doctors, User.users_fullname, User.users_picture,
               Appointment.id_services, Service.services_name,
               func.count(Appointment.id),
               func.count(case((done, Appointment.id))),
               func.count(case((Appointment.status == CANCEL_APPOINTMENT, Appointment.id))),
               func.count(case((no_show, Appointment.id))),
               func.coalesce(func.sum(case((done, Service.buffer_time), else_=0)), 0),
               func.coalesce(func.sum(case((done, Appointment.custom_price), else_=0)), 0))
        .join(Doctor, Doctor.id == Appointment.id_doctors)
        .join(User, User.id == Doctor.id_users)
        .join(Service, Service.id == Appointment.id_services)
        .where(*conditions)
        .group_by(Appointment.id_doctors, User.users_fullname, User.users_picture,
                  Appointment.id_services, Service.services_name)
        .order_by(User.users_fullname, Service.services_name)).all()
    return _performance_rows(rows)


def _performance_rows(rows) -> list[dict]:
    return [{"id_doctors": doctor_id, "doctors": name or "",
             "doctors_picture_url": public_url("users", picture) if picture else "",
             "id_services": service_id, "services_name": service_name or "",
             "booked": int(booked), "qty": int(done_count), "cancelled": int(cancelled),
             "no_show": int(missed), "durations": int(minutes), "revenue": int(revenue)}
            for doctor_id, name, picture, service_id, service_name, booked, done_count,
            cancelled, missed, minutes, revenue in rows]


def no_show_rate(no_show: int, booked: int, cancelled: int) -> float | None:
    """no-show / (booked − cancelled): the share of the appointments that still stood that
    the patient never came to; None when none stood."""
    standing = booked - cancelled
    return no_show / standing if standing > 0 else None


def doctor_performance(filters: ReportFilters, live: bool = False) -> list[dict]:
    """Per doctor, appointment_performance's rows added up (so the two always agree): booked,
    done, cancelled, no-show (day passed, still BOOKING or RESCHEDULE), the no-show rate
    (no-show / (booked − cancelled), None when nothing stood), the minutes and the revenue
    (custom_price of DONE), in the doctors' name order."""
    doctors = {}
    for row in appointment_performance(filters, live=live):
        total = doctors.setdefault(row["id_doctors"], {
            "id_doctors": row["id_doctors"], "doctors": row["doctors"], "services": 0,
            "booked": 0, "qty": 0, "cancelled": 0, "no_show": 0, "durations": 0, "revenue": 0})
        total["services"] += 1
        for name in ("booked", "qty", "cancelled", "no_show", "durations", "revenue"):
            total[name] += row[name]
    for total in doctors.values():
        total["no_show_rate"] = no_show_rate(total["no_show"], total["booked"],
                                             total["cancelled"])
    return list(doctors.values())


__all__ = [
    "appointment_performance",
    "consultation_sales",
    "counted_order",
    "doctor_performance",
    "no_show_rate",
    "paid_orders",
    "paid_orders_condition",
    "paid_orders_scope",
    "paid_orders_totals",
    "product_sales",
    "sales_stats",
    "store_sales",
]
