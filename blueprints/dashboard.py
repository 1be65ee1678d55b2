"""Dashboard and the placeholder of screens that are not built yet.

The owner and the admins see the clinic's figures: KPI cards (each linking to the list it
counts), charts of the year (Chart.js, drawn by static/js/dashboard.js from a JSON block),
what comes next (appointments, orders to handle, running promotions) and the latest
activity. The figures come from services/reports (the API's own queries). Other staff land
on "Hari ini" (blueprints/today.py)."""
from flask import Blueprint, abort, redirect, url_for

from app.auth import current_actor, requires
from models import clinic_now
from services.access import STAFF, is_manager
from services.accounts.queries import accounts_summary
from services.engine import core, get_resource
from services.orders.board import age_text
from services.orders.flow import status_label as order_status_label
from services.reports import dashboard, kpis

from .audit_lines import sentences
from .navigation import SECTIONS, slug
from .render import render
from .views import view_for
from .views.appointments import schedule_text, status_chip

bp = Blueprint("dashboard", __name__, url_prefix="/admin")

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                "Des")
LIST_LENGTH = 5  # rows of each "what comes next" list


def _day(value) -> str:
    return value.strftime("%d/%m/%Y")


def paid_orders_url(period) -> str:
    """The order list narrowed to the orders a revenue card counts (paid in the period)."""
    return url_for("orders.listing", bayar_dari=_day(period.first),
                   bayar_sampai=_day(period.last))


def card_links(cards: kpis.Cards) -> dict:
    """Where each card leads: the list whose count or sum is the card's number."""
    month = cards.month
    return {
        "today": paid_orders_url(cards.today),
        "month": paid_orders_url(month),
        "last_month": paid_orders_url(cards.last_month),
        "appointments": url_for("crud.index", name="user_schedules", status="DONE",
                                dari=_day(month.first), sampai=_day(month.last)),
        "patients": url_for("crud.index", name="patients", dari=_day(month.first),
                            sampai=_day(month.last)),
    }


def chart_data(charts: dict, cards: kpis.Cards) -> dict:
    """What dashboard.js draws, with Indonesian labels."""
    return {
        "year": cards.day.year,
        "months": [SHORT_MONTHS[row["months"] - 1] for row in charts["revenue"]],
        "revenue": [int(row["amounts"]) for row in charts["revenue"]],
        "invoices": [row["counts"] for row in charts["invoices"]],
        "products": {"labels": [row["nama_menus"] for row in charts["products"]],
                     "values": [int(row["counts"]) for row in charts["products"]]},
        "services": {"labels": [row["services_name"] for row in charts["services"]],
                     "values": [row["counts"] for row in charts["services"]]},
        "doctors": {"labels": [row["doctors"] for row in cards.by_doctor],
                    "booked": [row["booked"] for row in cards.by_doctor],
                    "done": [row["done"] for row in cards.by_doctor]},
    }


def next_rows(resource_name: str, actor, scope, order):
    """The first rows of a "what comes next" list and how many there are in all."""
    total, _filtered, rows = core.find(get_resource(resource_name), actor, {}, scope=scope,
                                       order=order, limit=LIST_LENGTH)
    return total, rows


def manager_context(actor) -> dict:
    """Everything the owner's dashboard shows, in a fixed number of queries."""
    cards = kpis.cards()
    charts = kpis.charts(cards.day)
    appointments = next_rows("user_schedules", actor, dashboard.upcoming_appointments,
                             dashboard.UPCOMING_APPOINTMENTS_ORDER)
    orders = next_rows("orders", actor, dashboard.orders_to_handle,
                       dashboard.ORDERS_TO_HANDLE_ORDER)
    promotions = next_rows("promotions", actor, dashboard.running_promotions,
                           dashboard.RUNNING_PROMOTIONS_ORDER)
    return {"cards": cards, "links": card_links(cards), "chart_data": chart_data(charts, cards),
            "month_name": f"{MONTHS[cards.day.month - 1]} {cards.day.year}",
            "last_month_name": f"{MONTHS[cards.last_month.first.month - 1]} "
                               f"{cards.last_month.first.year}",
            "appointments": appointments, "orders": orders, "promotions": promotions,
            "appointment_view": view_for("user_schedules"), "schedule_text": schedule_text,
            "appointment_status": status_chip, "order_status": order_status_label,
            "age_text": age_text, "now": clinic_now()}


@bp.get("/")
@requires(*STAFF)
def index():
    """Where staff land. Managers: the clinic's figures, charts, what comes next and the
    latest audit entries as sentences. The front desk and the doctors work from "Hari ini"
    (a doctor's own day and open threads), so they are sent there."""
    actor = current_actor()
    if not is_manager(actor):
        return redirect(url_for("today.index"))
    summary = accounts_summary(actor)
    return render("dashboard/owner.html", **summary, audit_sentences=sentences(summary["recent"]),
                  **manager_context(actor))


@bp.get("/soon/<section>")
@requires(*STAFF)
def not_built(section):
    """A screen family that later work will build; says so plainly."""
    labels = {slug(label): label for label, *_ in SECTIONS}
    if section not in labels:
        abort(404)
    return render("dashboard/not_built.html", section=labels[section])
