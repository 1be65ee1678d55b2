"""A declaration base for picture galleries (menu_images, service_images)."""
from services import gallery
from services.errors import Invalid
from services.engine.resource import Resource, Upload
from services.uploads import public_url


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
            others = [image.nomor_urut_tampil for image in gallery.siblings(obj)
                      if image.id != obj.id]
            obj.nomor_urut_tampil = max(others) + 1 if others else 0
        if data.get("is_primary") or (created and not any(
                image.is_primary for image in gallery.siblings(obj) if image.id != obj.id)):
            gallery.make_primary(obj)
        elif data.get("is_primary") is False and obj.is_primary:
            gallery.promote_next(obj)

    def apply(self, obj, data, actor):
        """Columns except is_primary, which only after_save may change (it keeps it unique)."""
        super().apply(obj, {key: value for key, value in data.items() if key != "is_primary"},
                      actor)

    def before_delete(self, obj, actor):
        """The next picture becomes primary when the primary goes."""
        gallery.promote_next(obj)

    def out_img_path(self, obj):
        """Absolute URL of the picture."""
        return public_url(self.kind, getattr(obj, self.image_column))

    def value(self, obj, name):
        """As the API writes it; `image_upload` stays the JSON true the document shows."""
        return True if name == "image_upload" else super().value(obj, name)
