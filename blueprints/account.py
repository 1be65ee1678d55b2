"""Admin sign-in, sign-out and changing one's own password."""
from urllib.parse import urlparse

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.extensions import limiter, login_manager
from models import User, db
from services.access import is_staff
from services.accounts import operations as accounts
from services.errors import DomainError, Forbidden, Throttled, Unauthorized

from .render import inline_refusal, render

bp = Blueprint("account", __name__, url_prefix="/admin")


class LoginForm(FlaskForm):
    """Username (or e-mail) and password."""

    username = StringField("Nama pengguna atau e-mail", validators=[DataRequired(), Length(max=150)])
    password = PasswordField("Kata sandi", validators=[DataRequired(), Length(max=128)])


class PasswordForm(FlaskForm):
    """Change own password."""

    prev_password = PasswordField("Kata sandi lama", validators=[DataRequired()])
    new_password = PasswordField("Kata sandi baru", validators=[DataRequired()])
    new_password_confirm = PasswordField("Ulangi kata sandi baru", validators=[DataRequired()])


def install_login(app):
    """Flask-Login: load the session's user; staff only, live, same password as at sign-in."""
    login_manager.login_view = "account.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu."

    @login_manager.user_loader
    def load_user(session_id):
        user_id, _, stamp = str(session_id).partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.get_id() != session_id or not user.is_active or not is_staff(user):
            return None
        return user


def _safe_next(target):
    """Where to go after signing in: a path of the admin on this site, else the dashboard
    (no other site, no control characters, nothing a header could not carry)."""
    if not target or not target.isprintable() or len(target) > 2000:
        return url_for("dashboard.index")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/admin") \
            or target.startswith(("//", "/\\")):
        return url_for("dashboard.index")
    return target


def login_limit():
    """Same per-client rate as the API login."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    """Sign in to the back-office (staff only)."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data, staff_only=True)
        except (Unauthorized, Forbidden, Throttled) as exc:  # a refused sign-in: on the form
            error, status = exc.message, exc.status
        else:
            login_user(user)
            if user.is_password_reset_required:
                flash("Silakan ganti kata sandi Anda terlebih dahulu.", "warning")
                return redirect(url_for("account.password"))
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        error, status = "Isi nama pengguna dan kata sandi.", 422
    return render("account/login.html", form=form, error=error, status=status)


@bp.post("/logout")
@login_required
def logout():
    """Sign out (POST with CSRF token)."""
    accounts.record_screen_logout(current_user)
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("account.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; other sessions and tokens end."""
    form = PasswordForm()
    errors = {}
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_own_password(current_user, form.prev_password.data,
                                         form.new_password.data, form.new_password_confirm.data)
        except DomainError as exc:
            refusal = inline_refusal(exc)
            errors, status = refusal.fields or {"new_password": refusal.message}, refusal.status
        else:
            login_user(current_user._get_current_object())  # session id follows the password
            flash("Kata sandi berhasil diganti.", "success")
            return redirect(url_for("dashboard.index"))
    elif request.method == "POST":
        errors = {name: "Wajib diisi." for name, field in form._fields.items()
                  if name != "csrf_token" and not field.data}
        status = 422
    return render("account/password.html", form=form, errors=errors, status=status)
