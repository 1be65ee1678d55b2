"""Payment actions: checkout with its Midtrans Snap transaction, what the app needs to open
Snap, the Midtrans notification endpoint, and an order's invoice."""
from flask import jsonify, make_response, request

from app.extensions import limiter
from services.engine import get_resource
from services.gateways.midtrans import gateway
from services.orders.invoice import invoice_of
from services.orders.operations import find_order
from services.payments.operations import (checkout_and_pay, checkout_details, payment_fields,
                                          receive_notification)

from .auth import signed_in_actor
from .body import json_body
from .resources import action, configured


@action("orders/<object_id>/checkout", ["PUT"],
        "SHOPPING CARTS → CHECKOUT: the order code, stock, promotion and points taken, and "
        "the Midtrans Snap transaction of the grand total (the customer or the office)",
        {"alamat_kirim": "string (optional, when different)",
         "nama_penerima": "string (optional)", "notelp_pemesan": "string (optional)",
         "catatan_order": "string (optional)"})
def checkout(object_id):
    """Answers `{"token", "redirect_url", "orders": {… the order …, "token",
    "payment_redirect_url", "CLIENT_KEY", "CLIENT_URL"}}`: Snap's token and payment page (the
    stand-in's page in stand-in mode). An empty cart or no courier is a 409; Midtrans refusing
    or unreachable is a 502 and the cart stays a cart (nothing taken)."""
    actor = signed_in_actor()
    order = find_order(actor, object_id)
    details = checkout_details(json_body())
    created = checkout_and_pay(order, actor, details)
    answer = get_resource("orders").serialize(order, actor, "detail")
    lines = get_resource("order_items")
    answer["items"] = [lines.serialize(item, actor, "detail") for item in order.items]
    answer.update(payment_fields(order))
    return jsonify({"token": created.token, "redirect_url": created.redirect_url,
                    "orders": answer})

NOTIFICATION_MAX_BYTES = 64 * 1024


@action("payments/webhooks/clients", ["GET"],
        "Midtrans Snap for the app: the snap.js address and the client key (public)",
        public=True)
def payment_clients():
    """`{"snap_js": …, "client_key": …}`: Midtrans' Snap script for the configured mode (in
    stand-in mode the local script whose snap.pay opens the stand-in payment page)."""
    return jsonify(gateway().client_info())


@action("payments/webhooks/midtrans", ["POST"],
        "Midtrans payment notification (public, signed with the server key)",
        {"(body)": "Midtrans' notification JSON: order_id, status_code, gross_amount, "
                   "signature_key, transaction_status, payment_type, transaction_id, …"},
        public=True)
@limiter.limit(configured("MIDTRANS_WEBHOOK_RATE_LIMIT"))
def midtrans_notification():
    """Every notification is stored. A bad signature is a 403, an unknown order code a 404, an
    amount that is not the order's grand total a 409, Midtrans unreachable for the status check
    a 502 (Midtrans sends again); otherwise 200 with what was made of it: `paid`, `cancelled`,
    `expired`, `already_paid`, `no_change_…` (a body over 64 KB: 413, its start stored). Only the status the Core API confirms counts,
    and an order only moves forward, once, however often the notification comes."""
    too_large = (request.content_length or 0) > NOTIFICATION_MAX_BYTES
    raw = (request.stream.read(NOTIFICATION_MAX_BYTES) if too_large
           else request.get_data(cache=False)).decode("utf-8", "replace")
    receipt = receive_notification(raw, too_large)
    return jsonify({"status": "ok", "outcome": receipt.outcome,
                    "order_code": receipt.order.order_code if receipt.order else None})


@action("orders/<object_id>/invoices", ["GET"],
        "The invoice of a paid order as PDF (its customer or the office)", answers="pdf")
def order_invoice(object_id):
    """The PDF rendered from the snapshot frozen when the order was paid (409 before)."""
    pdf, file_name = invoice_of(signed_in_actor(), object_id)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response
