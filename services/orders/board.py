"""Read models of the admin "Pesanan" screen: the pipeline board (how many orders stand in
each state, and the cards of each column, in one query each), one order with everything its
drawer shows (loaded up front, no query per line), and the searchable list of old orders.
Carts are not orders yet: the board only counts them."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select, union_all
from sqlalchemy.orm import selectinload

from models import Doctor, Order, OrderExtra, OrderItem, clinic_now, db
from models.orders import (CANCEL, CART, CHECKOUT, DONE, ORDER_TYPES, PAID, PICKUP, PREPARED,
                           PROCESSING)
from services.engine.fields import FlexDate, ValidationError
from services.errors import NotFound
from services.reports.queries import counted_order

from .flow import status_label

# the board's columns, left to right; the last two show only the recent ones
COLUMNS = (CHECKOUT, PAID, PROCESSING, PREPARED, PICKUP, DONE, CANCEL)
CLOSED = (DONE, CANCEL)
RECENT_DAYS = 30
CARDS_PER_COLUMN = 30
TYPE_LABELS = {"E": "Produk", "C": "Konsultasi"}
PAGE_SIZE = 25
SORTS = {"order_code": Order.order_code, "nama_pemesan": Order.nama_pemesan,
         "status": Order.status, "order_date": Order.order_date,
         "grand_totals": Order.grand_totals}


def type_label(order_type: str) -> str:
    """The order type in Bahasa Indonesia (Produk, Konsultasi)."""
    return TYPE_LABELS.get(order_type, order_type)


def age_text(since: datetime | None, now: datetime | None = None) -> str:
    """How long ago, as staff say it: "baru saja", "25 menit", "3 jam", "2 hari"."""
    if since is None:
        return "–"
    seconds = max(0, int(((now or clinic_now()) - since).total_seconds()))
    if seconds < 60:
        return "baru saja"
    if seconds < 3600:
        return f"{seconds // 60} menit"
    if seconds < 86400:
        return f"{seconds // 3600} jam"
    return f"{seconds // 86400} hari"


@dataclass
class Filters:
    """What the board and the list are narrowed to; `errors` names the inputs not understood
    (they are then ignored, never a 500)."""

    order_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    code: str = ""
    customer: str = ""
    status: str = ""
    paid_from: date | None = None  # paid on or after (clinic day): counted orders only
    paid_to: date | None = None
    values: dict = field(default_factory=dict)  # as typed, to show them again
    errors: dict = field(default_factory=dict)

    @property
    def active(self) -> bool:
        """True when anything narrows the result."""
        return bool(self.order_type or self.date_from or self.date_to or self.code
                    or self.customer or self.status or self.paid)

    @property
    def paid(self) -> bool:
        """True when narrowed to the orders paid in a period (the dashboard's cards)."""
        return bool(self.paid_from or self.paid_to)


def _date(text: str) -> date | None:
    return FlexDate().deserialize(text)


def read_filters(args) -> Filters:
    """Filters from query arguments: type (E/C), dari/sampai (ordered, dd/mm/yyyy), kode,
    pelanggan, status, bayar_dari/bayar_sampai (paid, dd/mm/yyyy: the orders whose money
    counts in the reports, paid in those clinic days)."""
    values = {name: (args.get(name) or "").strip()[:100]
              for name in ("type", "dari", "sampai", "kode", "pelanggan", "status",
                           "bayar_dari", "bayar_sampai")}
    filters = Filters(values=values)
    if values["type"] in ORDER_TYPES:
        filters.order_type = values["type"]
    elif values["type"]:
        filters.errors["type"] = "Jenis pesanan tidak dikenal."
    for name, attribute in (("dari", "date_from"), ("sampai", "date_to"),
                            ("bayar_dari", "paid_from"), ("bayar_sampai", "paid_to")):
        if values[name]:
            try:
                setattr(filters, attribute, _date(values[name]))
            except ValidationError:
                filters.errors[name] = "Tanggal tidak valid (dd/mm/yyyy)."
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        filters.errors["sampai"] = "Tanggal akhir sebelum tanggal awal."
        filters.date_to = None
    if filters.paid_from and filters.paid_to and filters.paid_from > filters.paid_to:
        filters.errors["bayar_sampai"] = "Tanggal akhir sebelum tanggal awal."
        filters.paid_to = None
    filters.code = values["kode"]
    filters.customer = values["pelanggan"]
    if values["status"] in COLUMNS:
        filters.status = values["status"]
    elif values["status"]:
        filters.errors["status"] = "Status tidak dikenal."
    return filters


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _conditions(filters: Filters) -> list:
    conditions = [Order.deleted_at.is_(None)]
    if filters.order_type:
        conditions.append(Order.order_type == filters.order_type)
    if filters.date_from:
        conditions.append(Order.order_date >= datetime.combine(filters.date_from, datetime.min.time()))
    if filters.date_to:
        conditions.append(Order.order_date < datetime.combine(filters.date_to + timedelta(days=1),
                                                               datetime.min.time()))
    if filters.code:
        conditions.append(func.lower(Order.order_code).like(_like(filters.code), escape="\\"))
    if filters.customer:
        pattern = _like(filters.customer)
        digits = "".join(ch for ch in filters.customer if ch.isdigit())
        either = [func.lower(Order.nama_pemesan).like(pattern, escape="\\")]
        if digits:
            either.append(Order.notelp_pemesan.like(f"%{digits}%"))
        conditions.append(or_(*either))
    if filters.status:
        conditions.append(Order.status == filters.status)
    if filters.paid:  # the reports' rule: paid, not cancelled, by the clinic day of payment
        conditions.append(counted_order())
        if filters.paid_from:
            conditions.append(Order.paid_date >= datetime.combine(filters.paid_from,
                                                                  datetime.min.time()))
        if filters.paid_to:
            conditions.append(Order.paid_date < datetime.combine(
                filters.paid_to + timedelta(days=1), datetime.min.time()))
    return conditions


def _recent(now: datetime):
    """True for a finished or cancelled order closed within RECENT_DAYS."""
    since = now - timedelta(days=RECENT_DAYS)
    return or_(and_(Order.status == DONE, Order.done_datetime >= since),
               and_(Order.status == CANCEL, Order.cancel_datetime >= since))


def status_counts(filters: Filters, now: datetime | None = None) -> dict:
    """How many orders stand in each state, in one query: {status: (all, recent)} where
    `recent` counts the finished and cancelled ones of the last RECENT_DAYS (the others:
    equal to all). Open carts included under CART."""
    now = now or clinic_now()
    recent = func.sum(case((_recent(now), 1), else_=0))
    stmt = select(Order.status, func.count(Order.id), recent).where(
        *_conditions(filters)).group_by(Order.status)
    for dialect in ("mysql", "mariadb"):  # MariaDB otherwise reads every live row
        stmt = stmt.with_hint(Order, "FORCE INDEX (ix_orders_status_listing)", dialect)
    rows = db.session.execute(stmt).all()
    counts = {status: (0, 0) for status in (CART, *COLUMNS)}
    for status, total, recent_total in rows:
        counts[status] = (total, int(recent_total or 0) if status in CLOSED else total)
    return counts


def board_cards(filters: Filters, now: datetime | None = None) -> dict:
    """The cards of every column in one query: the latest CARDS_PER_COLUMN of each state
    (finished and cancelled ones only when closed within RECENT_DAYS); {status: [Order]}.
    Each column's ids are picked by a limited SELECT of their own, read newest first from
    ix_orders_status_listing (status, deleted_at, order_date, id, done/cancel time) until
    the column is full — not by ranking every live order of the shown states."""
    now = now or clinic_now()
    since = now - timedelta(days=RECENT_DAYS)
    conditions = _conditions(filters)
    columns = []
    for status in COLUMNS:
        where = [*conditions, Order.status == status]
        if status == DONE:
            where.append(Order.done_datetime >= since)
        elif status == CANCEL:
            where.append(Order.cancel_datetime >= since)
        column = (select(Order.id.label("id")).where(*where)
                  .order_by(Order.order_date.desc(), Order.id.desc())
                  .limit(CARDS_PER_COLUMN).subquery())
        columns.append(select(column.c.id))
    picked = union_all(*columns).subquery("cards")  # joined: MariaDB ran "IN" per order
    orders = db.session.execute(
        select(Order).join(picked, Order.id == picked.c.id)
        .order_by(Order.order_date.desc(), Order.id.desc())).scalars().all()
    cards = {status: [] for status in COLUMNS}
    for order in orders:
        cards[order.status].append(order)
    return cards


def board(filters: Filters, now: datetime | None = None) -> dict:
    """Everything the board draws: columns (status, label, count, cards), the open carts'
    count and the time the ages are measured from."""
    now = now or clinic_now()
    counts = status_counts(filters, now)
    cards = board_cards(filters, now)
    columns = []
    for status in COLUMNS:
        total, recent = counts[status]
        columns.append({"status": status, "label": status_label(status), "count": recent,
                        "total": total, "recent_only": status in CLOSED,
                        "cards": cards[status]})
    return {"columns": columns, "carts": counts[CART][0], "now": now}


def order_for_drawer(order_id: int) -> Order:
    """One order (not a deleted one) with its lines, their products, the consultations'
    doctors, the promotion and the timeline loaded up front."""
    order = db.session.execute(
        select(Order).where(Order.id == order_id, Order.deleted_at.is_(None))
        .options(selectinload(Order.items).selectinload(OrderItem.menu),
                 selectinload(Order.extras).selectinload(OrderExtra.doctor)
                 .selectinload(Doctor.user),
                 selectinload(Order.events), selectinload(Order.promotion))
        .execution_options(populate_existing=True)).scalars().first()
    if order is None:
        raise NotFound("Pesanan tidak ditemukan.")
    return order


@dataclass
class Page:
    """One page of the order list."""

    rows: list
    total: int
    page: int
    pages: int
    sort: str
    descending: bool
    net_total: int | None = None  # paid filter: the net money of all the listed orders


def search_orders(filters: Filters, sort: str = "order_date", descending: bool = True,
                  page: int = 1) -> Page:
    """Orders (carts left out) matching the filters, sorted by one of SORTS, one page. The
    net money of the listed orders is summed only for a paid filter (where it is shown)."""
    conditions = [*_conditions(filters), Order.status != CART]
    if filters.paid:
        total, net = db.session.execute(select(
            func.count(Order.id),
            func.coalesce(func.sum(Order.total_price - Order.total_discount), 0))
            .where(*conditions)).one()
    else:
        total, net = db.session.execute(
            select(func.count(Order.id)).where(*conditions)).scalar_one(), None
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    sort = sort if sort in SORTS else "order_date"
    rows = _page_rows(conditions, SORTS[sort], descending, (page - 1) * PAGE_SIZE, total)
    return Page(rows=rows, total=total, page=page, pages=pages, sort=sort, descending=descending,
                net_total=int(net) if filters.paid else None)


def _page_rows(conditions, column, descending: bool, offset: int, total: int) -> list:
    """One page by "late row lookup" (as the engine's lists page): the page's ids are picked
    through an index on the ordering alone (ix_orders_listing for the default newest first),
    then only those orders are loaded; a page in the second half is counted from the end in
    the reverse order, so the last page costs what the first one does. NULLs sort first on
    SQLite and MariaDB alike, so the reverse order is exactly the order read backwards."""
    forward = (column.desc(), Order.id.desc()) if descending else (column.asc(), Order.id.asc())
    picking, skip, take = forward, offset, PAGE_SIZE
    if total // 2 < offset < total:
        take = min(PAGE_SIZE, total - offset)
        picking = (column.asc(), Order.id.asc()) if descending else (column.desc(),
                                                                      Order.id.desc())
        skip = total - offset - take
    ids = (select(Order.id).where(*conditions).order_by(*picking).offset(skip).limit(take)
           .subquery("page_ids"))
    return db.session.execute(select(Order).join(ids, Order.id == ids.c.id)
                              .order_by(*forward)).scalars().all()
