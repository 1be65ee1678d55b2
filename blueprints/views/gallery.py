"""How the pictures of a gallery (services/engine/gallery.py) look on the generic screens:
the owner, a thumbnail, the primary mark and the display order. The gallery screen itself
(blueprints/gallery.py) is the usual way to them; these lists are for looking things up."""
from services.engine import get_resource

from ..cells import thumbnail
from .base import VIEWS, AdminView, Column


class PicturesView(AdminView):
    """The list and detail of one gallery's pictures, listed by the owner's name column."""

    def __init__(self, gallery, owner_column: str, owner_choices):
        owner_label = get_resource(gallery.owner_resource).label
        self.list_columns = (owner_column, "gambar", "is_primary", "nomor_urut_tampil")
        self.detail_fields = (owner_column, gallery.image_column, "is_primary",
                              "nomor_urut_tampil")
        self.labels = {gallery.owner: owner_label, gallery.owner_relation: owner_label,
                       gallery.image_column: "Gambar", "picture": "Berkas gambar",
                       "is_primary": "Gambar utama", "nomor_urut_tampil": "Urutan tampil",
                       "img_path": "URL gambar"}
        self.choices = {gallery.owner: owner_choices}
        self.columns = {
            owner_column: Column(owner_label, value=gallery.owner_name,
                                 sort=lambda: gallery.owner_column_expr(owner_column)),
            "gambar": Column("Gambar", value=gallery.picture_name, cell=lambda picture: thumbnail(
                gallery.kind, gallery.picture_name(picture), gallery.owner_name(picture)))}
        super().__init__(gallery)


def pictures_view(name: str, owner_column: str, owner_choices):
    """Register the screens of the gallery `name`: its pictures listed by `owner_column` of
    their owner, the owner chosen among `owner_choices` (a callable) on the form."""
    VIEWS[name] = PicturesView(get_resource(name), owner_column, owner_choices)
