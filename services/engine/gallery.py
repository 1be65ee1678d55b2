"""Image galleries (product and service pictures): one primary per owner, display order, and
the operations of the one gallery screen (upload several, choose the primary, reorder)."""
from sqlalchemy import select

from models import db
from services import audit
from services.errors import Invalid, TooLarge
from services.uploads import public_url

from . import core, writing
from .resource import REGISTRY, Resource, Upload

PICTURE = "picture"  # the multipart field of every picture upload, one file or several


def siblings(image):
    """All images of the same owner, in display order."""
    model = type(image)
    owner_column = getattr(model, image.gallery_owner)
    return db.session.execute(
        select(model).where(owner_column == getattr(image, image.gallery_owner))
        .order_by(model.nomor_urut_tampil, model.id)).scalars().all()


def make_primary(image):
    """Make this image the primary one of its owner (the database keeps it unique)."""
    owner_id = getattr(image, image.gallery_owner)
    for other in siblings(image):
        if other.id != image.id and other.primary_of is not None:
            other.primary_of = None
            other.is_primary = False
    db.session.flush()
    image.is_primary = True
    image.primary_of = owner_id


def promote_next(image):
    """Before `image` goes away: hand the primary role to the next image, if any."""
    if not image.is_primary:
        return
    image.primary_of = None
    image.is_primary = False
    db.session.flush()
    rest = [other for other in siblings(image) if other.id != image.id]
    if rest:
        rest[0].is_primary = True
        rest[0].primary_of = getattr(rest[0], rest[0].gallery_owner)


def move(image, step: int):
    """Move an image one place earlier (-1) or later (+1) and renumber 0, 1, 2 …"""
    ordered = siblings(image)
    index = next(position for position, item in enumerate(ordered) if item.id == image.id)
    target = min(max(index + step, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for number, item in enumerate(ordered):
        item.nomor_urut_tampil = number


def primary_image(images):
    """The primary image of a loaded list (or the first), or None."""
    for image in images:
        if image.is_primary:
            return image
    return images[0] if images else None


class GalleryResource(Resource):
    """Pictures of an owner: multipart `picture`, one primary, ordered by nomor_urut_tampil.

    Subclasses set model, name, owner (the owner column, e.g. "id_menus"), owner_resource
    (the owner's declaration, e.g. "menus"), owner_relation (the picture's attribute holding
    the owner, e.g. "menu"), image_column (e.g. "menu_image") and kind (the upload folder).
    Every gallery takes the same field and the same limits: at most `pictures_per_request`
    files at once, each within the app's UPLOAD_MAX_BYTES."""

    owner = ""
    owner_resource = ""
    owner_relation = ""
    image_column = ""
    kind = ""
    pictures_per_request = 10
    search_paginated = False

    def __init__(self):
        super().__init__()
        self.file_inputs = {PICTURE: Upload(column=self.image_column, kind=self.kind)}

    def validate(self, data, actor, obj=None):
        """The display order is not negative."""
        if data.get("nomor_urut_tampil") is not None and data["nomor_urut_tampil"] < 0:
            raise Invalid(fields={"nomor_urut_tampil": "Tidak boleh negatif."})
        return data

    def after_save(self, obj, data, actor, created):
        """A new picture goes last unless an order is given; the first picture, or one sent
        with is_primary=1, becomes the primary."""
        if created and data.get("nomor_urut_tampil") is None:
            others = [image.nomor_urut_tampil for image in siblings(obj)
                      if image.id != obj.id]
            obj.nomor_urut_tampil = max(others) + 1 if others else 0
        if data.get("is_primary") or (created and not any(
                image.is_primary for image in siblings(obj) if image.id != obj.id)):
            make_primary(obj)
        elif data.get("is_primary") is False and obj.is_primary:
            promote_next(obj)

    def apply(self, obj, data, actor):
        """Columns except is_primary, which only after_save may change (it keeps it unique)."""
        super().apply(obj, {key: value for key, value in data.items() if key != "is_primary"},
                      actor)

    def before_delete(self, obj, actor):
        """The next picture becomes primary when the primary goes."""
        promote_next(obj)

    def out_img_path(self, obj):
        """Absolute URL of the picture."""
        return public_url(self.kind, getattr(obj, self.image_column))

    def value(self, obj, name):
        """As the API writes it; `image_upload` stays the JSON true the document shows."""
        return True if name == "image_upload" else super().value(obj, name)

    def owner_id(self, image) -> int:
        """The id of the owner a picture belongs to."""
        return getattr(image, self.owner)

    def picture_name(self, image) -> str:
        """The stored file name of a picture."""
        return getattr(image, self.image_column)

    def owner_column_expr(self, column: str):
        """A column of a picture's owner as a correlated subquery (to sort pictures by it)."""
        owner_model = REGISTRY[self.owner_resource].model
        return (select(getattr(owner_model, column))
                .where(owner_model.id == getattr(self.model, self.owner))
                .correlate(self.model).scalar_subquery())

    def owner_name(self, image) -> str:
        """How staff name the owner of a picture ("" when it is gone)."""
        owner = getattr(image, self.owner_relation)
        return REGISTRY[self.owner_resource].describe(owner) if owner is not None else ""


def gallery_for(owner_name: str) -> GalleryResource | None:
    """The gallery declared for an owner resource ("menus" → menu_images), or None."""
    return next((resource for resource in REGISTRY.values()
                 if isinstance(resource, GalleryResource)
                 and resource.owner_resource == owner_name), None)


# ---- the operations of the gallery screen ------------------------------------------------
def pictures_of(resource: GalleryResource, owner_id: int) -> list:
    """The pictures of one owner, in display order."""
    model = resource.model
    return db.session.execute(select(model).where(getattr(model, resource.owner) == owner_id)
                              .order_by(model.nomor_urut_tampil, model.id)).scalars().all()


def add_pictures(resource: GalleryResource, actor, owner_id: int, files):
    """Upload several pictures to one owner, each checked on its own.

    Returns (the pictures created, [(file name, refusal)]): a refused file leaves nothing
    behind. No file, or more than `pictures_per_request`, refuses the whole request."""
    core.require(resource, actor, "create")
    files = [item for item in files if getattr(item, "filename", "")]
    if not files:
        raise Invalid("Pilih minimal satu berkas gambar.",
                      fields={PICTURE: "Pilih berkas gambar."})
    if len(files) > resource.pictures_per_request:
        raise Invalid(f"Paling banyak {resource.pictures_per_request} gambar sekali unggah.",
                      fields={PICTURE: f"Anda memilih {len(files)} berkas."})
    created, refused = [], []
    for upload_file in files:
        try:
            created.append(writing.create(resource, actor, {resource.owner: owner_id},
                                          {PICTURE: upload_file}))
        except (Invalid, TooLarge) as refusal:  # about this file; the others go on
            refused.append((upload_file.filename, refusal))
    return created, refused


def choose_primary(resource: GalleryResource, actor, image_id: int):
    """Make a picture its owner's primary one (the one lists and the app show first)."""
    return writing.update(resource, actor, image_id, {"is_primary": True})


def move_picture(resource: GalleryResource, actor, image_id: int, step: int):
    """Move a picture one place earlier (-1) or later (+1) among its owner's pictures."""
    if step not in (-1, 1):
        raise Invalid(fields={"step": "Gunakan -1 atau 1."})
    image = core.load(resource, actor, image_id, "update")
    move(image, step)
    audit.record("update", actor, resource.name, image.id,
                 f"{resource.describe(image)}: urutan {'naik' if step < 0 else 'turun'}")
    writing.commit_or_conflict()  # one transaction; a failure rolls it all back
    return image
