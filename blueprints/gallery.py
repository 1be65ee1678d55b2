"""The one picture gallery screen, for every resource whose pictures are declared as a
gallery (services/engine/gallery.py: the pictures of a product, of a service): upload
several at once, choose the primary, reorder, delete. Each change answers the gallery part
again for HTMX (a toast says what happened) or redirects back to the page."""
from flask import Blueprint, abort, flash, request

from app.auth import current_actor, requires
from app.extensions import htmx
from services.access import STAFF
from services.engine import core, writing
from services.engine.gallery import (PICTURE, add_pictures, choose_primary, move_picture,
                                     pictures_of)
from services.errors import DomainError

from .crud import resource_or_404
from .render import go, inline_refusal, refusal_text, render, toast, toast_refusal
from .views import view_for

bp = Blueprint("gallery", __name__, url_prefix="/admin")
STEPS = {"up": -1, "down": 1}


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Staff only; the engine checks each change (doctors may look, not change)."""


def _owner(name, object_id):
    """The owner's view, its gallery and the owner itself (404 when it has no gallery)."""
    view = view_for(resource_or_404(name))
    gallery = view.gallery
    if gallery is None:
        abort(404)
    return view, gallery, core.load(view.resource, current_actor(), object_id)


def _screen(view, gallery, owner, status=200, message=None, level="success", refused=(),
            refusal=None):
    """The gallery page, or its part for HTMX; a plain form post is redirected back."""
    if request.method == "POST" and not htmx:
        for text, category in [(message, level), *((f"{name} ditolak: {reason}", "danger")
                                                   for name, reason in refused)]:
            if text:
                flash(text, category)
        return go("gallery.index", name=view.name, object_id=owner.id)
    actor = current_actor()
    return render("crud/gallery.html", "crud/_gallery.html", status=status,
                  trigger=toast(message, level) if message else None, resource=view.resource,
                  view=view, gallery=gallery, owner=owner,
                  pictures=pictures_of(gallery, owner.id), refused=refused, refusal=refusal,
                  can_upload=core.allowed(gallery, actor, "create"),
                  can_change=core.allowed(gallery, actor, "update"),
                  can_delete=core.allowed(gallery, actor, "delete"))


@bp.get("/<name>/<int:object_id>/images")
def index(name, object_id):
    """The pictures of one owner in display order, the primary marked."""
    return _screen(*_owner(name, object_id))


@bp.post("/<name>/<int:object_id>/images")
def upload(name, object_id):
    """Upload one or several pictures (field `picture`); each is checked on its own and the
    refused ones are listed."""
    view, gallery, owner = _owner(name, object_id)
    actor = current_actor()
    core.require(gallery, actor, "create")  # may not add pictures: the error page
    try:
        created, refused = add_pictures(gallery, actor, owner.id,
                                        request.files.getlist(PICTURE))
    except DomainError as exc:
        refusal = inline_refusal(exc)
        return _screen(view, gallery, owner, 422, refusal.message, "danger",
                       refusal=refusal_text(refusal))
    reasons = [(file_name, refusal_text(exc)) for file_name, exc in refused]
    if not created:
        return _screen(view, gallery, owner, 422, "Tidak ada gambar yang diunggah.", "danger",
                       reasons)
    message = f"{len(created)} gambar diunggah." + (f" {len(refused)} ditolak." if refused
                                                     else "")
    return _screen(view, gallery, owner, 200, message, "warning" if refused else "success",
                   reasons)


def _change(name, object_id, image_id, action, change, message):
    """Load the owner and its picture (404 when the picture is another owner's, 403 when the
    actor may not `action` it), apply `change`, answer the fresh gallery; a refusal is a
    toast."""
    view, gallery, owner = _owner(name, object_id)
    actor = current_actor()
    picture = core.load(gallery, actor, image_id, action)
    if gallery.owner_id(picture) != owner.id:
        abort(404)
    try:
        change(gallery, actor, image_id)
    except DomainError as exc:
        return toast_refusal(exc)
    return _screen(view, gallery, owner, message=message)


@bp.post("/<name>/<int:object_id>/images/<int:image_id>/primary")
def primary(name, object_id, image_id):
    """Make this picture the primary one (the one lists and the app show)."""
    return _change(name, object_id, image_id, "update", choose_primary, "Gambar utama diganti.")


@bp.post("/<name>/<int:object_id>/images/<int:image_id>/move/<any(up, down):direction>")
def move(name, object_id, image_id, direction):
    """Move a picture one place earlier or later in the display order."""
    return _change(name, object_id, image_id, "update",
                   lambda gallery, actor, picture_id: move_picture(
                       gallery, actor, picture_id, STEPS[direction]),
                   "Urutan gambar diubah.")


@bp.route("/<name>/<int:object_id>/images/<int:image_id>/delete", methods=["POST", "DELETE"])
def delete(name, object_id, image_id):
    """Delete a picture; the next one becomes primary when the primary goes."""
    return _change(name, object_id, image_id, "delete", writing.delete, "Gambar dihapus.")
