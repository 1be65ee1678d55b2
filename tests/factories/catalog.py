"""Factories of menu categories, menus, menu images and promotions."""
import io
import itertools
from datetime import timedelta

from werkzeug.datastructures import FileStorage

from models import Menu, MenuCategory, MenuImage, Promotion, clinic_now, db

from . import FACTORIES, VALID_CREATE

_counter = itertools.count(1)


def image_bytes(size=(48, 36), colour=(30, 120, 200), kind="PNG"):
    """A small real picture."""
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


def stored_picture(kind="menus", colour=(30, 120, 200)):
    """A picture saved through the upload service (a real file); returns its name."""
    from services.uploads import save_image
    return save_image(FileStorage(io.BytesIO(image_bytes(colour=colour)), "foto.png"), kind)


def make_menu_category(**kw):
    """A product category."""
    number = next(_counter)
    values = {"menu_categories": f"Kategori {number}", "codes": f"KT{number}",
              "color": "#0D6EFD", "images": ""}
    values.update(kw)
    row = MenuCategory(**values)
    db.session.add(row)
    db.session.commit()
    return row


def make_menu(category=None, **kw):
    """A product (in `category` when given)."""
    number = next(_counter)
    values = {"nama_menus": f"Produk {number}", "brief": "<p>Krim wajah</p>", "harga": 100000,
              "pajak": 0, "dosis": "3mg", "komposisi": "<p>Niacinamide</p>",
              "aturan_pakai": "<p>Malam sebelum tidur</p>", "nomor_registrasi": f"RN-{number:03d}",
              "produsen": "Iora", "satuan": "Jar", "berat": 30}
    if category is not None:
        values["id_menu_categories_1"] = category.id
    values.update(kw)
    row = Menu(**values)
    db.session.add(row)
    db.session.commit()
    return row


def make_menu_image(menu=None, primary=None, **kw):
    """A picture of a product, stored as a real file. The first of a product is primary."""
    menu = menu or make_menu()
    existing = db.session.execute(db.select(MenuImage).where(
        MenuImage.id_menus == menu.id)).scalars().all()
    if primary is None:
        primary = not any(image.is_primary for image in existing)
    values = {"id_menus": menu.id, "menu_image": stored_picture("menus"),
              "nomor_urut_tampil": len(existing), "is_primary": primary,
              "primary_of": menu.id if primary else None}
    values.update(kw)
    row = MenuImage(**values)
    db.session.add(row)
    db.session.commit()
    return row


def make_promotion(current=True, **kw):
    """A promotion code; current (valid now) unless current=False (ended yesterday)."""
    number = next(_counter)
    now = clinic_now()
    if current:
        start, end = now - timedelta(days=1), now + timedelta(days=30)
    else:
        start, end = now - timedelta(days=30), now - timedelta(days=1)
    values = {"type": "POTONGAN", "value": 25000, "quota": 100, "used": 0,
              "start_datetime": start, "expired_datetime": end,
              "display_codes": f"PROMO{number}", "title": f"Promo {number}",
              "description": "<p>Diskon</p>", "img_promotions": ""}
    values.update(kw)
    row = Promotion(**values)
    db.session.add(row)
    db.session.commit()
    return row


FACTORIES.update({"menu_categories": make_menu_category, "menus": make_menu,
                  "menu_images": make_menu_image, "promotions": make_promotion})

VALID_CREATE.update({
    "menu_categories": lambda: {"menu_categories": "Vitamin Booster", "codes": "VB",
                                "color": "#000AAF"},
    "menus": lambda: {"nama_menus": "SKINTIFIC Cream Vit C", "brief": "kulit kencang",
                      "harga": "23000", "pajak": 0, "is_resep_required": 0, "is_featured": 1,
                      "id_menu_categories_1": str(make_menu_category().id),
                      "id_menu_categories_2": 0, "id_menu_categories_3": 0, "dosis": "3mg",
                      "komposisi": "-", "aturan_pakai": "Malam sebelum tidur",
                      "nomor_registrasi": "xxx-xxxxxxxxxx", "produsen": "PT xxxxxxxxxx",
                      "satuan": "gram", "berat": "380"},
    # menu_images/create is multipart: the picture goes beside these fields.
    "menu_images": lambda: {"id_menus": str(make_menu().id)},
    "promotions": lambda: {"type": "POTONGAN", "value": "25000", "quota": "1000",
                           "start_datetime": "20/10/2023 00:00",
                           "expired_datetime": "20/12/2023 23:00", "display_codes": "ULTAH5TH",
                           "title": "Diskon Ulang Tahun!",
                           "description": "Diskon ulang tahun colederma spesial."},
})
