"""Who may do what with stores (brandstore) and store products (brandstore_menus): every
route × every role × a store shown in the app or a hidden one.

The expected statuses are written out below from the clinic's rules (reads are public, the
app's public shows only stores with is_show=1; writes are for OWNER, ADMIN and USERS); they
are NOT derived from the declarations. A cell is a status, or LISTED / EVERY: 200 and the
list shows exactly the rows of shown stores / of every live store."""
import itertools
import re

import pytest

from models import clinic_now

from .conftest import make_user
from .factories.stores import make_product, make_store, make_store_menu

ROLES = ("anonymous", "CUSTOMER", "DOCTOR", "USERS", "ADMIN", "OWNER")
ANON = "anonymous"
LISTED = "rows of shown stores only"
EVERY = "rows of every live store"
_serial = itertools.count(1)


def E(anonymous, customer, doctor, users, admin, owner):
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, customer, doctor, users, admin, owner)))


MATRIX = {
    #                                                          anon    CUST    DOC     USERS   ADMIN   OWNER
    # stores: anyone reads (hidden stores are staff only); the office writes.
    ("POST brandstore/create", "new"):                       E(401,    403,    403,    200,    200,    200),
    ("POST brandstore/create", "invalid body"):              E(401,    403,    403,    422,    422,    422),
    ("POST brandstore/search", "list"):                      E(LISTED, LISTED, EVERY,  EVERY,  EVERY,  EVERY),
    ("POST brandstore/table", "list"):                       E(LISTED, LISTED, EVERY,  EVERY,  EVERY,  EVERY),
    ("GET brandstore/city", "list"):                         E(LISTED, LISTED, EVERY,  EVERY,  EVERY,  EVERY),
    ("GET brandstore/{?}", "shown"):                         E(200,    200,    200,    200,    200,    200),
    ("GET brandstore/{?}", "hidden"):                        E(404,    404,    200,    200,    200,    200),
    ("PUT brandstore/{?}/update", "shown"):                  E(401,    403,    403,    200,    200,    200),
    ("PUT brandstore/{?}/update", "hidden"):                 E(401,    403,    403,    200,    200,    200),
    ("POST brandstore/{?}/update", "shown"):                 E(401,    403,    403,    200,    200,    200),
    ("DELETE brandstore/{?}/delete", "shown"):               E(401,    403,    403,    200,    200,    200),
    ("DELETE brandstore/{?}/delete", "hidden"):              E(401,    403,    403,    200,    200,    200),

    # store products: same rule.
    ("POST brandstore_menus/create", "new"):                 E(401,    403,    403,    200,    200,    200),
    ("POST brandstore_menus/create/bulk", "new"):            E(401,    403,    403,    200,    200,    200),
    ("POST brandstore_menus/create/bulk", "malformed body"): E(401,    403,    403,    400,    400,    400),
    ("POST brandstore_menus/{?}/duplicates", "shown"):       E(401,    403,    403,    200,    200,    200),
    ("POST brandstore_menus/{?}/duplicates", "hidden"):      E(401,    403,    403,    200,    200,    200),
    ("POST brandstore_menus/explore", "list"):               E(LISTED, LISTED, EVERY,  EVERY,  EVERY,  EVERY),
    ("GET brandstore_menus/explore", "list"):                E(LISTED, LISTED, EVERY,  EVERY,  EVERY,  EVERY),
    ("POST brandstore_menus/search", "list"):                E(LISTED, LISTED, EVERY,  EVERY,  EVERY,  EVERY),
    ("POST brandstore_menus/table", "list"):                 E(LISTED, LISTED, EVERY,  EVERY,  EVERY,  EVERY),
    ("GET brandstore_menus/{?}", "shown"):                   E(200,    200,    200,    200,    200,    200),
    ("GET brandstore_menus/{?}", "hidden"):                  E(404,    404,    200,    200,    200,    200),
    ("DELETE brandstore_menus/{?}/delete", "shown"):         E(401,    403,    403,    200,    200,    200),
    ("DELETE brandstore_menus/{?}/delete", "hidden"):        E(401,    403,    403,    200,    200,    200),
}

RESOURCES = ("brandstore", "brandstore_menus")


class Team:
    """One signed-in user per role, the calls made and every mismatch found."""

    def __init__(self, client, auth):
        self.client = client
        self.headers = {ANON: {}}
        for role in ROLES[1:]:
            self.headers[role] = auth.headers(make_user(roles=(role,)))
        self.failures = []
        self.checked = 0

    def call(self, role, method, url, **kwargs):
        return self.client.open(url, method=method, headers=self.headers[role], **kwargs)

    def check(self, label, role, expected, response, shown_ids=None, every_ids=None, ids=None):
        self.checked += 1
        where = f"{label} as {role}: got {response.status_code}"
        detail = response.get_data(as_text=True)[:200]
        if isinstance(expected, int):
            if response.status_code != expected:
                self.failures.append(f"{where}, expected {expected} — {detail}")
            return
        if response.status_code != 200:
            self.failures.append(f"{where}, expected 200 ({expected}) — {detail}")
            return
        wanted = shown_ids if expected == LISTED else every_ids
        if set(ids) != set(wanted) or len(ids) != len(set(ids)):
            self.failures.append(f"{label} as {role}: {sorted(ids)}, expected {sorted(wanted)}")

    def finish(self):
        assert self.checked, "no cell was checked"
        assert not self.failures, "\n" + "\n".join(self.failures)


def seed_lists():
    """A shown and a hidden store, each selling a product; a deleted store too."""
    shown = make_store(nama="Tampil", city="KOTA BANDUNG")
    hidden = make_store(nama="Tersembunyi", city="KABUPATEN BADUNG", is_show=False)
    make_store(nama="Tutup", city="KOTA MALANG", deleted_at=clinic_now())
    on_shown = make_store_menu(store=shown)
    on_hidden = make_store_menu(store=hidden)
    return shown, hidden, on_shown, on_hidden


def list_ids(path, method, body):
    """What a list answer shows: ids (cities for brandstore/city)."""
    if path == "brandstore/city":
        return [row["city"] for row in body]
    if path.endswith("/table"):
        return [row[0] for row in body["data"]]
    if path.endswith("/search"):
        return [row["id"] for row in next(iter(body.values()))]
    return [row["id"] for row in body["data"]]


def perform(team, role, route, target):
    """Make the call for one cell; returns (response, shown ids, every id, ids answered)."""
    method, path = route.split(" ", 1)
    if target == "list":
        if not hasattr(team, "lists"):
            team.lists = seed_lists()  # once: every role looks at the same rows
        shown, hidden, on_shown, on_hidden = team.lists
        if path.startswith("brandstore/"):
            every, listed = [shown.id, hidden.id], [shown.id]
            if path == "brandstore/city":
                every, listed = ["KOTA BANDUNG", "KABUPATEN BADUNG"], ["KOTA BANDUNG"]
        else:
            every, listed = [on_shown.id, on_hidden.id], [on_shown.id]
        if path == "brandstore/city":
            response = team.call(role, "GET", "/api/brandstore/city")
        elif path.endswith("/table"):
            response = team.call(role, "POST", f"/api/{path}", data={"draw": "1",
                                                                     "length": "100"})
        elif method == "GET":
            response = team.call(role, "GET", f"/api/{path}?page=1&length=100")
        else:
            response = team.call(role, "POST", f"/api/{path}?page=1&length=100", json={})
        ids = list_ids(path, method, response.get_json()) if response.status_code == 200 else []
        return response, listed, every, ids
    if path == "brandstore/create":
        body = {"nama": f"Cabang {next(_serial)}", "alamat": "Jl. Baru 1", "city": "KOTA BOGOR",
                "opentime": "09:00", "closetime": "17:00"}
        if target == "invalid body":
            body["closetime"] = "08:00"
        return team.call(role, "POST", "/api/brandstore/create", json=body), None, None, None
    if path == "brandstore_menus/create":
        return team.call(role, "POST", "/api/brandstore_menus/create", json={
            "idmenu": make_product().id, "idbrandstore": make_store().id}), None, None, None
    if path == "brandstore_menus/create/bulk":
        if target == "malformed body":
            return team.call(role, "POST", "/api/brandstore_menus/create/bulk",
                             json={"idmenu": 1}), None, None, None
        store = make_store()
        return team.call(role, "POST", "/api/brandstore_menus/create/bulk", json=[
            {"idmenu": make_product().id, "idbrandstore": store.id},
            {"idmenu": make_product().id, "idbrandstore": store.id}]), None, None, None
    store = make_store(is_show=target != "hidden")
    if path.startswith("brandstore/"):
        url = f"/api/brandstore/{store.id}"
        if path == "brandstore/{?}":
            return team.call(role, "GET", url), None, None, None
        if path == "brandstore/{?}/update":
            body = {"alamat": "Jl. Diubah 2", "closetime": "21:00"}
            return team.call(role, method, url + "/update", json=body), None, None, None
        if path == "brandstore/{?}/delete":
            return team.call(role, "DELETE", url + "/delete"), None, None, None
    row = make_store_menu(store=store)
    url = f"/api/brandstore_menus/{row.id}"
    if path == "brandstore_menus/{?}":
        return team.call(role, "GET", url), None, None, None
    if path == "brandstore_menus/{?}/duplicates":
        return team.call(role, "POST", url + "/duplicates",
                         json={"idbrandstore": [make_store().id]}), None, None, None
    if path == "brandstore_menus/{?}/delete":
        return team.call(role, "DELETE", url + "/delete"), None, None, None
    raise AssertionError(f"no way to call {route}")


ROUTES = list(dict.fromkeys(route for route, _target in MATRIX))


@pytest.mark.parametrize("route", ROUTES)
def test_role_matrix(client, auth, route):
    team = Team(client, auth)
    for (row_route, target), cells in MATRIX.items():
        if row_route != route:
            continue
        for role in ROLES:
            response, listed, every, ids = perform(team, role, route, target)
            team.check(f"{route} [{target}]", role, cells[role], response, listed, every, ids)
    team.finish()


def test_reads_need_no_token_and_writes_do(client):
    """Spelled out once more for the mobile app before login: no Authorization header."""
    store = make_store()
    row = make_store_menu(store=store)
    for method, url in (("POST", "/api/brandstore/search"), ("GET", "/api/brandstore/city"),
                        ("GET", f"/api/brandstore/{store.id}"),
                        ("POST", "/api/brandstore_menus/explore"),
                        ("GET", "/api/brandstore_menus/explore"),
                        ("POST", "/api/brandstore_menus/search"),
                        ("GET", f"/api/brandstore_menus/{row.id}")):
        assert client.open(url, method=method, json={} if method == "POST" else None) \
            .status_code == 200, url
    for method, url in (("POST", "/api/brandstore/create"),
                        ("PUT", f"/api/brandstore/{store.id}/update"),
                        ("DELETE", f"/api/brandstore/{store.id}/delete"),
                        ("POST", "/api/brandstore_menus/create"),
                        ("POST", "/api/brandstore_menus/create/bulk"),
                        ("POST", f"/api/brandstore_menus/{row.id}/duplicates"),
                        ("DELETE", f"/api/brandstore_menus/{row.id}/delete")):
        response = client.open(url, method=method, json={} if method != "DELETE" else None)
        assert response.status_code == 401, url
        assert response.get_json()["status"] == "error"


def test_matrix_covers_every_route(app):
    """Every /api route of the two resources has rows in the matrix, for every method."""
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
        if not rule.rule.startswith("/api/") or path.split("/")[0] not in RESOURCES:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {path}")
    assert len(routes) >= 17
    assert routes <= set(ROUTES), f"routes without a matrix row: {sorted(routes - set(ROUTES))}"
    assert set(ROUTES) <= routes, f"matrix rows for missing routes: {sorted(set(ROUTES) - routes)}"
