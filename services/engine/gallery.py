"""Image galleries (product and service pictures): one primary per owner, display order."""
from sqlalchemy import select

from models import db
from services.errors import Invalid
from services.uploads import public_url

from .resource import Resource, Upload


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

    Subclasses set model, name, owner (the owner column, e.g. "id_menus"), image_column
    (e.g. "menu_image"), kind (upload folder) and owner_output (the nested owner's key)."""

    owner = ""
    image_column = ""
    kind = ""
    search_paginated = False

    def __init__(self):
        super().__init__()
        self.file_inputs = {"picture": Upload(column=self.image_column, kind=self.kind)}

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
