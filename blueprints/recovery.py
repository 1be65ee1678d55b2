"""The page a recovery link opens (/account/recovery?hash=…&email=… or &phone=…): the new
password, set through the same operation as the API's forgot endpoints (once, before the link
expires; every token of the account ends). For anyone with the link, signed in or not."""
from flask import Blueprint, request

from app.extensions import limiter
from services.accounts.recovery import reset_password
from services.errors import DomainError

from .render import inline_refusal, render

bp = Blueprint("recovery", __name__, url_prefix="/account")
FIELD_MAX = 200


def _link_values(source) -> dict:
    """The link's hash and the address or number it was sent to (cut to a sane length)."""
    return {name: str(source.get(name, ""))[:FIELD_MAX] for name in ("hash", "email", "phone")}


def _recovery_limit():
    from flask import current_app
    return current_app.config["RECOVERY_RATE_LIMIT"]


@bp.route("/recovery", methods=["GET", "POST"])
@limiter.limit(_recovery_limit, methods=["POST"])
def page():
    """Ask for the new password twice; answer what became of it."""
    link = _link_values(request.values)
    channel = "email" if link["email"] else "wa"
    identity = link["email"] or link["phone"]
    if not link["hash"] or not identity:
        return render("recovery/page.html", status=400, link=link, done=False, errors={},
                      message="Tautan pemulihan tidak lengkap. Minta tautan baru dari aplikasi.")
    if request.method == "GET":
        return render("recovery/page.html", link=link, done=False, errors={}, message=None)
    try:
        reset_password(channel, identity, link["hash"], request.form.get("new_password", ""),
                       request.form.get("confirm_new_password", ""))
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return render("recovery/page.html", status=refusal.status, link=link, done=False,
                      errors=refusal.fields or {}, message=refusal.message)
    return render("recovery/page.html", link=link, done=True, errors={}, message=None)
