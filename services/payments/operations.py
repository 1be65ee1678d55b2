"""Paying for an order through Midtrans: the Snap transaction started at checkout, and the
notification endpoint that moves an order forward only.

A notification is stored first (every one, whatever becomes of it), then checked in turn:
its signature (403), the order it names (404), its amount against the order's grand total
(409), and its status confirmed through the Core API (502 when Midtrans cannot be asked, so
Midtrans sends it again). Only the confirmed status counts, and only forward: settlement or
capture pays a CHECKOUT order, cancel / expire / deny cancel it while it is unpaid, anything
else changes nothing. Each move first claims the order with a conditional update, so ten
identical notifications at once pay it once."""
import json
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from models import Order, PaymentNotification, clinic_now, db
from models.orders import CANCEL, CART, CHECKOUT
from services.engine.fields import phone_problem
from services.errors import (BadRequest, Conflict, DomainError, Forbidden, Invalid, NotFound,
                             TooLarge)
from services.gateways.midtrans import (FAILED_STATUSES, PAID_STATUSES, PaymentGatewayError,
                                        SnapTransaction, amount_of, gateway, server_key,
                                        signature_is_valid)
from services.orders.flow import OrderFlow
from services.orders.money import compute_totals

PAYLOAD_MAX_CHARS = 20_000
NAME_MAX = 50  # Midtrans' limit on item_details.name and .id
FAILED_REASONS = {"cancel": "Pembayaran dibatalkan (Midtrans).",
                  "expire": "Pembayaran kedaluwarsa.",
                  "deny": "Pembayaran ditolak (Midtrans)."}


# ---- checkout: the Snap transaction -----------------------------------------------------
def snap_parameters(order: Order) -> dict:
    """The Snap request of an order: gross_amount is its grand total and the item_details
    (items, extras, tax, courier, and discount and points as negative lines) add up to it."""
    totals = compute_totals(order)
    items = [{"id": str(line_id)[:NAME_MAX], "name": (str(name) or "-")[:NAME_MAX],
              "price": int(price), "quantity": int(qty)}
             for line_id, name, price, qty in totals.lines]
    if sum(item["price"] * item["quantity"] for item in items) != totals.grand_totals:
        raise Conflict("Rincian pembayaran tidak sama dengan total pesanan.",
                       error_code="totals_mismatch")
    # empty values are left out: Midtrans refuses an empty e-mail as malformed
    customer = _filled({"first_name": order.nama_pemesan[:255], "email": order.email_pemesan,
                        "phone": order.notelp_pemesan})
    if order.order_type == "E":
        customer["shipping_address"] = _filled({"first_name": order.nama_penerima[:255],
                                                 "phone": order.notelp_pemesan,
                                                 "address": order.alamat_kirim[:200]})
    return {"transaction_details": {"order_id": order.order_code,
                                    "gross_amount": totals.grand_totals},
            "item_details": items, "customer_details": customer}


def _filled(values: dict) -> dict:
    return {key: value for key, value in values.items() if value}


def start_payment(order: Order) -> SnapTransaction:
    """Create the Snap transaction of a CHECKOUT order and keep its token and payment page on
    the order (committed). An order whose points cover everything has nothing to pay: it is
    marked paid at once (channel "poin") and gets no Snap transaction."""
    if order.status != CHECKOUT:
        raise Conflict(f"Pesanan berstatus {order.status} tidak menunggu pembayaran.",
                       error_code="wrong_state")
    if order.grand_totals <= 0:
        OrderFlow(order).mark_paid("poin")
        return SnapTransaction(token="", redirect_url="")
    created = gateway().create_transaction(snap_parameters(order))
    order.payment_token = created.token[:100]
    order.payment_redirect_url = created.redirect_url[:255]
    db.session.commit()
    return created


CHECKOUT_TEXT = {"alamat_kirim": 255, "nama_penerima": 150, "notelp_pemesan": 30,
                 "catatan_order": 500}


def checkout_details(body: dict) -> dict:
    """The documented optional checkout fields (a different address, recipient, phone, a
    note), checked all at once: text within its column, the phone an Indonesian number."""
    if not isinstance(body, dict):
        raise BadRequest("Isi permintaan harus berupa objek JSON.")
    details, problems = {}, {}
    for name, limit in CHECKOUT_TEXT.items():
        value = body.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            problems[name] = "Harus berupa teks."
            continue
        value = value.strip()
        if len(value) > limit:
            problems[name] = f"Maksimal {limit} karakter."
        elif name == "notelp_pemesan" and phone_problem(value):
            problems[name] = phone_problem(value)
        else:
            details[name] = value
    if problems:
        raise Invalid(fields=problems)
    return details


def checkout_and_pay(order: Order, actor, details: dict | None = None) -> SnapTransaction:
    """Checkout (OrderFlow: code, totals, reservations) and start its payment; when Midtrans
    refuses or cannot be reached, the checkout is undone (what it took is given back) and the
    refusal raised, so the customer can simply try again."""
    OrderFlow(order, actor).checkout(details)
    try:
        return start_payment(order)
    except PaymentGatewayError:
        db.session.rollback()
        db.session.refresh(order)
        OrderFlow(order, actor).uncheckout()
        raise


def payment_fields(order: Order) -> dict:
    """What the documented checkout answer carries about the payment, besides the order:
    token, redirect_url, and inside `orders` the token, page, client key and Snap script."""
    info = gateway().client_info()
    return {"token": order.payment_token, "payment_redirect_url": order.payment_redirect_url,
            "CLIENT_KEY": info["client_key"], "CLIENT_URL": info["snap_js"]}


# ---- the notification endpoint ------------------------------------------------------------
@dataclass
class Receipt:
    """What the app made of a notification (stored as `outcome`) and the order it named."""

    outcome: str
    order: Order | None = None


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ("" if value is None else str(value)[:limit])


def _store(raw: str, body) -> PaymentNotification:
    """Keep the notification as it came (committed at once, before anything is decided)."""
    fields = body if isinstance(body, dict) else {}
    row = PaymentNotification(
        order_code=_text(fields.get("order_id"), 60),
        transaction_id=_text(fields.get("transaction_id"), 100),
        transaction_status=_text(fields.get("transaction_status"), 30),
        status_code=_text(fields.get("status_code"), 10),
        gross_amount=_text(fields.get("gross_amount"), 30),
        payment_type=_text(fields.get("payment_type"), 50),
        outcome="received", payload=raw[:PAYLOAD_MAX_CHARS])
    db.session.add(row)
    db.session.commit()
    return row


def _finish(row_id: int, outcome: str, order_id: int | None = None, signature_ok=None):
    """Write what became of a stored notification (in the current transaction, committed)."""
    values = {"outcome": outcome[:50]}
    if order_id is not None:
        values["id_orders"] = order_id
    if signature_ok is not None:
        values["signature_ok"] = signature_ok
    db.session.execute(update(PaymentNotification).where(PaymentNotification.id == row_id)
                       .values(**values))
    db.session.commit()


def _paid_at(status: dict) -> datetime:
    """When Midtrans settled the payment (its times are WIB, the clinic's), else now."""
    for key in ("settlement_time", "transaction_time"):
        try:
            return datetime.strptime(str(status.get(key)), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
    return clinic_now()


def receive_notification(raw: str, too_large: bool = False) -> Receipt:
    """Handle one Midtrans notification (the raw request body; `too_large`: only its start,
    the body being over the limit): stored, verified, confirmed and acted on as the module
    says; a refusal raises the DomainError to answer with."""
    try:
        body = json.loads(raw) if raw and not too_large else None
    except ValueError:
        body = None
    row = _store(raw, body)
    if too_large:
        _finish(row.id, "too_large")
        raise TooLarge("Notifikasi terlalu besar.")
    if not isinstance(body, dict):
        _finish(row.id, "malformed")
        raise DomainError("Notifikasi bukan JSON yang valid.", error_code="malformed")
    if not signature_is_valid(body, server_key()):
        _finish(row.id, "bad_signature", signature_ok=False)
        raise Forbidden("Tanda tangan notifikasi tidak valid.", error_code="bad_signature")
    order = db.session.scalar(select(Order).where(Order.order_code == body["order_id"],
                                                  Order.deleted_at.is_(None)))
    if order is None:
        _finish(row.id, "unknown_order", signature_ok=True)
        raise NotFound("Pesanan dengan kode itu tidak ditemukan.", error_code="unknown_order")
    _finish(row.id, "received", order.id, signature_ok=True)
    if amount_of(body["gross_amount"]) != order.grand_totals:
        _finish(row.id, "amount_mismatch")
        raise Conflict("Jumlah pembayaran tidak sama dengan total pesanan.",
                       error_code="amount_mismatch")
    try:
        status = gateway().transaction_status(order.order_code)
    except PaymentGatewayError:
        _finish(row.id, "status_check_failed")
        raise
    if not status or status.get("order_id") not in (None, order.order_code) \
            or amount_of(status.get("gross_amount", body["gross_amount"])) != order.grand_totals:
        _finish(row.id, "not_confirmed")
        raise Conflict("Midtrans tidak mengonfirmasi transaksi ini.", error_code="not_confirmed")
    confirmed = str(status.get("transaction_status") or "")
    if confirmed in PAID_STATUSES and (confirmed == "settlement"
                                       or status.get("fraud_status") in (None, "accept")):
        outcome = _pay(order, status)
    elif confirmed in FAILED_STATUSES:
        outcome = _cancel(order, confirmed)
    else:  # pending, capture under review, refunds: nothing moves
        outcome = f"no_change_{confirmed or 'unknown'}"[:50]
    _finish(row.id, outcome)
    return Receipt(outcome, order)


def _claim(order: Order, **changes) -> bool:
    """Claim a CHECKOUT, unpaid order for one move (a conditional update: of simultaneous
    notifications exactly one gets it); True when this request holds it."""
    claimed = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == CHECKOUT,
                            Order.is_paid.is_(False), Order.is_canceled.is_(False))
        .values(**changes).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(order)
    return bool(claimed)


def _pay(order: Order, status: dict) -> str:
    """Settled: a CHECKOUT order becomes PAID (once); any other state stays as it is."""
    db.session.commit()  # end the reads: the claim starts a transaction of its own
    if not _claim(order, is_paid=True):
        db.session.rollback()
        db.session.refresh(order)
        if order.is_paid:
            return "already_paid"
        if order.status in (CANCEL, CART):
            current_app.logger.warning("payment for order %s arrived while it is %s",
                                       order.order_code, order.status)
            return f"paid_while_{'cancelled' if order.status == CANCEL else 'cart'}"
        return f"no_change_{order.status.lower()}"[:50]
    channel = str(status.get("payment_type") or "midtrans")
    OrderFlow(order).mark_paid(channel, _paid_at(status))
    return "paid"


def _cancel(order: Order, confirmed: str) -> str:
    """Cancelled, expired or denied: a CHECKOUT order not paid is cancelled (once); a paid
    order is never moved back by a notification."""
    db.session.commit()
    if not _claim(order, is_canceled=True):
        db.session.rollback()
        db.session.refresh(order)
        return "already_paid" if order.is_paid else f"no_change_{order.status.lower()}"[:50]
    flow = OrderFlow(order)  # checks the state, gives back what checkout took, writes the event
    if confirmed == "expire":
        flow.expire()
    else:
        flow.cancel(FAILED_REASONS[confirmed])
    return "expired" if confirmed == "expire" else "cancelled"


# ---- checkouts whose payment never came -------------------------------------------------
def expire_overdue_checkouts(limit: int = 200) -> dict:
    """Settle or expire the checkouts older than CHECKOUT_EXPIRY_MINUTES: each is first asked
    of Midtrans (a notification may have been lost) — a confirmed payment pays it, anything
    else expires it, giving back its stock, promotion and points. Safe to run twice or in
    several workers at once (each move claims the order first). Returns the outcomes counted;
    an order Midtrans cannot be asked about now is left for the next run."""
    from datetime import timedelta

    minutes = current_app.config["CHECKOUT_EXPIRY_MINUTES"]
    before = clinic_now() - timedelta(minutes=minutes)
    ids = db.session.execute(
        select(Order.id).where(Order.status == CHECKOUT, Order.is_paid.is_(False),
                               Order.deleted_at.is_(None), Order.order_date < before)
        .order_by(Order.order_date).limit(limit)).scalars().all()
    counts: dict[str, int] = {}
    for order_id in ids:
        order = db.session.get(Order, order_id)
        try:
            status = gateway().transaction_status(order.order_code) or {}
        except PaymentGatewayError:
            outcome = "status_check_failed"
        else:
            confirmed = str(status.get("transaction_status") or "")
            amount_ok = amount_of(status.get("gross_amount", order.grand_totals)) \
                == order.grand_totals
            if confirmed == "settlement" and amount_ok or (
                    confirmed == "capture" and amount_ok
                    and status.get("fraud_status") in (None, "accept")):
                outcome = _pay(order, status)
            else:
                outcome = _cancel(order, "expire")
        db.session.rollback()  # nothing half-done is carried to the next order
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
