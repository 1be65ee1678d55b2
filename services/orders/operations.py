"""What the API does with orders: find the order the actor reaches, read the body, and run
the documented transitions of OrderFlow for the right people (an open cart's changes are
services.orders.carts).

Who: a customer acts on their own orders only (another's is 404, as if it did not exist);
the office (OWNER, ADMIN, USERS) on any; a doctor who is not office staff reads the
consultations with them but changes only their own orders as a customer. Who acted always
comes from the signed-in account: `pic_admin`/`id_admin` in a body are ignored."""
import re

from models import Order
from models.orders import CART, CHECKOUT
from services.access import is_office
from services.engine import core, get_resource
from services.errors import BadRequest, Conflict, Forbidden, Invalid

from .flow import OrderFlow, status_label
from .queries import may_change_order

INT_MAX = 2_147_483_647


# ---- reading the body ---------------------------------------------------------------------
def integer(value, name, low=1, high=INT_MAX) -> int:
    """A whole number of the body between low and high (digits in a string too); 422 else."""
    if isinstance(value, bool) or value is None:
        raise Invalid(fields={name: "Harus berupa angka."})
    if isinstance(value, float):
        if not value.is_integer():
            raise Invalid(fields={name: "Harus berupa bilangan bulat."})
        value = int(value)
    if isinstance(value, str):
        if not re.fullmatch(r"\s*-?\d{1,12}\s*", value):
            raise Invalid(fields={name: "Harus berupa angka."})
        value = int(value)
    if not isinstance(value, int):
        raise Invalid(fields={name: "Harus berupa angka."})
    if not low <= value <= high:
        raise Invalid(fields={name: f"Harus antara {low} dan {high}."})
    return value


def text(body, name, limit, required=False):
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(fields={name: "Wajib diisi."})
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Invalid(fields={name: "Harus berupa teks."})
    value = value.strip()
    if len(value) > limit:
        raise Invalid(fields={name: f"Maksimal {limit} karakter."})
    return value


# ---- finding orders -----------------------------------------------------------------------
def find_order(actor, order_id, change: bool = True) -> Order:
    """The live order the actor reaches, else 404 (the engine's load over the orders
    resource); with `change`, 403 when they may read it but not change it (a doctor reading a
    consultation)."""
    order = core.load(get_resource("orders"), actor, order_id)
    if change and not may_change_order(actor, order):
        raise Forbidden("Anda hanya dapat mengubah pesanan Anda sendiri.")
    return order


# ---- transitions ------------------------------------------------------------------------------
# action -> (OrderFlow method, office only)
TRANSITIONS = {
    "uncheckout": ("uncheckout", False), "paid": ("mark_paid", True),
    "unpaid": ("mark_unpaid", True), "processing": ("start_processing", True),
    "unprocessing": ("undo_processing", True), "prepared": ("mark_prepared", True),
    "unprepare": ("undo_prepared", True), "pickup": ("hand_to_courier", True),
    "unpickup": ("undo_pickup", True), "consignee": ("confirm_received", False),
    "cancel": ("cancel", False), "uncancel": ("uncancel", True),
    "noresi": ("record_receipt_number", True),
}
CUSTOMER_CANCELLABLE = (CART, CHECKOUT)


def run_transition(actor, order_id, action: str, body: dict) -> Order:
    """One documented transition by the signed-in actor: office-only steps refuse others
    (403); a customer cancels their own order only while it is a cart or awaiting payment."""
    if not isinstance(body, dict):
        raise BadRequest("Isi permintaan harus berupa objek JSON.")
    method, office_only = TRANSITIONS[action]
    order = find_order(actor, order_id)
    office = is_office(actor)
    if office_only and not office:
        raise Forbidden("Langkah ini hanya dilakukan oleh staf klinik.")
    flow = OrderFlow(order, actor)
    if action == "paid":
        channel = text(body, "pay_channel", 50, required=True)
        return flow.mark_paid(channel)
    if action == "noresi":
        return flow.record_receipt_number(text(body, "nomor_resi", 60, required=True))
    if action == "cancel":
        reason = text(body, "cancel_reason", 255) or ""
        if not office and order.status not in CUSTOMER_CANCELLABLE:
            raise Conflict(f"Pesanan berstatus {status_label(order.status)} ({order.status}) "
                           "hanya dapat dibatalkan oleh klinik; hubungi kami.",
                           error_code="wrong_state")
        return flow.cancel(reason)
    return getattr(flow, method)()
