"""Admin "Pesanan": the pipeline board of orders by state (counts, filters, cards), an
order's drawer (lines, totals, shipping, payment, timeline and exactly the steps its state
offers), and the searchable list of old orders. Office staff only; every change goes through
services/orders/desk.py (OrderFlow). After a step the drawer comes back with an HX-Trigger
that shows a toast and makes the board fetch itself again — no reload."""
import io

from flask import Blueprint, flash, request, send_file, url_for

from app.auth import current_actor, requires
from app.extensions import htmx
from services.access import OFFICE
from services.errors import DomainError
from services.orders import board as queries
from services.orders import desk
from services.orders.invoice import invoice_of
from services.orders.flow import STEP_WORDS, status_label
from services.orders.money import compute_totals

from .render import inline_refusal, render, toast, toast_refusal

bp = Blueprint("orders", __name__, url_prefix="/admin/orders")
REFRESH = "orders:refresh"


@bp.before_request
@requires(*OFFICE)
def office_only():
    """Office staff only (doctors and customers: 403)."""


@bp.app_template_global()
def order_invoice_url(order) -> str | None:
    """The staff download of a paid order's invoice PDF (frozen at payment)."""
    if not order.is_paid or not order.invoice_snapshot:
        return None
    return url_for("orders.invoice", order_id=order.id)


def _common(filters):
    return {"filters": filters, "type_labels": queries.TYPE_LABELS,
            "status_label": status_label, "age_text": queries.age_text,
            "columns_order": queries.COLUMNS, "recent_days": queries.RECENT_DAYS}


@bp.get("/")
def index():
    """The board: a column per state with its count and latest cards, filtered."""
    filters = queries.read_filters(request.args)
    context = {**_common(filters), **queries.board(filters)}
    return render("orders/index.html", "orders/_board.html", **context)


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 100_000))
    except (TypeError, ValueError):
        return 1


@bp.get("/list")
def listing():
    """Old orders: search by code, customer, type, state and date; sortable; paged."""
    filters = queries.read_filters(request.args)
    sort = request.args.get("sort", "order_date")
    descending = request.args.get("dir", "desc") != "asc"
    page = queries.search_orders(filters, sort, descending, _page_number(request.args.get("page")))
    arguments = {name: value for name, value in filters.values.items() if value}

    def link(**changes):
        values = {**arguments, "sort": page.sort, "dir": "desc" if page.descending else "asc",
                  "page": page.page, **changes}
        return url_for("orders.listing", **values)

    return render("orders/list.html", "orders/_list.html", **_common(filters), result=page,
                  link=link, sorts=queries.SORTS)


def _drawer(order, status=200, trigger=None, errors=None, values=None, message=None):
    order = queries.order_for_drawer(order.id if hasattr(order, "id") else order)
    if trigger and not htmx:
        flash(trigger["toast"]["message"], trigger["toast"]["level"])
    return render("orders/order.html", "orders/_drawer.html", status=status,
                  trigger=trigger if htmx else None, order=order,
                  totals=compute_totals(order), actions=desk.actions_for(order, current_actor()),
                  needs_resi=desk.needs_receipt_number(order), pay_channels=desk.PAY_CHANNELS,
                  step_words=STEP_WORDS, status_label=status_label,
                  type_labels=queries.TYPE_LABELS, age_text=queries.age_text,
                  errors=errors or {}, values=values or {}, message=message)


@bp.get("/<int:order_id>")
def detail(order_id):
    """One order: the drawer's content for HTMX, a page of its own otherwise."""
    return _drawer(desk.load_order(current_actor(), order_id))


@bp.post("/<int:order_id>/<action>")
def act(order_id, action):
    """Run one step on the order. Missing or wrong values come back inline in the drawer
    (422); a step its state does not allow is refused with the flow's message (409)."""
    try:
        order, message = desk.perform(current_actor(), order_id, action, request.form)
    except DomainError as exc:
        if exc.status == 422 and htmx:
            refusal = inline_refusal(exc)
            return _drawer(order_id, status=422, errors=refusal.fields, values=request.form,
                           message=refusal.message)
        return toast_refusal(exc)
    return _drawer(order, trigger={**toast(message), REFRESH: True})


@bp.get("/<int:order_id>/invoice")
def invoice(order_id):
    """The order's invoice PDF (frozen at payment)."""
    pdf, name = invoice_of(current_actor(), order_id)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=name,
                     as_attachment=True)
