"""Admin screens of services beyond the generic ones: the picture gallery of a service, the
image of a service category, and the display filters (rupiah, minutes, weekday)."""
from flask import Blueprint, flash, request
from sqlalchemy import select

from app.auth import current_actor, requires
from app.extensions import htmx
from models import STAFF_ROLES, ServiceImage, db
from services.treatments.tiers import ordered_tiers
from services.engine import core, get_resource
from services.errors import DomainError
from services.treatments.declarations import (add_service_images, make_primary_image,
                                           move_service_image)

from .render import go, render, toast

bp = Blueprint("treatments", __name__, url_prefix="/admin/treatments")


@bp.app_template_global("delivery_tiers")
def delivery_tiers_global():
    """Every delivery tier, nearest range first (the tier detail screen lists them)."""
    return ordered_tiers()


@bp.before_request
@requires(*STAFF_ROLES)
def staff_only():
    """Staff only; the engine checks each change (doctors may look, not change)."""


def _images_of(service_id):
    return db.session.execute(
        select(ServiceImage).where(ServiceImage.id_services == service_id)
        .order_by(ServiceImage.nomor_urut_tampil, ServiceImage.id)).scalars().all()


def _gallery(service_id, message=None, level="success", status=200):
    """The gallery page, or its partial for HTMX (with a toast when something changed)."""
    actor = current_actor()
    service = core.load(get_resource("services"), actor, service_id)
    images_resource = get_resource("service_images")
    trigger = toast(message, level) if message and htmx else None
    return render("treatments/gallery.html", "treatments/_gallery.html", status=status,
                  trigger=trigger, service=service, images=_images_of(service.id),
                  resource=get_resource("services"),
                  can_change=core.allowed(images_resource, actor, "update"),
                  message=message if level != "success" else None, level=level)


def _done(service_id, message, level="success", status=200):
    """After a change: the fresh gallery for HTMX, a redirect with a flash otherwise."""
    if htmx:
        return _gallery(service_id, message, level, status)
    flash(message, "danger" if level == "danger" else level)
    return go("treatments.gallery", service_id=service_id)


@bp.get("/services/<int:service_id>/images")
def gallery(service_id):
    """The pictures of a service: upload several, choose the primary, reorder, delete."""
    return _gallery(service_id)


@bp.post("/services/<int:service_id>/images")
def upload_images(service_id):
    """Upload one or more pictures; each file is checked on its own."""
    core.load(get_resource("services"), current_actor(), service_id)
    try:
        created, refused = add_service_images(current_actor(), service_id,
                                              request.files.getlist("picture"))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _done(service_id, exc.message, "danger", 422)
    parts = []
    if created:
        parts.append(f"{len(created)} gambar diunggah.")
    parts.extend(f"{name} ditolak: {reason}" for name, reason in refused.items())
    if refused:
        return _done(service_id, " ".join(parts), "warning" if created else "danger",
                     200 if created else 422)
    return _done(service_id, " ".join(parts))


def _image(image_id):
    return core.load(get_resource("service_images"), current_actor(), image_id)


@bp.post("/images/<int:image_id>/primary")
def primary(image_id):
    """Make a picture the primary one of its service."""
    image = _image(image_id)
    make_primary_image(current_actor(), image.id)
    return _done(image.id_services, "Gambar utama diganti.")


@bp.post("/images/<int:image_id>/move/<direction>")
def move(image_id, direction):
    """Move a picture one place up or down."""
    steps = {"up": -1, "down": 1}
    if direction not in steps:
        return _done(_image(image_id).id_services, "Arah tidak dikenal.", "danger", 422)
    image = move_service_image(current_actor(), image_id, steps[direction])
    return _done(image.id_services, "Urutan gambar diubah.")


@bp.route("/images/<int:image_id>/delete", methods=["POST", "DELETE"])
def delete_image(image_id):
    """Delete a picture (the next one becomes primary when the primary goes)."""
    service_id = _image(image_id).id_services
    core.delete(get_resource("service_images"), current_actor(), image_id)
    return _done(service_id, "Gambar dihapus.")


@bp.post("/service_categories/<int:category_id>/image")
def category_image(category_id):
    """Upload the image of a service category (checked and re-encoded)."""
    try:
        core.upload(get_resource("service_categories"), current_actor(), category_id,
                    request.files.get("picture"))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        detail = exc.fields.get("picture")
        flash(exc.message if not detail or detail in exc.message else f"{exc.message} {detail}",
              "danger")
    else:
        flash("Gambar kategori diperbarui.", "success")
    return go("crud.detail", name="service_categories", object_id=category_id)
