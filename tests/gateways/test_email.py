"""The SMTP gateway against a local SMTP server (aiosmtpd) on 127.0.0.1: plain text with an
HTML alternative, sign-in, refusals and no server; and the stand-in writing the outbox."""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from models import OutboxMessage, db
from services.gateways.email import SmtpGateway, send_email
from services.gateways.messaging import MessageGatewayUnavailable


class Mailbox:
    """An aiosmtpd handler that keeps what arrives and refuses some recipients."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("penuh@"):
            return "452 4.2.2 Mailbox full"
        if address.startswith("tidak-ada@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                              session.authenticated))
        return "250 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"klinik" and auth_data.password == b"sandi-smtp"
    return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 itself


@pytest.fixture
def mailbox():
    handler = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its own port on start)
        probe.bind(("127.0.0.1", 0))
        handler.port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port,
                            authenticator=_authenticator, auth_require_tls=False)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp(app, data_app, mailbox, monkeypatch):
    """Both apps sending through the local SMTP server (no TLS on 127.0.0.1)."""
    for application in (app, data_app):
        for key, value in {"SMTP_MODE": "", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": mailbox.port,
                           "SMTP_SECURITY": "none", "SMTP_USER": "klinik",
                           "SMTP_PASSWORD": "sandi-smtp",
                           "SMTP_SENDER": "Colederma <noreply@colederma.test>",
                           "SMTP_TIMEOUT_SECONDS": 5}.items():
            monkeypatch.setitem(application.config, key, value)
    return mailbox


def test_a_message_with_an_html_alternative_is_delivered_after_signing_in(data_app, smtp):
    result = send_email("didit@example.com", "Pemulihan akun", "Buka tautan ini.",
                        "<p>Buka <a href='https://x'>tautan</a> ini.</p>")
    assert result.ok and not result.retry, result.detail
    [(sender, recipients, raw, authenticated)] = smtp.messages
    assert sender == "noreply@colederma.test" and recipients == ["didit@example.com"]
    assert authenticated
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Pemulihan akun"
    assert message["From"] == "Colederma <noreply@colederma.test>"
    assert message.get_body(("plain",)).get_content().strip() == "Buka tautan ini."
    assert "tautan</a>" in message.get_body(("html",)).get_content()
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_wrong_credentials_are_refused_and_not_tried_again(data_app, smtp, monkeypatch):
    monkeypatch.setitem(data_app.config, "SMTP_PASSWORD", "salah")
    result = send_email("didit@example.com", "s", "t")
    assert not result.ok and not result.retry and "535" in result.detail
    assert not smtp.messages


def test_a_full_mailbox_is_tried_again_an_unknown_one_is_not(data_app, smtp):
    full = send_email("penuh@example.com", "s", "t")
    unknown = send_email("tidak-ada@example.com", "s", "t")
    assert not full.ok and full.retry
    assert not unknown.ok and not unknown.retry
    assert not smtp.messages


def test_no_server_is_tried_again(data_app, smtp, monkeypatch):
    monkeypatch.setitem(data_app.config, "SMTP_PORT", 9)
    result = send_email("didit@example.com", "s", "t")
    assert not result.ok and result.retry


def test_starttls_that_the_server_does_not_offer_is_a_failure_not_a_plain_send(data_app, smtp):
    gateway = SmtpGateway("127.0.0.1", smtp.port, "starttls", "", "", "a@colederma.test", 5)
    result = gateway.send("didit@example.com", "s", "t")
    assert not result.ok and not smtp.messages


def test_the_standin_writes_the_outbox(data_app):
    result = send_email("didit@example.com", "Pemulihan akun", "Buka tautan ini.", "<p>Buka</p>")
    assert result.ok
    row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.channel, row.recipient, row.subject, row.body, row.data) == (
        "email", "didit@example.com", "Pemulihan akun", "Buka tautan ini.", {"html": "<p>Buka</p>"})


def test_unknown_security_and_the_production_standin_are_clear_errors(data_app, monkeypatch):
    monkeypatch.setitem(data_app.config, "SMTP_MODE", "smtp")
    monkeypatch.setitem(data_app.config, "SMTP_SECURITY", "tls13")
    with pytest.raises(MessageGatewayUnavailable, match="SMTP_SECURITY"):
        send_email("didit@example.com", "s", "t")
    monkeypatch.setitem(data_app.config, "SMTP_MODE", "standin")
    monkeypatch.setitem(data_app.config, "APP_ENV", "production")
    with pytest.raises(MessageGatewayUnavailable, match="produksi"):
        send_email("didit@example.com", "s", "t")
