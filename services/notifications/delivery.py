"""Sending the push outbox (`notification_deliveries`) through services.gateways.push.

Each row is claimed before it is sent: a conditional UPDATE moves it from pending (or from a
`sending` claim whose lease ran out — its worker died) to `sending`, and only the worker whose
UPDATE changed the row sends it. So a job that runs twice, or on two workers at once, sends a
row once. What the gateway answers decides the rest:

- ok: `sent`;
- invalid token (FCM: UNREGISTERED, INVALID_ARGUMENT on the token): the device token is
  deleted and the row `failed` (it keeps its history; the token column becomes NULL);
- retry (FCM busy, 5xx, network): back to `pending` with `next_attempt_at` = now +
  PUSH_RETRY_BASE_SECONDS × 2^(attempts−1) (at most PUSH_RETRY_MAX_SECONDS), until
  PUSH_MAX_ATTEMPTS attempts, then `failed`;
- anything else (a message FCM refuses): `failed`.

A token that moved to another user since the notification was written is not used (the row
fails with that reason): a notification goes only to its own user's phones."""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from models import DeviceToken, Notification, NotificationDelivery, clinic_now, db

log = logging.getLogger(__name__)

SENT, FAILED, RETRY, SKIPPED = "sent", "failed", "retry", "skipped"


def retry_delay(attempts: int) -> int:
    """Seconds to wait before the next attempt after `attempts` failed ones (exponential)."""
    config = current_app.config
    base = config["PUSH_RETRY_BASE_SECONDS"]
    return min(base * 2 ** max(attempts - 1, 0), config["PUSH_RETRY_MAX_SECONDS"])


def _due(model, status_column, now):
    """Rows whose turn it is: pending and due, or claimed by a worker whose lease ran out."""
    return (status_column.in_(("pending", "sending")), model.next_attempt_at <= now)


def claim(model, row_id: int, status_column, now) -> bool:
    """Take the row for this worker (pending → sending, attempts + 1, leased until now +
    SEND_LEASE_SECONDS); True only for the one worker whose update changed it. Commits."""
    lease = timedelta(seconds=current_app.config["SEND_LEASE_SECONDS"])
    result = db.session.execute(
        update(model).where(model.id == row_id, *_due(model, status_column, now))
        .values({status_column.key: "sending", "attempts": model.attempts + 1,
                 "next_attempt_at": now + lease}))
    db.session.commit()
    return result.rowcount == 1


def plain_text(content: str) -> str:
    """A notification's content as a push body (no markup, at most 240 characters)."""
    import nh3

    text = nh3.clean(content or "", tags=set()).strip()
    return text if len(text) <= 240 else text[:239] + "…"


def deliver(delivery_id: int) -> str:
    """Send one delivery row if it is due and this worker claims it. Returns sent, failed,
    retry or skipped (not due, or another worker has it)."""
    from services.gateways import push

    now = clinic_now()
    if not claim(NotificationDelivery, delivery_id, NotificationDelivery.status, now):
        return SKIPPED
    row = db.session.get(NotificationDelivery, delivery_id)
    notification = db.session.get(Notification, row.id_notifications)
    token = (db.session.get(DeviceToken, row.id_user_device_tokens)
             if row.id_user_device_tokens is not None else None)
    if token is None or token.id_users != notification.id_user_to:
        return _finish(row, FAILED, "Token perangkat sudah tidak milik penerima.")
    try:
        result = push.send_push(token.device_token, notification.title,
                                plain_text(notification.content), notification.push_data())
    except Exception as exc:  # noqa: BLE001 — the gateway promises not to raise; be safe
        log.exception("push gateway raised for delivery %s", delivery_id)
        return _retry_or_fail(row, f"{type(exc).__name__}: {exc}")
    if result.ok:
        row.sent_at = clinic_now()
        return _finish(row, SENT, "")
    if result.invalid_token:
        # the row's token column is set NULL by the database (ON DELETE SET NULL)
        row.id_user_device_tokens = None
        db.session.execute(delete(DeviceToken).where(DeviceToken.id == token.id,
                                                     DeviceToken.device_token == token.device_token))
        return _finish(row, FAILED, f"Token tidak berlaku: {result.detail}")
    if result.retry:
        return _retry_or_fail(row, result.detail)
    return _finish(row, FAILED, result.detail)


def _finish(row, status: str, detail: str) -> str:
    row.status = status
    row.last_error = (detail or "")[:500]
    db.session.commit()
    return status


def _retry_or_fail(row, detail: str) -> str:
    if row.attempts >= current_app.config["PUSH_MAX_ATTEMPTS"]:
        return _finish(row, FAILED, f"Menyerah setelah {row.attempts} percobaan: {detail}")
    row.status = "pending"
    row.next_attempt_at = clinic_now() + timedelta(seconds=retry_delay(row.attempts))
    row.last_error = (detail or "")[:500]
    db.session.commit()
    return RETRY


def deliveries_of(notification_id: int) -> list[int]:
    """The ids of a notification's delivery rows that wait to be sent."""
    return db.session.execute(
        select(NotificationDelivery.id).where(
            NotificationDelivery.id_notifications == notification_id,
            NotificationDelivery.status == "pending")
        .order_by(NotificationDelivery.id)).scalars().all()


def due_deliveries(limit: int) -> list[int]:
    """Ids of delivery rows whose turn it is (the sweep's work), oldest first."""
    now = clinic_now()
    return db.session.execute(
        select(NotificationDelivery.id)
        .where(*_due(NotificationDelivery, NotificationDelivery.status, now))
        .order_by(NotificationDelivery.next_attempt_at, NotificationDelivery.id)
        .limit(limit)).scalars().all()


def deliver_notification(notification_id: int) -> dict:
    """Send every waiting delivery of one notification; a count per outcome."""
    outcomes = {}
    for delivery_id in deliveries_of(notification_id):
        outcome = deliver(delivery_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def sweep(limit: int = 500) -> dict:
    """Send every due delivery (those whose job was never enqueued, retries whose time has
    come, claims of a worker that died); a count per outcome."""
    outcomes = {}
    for delivery_id in due_deliveries(limit):
        outcome = deliver(delivery_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


__all__ = ["FAILED", "RETRY", "SENT", "SKIPPED", "claim", "deliver", "deliver_notification",
           "due_deliveries", "retry_delay", "sweep"]
