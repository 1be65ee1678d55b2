"""Orders: a customer's cart that becomes an order (products, type E, or a paid online
consultation, type C), its lines, its timeline, the points ledger, ratings and every payment
notification received.

An order moves through ORDER_STATUSES only by the transitions of
`services.orders.flow.OrderFlow`; `cart_key` is "<user>|<type>" while the order is an open
cart and NULL afterwards, so its UNIQUE index allows one open cart per user and type, also
under concurrency (the same way `user_schedules.slot_key` prevents double booking)."""
from datetime import datetime

from sqlalchemy import (Boolean, CheckConstraint, DateTime, Double, ForeignKey, Index, Integer,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import SoftDeleteMixin, TimestampMixin, clinic_now, db
from .catalog import Menu, Promotion

CART = "SHOPPING CARTS"
CHECKOUT = "CHECKOUT"
PAID = "PAID"
PROCESSING = "PROCESSING"
PREPARED = "PREPARED"
PICKUP = "PICKUP"
DONE = "DONE"
CANCEL = "CANCEL"
ORDER_STATUSES = (CART, CHECKOUT, PAID, PROCESSING, PREPARED, PICKUP, DONE, CANCEL)
ORDER_TYPES = ("E", "C")  # E: products (e-commerce); C: a paid online consultation


class Order(TimestampMixin, SoftDeleteMixin, db.Model):
    """One cart or order. Money columns are whole rupiah, kept by services.orders.money."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("total_price >= 0", name="total_price_not_negative"),
        CheckConstraint("total_discount >= 0", name="discount_not_negative"),
        CheckConstraint("courier_price >= 0", name="courier_price_not_negative"),
        CheckConstraint("poin_used >= 0", name="points_not_negative"),
        CheckConstraint("grand_totals >= 0", name="grand_totals_not_negative"),
        # the report figures (services/reports/queries.py and dashboard.py; plans in
        # bench/RESULTS.md): the paid orders of a period as one range read without the table …
        Index("ix_orders_paid_figures", "deleted_at", "paid_date", "id", "is_paid",
              "is_canceled", "status", "order_type", "total_price", "total_discount",
              "id_member", "id_brandstore"),
        # … and the orders still to handle, counted and sorted without the table
        Index("ix_orders_status_figures", "status", "deleted_at", "order_type", "is_paid",
              "is_canceled", "paid_date"),
        # the lists (API explore/search/table, the admin list): the live orders newest first,
        # a page's ids picked and counted from the index alone (services/engine/core.py)
        Index("ix_orders_listing", "deleted_at", "order_date", "id"),
        # … of one type (the admin list and explore's order_type filter), its page and its
        # count from the index alone (status too: the list leaves the carts out)
        Index("ix_orders_type_listing", "deleted_at", "order_type", "order_date", "id",
              "status"),
        # the admin board: each state's latest cards, its count and the recently closed ones
        Index("ix_orders_status_listing", "status", "deleted_at", "order_date", "id",
              "done_datetime", "cancel_datetime"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_member: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    id_patients: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), nullable=True,
                                                    index=True)
    id_admin: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    pic_admin: Mapped[str] = mapped_column(String(150), default="")
    id_promo_discount_applied: Mapped[int | None] = mapped_column(
        ForeignKey("promotions.id"), nullable=True, index=True)
    # the store whose stock serves the order (products); None for consultations
    id_brandstore: Mapped[int | None] = mapped_column(ForeignKey("brandstore.id"), nullable=True)
    order_type: Mapped[str] = mapped_column(String(1), index=True)
    order_code: Mapped[str | None] = mapped_column(String(30), unique=True, nullable=True)
    cart_key: Mapped[str | None] = mapped_column(String(40), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=CART)
    status_before_cancel: Mapped[str | None] = mapped_column(String(20), nullable=True)
    order_date: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, index=True)

    nama_pemesan: Mapped[str] = mapped_column(String(150), default="")
    notelp_pemesan: Mapped[str] = mapped_column(String(30), default="")
    email_pemesan: Mapped[str] = mapped_column(String(150), default="")
    alamat_pemesan: Mapped[str] = mapped_column(String(255), default="")
    nama_penerima: Mapped[str] = mapped_column(String(150), default="")
    alamat_kirim: Mapped[str] = mapped_column(String(255), default="")
    lat_kirim: Mapped[float] = mapped_column(Double(), default=0)
    lng_kirim: Mapped[float] = mapped_column(Double(), default=0)
    kode_provinsi: Mapped[str] = mapped_column(String(10), default="")
    kode_kota: Mapped[str] = mapped_column(String(10), default="")
    kode_kecamatan: Mapped[str] = mapped_column(String(10), default="")
    catatan_order: Mapped[str] = mapped_column(String(500), default="")
    queue_number: Mapped[int] = mapped_column(Integer, default=0)

    # money (whole rupiah), recomputed by services.orders.money.refresh_totals
    total_price: Mapped[int] = mapped_column(Integer, default=0)  # items + extras
    total_discount: Mapped[int] = mapped_column(Integer, default=0)
    total_pajak: Mapped[int] = mapped_column(Integer, default=0)
    total_buffertime: Mapped[int] = mapped_column(Integer, default=0)
    poin_used: Mapped[int] = mapped_column(Integer, default=0)
    courier_price: Mapped[int] = mapped_column(Integer, default=0)
    grand_totals: Mapped[int] = mapped_column(Integer, default=0)
    points_earned: Mapped[int] = mapped_column(Integer, default=0)

    # shipping
    courier: Mapped[str] = mapped_column(String(30), default="")
    courier_service: Mapped[str] = mapped_column(String(50), default="")
    is_courier: Mapped[bool] = mapped_column(Boolean, default=False)
    courier_datetime: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    distance: Mapped[float] = mapped_column(Double(), default=0)
    distance_unit: Mapped[str] = mapped_column(String(5), default="km")
    nomor_resi: Mapped[str] = mapped_column(String(60), default="")

    # payment
    payment_token: Mapped[str] = mapped_column(String(100), default="")
    payment_redirect_url: Mapped[str] = mapped_column(String(255), default="")
    is_paid: Mapped[bool] = mapped_column(Boolean, default=False)
    # active_history: a new value keeps the old one in the history, so the report rollups
    # (services/reports/rollup_tracking.py) recompute the day the order leaves as well
    paid_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True,
                                                       active_history=True)
    pay_channel: Mapped[str] = mapped_column(String(50), default="")
    invoice_snapshot: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON, at payment
    # checkout took stock, promotion quota and points; given back on cancel or uncheckout
    is_reserved: Mapped[bool] = mapped_column(Boolean, default=False)

    # the steps after payment
    is_processing: Mapped[bool] = mapped_column(Boolean, default=False)
    processing_datetime: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_prepared: Mapped[bool] = mapped_column(Boolean, default=False)
    prepared_datetime: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_pickup: Mapped[bool] = mapped_column(Boolean, default=False)
    pickup_datetime: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    delivered_datetime: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_datetime: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    consultation_closed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_canceled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancel_datetime: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancel_pic: Mapped[str] = mapped_column(String(150), default="")
    cancel_reason: Mapped[str] = mapped_column(String(255), default="")

    member: Mapped[User] = relationship(foreign_keys=[id_member])
    admin: Mapped[User | None] = relationship(foreign_keys=[id_admin])
    patient: Mapped["Patient | None"] = relationship()  # noqa: F821
    promotion: Mapped[Promotion | None] = relationship()
    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan")
    extras: Mapped[list["OrderExtra"]] = relationship(
        back_populates="order", order_by="OrderExtra.id", cascade="all, delete-orphan")
    events: Mapped[list["OrderEvent"]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan")
    rating: Mapped["Rating | None"] = relationship(back_populates="order", uselist=False)


class OrderItem(TimestampMixin, db.Model):
    """A product in an order, at the price captured when it was added."""

    __tablename__ = "order_items"
    __table_args__ = (
        UniqueConstraint("id_order", "id_menu", name="uq_order_items_order_menu"),
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        # the product lines of the paid orders (products sold), read without the table
        Index("ix_order_items_order_figures", "id_order", "is_canceled", "id_menu", "qty",
              "price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_order: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    id_menu: Mapped[int] = mapped_column(ForeignKey("menus.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer, default=1)
    satuan: Mapped[str] = mapped_column(String(30), default="")
    price: Mapped[int] = mapped_column(Integer, default=0)
    price_total: Mapped[int] = mapped_column(Integer, default=0)
    discount: Mapped[int] = mapped_column(Integer, default=0)
    pajak: Mapped[int] = mapped_column(Integer, default=0)
    buffer_time: Mapped[int] = mapped_column(Integer, default=0)
    berat: Mapped[int] = mapped_column(Integer, default=0)  # grams per unit, when added
    order_datetime: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    catatan_menu: Mapped[str] = mapped_column(String(255), default="")
    is_canceled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancel_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # the prescription this line redeems (services.threads): shown "Diresepkan oleh dr …"
    id_prescription: Mapped[int | None] = mapped_column(ForeignKey("prescriptions.id"),
                                                        unique=True, nullable=True)

    order: Mapped[Order] = relationship(back_populates="items")
    menu: Mapped[Menu] = relationship()
    prescription: Mapped["Prescription | None"] = relationship()  # noqa: F821


class OrderExtra(TimestampMixin, db.Model):
    """A non-product line: an online consultation with a doctor (type C), at its price."""

    __tablename__ = "order_extras"
    __table_args__ = (
        CheckConstraint("qty > 0", name="extra_qty_positive"),
        CheckConstraint("extra_prices >= 0", name="extra_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_orders: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    id_doctors: Mapped[int | None] = mapped_column(ForeignKey("doctors.id"), nullable=True,
                                                   index=True)
    item: Mapped[str] = mapped_column(String(150), default="Online consultation")
    qty: Mapped[int] = mapped_column(Integer, default=1)
    extra_notes: Mapped[str] = mapped_column(String(255), default="")
    extra_prices: Mapped[int] = mapped_column(Integer, default=0)  # per unit

    order: Mapped[Order] = relationship(back_populates="extras")
    doctor: Mapped["Doctor | None"] = relationship()  # noqa: F821


class OrderEvent(db.Model):
    """One step of an order's timeline: which transition, from and to which state, by whom."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_orders: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    id_users: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(255), default="")

    order: Mapped[Order] = relationship(back_populates="events")


class UserPoint(db.Model):
    """The points ledger: a row per points earned or spent. users.total_point is its sum,
    changed in the same transaction by a conditional update (never below zero)."""

    __tablename__ = "user_points"
    __table_args__ = (
        CheckConstraint("add_point >= 0", name="add_point_not_negative"),
        CheckConstraint("use_point >= 0", name="use_point_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, index=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    id_orders: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True,
                                                  index=True)
    add_point: Mapped[int] = mapped_column(Integer, default=0)
    use_point: Mapped[int] = mapped_column(Integer, default=0)
    usecase: Mapped[str] = mapped_column(String(100), default="")
    is_used: Mapped[bool] = mapped_column(Boolean, default=False)
    is_expired: Mapped[bool] = mapped_column(Boolean, default=False)
    expired_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    user: Mapped[User] = relationship()
    order: Mapped[Order | None] = relationship()


class OrderCodeCounter(db.Model):
    """The last order number given per code prefix ("E-20231104-"). Checkout takes the next
    one with one atomic upsert whose row lock holds concurrent checkouts of the same type and
    day in line until the first commits (or rolls back, when the number is given again), so
    codes never repeat and have no gaps."""

    __tablename__ = "order_code_counters"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class PromotionUse(db.Model):
    """A promotion taken by a customer's order at checkout: once per customer (UNIQUE)."""

    __tablename__ = "promotion_uses"
    __table_args__ = (UniqueConstraint("id_promotions", "id_users",
                                       name="uq_promotion_uses_promotion_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_promotions: Mapped[int] = mapped_column(ForeignKey("promotions.id"), index=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    id_orders: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now)


class Rating(TimestampMixin, db.Model):
    """A customer's rating of their own finished order: once, 1–5 with a text."""

    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("ratings >= 1 AND ratings <= 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_orders: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    id_users: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    ratings: Mapped[int] = mapped_column(Integer)
    rating_desc: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="rating")
    user: Mapped[User] = relationship()


class PaymentNotification(db.Model):
    """Every payment notification received (Midtrans or its stand-in), kept as it came, with
    what the app made of it (`outcome`)."""

    __tablename__ = "payment_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=clinic_now, index=True)
    id_orders: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True,
                                                  index=True)
    order_code: Mapped[str] = mapped_column(String(60), default="", index=True)
    transaction_id: Mapped[str] = mapped_column(String(100), default="")
    transaction_status: Mapped[str] = mapped_column(String(30), default="")
    status_code: Mapped[str] = mapped_column(String(10), default="")
    gross_amount: Mapped[str] = mapped_column(String(30), default="")
    payment_type: Mapped[str] = mapped_column(String(50), default="")
    signature_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(50), default="")
    payload: Mapped[str] = mapped_column(Text, default="")


from .clinic import Doctor  # noqa: E402,F401  (resolves the relationships above)
from .patients import Patient  # noqa: E402,F401
from .threads import Prescription  # noqa: E402,F401
