"""Walk the documented endpoints (docs/api/endpoints.json) that the app implements and check that
each answers its documented example with 200 and every documented response key.

Which endpoints are implemented is computed from the application's URL map (not from a
hand-written list); the last test checks that the walk really covered the account and
content resources, so an empty or shrunken walk cannot pass silently."""
import copy
import io
import json
import math
import re
import tempfile
from pathlib import Path

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from app import create_app
from app.config import TestingConfig

from services.engine import REGISTRY
from services.engine.paging import anchor_pages

from .seeds import MISSING_EXAMPLES, SEEDS, Seed, substitute_ids
from .conftest import FACTORIES, PASSWORD, png_bytes

SPEC_FILE = Path(__file__).resolve().parents[1] / "docs" / "api" / "endpoints.json"
ENDPOINTS = json.loads(SPEC_FILE.read_text())
PLACEHOLDER = "1"
NEW_PASSWORD = "sandi-baru-2024"

# The resources this walk must cover in full, and the documented endpoints of theirs that
# belong to later features (patient linking).
REQUIRED_RESOURCES = ("users", "roles", "departments", "user_departments", "logs",
                      "static_contents")
# searches whose documented answer shows one row of the `{"<res>": [...]}` list
SEARCH_SHOWS_ONE_ROW = {"orders/search"}
FILE_ACTIONS = {"thread_messages/image": "image", "thread_messages/attachments": "attachments"}
NOT_YET_REQUIRED = re.compile(r"^users/patients/(link|unlink)$")


# ---- which documented endpoints the app implements ------------------------------------
def _rule_as_spec_path(rule: str) -> str:
    """`/api/users/<object_id>/update` -> `users/{?}/update`."""
    return re.sub(r"<[^>]+>", "{?}", rule.removeprefix("/api/"))


def _implemented(adapter, spec_path: str, method: str) -> bool:
    """True when an /api rule answers this documented path and method with the same shape.

    A string converter would also swallow a literal segment (`orders/history` matching
    `orders/<object_id>`), so the matched rule must have the documented shape."""
    url = "/api/" + spec_path.replace("{?}", PLACEHOLDER)
    try:
        rule, _arguments = adapter.match(url, method=method, return_rule=True)
    except (NotFound, MethodNotAllowed, RequestRedirect):
        return False
    return _rule_as_spec_path(rule.rule) == spec_path


def _implemented_endpoints():
    """(spec entry, method) for every documented endpoint with a route in the app."""
    application = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                             UPLOAD_DIR=tempfile.mkdtemp(prefix="colederma-urlmap-"))
    adapter = application.url_map.bind("localhost")
    found = []
    for entry in ENDPOINTS:
        for method in entry["methods"]:
            if _implemented(adapter, entry["path"], method):
                found.append((entry, method))
    return found


IMPLEMENTED = _implemented_endpoints()


def _endpoint_id(item):
    entry, method = item
    return f"{method} {entry['path']}"


# ---- comparing a documented response with the actual one -------------------------------
def missing_keys(documented, actual, where="$"):
    """Paths of documented keys absent from the actual answer (dicts at every level; for
    lists the first documented element against the first actual one, when both exist)."""
    problems = []
    if isinstance(documented, dict):
        if not isinstance(actual, dict):
            return [f"{where}: documented an object, got {type(actual).__name__}"]
        for key, value in documented.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems.extend(missing_keys(value, actual[key], f"{where}.{key}"))
    elif isinstance(documented, list):
        if not isinstance(actual, list):
            return [f"{where}: documented a list, got {type(actual).__name__}"]
        if documented and actual:
            problems.extend(missing_keys(documented[0], actual[0], f"{where}[0]"))
    return problems


def check_explore_envelope(body):
    """The explore envelope of spec/README.md, with its arithmetic."""
    for key in ("page", "totalpage", "length", "displayed", "anchor", "totaldata", "data"):
        assert key in body, f"explore envelope lacks {key!r}: {body}"
    assert body["totalpage"] == math.ceil(body["totaldata"] / body["length"])
    assert body["displayed"] == len(body["data"])
    # a bounded window (README "Bounded reads"): first, current ± 2, last
    assert body["anchor"] == [{"page": n} for n in anchor_pages(body["page"], body["totalpage"])]


def check_convention(kind, resource, entry, body):
    """The envelope of spec/README.md for an endpoint whose example is empty or missing."""
    if kind in ("create", "get", "update"):
        assert set(body) == {resource}, body
        assert isinstance(body[resource], dict) and "id" in body[resource], body
    elif kind == "delete":
        assert body == {"deleted": True}
    elif kind == "explore":
        check_explore_envelope(body)
    elif kind == "search":
        assert set(body) == {resource}, body
        assert isinstance(body[resource], list), body
    elif kind == "table":
        assert {"draw", "recordsTotal", "recordsFiltered", "data"} <= set(body), body
        assert body["draw"] == 3  # echoed from the request
        assert isinstance(body["data"], list) and body["data"], body
        columns = entry.get("table_columns") or []
        for row in body["data"]:
            assert isinstance(row, list), row
            if columns:
                assert len(row) == len(columns), (columns, row)
    else:
        assert isinstance(body, dict) and body, body


# ---- building each call ----------------------------------------------------------------
def endpoint_kind(path: str, method: str) -> str:
    """create / explore / search / table / get / update / delete / upload / custom."""
    parts = path.split("/")
    if len(parts) == 2 and parts[1] in ("create", "explore", "search", "table"):
        return parts[1]
    if len(parts) == 2 and parts[1] == "{?}" and method == "GET":
        return "get"
    if len(parts) == 3 and parts[1] == "{?}" and parts[2] in ("update", "delete", "uploads"):
        return {"uploads": "upload"}.get(parts[2], parts[2])
    if parts[1:] == ["picture", "upload"]:
        return "upload"
    return "custom"


def seed_for(resource, kind, path, caller):
    """The objects an endpoint needs, from the factories."""
    if resource in SEEDS:
        return SEEDS[resource](kind, path, caller)
    factory = FACTORIES.get(resource)
    if factory is None:
        pytest.skip(f"no factory for resource {resource!r}: add one to tests/conftest.py")
    if kind == "create":
        return Seed()
    return Seed(target=factory())


def documented_request(entry):
    """The first documented request example, a deep copy."""
    requests = entry.get("requests") or []
    return copy.deepcopy(requests[0]) if requests else None


# ---- the walk --------------------------------------------------------------------------
@pytest.mark.parametrize("item", IMPLEMENTED, ids=[_endpoint_id(item) for item in IMPLEMENTED])
def test_documented_endpoint_answers_documented_shape(app, client, auth, owner, owner_headers,
                                                      item):
    entry, method = item
    path = entry["path"]
    resource = path.split("/")[0]
    kind = endpoint_kind(path, method)
    assert _implemented(app.url_map.bind("localhost"), path, method)

    seed = seed_for(resource, kind, path, owner)
    body = documented_request(entry)
    if body is None:
        body = copy.deepcopy(MISSING_EXAMPLES.get(path))
    if isinstance(body, (dict, list)):
        body = substitute_ids(body, seed.ids)
    if resource == "patients" and isinstance(body, dict):
        # The document's phone placeholders ("XXXXXXXXXXXXXX", "optional") are no numbers.
        body.update({name: "081234567890" for name in REGISTRY["patients"].phone_inputs
                     if name in body and not any(char.isdigit() for char in str(body[name]))})
    if path == "orders/{?}/checkout" and isinstance(body, dict):
        body["notelp_pemesan"] = "081234567890"  # the document's is "optional kalau beda"
    headers = dict(owner_headers)
    url = "/api/" + path
    for value in seed.path_values or ():
        url = url.replace("{?}", str(value), 1)
    if "{?}" in url:
        assert seed.target is not None, f"no object for {path}"
        url = url.replace("{?}", str(seed.target.id), 1)
    assert "{?}" not in url

    kwargs = {}
    if path == "users/login":
        # Real credentials instead of the document's placeholders.
        body.update(username=seed.target.username, password=PASSWORD)
        headers = {}
        kwargs["json"] = body
    elif path == "users/create":
        # The document's "qwerty" is below the 8-character minimum the clinic requires.
        body.update(password=NEW_PASSWORD, retype_password=NEW_PASSWORD)
        kwargs["json"] = body
    elif path == "users/{?}/update/password":
        body = {"prev_password": PASSWORD, "new_password": NEW_PASSWORD,
                "new_password_confirm": NEW_PASSWORD}
        kwargs["json"] = body
    elif path == "users/{?}/update/password/admin":
        body = {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}
        kwargs["json"] = body
    elif kind == "upload":
        data = {"picture": (io.BytesIO(png_bytes()), "foto.png")}
        if "{?}" not in path:  # <res>/picture/upload names its owner in a form field
            data[REGISTRY[resource].upload.owner_field] = str(seed.target.id)
        kwargs.update(data=data, content_type="multipart/form-data")
    elif path in FILE_ACTIONS:
        # a message with a file: the documented form fields plus the file
        data = {key: str(value) for key, value in (MISSING_EXAMPLES.get(path) or {}).items()}
        data = {key: str(value) for key, value in substitute_ids(data, seed.ids).items()}
        data[FILE_ACTIONS[path]] = (io.BytesIO(png_bytes()), "foto.png")
        kwargs.update(data=data, content_type="multipart/form-data")
    elif kind in ("create", "update") and REGISTRY[resource].file_inputs:
        # Picture resources take multipart: the documented fields plus the picture.
        data = {key: str(value) for key, value in (body or {}).items()}
        data.update({field: (io.BytesIO(png_bytes()), "foto.png")
                     for field in REGISTRY[resource].file_inputs})
        kwargs.update(data=data, content_type="multipart/form-data")
    elif kind == "table":
        kwargs["data"] = {"draw": "3", "start": "0", "length": "10", "search[value]": "",
                          "order[0][column]": "0", "order[0][dir]": "asc"}
    elif kind == "explore" and method == "GET":
        url += "?" + "&".join(f"{k}={v}" for k, v in {**(body or {}), "page": 1,
                                                      "length": 10}.items())
    elif kind == "explore":
        url += "?page=1&length=10"
        kwargs["json"] = body or {}
    elif method in ("POST", "PUT") and body is not None:
        kwargs["json"] = body
    elif kind in ("search",):
        kwargs["json"] = {}
    elif kind == "custom" and method in ("POST", "PUT") and body is None and "{?}" not in path \
            and resource not in SEEDS:
        pytest.skip(f"no request example for custom action {path}")

    response = client.open(url, method=method, headers=headers, **kwargs)
    assert response.status_code == 200, (method, url, body, response.get_json())
    if response.mimetype == "application/pdf":  # orders/{?}/invoices: a document, not JSON
        assert response.data.startswith(b"%PDF-"), response.data[:40]
        return
    actual = response.get_json()
    documented = (entry.get("responses") or [None])[0]
    expected_type = list if isinstance(documented, list) else dict
    assert isinstance(actual, expected_type), response.get_data(as_text=True)[:300]
    text = response.get_data(as_text=True)
    assert "password_hash" not in text and "$argon2" not in text, text[:300]

    if path in SEARCH_SHOWS_ONE_ROW and isinstance(documented, dict):
        documented = {resource: [documented]}  # the example is one row of the list
    if documented:
        problems = missing_keys(documented, actual)
        assert not problems, f"{method} {path}: documented keys absent: {problems}"
    else:
        check_convention(kind, resource, entry, actual)
    if kind == "explore":
        check_explore_envelope(actual)
        assert actual["data"], "the seed should make the documented filter find a row"
    if kind == "search" and isinstance(actual.get(resource), list):
        assert actual[resource], "the seed should make the documented filter find a row"


def test_walk_covered_the_account_and_content_endpoints():
    """The walk above cannot silently shrink: every documented endpoint of these resources
    (except the later features) must have been selected as implemented."""
    expected = {f"{method} {entry['path']}" for entry in ENDPOINTS
                for method in entry["methods"]
                if entry["path"].split("/")[0] in REQUIRED_RESOURCES
                and not NOT_YET_REQUIRED.match(entry["path"])}
    covered = {_endpoint_id(item) for item in IMPLEMENTED}
    assert len(expected) >= 50
    assert expected <= covered, f"not covered: {sorted(expected - covered)}"
