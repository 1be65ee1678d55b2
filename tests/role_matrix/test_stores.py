"""Who may do what with stores (brandstore) and store products (brandstore_menus): every
route × every role × a store shown in the app or a hidden one.

The expected statuses are written out below from the clinic's rules (reads are public, the
app's public shows only stores with is_show=1; writes are for OWNER, ADMIN and USERS); they
are NOT derived from the declarations. A cell is a status, or LISTED / EVERY: 200 and the
list shows exactly the rows of shown stores / of every live store."""
from models import clinic_now
from tests.factories.stores import make_product, make_store, make_store_menu

from .base import ROLES, RoleMatrix, Rows, next_number, resource_of, row_builder

E = row_builder(ROLES)  # anonymous, CUSTOMER, DOCTOR, USERS, ADMIN, OWNER
LISTED = Rows("shown", name="rows of shown stores only")
EVERY = Rows("shown", "hidden", name="rows of every live store")

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


class TestStoresRoleMatrix(RoleMatrix):
    """Stores and store products; the lists look at one shown, one hidden and one deleted
    store (each live one selling a product), made once for every caller."""

    callers = ROLES
    matrix = MATRIX
    resources = ("brandstore", "brandstore_menus")
    route_count = 17
    search_keys = {"brandstore_menus": "brandstoremenus"}  # as the API document names it
    change_bodies = {"brandstore/{?}/update": {"alamat": "Jl. Diubah 2", "closetime": "21:00"}}

    def setup(self):
        """The rows of the lists are made on the first list call."""
        self.lists = None

    def seed_list(self, route, target):
        """A shown and a hidden store, each selling a product; a deleted store too (once:
        every caller looks at the same rows)."""
        if self.lists is not None:
            return
        shown = make_store(nama="Tampil", city="KOTA BANDUNG")
        hidden = make_store(nama="Tersembunyi", city="KABUPATEN BADUNG", is_show=False)
        make_store(nama="Tutup", city="KOTA MALANG", deleted_at=clinic_now())
        self.lists = {"shown": (shown, make_store_menu(store=shown)),
                      "hidden": (hidden, make_store_menu(store=hidden))}

    def row_ids(self, label, caller, route):
        """The store of the label (its city for brandstore/city), or the product it sells."""
        store, product = self.lists[label]
        if route == "GET brandstore/city":
            return {store.city}
        return {store.id if resource_of(route) == "brandstore" else product.id}

    def listed_ids(self, route, body):
        """brandstore/city answers the cities; the other lists rows."""
        if route == "GET brandstore/city":
            return [row["city"] for row in body]
        return super().listed_ids(route, body)

    def create_request(self, caller, resource, target):
        """A new store (closing before it opens for "invalid body"), or a product of a store."""
        if resource == "brandstore_menus":
            return {"json": {"idmenu": make_product().id, "idbrandstore": make_store().id}}
        body = {"nama": f"Cabang {next_number()}", "alamat": "Jl. Baru 1", "city": "KOTA BOGOR",
                "opentime": "09:00", "closetime": "17:00"}
        if target == "invalid body":
            body["closetime"] = "08:00"
        return {"json": body}

    def target_object(self, caller, route, target):
        """A shown or hidden store, or a product it sells."""
        store = make_store(is_show=target != "hidden")
        if resource_of(route) == "brandstore":
            return store
        return make_store_menu(store=store)

    def change_request(self, caller, path, target, obj):
        """Duplicating a product goes to a new store."""
        if path == "brandstore_menus/{?}/duplicates":
            return {"json": {"idbrandstore": [make_store().id]}}
        return super().change_request(caller, path, target, obj)

    def cities(self, caller, method, target):
        """GET brandstore/city."""
        self.seed_list("GET brandstore/city", target)
        return self.call(caller, "GET", "/api/brandstore/city")

    def create_bulk(self, caller, method, target):
        """POST brandstore_menus/create/bulk: two products of a store, or a malformed body."""
        if target == "malformed body":
            body = {"idmenu": 1}
        else:
            store = make_store()
            body = [{"idmenu": make_product().id, "idbrandstore": store.id},
                    {"idmenu": make_product().id, "idbrandstore": store.id}]
        return self.call(caller, "POST", "/api/brandstore_menus/create/bulk", json=body)

    custom_calls = {"brandstore/city": cities, "brandstore_menus/create/bulk": create_bulk}


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
