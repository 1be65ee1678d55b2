"""What office staff do to an order from the admin "Pesanan" board: which steps its state
offers, and running one through OrderFlow (the only way an order changes state). The board's
buttons come from `actions_for`, so a screen never offers a step the flow would refuse for
its state; the flow still checks again (a concurrent change answers 409)."""
from dataclasses import dataclass

from models import Order, db
from models.orders import CANCEL, CHECKOUT, PAID, PICKUP, PREPARED, PROCESSING
from services.access import is_office
from services.errors import Forbidden, Invalid, NotFound

from .flow import OrderFlow

PAY_CHANNELS = ("Transfer bank", "Tunai", "QRIS", "Kartu debit", "Kartu kredit", "GoPay",
                "OVO", "ShopeePay")
SAME_DAY = "sameday"


@dataclass(frozen=True)
class Step:
    """One staff action on an order: its button, the states it starts from, the order type
    it applies to (None: both), whether it goes backwards, and what the toast says."""

    name: str
    label: str
    states: tuple
    order_type: str | None = None
    undo: bool = False
    done: str = ""


STEPS = (
    Step("paid", "Tandai dibayar", (CHECKOUT,), done="ditandai dibayar"),
    Step("processing", "Proses pesanan", (PAID,), "E", done="sedang diproses"),
    Step("complete", "Selesaikan konsultasi", (PAID,), "C", done="selesai"),
    Step("prepared", "Tandai siap dikirim", (PROCESSING,), "E", done="siap dikirim"),
    Step("noresi", "Simpan nomor resi", (PREPARED, PICKUP), "E", done="diberi nomor resi"),
    Step("pickup", "Serahkan ke kurir", (PREPARED,), "E", done="diserahkan ke kurir"),
    Step("consignee", "Tandai diterima", (PICKUP,), "E", done="diterima pelanggan"),
    Step("unpaid", "Batalkan pembayaran", (PAID,), undo=True,
         done="dikembalikan ke Menunggu pembayaran"),
    Step("unprocessing", "Kembalikan ke Dibayar", (PROCESSING,), "E", undo=True,
         done="dikembalikan ke Dibayar"),
    Step("unprepare", "Kembalikan ke Diproses", (PREPARED,), "E", undo=True,
         done="dikembalikan ke Diproses"),
    Step("unpickup", "Kembalikan ke Siap dikirim", (PICKUP,), "E", undo=True,
         done="dikembalikan ke Siap dikirim"),
    Step("cancel", "Batalkan pesanan", (CHECKOUT, PAID, PROCESSING, PREPARED), undo=True,
         done="dibatalkan"),
    Step("uncancel", "Pulihkan pesanan", (CANCEL,), undo=True, done="dipulihkan"),
)
STEP_BY_NAME = {step.name: step for step in STEPS}


def needs_receipt_number(order: Order) -> bool:
    """True while a product order waits for its courier's receipt number before pickup."""
    return order.order_type == "E" and not order.nomor_resi and order.courier != SAME_DAY


def actions_for(order: Order, actor) -> dict:
    """The steps this staff member may take on the order in its state: {name: Step}."""
    if not is_office(actor):
        return {}
    return {step.name: step for step in STEPS
            if order.status in step.states
            and (step.order_type is None or step.order_type == order.order_type)}


def load_order(actor, order_id: int) -> Order:
    """The order for office staff; 403 for anyone else, 404 when unknown or deleted."""
    if not is_office(actor):
        raise Forbidden("Pesanan hanya ditangani staf kantor.")
    order = db.session.get(Order, order_id)
    if order is None or order.deleted_at is not None:
        raise NotFound("Pesanan tidak ditemukan.")
    return order


def perform(actor, order_id: int, name: str, form) -> tuple[Order, str]:
    """Run step `name` on the order with the form's values (pay channel, receipt number,
    cancel reason) through OrderFlow; returns the order and the toast text. A wrong state
    is the flow's 409, a missing value a 422 naming the field."""
    order = load_order(actor, order_id)
    step = STEP_BY_NAME.get(name)
    if step is None:
        raise NotFound("Tindakan tidak dikenal.")
    flow = OrderFlow(order, actor)
    if name == "paid":
        channel = (form.get("pay_channel") or "").strip()
        if channel not in PAY_CHANNELS:
            raise Invalid("Pilih cara pembayaran.",
                          fields={"pay_channel": "Pilih cara pembayaran dari daftar."})
        flow.mark_paid(channel)
    elif name == "noresi":
        flow.record_receipt_number(form.get("nomor_resi") or "")
    elif name == "cancel":
        reason = (form.get("cancel_reason") or "").strip()
        if not reason or len(reason) > 255:
            raise Invalid("Tulis alasan pembatalan.",
                          fields={"cancel_reason": "Alasan wajib diisi (maksimal 255 karakter)."})
        flow.cancel(reason)
    else:
        getattr(flow, _METHODS[name])()
    label = order.order_code or f"#{order.id}"
    return order, f"Pesanan {label} {step.done}."


_METHODS = {"processing": "start_processing", "complete": "complete_consultation",
            "prepared": "mark_prepared", "pickup": "hand_to_courier",
            "consignee": "confirm_received", "unpaid": "mark_unpaid",
            "unprocessing": "undo_processing", "unprepare": "undo_prepared",
            "unpickup": "undo_pickup", "uncancel": "uncancel"}
