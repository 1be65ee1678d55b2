"""Who may do what on the catalog API: every route of menu_categories, menus, menu_images and
promotions × every role.

The expectations are written out from the clinic's rules (issue 3), not derived from the
declarations: browsing the catalog is public (the mobile app shows it before login); the
catalog is changed by the office (OWNER, ADMIN, USERS); promotions are changed by managers
(OWNER, ADMIN); the public and customers see only the promotions valid now, staff (doctors
included) see every promotion. A cell is a status, or CURRENT / EVERY (200, and a list that
shows exactly the current promotions / every promotion)."""
import io
import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from models import Promotion, clinic_now

from .conftest import make_user, png_bytes
from .factories.catalog import make_menu, make_menu_category, make_menu_image, make_promotion

ROLES = ("anonymous", "CUSTOMER", "DOCTOR", "USERS", "ADMIN", "OWNER")
ANON = "anonymous"
CURRENT = "current promotions only"
EVERY = "every promotion"
_serial = itertools.count(1)


def E(anonymous, customer, doctor, users, admin, owner):
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, customer, doctor, users, admin, owner)))


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

RESOURCES = ("menu_categories", "menus", "menu_images", "promotions")


class Team:
    """One signed-in user per role (anonymous has no headers)."""

    def __init__(self, client, auth):
        self.client = client
        self.headers = {ANON: {}}
        for role in ROLES[1:]:
            self.headers[role] = auth.headers(make_user(roles=(role,)))
        self.failures = []
        self.checked = 0

    def call(self, role, method, url, **kwargs):
        return self.client.open(url, method=method, headers=self.headers[role], **kwargs)


def picture():
    return (io.BytesIO(png_bytes()), "foto.png")


def promotion_ids(which):
    """Ids of the promotions valid now, or of all of them."""
    db.session.rollback()
    stmt = select(Promotion.id)
    if which == CURRENT:
        now = clinic_now()
        stmt = stmt.where(Promotion.start_datetime <= now, Promotion.expired_datetime >= now)
    return set(db.session.execute(stmt).scalars())


def list_call(team, role, method, resource, kind):
    if kind == "explore" and method == "GET":
        return team.call(role, "GET", f"/api/{resource}/explore?page=1&length=100")
    if kind == "explore":
        return team.call(role, "POST", f"/api/{resource}/explore?page=1&length=100", json={})
    if kind == "search":
        return team.call(role, "POST", f"/api/{resource}/search", json={})
    return team.call(role, "POST", f"/api/{resource}/table",
                     data={"draw": "1", "start": "0", "length": "100"})


def listed_ids(kind, response, resource):
    body = response.get_json()
    if kind == "table":
        return {row[0] for row in body["data"]}
    if kind == "search":
        return {row["id"] for row in body[resource]}
    return {row["id"] for row in body["data"]}


def perform(team, role, route, target):
    """Call one route as `role`; returns the response and, for lists, the listed ids."""
    method, path = route.split(" ", 1)
    resource, *rest = path.split("/")
    kind = rest[-1] if rest else ""
    number = next(_serial)
    if kind in ("explore", "search", "table"):
        if resource == "promotions":
            make_promotion()
            make_promotion(current=False)
        else:
            make_menu_image(make_menu(make_menu_category()))
        response = list_call(team, role, method, resource, kind)
        ids = listed_ids(kind, response, resource) if response.status_code == 200 else None
        return response, ids
    if kind == "create":
        if resource == "menu_categories":
            body = {"menu_categories": f"Kategori {number}", "codes": f"K{number}"}
        elif resource == "menus":
            body = {"nama_menus": f"Produk {number}", "harga": 50000,
                    "id_menu_categories_1": make_menu_category().id}
        elif resource == "promotions":
            body = {"type": "PERSEN", "value": 10, "quota": 5, "display_codes": f"P{number}",
                    "start_datetime": "01/01/2030 00:00", "expired_datetime": "31/01/2030 23:59",
                    "title": "Promo"}
        else:
            return team.call(role, "POST", "/api/menu_images/create", data={
                "id_menus": str(make_menu().id), "picture": picture()},
                content_type="multipart/form-data"), None
        return team.call(role, "POST", f"/api/{resource}/create", json=body), None
    # one object
    if resource == "menu_categories":
        obj = make_menu_category()
        if target == "in use":
            make_menu(obj)
        change = {"color": "#123456"}
    elif resource == "menus":
        obj = make_menu()
        if target == "deleted":
            obj.deleted_at = clinic_now()
            db.session.commit()
        change = {"harga": 99000}
    elif resource == "menu_images":
        obj = make_menu_image()
        change = {"nomor_urut_tampil": 3}
    else:
        now = clinic_now()
        if target == "expired":
            obj = make_promotion(current=False)
        elif target == "not started":
            obj = make_promotion(start_datetime=now + timedelta(days=1),
                                 expired_datetime=now + timedelta(days=5))
        elif target == "already used":
            obj = make_promotion(used=3)
        else:
            obj = make_promotion()
        change = {"title": "Judul baru"}
    url = f"/api/{resource}/{obj.id}"
    if kind == "update":
        return team.call(role, method, url + "/update", json=change), None
    if kind == "delete":
        return team.call(role, "DELETE", url + "/delete"), None
    if kind == "uploads":
        return team.call(role, "POST", url + "/uploads", data={"picture": picture()},
                         content_type="multipart/form-data"), None
    return team.call(role, "GET", url), None


ROUTES = list(dict.fromkeys(route for route, _target in MATRIX))


@pytest.mark.parametrize("route", ROUTES)
def test_catalog_role_matrix(client, auth, route):
    team = Team(client, auth)
    for (row_route, target), cells in MATRIX.items():
        if row_route != route:
            continue
        for role in ROLES:
            expected = cells[role]
            response, ids = perform(team, role, route, target)
            team.checked += 1
            where = f"{route} [{target}] as {role}: got {response.status_code}"
            detail = response.get_data(as_text=True)[:200]
            if isinstance(expected, int):
                if response.status_code != expected:
                    team.failures.append(f"{where}, expected {expected} — {detail}")
                elif expected >= 400:
                    assert response.get_json()["status"] == "error"
            else:
                if response.status_code != 200:
                    team.failures.append(f"{where}, expected 200 ({expected}) — {detail}")
                    continue
                wanted = promotion_ids(expected)
                if ids != wanted:
                    team.failures.append(f"{where}: listed {sorted(ids)}, expected "
                                         f"{sorted(wanted)} ({expected})")
    assert team.checked
    assert not team.failures, "\n" + "\n".join(team.failures)


def test_matrix_covers_every_catalog_route(app):
    """Every /api route of the four resources has rows here, for every method it answers."""
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
        if not rule.rule.startswith("/api/") or path.split("/")[0] not in RESOURCES:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {path}")
    assert len(routes) >= 38
    assert routes <= set(ROUTES), f"routes without a matrix row: {sorted(routes - set(ROUTES))}"
    assert set(ROUTES) <= routes, f"matrix rows for missing routes: {sorted(set(ROUTES) - routes)}"
