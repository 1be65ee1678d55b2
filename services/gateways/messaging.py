"""What the three message gateways (push: FCM, WhatsApp: Wablas, e-mail: SMTP) share: the
answer of a send, the choice between the real service and the offline stand-in, and the
stand-in itself, which writes each message into the local outbox (`outbox_messages`, read in
Pengaturan → Kotak keluar) instead of sending it.

A send never raises for a delivery problem: it answers ok, or whether trying again later may
help (`retry`: no answer, a timeout, throttling, the service's own outage). A configuration
that cannot send at all (an unknown *_MODE, the stand-in under APP_ENV=production) raises
MessageGatewayUnavailable, a 503 with a clear message."""
from dataclasses import dataclass

from flask import current_app

from models import OutboxMessage, clinic_now, db
from services.errors import DomainError

STANDIN = "standin"


class MessageGatewayUnavailable(DomainError):
    """A message channel is configured so that nothing can be sent."""

    status = 503
    error_code = "message_gateway_unavailable"
    default_message = "Layanan pengiriman pesan belum diatur. Hubungi admin klinik."


@dataclass(frozen=True)
class SendResult:
    """The answer of a WhatsApp or e-mail send."""

    ok: bool
    retry: bool = False
    detail: str = ""


def channel_mode(setting: str, real: str, configured: bool, label: str) -> str:
    """`real` or "standin" for one channel: its *_MODE setting when given, else the real
    service when its credentials are `configured`; the stand-in is refused in production."""
    config = current_app.config
    value = (config.get(setting) or "").strip().lower()
    if not value:
        value = real if configured else STANDIN
    if value not in (real, STANDIN):
        raise MessageGatewayUnavailable(
            f"{setting} tidak dikenal: {value!r} (pilih {STANDIN} atau {real}).")
    if value == STANDIN and config.get("APP_ENV") == "production":
        # the stand-in keeps messages in the clinic's database: nobody would receive them
        raise MessageGatewayUnavailable(
            f"{label} uji ({setting}={STANDIN}) tidak tersedia di produksi; atur {setting} "
            f"dan kredensial {label}.")
    return value


def record_in_outbox(channel: str, recipient: str, subject: str, body: str,
                     data: dict | None = None) -> OutboxMessage:
    """The stand-in's "send": one outbox row in the caller's session, flushed; it commits
    with the caller's transaction (a job or a request commits its work)."""
    message = OutboxMessage(channel=channel, recipient=str(recipient)[:255],
                            subject=str(subject or "")[:255], body=str(body or ""),
                            data=data or None, created=clinic_now())
    db.session.add(message)
    db.session.flush()
    current_app.logger.info("Stand-in %s to %s kept in the outbox (#%s)", channel,
                            message.recipient, message.id)
    return message
