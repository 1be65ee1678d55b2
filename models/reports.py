"""Per-day (and per-month) summaries of the report figures: the rollups.

Each row sums the source rows of one clinic day (or month) and one group, exactly as the live
report queries of services/reports/queries.py count them; services/reports/rollup_tracking.py
keeps them in step with the source rows inside the same transaction, and
services/reports/rollups.py recomputes them (and rebuilds them on demand).
A store or doctor that is "none" is stored as 0, so it can be part of the primary key.

- report_day_orders: the counted orders (paid, not cancelled, not deleted) per paid day,
  order type and store, with the sums of their money columns.
- report_day_products / report_month_products: the product lines (not cancelled) of those
  orders per day (month) and product.
- report_day_consultations: the extra lines (online consultations) of those orders per day and
  doctor.
- report_day_appointments / report_month_appointments: the appointments per day (month),
  doctor and service: booked (all), done, cancelled, still waiting (BOOKING or RESCHEDULE:
  a no-show once the day has passed) and the revenue of the done ones (custom_price).
- report_member_days: each day a customer had counted orders, with the customer's previous
  such day (NO_DAY when none): the customers of a period are the rows of the period whose
  previous day is before it, counted without DISTINCT from one index range.
- report_latches: one row per kind and month ("orders:2026-11") and per customer
  ("member:42"), locked (MariaDB) by a transaction just before it recomputes them, so two
  transactions never recompute the same rows at once."""
from datetime import date

from sqlalchemy import BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import db


class _ProductSales:
    """A product's sales in a day or a month (the key's last part and the measures)."""

    id_menu: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    qty: Mapped[int] = mapped_column(BigInteger, default=0)
    price_total: Mapped[int] = mapped_column(BigInteger, default=0)  # sum of price × qty


class _AppointmentCounts:
    """A doctor's appointments of one service in a day or a month."""

    id_doctors: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_services: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    waiting: Mapped[int] = mapped_column(Integer, default=0)  # BOOKING or RESCHEDULE
    revenue: Mapped[int] = mapped_column(BigInteger, default=0)  # custom_price of DONE


class ReportDayOrders(db.Model):
    __tablename__ = "report_day_orders"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    order_type: Mapped[str] = mapped_column(String(1), primary_key=True)
    id_brandstore: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    total_price: Mapped[int] = mapped_column(BigInteger, default=0)
    total_discount: Mapped[int] = mapped_column(BigInteger, default=0)
    courier_price: Mapped[int] = mapped_column(BigInteger, default=0)
    poin_used: Mapped[int] = mapped_column(BigInteger, default=0)
    grand_totals: Mapped[int] = mapped_column(BigInteger, default=0)


class ReportDayProducts(_ProductSales, db.Model):
    __tablename__ = "report_day_products"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    order_type: Mapped[str] = mapped_column(String(1), primary_key=True)


class ReportMonthProducts(_ProductSales, db.Model):
    __tablename__ = "report_month_products"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    order_type: Mapped[str] = mapped_column(String(1), primary_key=True)


class ReportDayConsultations(db.Model):
    __tablename__ = "report_day_consultations"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    order_type: Mapped[str] = mapped_column(String(1), primary_key=True)
    id_doctors: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    qty: Mapped[int] = mapped_column(BigInteger, default=0)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # sum of extra_prices × qty


class ReportDayAppointments(_AppointmentCounts, db.Model):
    __tablename__ = "report_day_appointments"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


class ReportMonthAppointments(_AppointmentCounts, db.Model):
    __tablename__ = "report_month_appointments"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day


NO_DAY = date(1900, 1, 1)  # report_member_days.prev_day of a customer's first day


class ReportMemberDays(db.Model):
    __tablename__ = "report_member_days"
    __table_args__ = (
        # the customers of a period: rows of the period (a short period) …
        Index("ix_report_member_days_day", "day", "prev_day"),
        # … or rows whose previous day is before the period (a long one)
        Index("ix_report_member_days_prev_day", "prev_day", "day"),
    )

    id_member: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    prev_day: Mapped[date] = mapped_column(Date)


class ReportLatch(db.Model):
    __tablename__ = "report_latches"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)  # "orders:2026-11"
