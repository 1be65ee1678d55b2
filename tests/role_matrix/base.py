"""One base for the role-matrix tests: callers × routes × targets → the expected answer.

A feature's matrix subclasses `RoleMatrix`, the way NetBox's API tests subclass its generic
view tests, and gives only what is its own:

- `callers`, and `people()`: who calls (anonymous has no token; everyone else signs in
  through users/login), when they are more than one plain account per role;
- `matrix`: the table of expectations, one row per route (or per (route, target)) built with
  `row_builder(callers)`; the cells are written out from the clinic's rules, never derived
  from the declarations (that would only test the declarations against themselves);
- the targets: `target_object()` builds the object a call is about (the caller's own or a
  foreign one), `seed_list()` the rows a list call should (not) show, `row_ids()` which of
  them a `Rows` cell names;
- the request bodies: `create_request()`, `change_request()` (or `change_bodies`), and
  `custom_calls` for the routes that are not one of the engine's generic shapes;
- `resources` / `covers()` and `route_count`: which /api routes the matrix must cover.

A cell is a status, a set of acceptable refusals (`EITHER`: 403 or 404), `Rows(...)` (200 and
a list showing exactly — or including / excluding — the named rows) or `NA` (the combination
does not exist, e.g. anonymous × own object). The base makes every call, compares every
answer with its cell and collects all mismatches of a row before failing; on top of the
table it checks, for every matrix, that a refusal carries the error envelope and that no
answer discloses a password hash (`password_hash`, `$argon2`, a stored hash) or a stored
token hash."""
import io
import itertools
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from models import User, UserToken
from tests.conftest import make_user, png_bytes

ANON = "anonymous"
ROLES = (ANON, "CUSTOMER", "DOCTOR", "USERS", "ADMIN", "OWNER")
NA = None
EITHER = frozenset({403, 404})  # refused, whether by hiding (404) or by saying so (403)
LIST_KINDS = ("explore", "search", "table")
LIST_LENGTH = "100"
SECRET_WORDS = ("password_hash", "$argon2")
_serial = itertools.count(1)


def next_number():
    """A number not used before in this test run (for unique names and codes)."""
    return next(_serial)


def picture():
    """A small real PNG as a multipart file."""
    return (io.BytesIO(png_bytes()), "foto.png")


def plain_users(*roles):
    """One new account per role, holding that role only."""
    return {role: make_user(roles=(role,)) for role in roles}


def row_builder(callers):
    """The `E(...)` of a table: one cell per caller, in the order of `callers`."""
    def row(*cells):
        """One row of the matrix, in the order of the callers."""
        assert len(cells) == len(callers), f"{len(cells)} cells for {len(callers)} callers"
        return dict(zip(callers, cells))
    return row


class Rows:
    """A list cell: 200, and the list shows the rows of these labels — exactly those rows
    (match="exactly", each once), at least them ("includes") or none of them ("excludes").
    Which ids a label stands for is the feature's `row_ids()`."""

    MATCHES = ("exactly", "includes", "excludes")

    def __init__(self, *labels, match="exactly", name=None):
        assert labels and match in self.MATCHES
        self.labels = labels
        self.match = match
        self.name = name or " + ".join(labels)

    def __repr__(self):
        return f"Rows({self.name}, {self.match})"

    def problem(self, listed, wanted):
        """What is wrong with a list showing `listed` when the labels stand for `wanted`."""
        shown = set(listed)
        if self.match == "includes":
            missing = wanted - shown
            return f"misses {sorted(missing)}" if missing else None
        if self.match == "excludes":
            visible = wanted & shown
            return f"shows {sorted(visible)}" if visible else None
        if shown != wanted or len(listed) != len(shown):
            return f"shows {sorted(listed)}, expected exactly {sorted(wanted)}"
        return None


def resource_of(route):
    """The resource a route belongs to: "POST users/{?}/update" → "users"."""
    return route.split(" ", 1)[1].split("/")[0]


def row_label(route, target):
    """How a row is named in test ids and messages."""
    return route if target is None else f"{route} [{target}]"


class RoleMatrix:
    """Generic role-matrix test case: one test per row of `matrix`, each making the call of
    every caller's cell, and a test that the matrix covers every route of its resources."""

    callers = ROLES
    matrix = {}
    resources = ()
    route_count = None
    change_bodies = {}  # path → JSON body of a `{?}/<action>` call (none when absent)
    custom_calls = {}   # path → function(self, caller, method, target) → response
    search_keys = {}    # resource → the key of its search answer, when not its name

    # ---- collection -----------------------------------------------------------------------
    @classmethod
    def rows(cls):
        """The rows of the matrix as (route, target); target None for route-only keys."""
        return [(key, None) if isinstance(key, str) else key for key in cls.matrix]

    def pytest_generate_tests(self, metafunc):
        """One test per row of the matrix."""
        if "row" in metafunc.fixturenames:
            rows = self.rows()
            metafunc.parametrize("row", rows, ids=[row_label(*row) for row in rows])

    @pytest.fixture(autouse=True)
    def _clients(self, client, auth):
        """The test client and the sign-in helper, for every test of the class."""
        self.client = client
        self.auth = auth

    # ---- the tests ------------------------------------------------------------------------
    def test_role_matrix(self, row):
        """Every caller gets the answer the table gives for this row."""
        route, target = row
        self.sign_in()
        self.setup()
        cells = self.matrix[route if target is None else (route, target)]
        for caller in self.callers:
            expected = cells[caller]
            if expected is NA:
                continue
            self.before_call(caller)
            response = self.perform(caller, route, target)
            self.check(caller, route, expected, response, label=row_label(route, target))
        self.finish()

    def test_matrix_covers_every_route(self, app):
        """Every /api route of the resources has rows in the matrix, for every method it
        answers, and the matrix names no route that does not exist."""
        routes = set()
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/api/"):
                continue
            path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
            if not self.covers(path):
                continue
            routes.update(f"{method} {path}" for method in rule.methods - {"HEAD", "OPTIONS"})
        covered = {route for route, _target in self.rows()}
        assert routes <= covered, f"routes without a matrix row: {sorted(routes - covered)}"
        assert covered <= routes, f"matrix rows for missing routes: {sorted(covered - routes)}"
        assert len(routes) == self.route_count, f"{len(routes)} routes, expected {self.route_count}"

    # ---- hooks a feature gives ------------------------------------------------------------
    def people(self):
        """The signed-in callers by name (default: one plain account per role)."""
        return plain_users(*(caller for caller in self.callers if caller != ANON))

    def setup(self):
        """Build what every call of a row shares, once the callers are signed in."""

    def before_call(self, caller):
        """Prepare the call of one caller's cell."""

    def covers(self, path):
        """Whether an /api path (with `{?}` for ids) belongs to this matrix."""
        return path.split("/")[0] in self.resources

    def seed_list(self, route, target):
        """Make the rows a list call is expected to show or hide."""

    def row_ids(self, label, caller, route):
        """The ids a `Rows` label stands for, for this caller and list route."""
        raise AssertionError(f"no rows labelled {label!r}")

    def create_request(self, caller, resource, target):
        """Keyword arguments of `client.open` for `POST <resource>/create`."""
        raise AssertionError(f"no create request for {resource}")

    def target_object(self, caller, route, target):
        """The object (with an `id`) a `<resource>/{?}…` call is about."""
        raise AssertionError(f"no target for {route} [{target}]")

    def change_request(self, caller, path, target, obj):
        """Keyword arguments of `client.open` for a `<resource>/{?}/<action>` call."""
        body = self.change_bodies.get(path)
        return {} if body is None else {"json": body}

    def listed_ids(self, route, body):
        """The ids a list answer shows, in order (repeats kept)."""
        resource, _, kind = route.split(" ", 1)[1].partition("/")
        if kind == "table":
            return [row[0] for row in body["data"]]
        if kind == "search":
            return [row["id"] for row in body[self.search_keys.get(resource, resource)]]
        return [row["id"] for row in body["data"]]

    # ---- calls ------------------------------------------------------------------------------
    def sign_in(self):
        """Sign every caller in once for the test; start with no answers and no failures."""
        self.users = self.people()
        self.headers = {ANON: {}}
        self.headers.update({caller: self.auth.headers(user)
                             for caller, user in self.users.items()})
        self.answers = []
        self.failures = []
        self.checked = 0

    def call(self, caller, method, url, headers=None, **kwargs):
        """Call the API as `caller` (or with these headers), keeping the answer's text."""
        response = self.client.open(url, method=method, headers=(
            self.headers[caller] if headers is None else headers), **kwargs)
        self.answers.append((f"{method} {url} as {caller}", response.get_data(as_text=True)))
        return response

    def list_call(self, caller, method, resource, kind):
        """Call one of the engine's list routes (explore, search, table) for a long page."""
        if kind == "table":
            return self.call(caller, "POST", f"/api/{resource}/table",
                             data={"draw": "1", "start": "0", "length": LIST_LENGTH})
        if kind == "search":
            return self.call(caller, "POST", f"/api/{resource}/search", json={})
        url = f"/api/{resource}/explore?page=1&length={LIST_LENGTH}"
        if method == "GET":
            return self.call(caller, "GET", url)
        return self.call(caller, "POST", url, json={})

    def perform(self, caller, route, target):
        """Make the call of one cell: a custom call, or the engine's shape of the route."""
        method, path = route.split(" ", 1)
        if path in self.custom_calls:
            return self.custom_calls[path](self, caller, method, target)
        resource, _, rest = path.partition("/")
        if rest in LIST_KINDS:
            self.seed_list(route, target)
            return self.list_call(caller, method, resource, rest)
        if rest == "create":
            return self.call(caller, "POST", f"/api/{resource}/create",
                             **self.create_request(caller, resource, target))
        if not rest.startswith("{?}"):
            raise AssertionError(f"no way to call {route}")
        obj = self.target_object(caller, route, target)
        url = f"/api/{resource}/{obj.id}"
        if rest == "{?}":
            return self.call(caller, "GET", url)
        if rest == "{?}/delete":
            return self.call(caller, "DELETE", url + "/delete")
        if rest == "{?}/uploads":
            return self.call(caller, "POST", url + "/uploads", data={"picture": picture()},
                             content_type="multipart/form-data")
        return self.call(caller, method, url + rest.removeprefix("{?}"),
                         **self.change_request(caller, path, target, obj))

    # ---- checks -----------------------------------------------------------------------------
    def mismatch(self, message):
        """Remember one failure; the row fails with all of them at the end."""
        self.failures.append(message)

    def check(self, caller, route, expected, response, label=None):
        """Compare one answer with its cell (a status, a set of refusals or `Rows`)."""
        self.checked += 1
        status = response.status_code
        where = f"{label or route} as {caller}: got {status}"
        detail = response.get_data(as_text=True)[:200]
        if isinstance(expected, Rows):
            if status != 200:
                self.mismatch(f"{where}, expected 200 ({expected.name}) — {detail}")
                return
            listed = self.listed_ids(route, response.get_json())
            wanted = set().union(*(self.row_ids(name, caller, route)
                                   for name in expected.labels))
            problem = expected.problem(listed, wanted)
            if problem:
                self.mismatch(f"{label or route} as {caller}: the list {problem} "
                              f"({expected.name})")
            return
        if isinstance(expected, frozenset):
            assert 200 not in expected, f"{label}: a set of statuses is for refusals"
            if status not in expected:
                self.mismatch(f"{where}, expected one of {sorted(expected)} — {detail}")
                return
        elif isinstance(expected, int):
            if status != expected:
                self.mismatch(f"{where}, expected {expected} — {detail}")
                return
        else:
            raise TypeError(f"bad cell {expected!r}")
        if status >= 400 and (response.get_json(silent=True) or {}).get("status") != "error":
            self.mismatch(f"{where} without the error envelope — {detail}")

    def finish(self):
        """Fail with every mismatch at once, and if any answer disclosed a secret."""
        db.session.expire_all()
        secrets = set(db.session.execute(select(User.password_hash)).scalars())
        secrets |= set(db.session.execute(select(UserToken.token_hash)).scalars())
        secrets -= {None, ""}
        leaks = []
        for label, text in self.answers:
            leaks += [f"{label}: contains {word!r}" for word in SECRET_WORDS if word in text]
            if any(secret in text for secret in secrets):
                leaks.append(f"{label}: contains a stored hash")
        assert self.checked, "no cell was checked"
        assert not leaks, "\n".join(leaks)
        assert not self.failures, "\n" + "\n".join(self.failures)
