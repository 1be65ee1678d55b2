"""The Midtrans stand-in's payment page (MIDTRANS_MODE=standin): what Snap's page is in
sandbox and production. It is public like Snap's (the token is the secret) and exists only in
stand-in mode outside production."""
from flask import Blueprint, abort, current_app, render_template

from services.errors import DomainError
from services.gateways import midtrans_standin as standin

bp = Blueprint("payments", __name__, url_prefix="/payments")

OUTCOME_LABELS = {"bayar": "Bayar", "batalkan": "Batalkan", "kedaluwarsa": "Kedaluwarsa"}
STATUS_LABELS = {"pending": "Menunggu pembayaran", "settlement": "Lunas",
                 "cancel": "Dibatalkan", "expire": "Kedaluwarsa"}


@bp.before_request
def only_in_standin_mode():
    """Not found unless the stand-in is the configured gateway (and never in production)."""
    config = current_app.config
    if config.get("MIDTRANS_MODE") != "standin" or config.get("APP_ENV") == "production":
        abort(404)


@bp.get("/standin/<token>")
def standin_page(token):
    """The order code, the amount and the three choices of a pending transaction."""
    record = standin.transaction_for(token)
    return render_template("payments/standin.html", record=record, outcomes=OUTCOME_LABELS,
                           status_labels=STATUS_LABELS)


@bp.post("/standin/<token>/<outcome>")
def standin_decide(token, outcome):
    """Pay, cancel or expire the transaction, then send Midtrans' notification to the app's
    own endpoint and show what it answered."""
    try:
        record = standin.decide(token, outcome)
    except DomainError as error:
        if error.status != 409:
            raise
        record = standin.transaction_for(token)
        return render_template("payments/standin.html", record=record, outcomes=OUTCOME_LABELS,
                               status_labels=STATUS_LABELS, refusal=error.message), 409
    status, answer = standin.send_notification(record)
    return render_template("payments/standin.html", record=record, outcomes=OUTCOME_LABELS,
                           status_labels=STATUS_LABELS, delivered=status,
                           answer=answer)
