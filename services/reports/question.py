"""The question a report answers: its period (clinic days) and its narrowing filters, read
from a request body (read_filters: every problem answered at once, 422)."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from marshmallow import ValidationError
from sqlalchemy import and_

from models import clinic_now
from models.orders import ORDER_STATUSES, ORDER_TYPES
from services.engine.fields import FlexDate
from services.engine.filters import ids_in
from services.errors import Invalid


@dataclass
class Period:
    """Clinic days from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def starts(self) -> datetime:
        """The first moment of the period (clinic time)."""
        return datetime.combine(self.first, time.min)

    @property
    def ends(self) -> datetime:
        """The first moment after the period (clinic time)."""
        return datetime.combine(self.last + timedelta(days=1), time.min)

    def holds(self, column):
        """SQL: a datetime column falls in the period."""
        return and_(column >= self.starts, column < self.ends)


@dataclass
class ReportFilters:
    """What a report is asked about: the period and the documented narrowing filters."""

    period: Period
    order_type: str | None = None
    status: str | None = None
    id_menus: list = field(default_factory=list)
    id_doctors: list = field(default_factory=list)
    id_services: list = field(default_factory=list)
    id_brandstore: list = field(default_factory=list)  # the store whose stock served the order


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _date(value, name, problems):
    try:
        return FlexDate().deserialize(value)
    except (ValidationError, TypeError, ValueError):
        problems[name] = "Tanggal tidak valid (gunakan DD/MM/YYYY atau YYYY-MM-DD)."
        return None


def read_filters(body: dict) -> ReportFilters:
    """The period (tgl_awal … tgl_akhir; default: this month up to today) and the filters of
    a report body; every problem answered at once (422)."""
    if not isinstance(body, dict):
        body = {}
    problems = {}
    today = clinic_now().date()
    first = today.replace(day=1) if _blank(body.get("tgl_awal")) \
        else _date(body.get("tgl_awal"), "tgl_awal", problems)
    last = today if _blank(body.get("tgl_akhir")) \
        else _date(body.get("tgl_akhir"), "tgl_akhir", problems)
    if first and last and last < first:
        problems["tgl_akhir"] = "Tanggal akhir tidak boleh sebelum tanggal awal."
    order_type = body.get("order_type")
    if _blank(order_type):
        order_type = None
    elif str(order_type).strip().upper() not in ORDER_TYPES:
        problems["order_type"] = "Jenis pesanan harus E (produk) atau C (konsultasi online)."
    else:
        order_type = str(order_type).strip().upper()
    status = body.get("status")
    if _blank(status):
        status = None
    elif str(status).strip().upper() not in ORDER_STATUSES:
        problems["status"] = "Status pesanan tidak dikenal."
    else:
        status = str(status).strip().upper()
    ids = {}
    for name in ("id_menus", "id_doctors", "id_services", "id_brandstore"):
        value = body.get(name)
        if _blank(value):
            ids[name] = []
            continue
        try:
            ids[name] = ids_in(value)
        except (ValueError, TypeError, OverflowError):
            problems[name] = "Harus berupa id (angka) atau daftar id."
    if problems:
        raise Invalid(fields=problems)
    return ReportFilters(period=Period(first, last), order_type=order_type, status=status,
                         **ids)


__all__ = ["Period", "ReportFilters", "read_filters"]
