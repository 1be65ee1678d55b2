"""Dashboard and the placeholder of screens that are not built yet."""
from flask import Blueprint, abort
from sqlalchemy import func, select

from app.auth import current_actor, requires
from models import STAFF_ROLES, Log, Role, User, db

from .navigation import SECTIONS, slug
from .render import render

bp = Blueprint("dashboard", __name__, url_prefix="/admin")


@bp.get("/")
@requires(*STAFF_ROLES)
def index():
    """Overview: accounts by role and, for managers, the latest audit entries."""
    actor = current_actor()
    by_role = dict(db.session.execute(
        select(Role.rolecodes, func.count(Role.id)).join(User, User.id == Role.iduser)
        .where(User.deleted_at.is_(None)).group_by(Role.rolecodes)).all())
    blocked = db.session.execute(select(func.count(User.id)).where(
        User.is_blocked.is_(True), User.deleted_at.is_(None))).scalar_one()
    recent = []
    if actor.is_manager:
        recent = db.session.execute(select(Log).order_by(Log.id.desc()).limit(8)).scalars().all()
    return render("dashboard/index.html", by_role=by_role, blocked=blocked, recent=recent)


@bp.get("/soon/<section>")
@requires(*STAFF_ROLES)
def not_built(section):
    """A screen family that later work will build; says so plainly."""
    labels = {slug(label): label for label, *_ in SECTIONS}
    if section not in labels:
        abort(404)
    return render("dashboard/not_built.html", section=labels[section])
