"""The documented contract of the report and dashboard endpoints: who may ask, the "Table
Specs" of each table, and the DataTables answer of rows that are figures rather than
resources. The figures themselves are in queries.py and dashboard.py (with the scopes of the
upcoming lists); api/reports.py only reads and answers."""
from flask import current_app

from services.access import MANAGERS, OFFICE
from services.appointments import declarations as _appointments  # noqa: F401  (registers)
from services.catalog import declarations as _catalog  # noqa: F401
from services.engine import core, get_resource
from services.errors import Forbidden, Invalid, Unauthorized
from services.orders import declarations as _orders  # noqa: F401

from . import dashboard, queries, question

# Money and clinic-wide figures: the owner and the admins. Customers, doctors (who are not
# also office staff) and the front desk are refused (403).
FIGURES = MANAGERS
# The lists the office works from (what comes next): the front desk too.
UPCOMING = OFFICE

OVERALL_COLUMNS = ("order_code", "order_date", "order_type", "nama_pemesan", "total_price",
                   "total_discount", "courier_price", "poin_used", "grand_totals", "status")
PRODUCT_COLUMNS = ("nama_menus", "qty", "price_total")
CONSULTATION_COLUMNS = ("doctors", "qty", "amount")
PERFORMANCE_COLUMNS = ("doctors", "services_name", "qty", "durations", "doctors_picture_url")
APPOINTMENT_COLUMNS = get_resource("user_schedules").table_columns
# The document's dashboard/upcoming/ecommerce specs: orders/table's columns and 12 more.
ECOMMERCE_COLUMNS = get_resource("orders").table_columns + (
    "cancel_pic", "ratings", "rating_desc", "cancel_reason", "is_processing",
    "processing_datetime", "is_courier", "courier_datetime", "is_pickup", "courier_price",
    "poin_used", "nomor_resi")
PROMOTION_COLUMNS = get_resource("promotions").table_columns


def require(actor, roles):
    """401 without a session, 403 unless the actor holds one of `roles`."""
    if actor is None:
        raise Unauthorized()
    if not actor.role_codes & set(roles):
        raise Forbidden("Laporan dan dasbor hanya untuk pengelola klinik.")


def _number(params, name, default):
    value = params.get(name)
    if value in (None, ""):
        return default
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise Invalid(fields={name: "Harus berupa angka."}) from exc


def _text(value) -> str:
    return "" if value is None else str(value)


def figures_table(rows: list[dict], columns, params) -> dict:
    """The DataTables answer of figure rows (one per product, doctor …, so few): search[value]
    matches any spec column, order[0][column] indexes the spec, start/length page."""
    total = len(rows)
    text = params.get("search[value]")
    if text not in (None, "") and not isinstance(text, (str, int, float)):
        raise Invalid(fields={"search[value]": "Harus berupa teks."})
    text = _text(text).strip().lower()[:200]
    if text:
        rows = [row for row in rows if any(text in _text(row.get(name)).lower()
                                           for name in columns)]
    index = params.get("order[0][column]")
    if index not in (None, ""):
        position = _number(params, "order[0][column]", 0)
        if not 0 <= position < len(columns):
            raise Invalid(fields={"order[0][column]": "Kolom tidak dikenal."})
        name = columns[position]
        descending = str(params.get("order[0][dir]", "asc")).lower() == "desc"
        rows = sorted(rows, key=lambda row: (row.get(name) is None, row.get(name) or 0)
                      if not isinstance(row.get(name), str) else (False, row[name].lower()),
                      reverse=descending)
    start = max(_number(params, "start", 0), 0)
    length = _number(params, "length", 10)
    cap = current_app.config["PAGE_LENGTH_MAX"]
    length = cap if length <= 0 else min(length, cap)
    return {"draw": _number(params, "draw", 0), "recordsTotal": total,
            "recordsFiltered": len(rows),
            "data": [[row.get(name) for name in columns] for row in rows[start:start + length]]}


def overall_table(actor, params) -> dict:
    """report/penjualan/overall: the paid orders of the period, as the orders table lists
    them (paged, searched and sorted in SQL)."""
    from services.orders.queries import order_condition

    filters = question.read_filters(params)
    return core.table(get_resource("orders"), actor, params, columns=OVERALL_COLUMNS,
                      scope=queries.paid_orders_scope(filters),
                      order=(queries.Order.paid_date.desc(), queries.Order.id.desc()),
                      # the office reaches every order: the rollups know how many
                      count=(lambda: queries.paid_orders_totals(filters)["orders"])
                      if order_condition(actor) is None else None)


def upcoming_table(name: str, actor, params) -> dict:
    """dashboard/upcoming/<name>: the resource's own table, narrowed to what comes next."""
    resource_name, columns, scope, order = {
        "offline_appoinments": ("user_schedules", APPOINTMENT_COLUMNS,
                                dashboard.upcoming_appointments,
                                dashboard.UPCOMING_APPOINTMENTS_ORDER),
        "ecommerce": ("orders", ECOMMERCE_COLUMNS, dashboard.orders_to_handle,
                      dashboard.ORDERS_TO_HANDLE_ORDER),
        "promotions": ("promotions", PROMOTION_COLUMNS, dashboard.running_promotions,
                       dashboard.RUNNING_PROMOTIONS_ORDER),
    }[name]
    return core.table(get_resource(resource_name), actor, params, columns=columns, scope=scope,
                      order=order)
