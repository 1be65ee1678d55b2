"""Payment actions: what the app needs to open Midtrans Snap, and (with the orders) the
Midtrans notification endpoint."""
from flask import jsonify

from services.gateways.midtrans import gateway

from .resources import action


@action("payments/webhooks/clients", ["GET"],
        "Midtrans Snap for the app: the snap.js address and the client key (public)",
        public=True)
def payment_clients():
    """`{"snap_js": …, "client_key": …}`: Midtrans' Snap script for the configured mode (in
    stand-in mode the local script whose snap.pay opens the stand-in payment page)."""
    return jsonify(gateway().client_info())
