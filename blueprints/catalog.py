"""Admin screens of categories, products with pictures, promotions beyond the generic ones.

Lists with pictures, colour chips and money (search, filters, sort and pages through HTMX),
form pages that carry the rich-text editor and the colour picker (they post to the generic
create/edit handlers), picture uploads of categories and promotions, and the picture
gallery of a product (upload several, choose the primary, reorder, delete)."""

from flask import Blueprint, abort, flash, request
from sqlalchemy import func, select, union_all

from app.auth import current_actor, requires
from app.extensions import htmx
from models import STAFF_ROLES, Menu, MenuImage, db
from services import audit
from services.engine import gallery
from services.engine import core, get_resource
from services.errors import DomainError
from services.catalog.declarations import plain_html

from . import crud
from .render import go, render, toast
from .views import view_for

bp = Blueprint("catalog", __name__, url_prefix="/admin/catalog")

SCREENS = ("menus", "menu_categories", "promotions")
PAGE_LENGTH = crud.PAGE_LENGTH
DEFAULT_SORT = {"menus": "nama_menus", "menu_categories": "", "promotions": ""}
LIST_HEADINGS = {"menus": "Katalog", "menu_categories": "Katalog", "promotions": "Promosi"}
UPLOADS_AT_ONCE = 10


@bp.before_request
@requires(*STAFF_ROLES)
def staff_only():
    """Every catalog screen is for signed-in staff; the engine checks each action."""


def screen_or_404(name):
    """The declaration behind a catalog screen, or 404."""
    if name not in SCREENS:
        abort(404)
    return get_resource(name)


@bp.get("/")
def home():
    """The catalog starts with the products."""
    return go("catalog.index", name="menus")


@bp.get("/<name>/")
def index(name):
    """A list with pictures: search, filters, sort and pages; HTMX asks for the list only."""
    view = view_for(screen_or_404(name))
    context = crud.list_page(view, current_actor(), DEFAULT_SORT[name])
    return render("catalog/index.html", "catalog/_list.html", **context,
                  product_counts=product_counts(context["rows"])
                  if name == "menu_categories" else {}, heading=LIST_HEADINGS[name])


def product_counts(categories) -> dict:
    """Live products per category (any of the three slots), in one query."""
    ids = [category.id for category in categories]
    if not ids:
        return {}
    slots = union_all(*[
        select(getattr(Menu, slot).label("category"), Menu.id.label("menu"))
        .where(getattr(Menu, slot).in_(ids), Menu.deleted_at.is_(None))
        for slot in ("id_menu_categories_1", "id_menu_categories_2", "id_menu_categories_3")
    ]).subquery()
    return dict(db.session.execute(select(slots.c.category, func.count(func.distinct(
        slots.c.menu))).group_by(slots.c.category)).all())


def _form_page(resource, obj):
    actor = current_actor()
    view = view_for(resource)
    values = view.form_values(obj) if obj is not None else {}
    for name in resource.html_inputs:  # the editor shows formatting tags, not inline styles
        if values.get(name):
            values[name] = plain_html(values[name])
    return render("catalog/form.html", resource=resource, view=view, obj=obj, values=values,
                  errors={}, message=None, fields=crud.form_fields(view, obj is None, actor))


@bp.get("/<name>/new")
def new(name):
    """The create form with the editors; it posts to the generic create handler."""
    resource = screen_or_404(name)
    core.require(resource, current_actor(), "create")
    return _form_page(resource, None)


@bp.get("/<name>/<int:object_id>/edit")
def edit(name, object_id):
    """The edit form with the editors; it posts to the generic edit handler."""
    resource = screen_or_404(name)
    return _form_page(resource, core.load(resource, current_actor(), object_id, "update"))


@bp.post("/<name>/<int:object_id>/image")
def image(name, object_id):
    """Upload the picture of a category or a promotion (checked and re-encoded)."""
    if name not in ("menu_categories", "promotions"):
        abort(404)
    resource = get_resource(name)
    try:
        core.upload(resource, current_actor(), object_id, request.files.get("picture"))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        flash(exc.fields.get("picture") or exc.message, "danger")
    else:
        flash("Gambar diperbarui.", "success")
    return go("crud.detail", name=name, object_id=object_id)


# ---- the gallery of a product -----------------------------------------------------------
def _menu(object_id):
    return core.load(get_resource("menus"), current_actor(), object_id)


def _images(menu):
    return db.session.execute(select(MenuImage).where(MenuImage.id_menus == menu.id).order_by(
        MenuImage.nomor_urut_tampil, MenuImage.id)).scalars().all()


def _gallery(menu, status=200, message=None, level="success", problems=None):
    """The gallery page, or its part for HTMX; a plain form post is redirected back."""
    actor = current_actor()
    if request.method == "POST" and not htmx:
        for text in [message, *(problems or [])]:
            if text:
                flash(text, level if text == message else "danger")
        return go("catalog.images", object_id=menu.id)
    images = get_resource("menu_images")
    return render("catalog/gallery.html", "catalog/_gallery.html", status=status,
                  trigger=toast(message, level) if message else None, menu=menu,
                  images=_images(menu), problems=problems or [],
                  can_change=core.allowed(images, actor, "update"),
                  can_upload=core.allowed(images, actor, "create"),
                  can_delete=core.allowed(images, actor, "delete"))


def _image_of(menu, image_id, action="update"):
    image = core.load(get_resource("menu_images"), current_actor(), image_id, action)
    if image.id_menus != menu.id:
        abort(404)
    return image


@bp.get("/menus/<int:object_id>/images")
def images(object_id):
    """The pictures of a product, in display order, with the primary marked."""
    return _gallery(_menu(object_id))


@bp.post("/menus/<int:object_id>/images")
def upload_images(object_id):
    """Upload one or several pictures; each is checked on its own, refusals are listed."""
    menu = _menu(object_id)
    resource = get_resource("menu_images")
    actor = current_actor()
    core.require(resource, actor, "create")
    files = [item for item in request.files.getlist("pictures") if item and item.filename]
    if not files:
        return _gallery(menu, 422, "Pilih satu atau beberapa berkas gambar.", "danger",
                        ["Belum ada berkas yang dipilih."])
    if len(files) > UPLOADS_AT_ONCE:
        return _gallery(menu, 422, f"Paling banyak {UPLOADS_AT_ONCE} gambar sekali unggah.",
                        "danger", [f"Anda memilih {len(files)} berkas."])
    saved, problems = 0, []
    for upload in files:
        try:
            core.create(resource, actor, {"id_menus": menu.id}, {"picture": upload})
        except DomainError as exc:
            if exc.status in (401, 403, 404):
                raise
            reason = exc.fields.get("picture") if isinstance(exc.fields, dict) else None
            problems.append(f"{upload.filename}: {exc.message}"
                            + (f" ({reason})" if reason and reason != exc.message else ""))
        else:
            saved += 1
    if problems and not saved:
        return _gallery(menu, 422, "Tidak ada gambar yang diunggah.", "danger", problems)
    message = f"{saved} gambar diunggah." + (f" {len(problems)} ditolak." if problems else "")
    return _gallery(menu, 200, message, "warning" if problems else "success", problems)


@bp.post("/menus/<int:object_id>/images/<int:image_id>/primary")
def make_primary(object_id, image_id):
    """Make this picture the product's primary one (the one lists show)."""
    menu = _menu(object_id)
    _image_of(menu, image_id)
    core.update(get_resource("menu_images"), current_actor(), image_id, {"is_primary": True})
    return _gallery(menu, message="Gambar utama diganti.")


@bp.post("/menus/<int:object_id>/images/<int:image_id>/move/<direction>")
def move(object_id, image_id, direction):
    """Move a picture one place earlier or later in the display order."""
    if direction not in ("up", "down"):
        abort(404)
    menu = _menu(object_id)
    image = _image_of(menu, image_id)
    gallery.move(image, -1 if direction == "up" else 1)
    audit.record("update", current_actor(), "menu_images", image.id,
                 f"urutan {'naik' if direction == 'up' else 'turun'}")
    core.commit_or_conflict()
    return _gallery(menu, message="Urutan gambar diubah.")


@bp.route("/menus/<int:object_id>/images/<int:image_id>/delete", methods=["POST", "DELETE"])
def delete_image(object_id, image_id):
    """Delete a picture; the next one becomes primary when the primary goes."""
    menu = _menu(object_id)
    _image_of(menu, image_id, "delete")
    core.delete(get_resource("menu_images"), current_actor(), image_id)
    return _gallery(menu, message="Gambar dihapus.")
