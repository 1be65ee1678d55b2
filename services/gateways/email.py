"""E-mail through SMTP (smtplib), or the offline stand-in.

SMTP_MODE picks the real server ("smtp") or the stand-in ("standin", the local outbox); empty
means SMTP when SMTP_HOST is set. SMTP_SECURITY is "starttls", "ssl" (SMTPS) or "none"
(empty: ssl on port 465, starttls otherwise); SMTP_USER and SMTP_PASSWORD sign in when set;
SMTP_SENDER is the From address. A message is plain text, with an HTML alternative when one
is given. `send_email` never raises for a delivery problem: the server's 4xx answers, no
connection and timeouts are `retry`; a 5xx refusal (a bad address, refused credentials) is
not."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app

from .messaging import MessageGatewayUnavailable, SendResult, channel_mode, record_in_outbox

SECURITIES = ("starttls", "ssl", "none")


def email_mode() -> str:
    """"smtp" or "standin" (SMTP_MODE, else whether SMTP_HOST is configured)."""
    return channel_mode("SMTP_MODE", "smtp", bool(current_app.config.get("SMTP_HOST")),
                        "E-mail SMTP")


def send_email(to: str, subject: str, text: str, html: str | None = None) -> SendResult:
    """Send one e-mail to one address through the configured gateway."""
    if email_mode() == "standin":
        message = record_in_outbox("email", to, subject, text, {"html": html} if html else None)
        return SendResult(ok=True, detail=f"outbox #{message.id}")
    return SmtpGateway.from_config(current_app.config).send(to, subject, text, html)


def security_of(config) -> str:
    """The configured SMTP_SECURITY, or the usual one for the port."""
    value = (config.get("SMTP_SECURITY") or "").strip().lower()
    if not value:
        return "ssl" if int(config.get("SMTP_PORT") or 0) == 465 else "starttls"
    if value not in SECURITIES:
        raise MessageGatewayUnavailable(
            f"SMTP_SECURITY tidak dikenal: {value!r} (pilih starttls, ssl atau none).")
    return value


class SmtpGateway:
    """One SMTP server."""

    def __init__(self, host: str, port: int, security: str, user: str, password: str,
                 sender: str, timeout: float, tls_context: ssl.SSLContext | None = None):
        self.host, self.port, self.security = host, port, security
        self.user, self.password, self.sender = user, password, sender
        self.timeout = timeout
        self.tls_context = tls_context or ssl.create_default_context()

    @classmethod
    def from_config(cls, config) -> "SmtpGateway":
        """The server the SMTP_* settings name."""
        return cls(config["SMTP_HOST"], int(config["SMTP_PORT"]), security_of(config),
                   config.get("SMTP_USER", ""), config.get("SMTP_PASSWORD", ""),
                   config["SMTP_SENDER"], float(config.get("SMTP_TIMEOUT_SECONDS", 15)))

    def message(self, to: str, subject: str, text: str, html: str | None) -> EmailMessage:
        """The MIME message: text, and the HTML alternative when given."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=True)
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or None
        message["Message-ID"] = make_msgid(domain=domain)
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
        return message

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                    context=self.tls_context)
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            connection.starttls(context=self.tls_context)
        return connection

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> SendResult:
        """Deliver one message; every failure becomes a SendResult."""
        if not isinstance(to, str) or "@" not in parseaddr(to)[1]:
            return SendResult(ok=False, detail=f"alamat e-mail tidak valid: {to!r}")
        try:
            message = self.message(to, subject, text, html)
        except (ValueError, TypeError) as error:
            return SendResult(ok=False, detail=f"pesan tidak dapat disusun: {error}"[:300])
        try:
            with self._connect() as connection:
                if self.user:
                    connection.login(self.user, self.password)
                connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            temporary = bool(codes) and all(400 <= code < 500 for code in codes)
            return SendResult(ok=False, retry=temporary,
                              detail=f"SMTP menolak penerima: {error.recipients}"[:300])
        except smtplib.SMTPResponseException as error:
            return SendResult(ok=False, retry=400 <= error.smtp_code < 500,
                              detail=f"SMTP {error.smtp_code}: {error.smtp_error!r}"[:300])
        except smtplib.SMTPNotSupportedError as error:
            return SendResult(ok=False, detail=f"SMTP: {error}"[:300])
        except (smtplib.SMTPException, OSError) as error:  # no connection, timeout, TLS
            return SendResult(ok=False, retry=True, detail=f"SMTP tidak terjangkau: {error}"[:300])
        return SendResult(ok=True, detail=f"terkirim ke {to} lewat {self.host}")
