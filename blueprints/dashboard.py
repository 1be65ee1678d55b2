"""Dashboard and the placeholder of screens that are not built yet."""
from flask import Blueprint, abort

from app.auth import current_actor, requires
from services.access import STAFF
from services.accounts.queries import accounts_summary

from .audit_lines import sentences
from .navigation import SECTIONS, slug
from .render import render

bp = Blueprint("dashboard", __name__, url_prefix="/admin")


@bp.get("/")
@requires(*STAFF)
def index():
    """Overview: accounts by role and, for managers, the latest audit entries as sentences."""
    summary = accounts_summary(current_actor())
    return render("dashboard/index.html", **summary,
                  audit_sentences=sentences(summary["recent"]))


@bp.get("/soon/<section>")
@requires(*STAFF)
def not_built(section):
    """A screen family that later work will build; says so plainly."""
    labels = {slug(label): label for label, *_ in SECTIONS}
    if section not in labels:
        abort(404)
    return render("dashboard/not_built.html", section=labels[section])
