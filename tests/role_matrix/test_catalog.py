"""Who may do what on the catalog API: every route of menu_categories, menus, menu_images and
promotions × every role.

The expectations are written out from the clinic's rules (issue 3), not derived from the
declarations: browsing the catalog is public (the mobile app shows it before login); the
catalog is changed by the office (OWNER, ADMIN, USERS); promotions are changed by managers
(OWNER, ADMIN); the public and customers see only the promotions valid now, staff (doctors
included) see every promotion. A cell is a status, or CURRENT / EVERY (200, and a list that
shows exactly the current promotions / every promotion)."""
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from models import Promotion, clinic_now
from tests.factories.catalog import (make_menu, make_menu_category, make_menu_image,
                                     make_promotion)

from .base import ROLES, RoleMatrix, Rows, next_number, picture, resource_of, row_builder

E = row_builder(ROLES)  # anonymous, CUSTOMER, DOCTOR, USERS, ADMIN, OWNER
CURRENT = Rows("current", name="current promotions only")
EVERY = Rows("every", name="every promotion")

READ = E(200, 200, 200, 200, 200, 200)
OFFICE_WRITE = E(401, 403, 403, 200, 200, 200)
MANAGER_WRITE = E(401, 403, 403, 403, 200, 200)

MATRIX = {
    #                                                  anon  CUST  DOC   USERS ADMIN OWNER
    ("POST menu_categories/create", "new"):            OFFICE_WRITE,
    ("POST menu_categories/explore", "list"):          READ,
    ("GET menu_categories/explore", "list"):           READ,
    ("POST menu_categories/search", "list"):           READ,
    ("POST menu_categories/table", "list"):            READ,
    ("GET menu_categories/{?}", "one"):                READ,
    ("PUT menu_categories/{?}/update", "one"):         OFFICE_WRITE,
    ("POST menu_categories/{?}/update", "one"):        OFFICE_WRITE,
    ("DELETE menu_categories/{?}/delete", "one"):      OFFICE_WRITE,
    ("DELETE menu_categories/{?}/delete", "in use"):   E(401, 403, 403, 409, 409, 409),
    ("POST menu_categories/{?}/uploads", "one"):       OFFICE_WRITE,

    ("POST menus/create", "new"):                      OFFICE_WRITE,
    ("POST menus/explore", "list"):                    READ,
    ("GET menus/explore", "list"):                     READ,
    ("POST menus/search", "list"):                     READ,
    ("POST menus/table", "list"):                      READ,
    ("GET menus/{?}", "one"):                          READ,
    ("GET menus/{?}", "deleted"):                      E(404, 404, 404, 404, 404, 404),
    ("PUT menus/{?}/update", "one"):                   OFFICE_WRITE,
    ("POST menus/{?}/update", "one"):                  OFFICE_WRITE,
    ("DELETE menus/{?}/delete", "one"):                OFFICE_WRITE,

    ("POST menu_images/create", "new"):                OFFICE_WRITE,
    ("POST menu_images/explore", "list"):              READ,
    ("GET menu_images/explore", "list"):               READ,
    ("POST menu_images/search", "list"):               READ,
    ("POST menu_images/table", "list"):                READ,
    ("GET menu_images/{?}", "one"):                    READ,
    ("PUT menu_images/{?}/update", "one"):             OFFICE_WRITE,
    ("POST menu_images/{?}/update", "one"):            OFFICE_WRITE,
    ("DELETE menu_images/{?}/delete", "one"):          OFFICE_WRITE,

    ("POST promotions/create", "new"):                 MANAGER_WRITE,
    ("POST promotions/explore", "list"):               E(CURRENT, CURRENT, EVERY, EVERY, EVERY, EVERY),
    ("GET promotions/explore", "list"):                E(CURRENT, CURRENT, EVERY, EVERY, EVERY, EVERY),
    ("POST promotions/search", "list"):                E(CURRENT, CURRENT, EVERY, EVERY, EVERY, EVERY),
    ("POST promotions/table", "list"):                 E(CURRENT, CURRENT, EVERY, EVERY, EVERY, EVERY),
    ("GET promotions/{?}", "current"):                 READ,
    ("GET promotions/{?}", "expired"):                 E(404, 404, 200, 200, 200, 200),
    ("GET promotions/{?}", "not started"):             E(404, 404, 200, 200, 200, 200),
    ("PUT promotions/{?}/update", "current"):          MANAGER_WRITE,
    ("POST promotions/{?}/update", "current"):         MANAGER_WRITE,
    ("DELETE promotions/{?}/delete", "current"):       MANAGER_WRITE,
    ("DELETE promotions/{?}/delete", "already used"):  E(401, 403, 403, 403, 409, 409),
    ("POST promotions/{?}/uploads", "current"):        MANAGER_WRITE,
}


class TestCatalogRoleMatrix(RoleMatrix):
    """Menu categories, menus, menu images and promotions; a fresh object for every call."""

    callers = ROLES
    matrix = MATRIX
    resources = ("menu_categories", "menus", "menu_images", "promotions")
    route_count = 38
    change_bodies = {"menu_categories/{?}/update": {"color": "#123456"},
                     "menus/{?}/update": {"harga": 99000},
                     "menu_images/{?}/update": {"nomor_urut_tampil": 3},
                     "promotions/{?}/update": {"title": "Judul baru"}}

    def covers(self, path):
        """The catalog, without the prescription requests (consultations' matrix)."""
        return super().covers(path) and path != "menus/prescriptions/requests"

    def seed_list(self, route, target):
        """A current and an expired promotion, or a menu image (of a menu, of a category)."""
        if resource_of(route) == "promotions":
            make_promotion()
            make_promotion(current=False)
        else:
            make_menu_image(make_menu(make_menu_category()))

    def row_ids(self, label, caller, route):
        """Ids of the promotions valid now ("current"), or of all of them ("every")."""
        db.session.rollback()
        stmt = select(Promotion.id)
        if label == "current":
            now = clinic_now()
            stmt = stmt.where(Promotion.start_datetime <= now, Promotion.expired_datetime >= now)
        return set(db.session.execute(stmt).scalars())

    def create_request(self, caller, resource, target):
        """A valid create of the resource."""
        number = next_number()
        if resource == "menu_categories":
            return {"json": {"menu_categories": f"Kategori {number}", "codes": f"K{number}"}}
        if resource == "menus":
            return {"json": {"nama_menus": f"Produk {number}", "harga": 50000,
                             "id_menu_categories_1": make_menu_category().id}}
        if resource == "promotions":
            return {"json": {"type": "PERSEN", "value": 10, "quota": 5,
                             "display_codes": f"P{number}", "title": "Promo",
                             "start_datetime": "01/01/2030 00:00",
                             "expired_datetime": "31/01/2030 23:59"}}
        return {"data": {"id_menus": str(make_menu().id), "picture": picture()},
                "content_type": "multipart/form-data"}

    def target_object(self, caller, route, target):
        """One object of the resource, in the state the target names."""
        resource = resource_of(route)
        if resource == "menu_categories":
            category = make_menu_category()
            if target == "in use":
                make_menu(category)
            return category
        if resource == "menus":
            menu = make_menu()
            if target == "deleted":
                menu.deleted_at = clinic_now()
                db.session.commit()
            return menu
        if resource == "menu_images":
            return make_menu_image()
        now = clinic_now()
        if target == "expired":
            return make_promotion(current=False)
        if target == "not started":
            return make_promotion(start_datetime=now + timedelta(days=1),
                                  expired_datetime=now + timedelta(days=5))
        if target == "already used":
            return make_promotion(used=3)
        return make_promotion()
