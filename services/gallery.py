"""Image galleries (product and service pictures): one primary per owner, display order."""
from sqlalchemy import select

from models import db


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
