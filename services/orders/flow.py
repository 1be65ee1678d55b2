"""The order workflow: `OrderFlow` has one method per documented transition, each checking
the state it comes from (a wrong state is a 409 naming the current one), writing an order
event (the timeline) and committing once — one transaction per transition. Who acted and
when come from the signed-in account and the clock, never from a request body.

    SHOPPING CARTS ─checkout→ CHECKOUT ─paid→ PAID ─processing→ PROCESSING ─prepared→ PREPARED
        ─pickup→ PICKUP ─consignee→ DONE          (a consultation, type C: PAID ─complete→ DONE)
    CHECKOUT ─uncheckout→ SHOPPING CARTS     PAID ─unpaid→ CHECKOUT
    PROCESSING ─unprocessing→ PAID           PREPARED ─unprepare→ PROCESSING
    PICKUP ─unpickup→ PREPARED
    SHOPPING CARTS | CHECKOUT | PAID | PROCESSING | PREPARED ─cancel→ CANCEL ─uncancel→ (back)
    CHECKOUT ─expire→ CANCEL (the payment never came)

Checkout reserves what the order takes — stock (products), the promotion's quota and the
customer's points — with conditional updates that never oversell, also under concurrent
checkouts; uncheckout, cancel and expiry give back exactly what was taken (the promotion
only while unpaid). Payment earns points; unpaid takes them back.

Under concurrency: every transition first locks its order's row and reads it again (two
requests on one order run one after the other, the second refused by the state the first
left); order codes come from a per-type-and-day counter row; rows are locked in one order
(order, code counter, stock by product, promotion, customer), and a transition the database
picks as a deadlock victim runs again, then is a 409 "busy" — never a 500."""
import functools
import json
import random
import time

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError

from models import Order, OrderEvent, clinic_now, db
from models.orders import (CANCEL, CART, CHECKOUT, DONE, PAID, PICKUP, PREPARED, PROCESSING)
from services import audit, events
from services.errors import Conflict, Invalid

from . import reservations
from .codes import assign_code
from .money import refresh_totals

STATUS_LABELS = {CART: "Keranjang", CHECKOUT: "Menunggu pembayaran", PAID: "Dibayar",
                 PROCESSING: "Diproses", PREPARED: "Siap dikirim", PICKUP: "Dikirim",
                 DONE: "Selesai", CANCEL: "Dibatalkan"}
TRANSITION_ATTEMPTS = 3  # a transition chosen as a deadlock victim runs again, then gives up
BUSY_MESSAGE = "Sedang banyak pesanan diproses bersamaan; silakan coba lagi."


def status_label(status: str) -> str:
    """The state in Bahasa Indonesia."""
    return STATUS_LABELS.get(status, status)


def cart_key(user_id: int, order_type: str) -> str:
    """The key that allows one open cart per user and type."""
    return f"{user_id}|{order_type}"


def is_busy_error(exc: OperationalError) -> bool:
    """True when the database gave up waiting for another transaction's locks: a deadlock or
    a lock wait timeout (MariaDB 1213, 1205), or SQLite's single writer still busy. The
    transaction is rolled back and may simply run again."""
    code = exc.orig.args[0] if getattr(exc.orig, "args", None) else None
    return code in (1205, 1213) or "database is locked" in str(exc.orig)


def one_transaction(transition):
    """Run a transition as one transaction; when the database picks it as a deadlock victim
    (or its lock wait times out) roll back and run it again from the stored order, at most
    TRANSITION_ATTEMPTS times, then refuse with a 409 — never a 500, never half a change."""
    @functools.wraps(transition)
    def run(self, *args, **kwargs):
        for attempt in range(TRANSITION_ATTEMPTS):
            try:
                self._claim()
                return transition(self, *args, **kwargs)
            except OperationalError as exc:
                if not is_busy_error(exc):
                    raise
                db.session.rollback()  # the order is read again on the next attempt
                if attempt + 1 < TRANSITION_ATTEMPTS:
                    time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise Conflict(BUSY_MESSAGE, error_code="busy")
    return run


class OrderFlow:
    """One order's state machine, acted on by `actor` (None for the payment gateway or a
    background job)."""

    CANCELLABLE = (CART, CHECKOUT, PAID, PROCESSING, PREPARED)

    def __init__(self, order: Order, actor=None):
        self.order = order
        self.actor = actor

    # ---- helpers ----------------------------------------------------------------------------
    def _claim(self):
        """Lock the order's row and read it again before the transition looks at its state:
        two requests acting on one order at once (a double tap, a retried call, staff and
        the gateway together) run one after the other, and the second sees the state the
        first left — so a checkout or a cancel cannot take or give back twice. Changes made
        to the order before the call are written first, not lost."""
        order = self.order
        if order.id is None:
            return
        try:
            db.session.flush()
        except IntegrityError as exc:
            db.session.rollback()
            raise Conflict() from exc
        # a write, not SELECT … FOR UPDATE: SQLite has no row locks, but a write makes it
        # wait for the writer before it, as MariaDB waits for the row
        db.session.execute(update(Order).where(Order.id == order.id)
                           .values(updated=clinic_now()).execution_options(
                               synchronize_session=False))
        db.session.refresh(order)

    def _require(self, allowed, action: str):
        if self.order.status not in allowed:
            raise Conflict(f"Pesanan berstatus {status_label(self.order.status)} "
                           f"({self.order.status}) tidak dapat {action}.",
                           error_code="wrong_state")

    def _require_type(self, order_type: str, action: str):
        if self.order.order_type != order_type:
            kind = "produk" if self.order.order_type == "E" else "konsultasi"
            raise Conflict(f"Pesanan {kind} tidak dapat {action}.", error_code="wrong_type")

    def _event(self, action: str, before: str, note: str = ""):
        actor = self.actor
        db.session.add(OrderEvent(
            id_orders=self.order.id, action=action, from_status=before,
            to_status=self.order.status, id_users=getattr(actor, "id", None),
            username=getattr(actor, "username", "") or ("sistem" if actor is None else ""),
            note=note[:255]))

    def _move(self, action: str, allowed, to: str, note: str = "") -> str:
        """Check the state, move to `to` and write the event; returns the state before."""
        self._require(allowed, _ACTION_TEXT.get(action, action))
        before = self.order.status
        self.order.status = to
        self._event(action, before, note)
        events.order_status_changed.send(self.order, before=before, after=to, actor=self.actor)
        return before

    def _commit(self, action: str, note: str = "") -> Order:
        audit.record("order_step", self.actor, "orders", self.order.id,
                     f"{self.order.order_code or '#' + str(self.order.id)}|{action}|{note}")
        try:
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            raise Conflict() from exc
        return self.order

    def _reopen_cart(self):
        """Make the order the customer's open cart again — at once, so that another open cart
        of theirs refuses it here with a 409 (not at some later flush, as a 500)."""
        self.order.cart_key = cart_key(self.order.id_member, self.order.order_type)
        try:
            db.session.flush()
        except IntegrityError as exc:
            db.session.rollback()
            raise Conflict("Sudah ada keranjang lain yang terbuka; selesaikan atau kosongkan "
                           "dahulu.", error_code="cart_exists") from exc

    def _staff_stamp(self):
        if self.actor is not None:
            self.order.id_admin = self.actor.id
            self.order.pic_admin = self.actor.users_fullname or self.actor.username

    # ---- transitions ------------------------------------------------------------------------
    @one_transaction
    def checkout(self, details: dict | None = None) -> Order:
        """SHOPPING CARTS → CHECKOUT: the cart is closed, its code given, its stock, promotion
        quota and points taken; the caller then starts the payment."""
        order = self.order
        self._require((CART,), "dibayar")
        if not any(not item.is_canceled for item in order.items) and not order.extras:
            raise Conflict("Keranjang masih kosong.", error_code="empty_cart")
        if order.order_type == "E" and not order.courier:
            raise Conflict("Pilih kurir pengiriman dahulu.", error_code="no_courier")
        for name, value in (details or {}).items():
            if value not in (None, ""):
                setattr(order, name, value)
        refresh_totals(order)
        order.cart_key = None
        assign_code(order)
        reservations.reserve(order)
        order.order_date = clinic_now()
        self._move("checkout", (CART,), CHECKOUT)
        return self._commit("checkout", f"Rp {order.grand_totals}")

    @one_transaction
    def uncheckout(self) -> Order:
        """CHECKOUT → SHOPPING CARTS: back to an open cart (if no other cart was opened
        meanwhile); what checkout took is given back, the payment link dropped."""
        order = self.order
        self._require((CHECKOUT,), "dikembalikan ke keranjang")
        self._reopen_cart()
        reservations.give_back(order)
        order.payment_token = order.payment_redirect_url = ""
        self._move("uncheckout", (CHECKOUT,), CART)
        return self._commit("uncheckout")

    @one_transaction
    def mark_paid(self, pay_channel: str, paid_at=None) -> Order:
        """CHECKOUT → PAID: the payment arrived (gateway) or was received by staff; earns
        points and freezes the invoice."""
        order = self.order
        self._require((CHECKOUT,), "ditandai dibayar")
        order.is_paid = True
        order.paid_date = paid_at or clinic_now()
        order.pay_channel = (pay_channel or "")[:50]
        if self.actor is not None:
            self._staff_stamp()
        reservations.earn_points(order)
        order.invoice_snapshot = json.dumps(invoice_snapshot(order), default=str)
        self._move("paid", (CHECKOUT,), PAID, order.pay_channel)
        return self._commit("paid", order.pay_channel)

    @one_transaction
    def mark_unpaid(self) -> Order:
        """PAID → CHECKOUT: a payment recorded by mistake; the points it earned go back."""
        order = self.order
        self._require((PAID,), "dibatalkan pembayarannya")
        reservations.revoke_points(order)
        order.is_paid = False
        order.paid_date = None
        order.pay_channel = ""
        order.invoice_snapshot = None
        self._staff_stamp()
        self._move("unpaid", (PAID,), CHECKOUT)
        return self._commit("unpaid")

    @one_transaction
    def start_processing(self) -> Order:
        """PAID → PROCESSING (products)."""
        self._require((PAID,), "diproses")
        self._require_type("E", "diproses")
        self.order.is_processing, self.order.processing_datetime = True, clinic_now()
        self._staff_stamp()
        self._move("processing", (PAID,), PROCESSING)
        return self._commit("processing")

    @one_transaction
    def undo_processing(self) -> Order:
        """PROCESSING → PAID."""
        self._require((PROCESSING,), "dikembalikan ke Dibayar")
        self.order.is_processing, self.order.processing_datetime = False, None
        self._move("unprocessing", (PROCESSING,), PAID)
        return self._commit("unprocessing")

    @one_transaction
    def mark_prepared(self) -> Order:
        """PROCESSING → PREPARED: packed, waiting for the courier."""
        self._require((PROCESSING,), "ditandai siap")
        self.order.is_prepared, self.order.prepared_datetime = True, clinic_now()
        self._staff_stamp()
        self._move("prepared", (PROCESSING,), PREPARED)
        return self._commit("prepared")

    @one_transaction
    def undo_prepared(self) -> Order:
        """PREPARED → PROCESSING."""
        self._require((PREPARED,), "dikembalikan ke Diproses")
        self.order.is_prepared, self.order.prepared_datetime = False, None
        self._move("unprepare", (PREPARED,), PROCESSING)
        return self._commit("unprepare")

    @one_transaction
    def record_receipt_number(self, nomor_resi: str) -> Order:
        """Record the courier's receipt number (PREPARED or PICKUP); no state change."""
        self._require((PREPARED, PICKUP), "diberi nomor resi")
        text = (nomor_resi or "").strip()
        if not text or len(text) > 60:
            raise Invalid(fields={"nomor_resi": "Nomor resi wajib diisi (maksimal 60 karakter)."})
        self.order.nomor_resi = text
        self._event("noresi", self.order.status, text)
        return self._commit("noresi", text)

    @one_transaction
    def hand_to_courier(self) -> Order:
        """PREPARED → PICKUP: handed to the courier (a receipt number first, except for the
        same-day courier)."""
        self._require((PREPARED,), "diserahkan ke kurir")
        if not self.order.nomor_resi and self.order.courier != "sameday":
            raise Conflict("Isi nomor resi dahulu.", error_code="no_receipt_number",
                           fields={"nomor_resi": "Wajib diisi."})
        self.order.is_pickup, self.order.pickup_datetime = True, clinic_now()
        self._staff_stamp()
        self._move("pickup", (PREPARED,), PICKUP)
        return self._commit("pickup")

    @one_transaction
    def undo_pickup(self) -> Order:
        """PICKUP → PREPARED."""
        self._require((PICKUP,), "dikembalikan ke Siap dikirim")
        self.order.is_pickup, self.order.pickup_datetime = False, None
        self._move("unpickup", (PICKUP,), PREPARED)
        return self._commit("unpickup")

    @one_transaction
    def confirm_received(self) -> Order:
        """PICKUP → DONE: the customer (or staff for them) confirms it arrived."""
        self._require((PICKUP,), "ditandai diterima")
        now = clinic_now()
        self.order.is_delivered, self.order.delivered_datetime = True, now
        self.order.is_done, self.order.done_datetime = True, now
        self._move("consignee", (PICKUP,), DONE)
        return self._commit("consignee")

    @one_transaction
    def complete_consultation(self) -> Order:
        """PAID → DONE for a consultation (type C), when its thread is closed."""
        self._require((PAID,), "diselesaikan")
        self._require_type("C", "diselesaikan sebagai konsultasi")
        now = clinic_now()
        self.order.is_done, self.order.done_datetime = True, now
        self.order.consultation_closed = now
        self._move("complete", (PAID,), DONE)
        return self._commit("complete")

    @one_transaction
    def cancel(self, reason: str = "") -> Order:
        """→ CANCEL from a cart, a checkout, or a paid order not yet handed to the courier:
        gives back stock and points (the promotion only while unpaid)."""
        order = self.order
        self._require(self.CANCELLABLE, "dibatalkan")
        order.status_before_cancel = order.status
        reservations.give_back(order, promotion=not order.is_paid)
        if order.status == CART:
            order.cart_key = None
        order.is_canceled, order.cancel_datetime = True, clinic_now()
        order.cancel_reason = (reason or "")[:255]
        order.cancel_pic = (getattr(self.actor, "users_fullname", "") or
                            getattr(self.actor, "username", "") or "sistem")[:150]
        self._move("cancel", self.CANCELLABLE, CANCEL, order.cancel_reason)
        return self._commit("cancel", order.cancel_reason)

    @one_transaction
    def expire(self) -> Order:
        """CHECKOUT → CANCEL: the payment did not come in time (gateway or a background job)."""
        self._require((CHECKOUT,), "kedaluwarsa")
        return self.cancel("Pembayaran kedaluwarsa.")

    @one_transaction
    def uncancel(self) -> Order:
        """CANCEL → the state before: takes again what the cancel gave back (refused with a
        409 when the stock, promotion or points are no longer there)."""
        order = self.order
        self._require((CANCEL,), "dipulihkan")
        back_to = order.status_before_cancel or CHECKOUT
        if back_to == CART:
            self._reopen_cart()
        elif not order.is_reserved:
            if order.is_paid:  # the promotion stayed taken when a paid order was cancelled
                if order.order_type == "E":
                    reservations.reserve_stock(order)
                reservations.spend_points(order)
                order.is_reserved = True
            else:
                reservations.reserve(order)
        order.is_canceled, order.cancel_datetime = False, None
        order.cancel_reason = order.cancel_pic = ""
        order.status_before_cancel = None
        self._move("uncancel", (CANCEL,), back_to)
        return self._commit("uncancel")


# what each step did, for the timeline and the audit log ("Pesanan E-20261130-001 ...")
STEP_WORDS = {"checkout": "masuk ke pembayaran", "uncheckout": "dikembalikan ke keranjang",
              "paid": "ditandai dibayar", "unpaid": "dibatalkan pembayarannya",
              "processing": "diproses", "unprocessing": "dikembalikan ke Dibayar",
              "prepared": "ditandai siap dikirim", "unprepare": "dikembalikan ke Diproses",
              "noresi": "diberi nomor resi", "pickup": "diserahkan ke kurir",
              "unpickup": "dikembalikan ke Siap dikirim", "consignee": "diterima pelanggan",
              "complete": "diselesaikan", "cancel": "dibatalkan", "uncancel": "dipulihkan",
              # the courier steps (services/orders/shipping.py)
              "courier": "diberi kurir", "sameday_courier": "diberi kurir sameday",
              "uncourier": "dilepas kurirnya",
              # changes of an open cart (services/orders/carts.py)
              "cart_open": "dibuka sebagai keranjang", "cart_products": "diubah produknya",
              "cart_consultations": "diubah konsultasinya", "cart_address": "diubah alamatnya",
              "cart_promotion": "diberi promo", "cart_promotion_off": "dilepas promonya",
              "cart_points": "memakai poin", "cart_points_off": "dilepas poinnya"}
# what a step does, for the refusal from a wrong state ("... tidak dapat diproses")
_ACTION_TEXT = {"checkout": "dibayar", "uncheckout": "dikembalikan ke keranjang",
                "paid": "ditandai dibayar", "unpaid": "dibatalkan pembayarannya",
                "processing": "diproses", "unprocessing": "dikembalikan ke Dibayar",
                "prepared": "ditandai siap", "unprepare": "dikembalikan ke Diproses",
                "pickup": "diserahkan ke kurir", "unpickup": "dikembalikan ke Siap dikirim",
                "consignee": "ditandai diterima", "complete": "diselesaikan",
                "cancel": "dibatalkan", "uncancel": "dipulihkan"}


def invoice_snapshot(order: Order) -> dict:
    """What the invoice shows, frozen when the order is paid (later price or name changes do
    not alter it)."""
    from .money import compute_totals
    from .queries import prescribed_by

    totals = compute_totals(order)
    return {
        "order_code": order.order_code, "order_type": order.order_type,
        "order_date": order.order_date, "paid_date": order.paid_date,
        "pay_channel": order.pay_channel,
        "customer": {"name": order.nama_pemesan, "phone": order.notelp_pemesan,
                     "email": order.email_pemesan, "address": order.alamat_pemesan},
        "shipping": {"name": order.nama_penerima, "address": order.alamat_kirim,
                     "courier": order.courier, "service": order.courier_service},
        "items": [{"name": item.menu.nama_menus if item.menu else f"#{item.id_menu}",
                   "qty": item.qty, "unit": item.satuan, "price": item.price,
                   "total": item.price * item.qty, "prescribed_by": prescribed_by(item)}
                  for item in order.items if not item.is_canceled],
        "extras": [{"name": extra.item, "doctor": extra.doctor.user.users_fullname
                    if extra.doctor is not None and extra.doctor.user is not None else "",
                    "qty": extra.qty,
                    "price": extra.extra_prices, "total": extra.extra_prices * extra.qty}
                   for extra in order.extras],
        "totals": {"items": totals.items, "extras": totals.extras, "tax": totals.tax,
                   "discount": totals.discount, "points": totals.points,
                   "courier": totals.courier, "total_price": totals.total_price,
                   "grand_totals": totals.grand_totals},
        "promotion": order.promotion.display_codes if order.promotion else "",
    }

