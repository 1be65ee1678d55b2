"""Conformance seeds of the catalog resources."""
from tests.factories.catalog import (make_menu, make_menu_category, make_menu_image,
                                     make_promotion)

from . import ID_KEYS, MISSING_EXAMPLES, SEEDS, Seed

ID_KEYS.update({"id_menu_categories_1", "id_menu_categories_2", "id_menu_categories_3",
                "id_menu_categories", "id_menus", "id_menu"})


def seed_menu_categories(kind, path, caller):
    if kind == "create":
        return Seed()
    if kind == "delete":
        return Seed(target=make_menu_category())
    make_menu_category(menu_categories="Serum", codes="SR", color="#198754")
    # The documented update sends the code VB: give it to the target itself.
    return Seed(target=make_menu_category(menu_categories="Vitamin Booster", codes="VB",
                                          color="#000AAF"))


def seed_menus(kind, path, caller):
    categories = [make_menu_category() for _ in range(3)]
    if kind in ("create", "update"):
        # Only the first slot carries an id in these examples; the others send 0 (none).
        target = make_menu(categories[0]) if kind == "update" else None
        return Seed(target=target, ids={"id_menu_categories_1": [categories[0].id]})
    if kind == "delete":
        return Seed(target=make_menu(categories[0]))
    # A product matching every documented filter (three categories, not on prescription,
    # featured, a name containing "Art Peel"), with a picture, so lists are not empty.
    menu = make_menu(categories[0], nama_menus="Art Peel Booster Serum",
                     id_menu_categories_2=categories[1].id,
                     id_menu_categories_3=categories[2].id, is_featured=True,
                     is_resep_required=False)
    make_menu_image(menu)
    make_menu(categories[0], nama_menus="Acne Night Cream", is_featured=False)
    ids = [category.id for category in categories]
    return Seed(target=menu, ids={"id_menu_categories_1": [ids[0]],
                                  "id_menu_categories_2": [ids[1]],
                                  "id_menu_categories_3": [ids[2]],
                                  "id_menu_categories": ids})


def seed_menu_images(kind, path, caller):
    menu = make_menu(nama_menus="Chizu Cream Kulit")
    if kind == "create":
        return Seed(ids={"id_menus": [menu.id]})
    image = make_menu_image(menu)
    make_menu_image(menu)
    return Seed(target=image, ids={"id_menus": [menu.id]})


def seed_promotions(kind, path, caller):
    if kind == "create":
        return Seed()
    if kind == "delete":
        return Seed(target=make_promotion())
    make_promotion(current=False, display_codes="LAMA2023", title="Promo lama")
    # The documented filters look for ULTAH5TH "Dikon Ulang Tahun!"; the update sends it too.
    return Seed(target=make_promotion(display_codes="ULTAH5TH", title="Dikon Ulang Tahun!",
                                      description="Diskon ulang tahun colederma spesial."))


SEEDS.update({"menu_categories": seed_menu_categories, "menus": seed_menus,
              "menu_images": seed_menu_images, "promotions": seed_promotions})

# The document shows only the multipart field names of these two.
MISSING_EXAMPLES.update({
    "menu_images/create": {"id_menus": 2},
    "menu_images/{?}/update": {"id_menus": 2, "nomor_urut_tampil": 1},
})
