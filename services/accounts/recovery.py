"""Password recovery by e-mail (SMTP) or WhatsApp (Wablas).

Asking for a link answers the same whether or not the address or number belongs to an
account (the API never tells who is a customer): a known, live, unblocked account gets a
random single-use token, stored only as its SHA-256, valid RECOVERY_TOKEN_MINUTES (30), in a
link `{RECOVERY_LINK_BASE_URL}/account/recovery?hash=…&email=…` (or `&phone=…`). Using it
sets the new password, ends every bearer token of the account and every other link, and
confirms the address or number it came through. A new link is sent to one account at most
once per RECOVERY_RESEND_SECONDS; the endpoints are rate-limited per client as well."""
import re
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from flask import current_app
from markupsafe import escape
from sqlalchemy import func, select, update

from models import PasswordRecovery, User, clinic_now, db
from services import audit
from services.engine.fields import phone_problem
from services.errors import Invalid
from services.gateways.email import send_email
from services.gateways.messaging import SendResult
from services.gateways.whatsapp import international_number, send_whatsapp

from .operations import check_new_password, hash_password
from .tokens import revoke_all_tokens, token_digest

CHANNELS = ("email", "wa")
EMAIL_TEXT = re.compile(r"^[^@\s/]+@[^@\s/]+\.[^@\s/]+$")
BAD_LINK = ("Tautan pemulihan tidak valid, sudah dipakai atau sudah kedaluwarsa. "
            "Minta tautan baru.")


def checked_identity(channel: str, identity: str) -> str:
    """The e-mail address (lower case) or phone number of the path, or 422."""
    text = str(identity or "").strip()
    if channel == "email":
        if len(text) > 150 or not EMAIL_TEXT.match(text):
            raise Invalid("Alamat e-mail tidak valid.",
                          fields={"users_email": "Alamat e-mail tidak valid."})
        return text.lower()
    if len(text) > 20 or phone_problem(text):
        raise Invalid("Nomor telepon tidak valid.",
                      fields={"users_phone": "Nomor telepon tidak valid."})
    return text


def phone_digits(phone) -> str:
    """A number without country code or leading 0 ("+62 812-34…" and "081234…" alike)."""
    return international_number(phone).removeprefix("62")


def accounts_of(channel: str, identity: str) -> list[User]:
    """The live accounts an address or number belongs to (a phone may be shared)."""
    live = select(User).where(User.deleted_at.is_(None))
    if channel == "email":
        return list(db.session.scalars(live.where(func.lower(User.users_email) == identity)))
    wanted = phone_digits(identity)
    stored = User.users_phone
    for character in " -().+":
        stored = func.replace(stored, character, "")
    candidates = db.session.scalars(live.where(stored.like(f"%{wanted[-7:]}")))
    return [user for user in candidates if phone_digits(user.users_phone) == wanted]


def recovery_link(channel: str, identity: str, raw: str) -> str:
    """The link the message carries (the document's {!url}/account/recovery?hash=…)."""
    config = current_app.config
    base = config.get("RECOVERY_LINK_BASE_URL") or config["PUBLIC_BASE_URL"]
    key = "email" if channel == "email" else "phone"
    return f"{base}/account/recovery?{urlencode({'hash': raw, key: identity})}"


def request_recovery(channel: str, identity: str, variant: str = "") -> None:
    """Send a recovery link to every live, unblocked account of the address or number;
    nothing tells the caller whether there was one."""
    identity = checked_identity(channel, identity)
    raw = secrets.token_urlsafe(24)  # made for every request, so both paths do the same work
    digest = token_digest(raw)
    now = clinic_now()
    config = current_app.config
    for number, user in enumerate(accounts_of(channel, identity)):
        if user.is_blocked or _sent_lately(user, channel, now):
            continue
        if number:
            raw = secrets.token_urlsafe(24)
            digest = token_digest(raw)
        db.session.add(PasswordRecovery(
            id_users=user.id, channel=channel, token_hash=digest, created=now,
            expires_at=now + timedelta(minutes=config["RECOVERY_TOKEN_MINUTES"])))
        db.session.commit()  # the link works once it is sent, whatever the sending does
        result = deliver_recovery(channel, identity, user, recovery_link(channel, identity, raw),
                                  variant)
        db.session.commit()  # a stand-in's outbox row
        if not result.ok:
            current_app.logger.warning("Recovery %s for user %s not delivered: %s", channel,
                                       user.id, result.detail)


def _sent_lately(user: User, channel: str, now) -> bool:
    """True when this account was sent a link that still works in the last few seconds."""
    since = now - timedelta(seconds=current_app.config["RECOVERY_RESEND_SECONDS"])
    return db.session.scalar(select(PasswordRecovery.id).where(
        PasswordRecovery.id_users == user.id, PasswordRecovery.channel == channel,
        PasswordRecovery.used_at.is_(None), PasswordRecovery.created > since).limit(1)) is not None


def recovery_words(user: User, link: str, variant: str = "") -> tuple[str, str]:
    """The subject and text of a recovery message."""
    config = current_app.config
    minutes = config["RECOVERY_TOKEN_MINUTES"]
    subject = ("Atur ulang kata sandi" if variant == "reset" else "Pemulihan akun") \
        + f" {config['CLINIC_NAME']}"
    text = (f"Halo {user.users_fullname},\n\n"
            f"Kami menerima permintaan untuk mengatur ulang kata sandi akun {user.username}. "
            f"Buka tautan berikut dalam {minutes} menit untuk membuat kata sandi baru:\n\n"
            f"{link}\n\n"
            "Tautan ini hanya dapat dipakai sekali. Jika Anda tidak memintanya, abaikan pesan "
            "ini; kata sandi Anda tidak berubah.\n\n"
            f"{config['CLINIC_NAME']}")
    return subject, text


def deliver_recovery(channel: str, identity: str, user: User, link: str,
                     variant: str = "") -> SendResult:
    """Send the recovery message through the e-mail or WhatsApp gateway (synchronously; a
    background job may wrap this)."""
    subject, text = recovery_words(user, link, variant)
    if channel == "email":
        html = "".join(
            f'<p><a href="{escape(link)}">{escape(link)}</a></p>' if paragraph == link
            else "<p>" + "<br>".join(escape(line) for line in paragraph.split("\n")) + "</p>"
            for paragraph in text.split("\n\n"))
        return send_email(identity, subject, text, html)
    return send_whatsapp(identity, f"*{subject}*\n\n{text}")


def reset_password(channel: str, identity: str, raw: str, new: str, confirmation: str) -> User:
    """Set a new password with a recovery link: once, before it expires, for the account it
    was sent to; every bearer token and every other link of the account ends."""
    check_new_password(new, confirmation, "new_password", "confirm_new_password")
    identity = checked_identity(channel, identity)
    now = clinic_now()
    recovery = db.session.scalar(select(PasswordRecovery).where(
        PasswordRecovery.token_hash == token_digest(raw or ""),
        PasswordRecovery.channel == channel)) if isinstance(raw, str) and len(raw) <= 100 else None
    user = recovery.user if recovery is not None else None
    if (recovery is None or recovery.used_at is not None or recovery.expires_at <= now
            or user is None or user.deleted_at is not None or user.is_blocked
            or user.id not in {account.id for account in accounts_of(channel, identity)}):
        raise Invalid(BAD_LINK, fields={"hash": BAD_LINK}, error_code="recovery_link_invalid")
    used = db.session.execute(update(PasswordRecovery).where(
        PasswordRecovery.id == recovery.id, PasswordRecovery.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if not used.rowcount:  # a second use that came at the same moment
        db.session.rollback()
        raise Invalid(BAD_LINK, fields={"hash": BAD_LINK}, error_code="recovery_link_invalid")
    db.session.execute(update(PasswordRecovery).where(  # the account's other links end too
        PasswordRecovery.id_users == user.id, PasswordRecovery.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    user.password_hash = hash_password(new)
    user.is_password_reset_required = False
    user.num_of_login_attempts = 0
    user.locked_until = None
    if channel == "email":
        user.is_email_confirmed = True
    else:
        user.is_phone_confirmed = True
    revoke_all_tokens(user)
    audit.record("password_change", user, "users", user.id,
                 f"lewat tautan pemulihan {'e-mail' if channel == 'email' else 'WhatsApp'}")
    db.session.commit()
    return user
