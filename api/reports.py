"""API actions of the documented reports (report/…) and dashboard figures (dashboard/…): the
figures come from services/reports/queries.py (reports) and services/reports/dashboard.py
(dashboard totals), the table answers and access from services/reports/declarations.py."""
from flask import jsonify

from services.reports import dashboard, declarations, queries, question

from .auth import current_actor
from .body import json_body, table_params
from .resources import action

PERIOD = {"tgl_awal": "DD/MM/YYYY or YYYY-MM-DD (default: the 1st of this month)",
          "tgl_akhir": "DD/MM/YYYY or YYYY-MM-DD (default: today), clinic days, inclusive"}
ORDER_FILTERS = {**PERIOD, "order_type": "E | C", "status": "an order status",
                 "id_menus": "id or [ids]: orders holding the product",
                 "id_doctors": "id or [ids]: orders holding a consultation with the doctor",
                 "id_brandstore": "id or [ids]: orders served from the store's stock "
                                  "(orders.id_brandstore; online consultations have none)"}
TABLE = {"draw": "integer", "start": "integer", "length": "integer",
         "search[value]": "text", "order[0][column]": "index in the Table Specs",
         "order[0][dir]": "asc | desc"}


def _manager():
    actor = current_actor()
    declarations.require(actor, declarations.FIGURES)
    return actor


@action("report/penjualan/stats", ["POST"],
        "Sales figures of the paid orders of a period (owner, admin)", ORDER_FILTERS)
def sales_stats():
    """`{total_sales, total_online_consultation, amount_sales, amount_online_consultation,
    amount_discount, amount_total, total_customer}`: paid orders (not cancelled) by payment
    day; amount_total = sales + consultations − discount."""
    _manager()
    return jsonify(queries.sales_stats(question.read_filters(json_body())))


@action("report/penjualan/overall", ["POST"],
        "The paid orders of a period, DataTables protocol (owner, admin)",
        {**TABLE, **ORDER_FILTERS})
def sales_overall():
    """Rows `[order_code, order_date, order_type, nama_pemesan, total_price, total_discount,
    courier_price, poin_used, grand_totals, status]`, newest payment first."""
    actor = _manager()
    return jsonify(declarations.overall_table(actor, table_params()))


@action("report/penjualan/products", ["POST"],
        "Products sold in a period, DataTables protocol (owner, admin)",
        {**TABLE, **{k: v for k, v in ORDER_FILTERS.items() if k != "id_doctors"}})
def sales_products():
    """Rows `[nama_menus, qty, price_total]` per product, most money first."""
    _manager()
    params = table_params()
    return jsonify(declarations.figures_table(
        queries.product_sales(question.read_filters(params)), declarations.PRODUCT_COLUMNS,
        params))


@action("report/penjualan/online_consultations", ["POST"],
        "Online consultations sold in a period per doctor, DataTables protocol (owner, admin)",
        {**TABLE, **{k: v for k, v in ORDER_FILTERS.items() if k != "id_menus"}})
def sales_consultations():
    """Rows `[doctors, qty, amount]` per doctor, most money first."""
    _manager()
    params = table_params()
    return jsonify(declarations.figures_table(
        queries.consultation_sales(question.read_filters(params)),
        declarations.CONSULTATION_COLUMNS, params))


@action("report/offline/appoinment/performance", ["POST"],
        "Appointments done per doctor and service in a period, DataTables protocol "
        "(owner, admin)",
        {**TABLE, **PERIOD, "id_services": "id or [ids]", "id_doctors": "id or [ids]"})
def appointment_performance():
    """Rows `[doctors, services_name, qty, durations, doctors_picture_url]`: qty = DONE
    appointments on their day, durations = their minutes (cancelled ones never count)."""
    _manager()
    params = table_params()
    return jsonify(declarations.figures_table(
        queries.appointment_performance(question.read_filters(params)),
        declarations.PERFORMANCE_COLUMNS, params))


@action("dashboard/total/pendapatan", ["POST"], "Revenue per month, year to date (owner, admin)")
def revenue_by_month():
    """`{"pendapatan": [{months, years, amounts (text), month_names}]}`, every month from
    January: paid orders' total_price − total_discount, by payment day."""
    _manager()
    return jsonify({"pendapatan": dashboard.revenue_by_month()})


@action("dashboard/total/invoice", ["POST"], "Paid orders per month, year to date (owner, admin)")
def invoices_by_month():
    """`{"invoice": [{months, years, counts, month_names}]}`, every month from January."""
    _manager()
    return jsonify({"invoice": dashboard.invoices_by_month()})


@action("dashboard/total/products", ["POST"], "Products sold most, year to date (owner, admin)")
def top_products():
    """`{"items": [{id_menu, nama_menus, counts (text)}]}`, the quantity in paid orders."""
    _manager()
    return jsonify({"items": dashboard.top_products()})


@action("dashboard/total/services", ["POST"], "Services done most, year to date (owner, admin)")
def top_services():
    """`{"items": [{id_services, services_name, counts}]}`, DONE appointments."""
    _manager()
    return jsonify({"items": dashboard.top_services()})


def _upcoming(name, summary, doc):
    def view():
        actor = current_actor()
        declarations.require(actor, declarations.UPCOMING)
        return jsonify(declarations.upcoming_table(name, actor, table_params()))

    view.__name__ = f"upcoming_{name}"
    view.__doc__ = doc
    action(f"dashboard/upcoming/{name}", ["POST"], summary, TABLE)(view)


_upcoming("offline_appoinments", "Appointments from today on, DataTables protocol (office)",
          "user_schedules/table's columns; booked, rescheduled or arrived, soonest first.")
_upcoming("ecommerce", "Paid product orders to handle, DataTables protocol (office)",
          "orders/table's columns and the document's 12 more; PAID, PROCESSING or PREPARED, "
          "oldest payment first.")
_upcoming("promotions", "Promotions running or to come, DataTables protocol (office)",
          "promotions/table's columns; not expired, soonest start first.")
