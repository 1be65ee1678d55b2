"""Account actions on the user screens: unblock, set a password, upload a picture."""
from flask import Blueprint, flash, request

from app.auth import current_actor, requires
from services.access import MANAGERS, STAFF
from services.accounts import operations as accounts
from services.engine import core, get_resource, writing
from services.errors import DomainError

from .render import go, inline_refusal, render

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.post("/<int:object_id>/unblock")
@requires(*MANAGERS)
def unblock(object_id):
    """Lift a lockout."""
    user = core.load(get_resource("users"), current_actor(), object_id)
    accounts.unblock(current_actor(), user)
    flash(f"Akun {user.username} dibuka kembali.", "success")
    return go("crud.detail", name="users", object_id=object_id)


@bp.route("/<int:object_id>/password", methods=["GET", "POST"])
@requires(*MANAGERS)
def set_password(object_id):
    """Set someone's password; they must change it at their next sign-in."""
    users = get_resource("users")
    user = core.load(users, current_actor(), object_id)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            accounts.set_password_by_admin(current_actor(), user, request.form.get("new_password"),
                                           request.form.get("new_password_confirm"))
        except DomainError as exc:
            refusal = inline_refusal(exc)
            errors = refusal.fields or {"new_password": refusal.message}
            status = refusal.status
        else:
            flash(f"Kata sandi {user.username} diganti; ia wajib menggantinya saat masuk.", "success")
            return go("crud.detail", name="users", object_id=object_id)
    return render("users/password.html", "users/_password_form.html", status=status,
                  resource=users, obj=user, errors=errors)


@bp.post("/<int:object_id>/picture")
@requires(*STAFF)
def picture(object_id):
    """Upload a profile picture (checked and re-encoded by the upload service)."""
    try:
        writing.upload(get_resource("users"), current_actor(), object_id,
                       request.files.get("picture"))
    except DomainError as exc:
        refusal = inline_refusal(exc)
        flash(refusal.fields.get("picture") or refusal.message, "danger")
    else:
        flash("Foto profil diperbarui.", "success")
    return go("crud.detail", name="users", object_id=object_id)
