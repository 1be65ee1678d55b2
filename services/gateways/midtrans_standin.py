"""The local Midtrans stand-in (MIDTRANS_MODE=standin): Snap transactions become rows of
`midtrans_standin_transactions`, their payment page is /payments/standin/<token> (served by
blueprints/payments.py), the choice made there is sent to the app's own notification endpoint
signed with MIDTRANS_SERVER_KEY exactly as Midtrans signs it, and the Core API status check
answers from the same rows — so an order is paid with no network, in every process alike."""
import uuid

from flask import current_app, url_for
from sqlalchemy import select, update

from models import StandinTransaction, clinic_now, db
from services.errors import Conflict, NotFound

from .midtrans import PaymentGatewayError, SnapTransaction, gross_amount_text, signature_key

NOTIFICATION_PATH = "/api/payments/webhooks/midtrans"
# the page's three buttons: what each makes of a pending transaction
OUTCOMES = {
    "bayar": "settlement",
    "batalkan": "cancel",
    "kedaluwarsa": "expire",
}
STATUS_CODES = {"settlement": "200", "capture": "200", "pending": "201", "cancel": "202",
                "expire": "407", "deny": "202"}
STATUS_MESSAGES = {"200": "Success, transaction is found", "201": "Success, transaction is found",
                   "202": "Success, transaction is found", "407": "Success, transaction is found"}
PAYMENT_TYPE = "bank_transfer"


def _check_items(parameters: dict) -> tuple[str, int]:
    """The order code and amount of a Snap request, refused as Midtrans refuses it when the
    amount is missing or the item_details do not sum to it."""
    details = parameters.get("transaction_details") if isinstance(parameters, dict) else None
    if not isinstance(details, dict):
        raise PaymentGatewayError("transaction_details wajib diisi.")
    order_id, amount = details.get("order_id"), details.get("gross_amount")
    if not isinstance(order_id, str) or not order_id or len(order_id) > 50:
        raise PaymentGatewayError("transaction_details.order_id tidak valid.")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise PaymentGatewayError("transaction_details.gross_amount tidak valid.")
    items = parameters.get("item_details")
    if items is not None:
        try:
            total = sum(int(item["price"]) * int(item["quantity"]) for item in items)
        except (KeyError, TypeError, ValueError) as error:
            raise PaymentGatewayError("item_details tidak valid.") from error
        if total != amount:
            raise PaymentGatewayError(
                "Midtrans menolak transaksi: transaction_details.gross_amount is not equal "
                f"to the sum of item_details ({amount} ≠ {total}).")
    return order_id, amount


class StandinGateway:
    """Snap and the Core API, answered locally from the database."""

    def create_transaction(self, parameters: dict) -> SnapTransaction:
        """Record a pending transaction and point at its local payment page (the caller's
        transaction commits it); an order code already paid is refused as Midtrans does."""
        order_id, amount = _check_items(parameters)
        paid = db.session.scalar(select(StandinTransaction.id).where(
            StandinTransaction.order_id == order_id,
            StandinTransaction.transaction_status != "pending"))
        if paid is not None:
            raise PaymentGatewayError("Midtrans menolak transaksi: transaction_details.order_id "
                                      "sudah digunakan.")
        record = StandinTransaction(
            token=str(uuid.uuid4()), transaction_id=str(uuid.uuid4()), order_id=order_id,
            gross_amount=amount, transaction_status="pending", payment_type="",
            transaction_time=clinic_now())
        db.session.add(record)
        db.session.flush()
        return SnapTransaction(token=record.token, redirect_url=page_url(record.token))

    def transaction_status(self, order_id: str) -> dict | None:
        """What Midtrans' Core API would answer: the latest decided transaction of the order
        code (else its latest pending one); None when the stand-in never saw it."""
        rows = db.session.scalars(select(StandinTransaction).where(
            StandinTransaction.order_id == order_id).order_by(
                StandinTransaction.id.desc())).all()
        if not rows:
            return None
        record = next((row for row in rows if row.transaction_status != "pending"), rows[0])
        return status_answer(record)

    def client_info(self) -> dict:
        """The stand-in's Snap script (window.snap.pay opens the local page) and client key."""
        return {"snap_js": current_app.config["PUBLIC_BASE_URL"]
                + url_for("static", filename="js/midtrans-standin.js"),
                "client_key": current_app.config["MIDTRANS_CLIENT_KEY"]}


def page_url(token: str) -> str:
    """The absolute address of a transaction's stand-in payment page."""
    return current_app.config["PUBLIC_BASE_URL"] + url_for("payments.standin_page", token=token)


def transaction_for(token: str) -> StandinTransaction:
    """The stand-in transaction of a Snap token, or 404."""
    record = db.session.scalar(select(StandinTransaction).where(
        StandinTransaction.token == token)) if isinstance(token, str) and len(token) <= 64 else None
    if record is None:
        raise NotFound("Transaksi pembayaran tidak ditemukan.")
    return record


def decide(token: str, outcome: str) -> StandinTransaction:
    """The person on the page paid, cancelled or let it expire: a pending transaction takes
    that status once (a conditional update, so two clicks cannot both decide it)."""
    status = OUTCOMES.get(outcome)
    if status is None:
        raise NotFound("Pilihan pembayaran tidak dikenal.")
    record = transaction_for(token)
    now = clinic_now()
    changed = db.session.execute(
        update(StandinTransaction)
        .where(StandinTransaction.id == record.id,
               StandinTransaction.transaction_status == "pending")
        .values(transaction_status=status, payment_type=PAYMENT_TYPE, updated=now,
                settlement_time=now if status == "settlement" else None)).rowcount
    db.session.commit()
    db.session.refresh(record)
    if not changed:
        raise Conflict("Transaksi ini sudah selesai "
                       f"({record.transaction_status}); tidak dapat diubah lagi.")
    return record


def status_answer(record: StandinTransaction) -> dict:
    """The Core API status / notification body of a transaction, signed with the server key."""
    code = STATUS_CODES[record.transaction_status]
    amount = gross_amount_text(record.gross_amount)
    body = {
        "transaction_time": record.transaction_time.strftime("%Y-%m-%d %H:%M:%S"),
        "transaction_status": record.transaction_status,
        "transaction_id": record.transaction_id,
        "status_message": STATUS_MESSAGES.get(code, "Success, transaction is found"),
        "status_code": code,
        "signature_key": signature_key(record.order_id, code, amount,
                                       current_app.config["MIDTRANS_SERVER_KEY"]),
        "payment_type": record.payment_type or PAYMENT_TYPE,
        "order_id": record.order_id,
        "merchant_id": "STANDIN",
        "gross_amount": amount,
        "fraud_status": "accept",
        "currency": "IDR",
    }
    if record.settlement_time is not None:
        body["settlement_time"] = record.settlement_time.strftime("%Y-%m-%d %H:%M:%S")
    if record.transaction_status in ("settlement", "pending"):
        body["va_numbers"] = [{"bank": "bca", "va_number": record.transaction_id[:11]
                               .replace("-", "0")}]
    return body


def send_notification(record: StandinTransaction):
    """POST the transaction's notification to the app's own endpoint, as Midtrans would (JSON
    body, signed), through the app's full request handling in this process (a single-worker
    server cannot call itself over HTTP); returns (status code, JSON answer)."""
    client = current_app.test_client()
    response = client.post(NOTIFICATION_PATH, json=status_answer(record),
                           headers={"User-Agent": "Veritrans", "Accept": "application/json"},
                           environ_base={"REMOTE_ADDR": "127.0.0.1"})
    return response.status_code, response.get_json(silent=True)
