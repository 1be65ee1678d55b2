"""Generic engine behaviour, parametrized over every declared resource."""
import io

import pytest

from services.features import load_declarations

load_declarations()
from services.engine import REGISTRY
from services.engine.paging import anchor_pages
from services.engine.resource import Resource
from tests.conftest import FACTORIES, VALID_CREATE, count_queries, png_bytes
from tests.factories import make_writer

RESOURCES = sorted(REGISTRY)


def make_row(name):
    """One row of a resource that any manager may delete."""
    return FACTORIES[name]()


def valid_create(name):
    """A valid create body for the resource."""
    return VALID_CREATE[name]()


def needs(name, *endpoints):
    """Skip when the document gives the resource none of these endpoints."""
    if not set(endpoints) & set(REGISTRY[name].endpoints):
        pytest.skip(f"{name} has no documented {'/'.join(endpoints)}")


def needs_create(app, name):
    """Skip when the resource has no create route at all (orders open as carts, points come
    from orders): neither the generated one nor a custom action."""
    if not any(rule.rule == f"/api/{name}/create" for rule in app.url_map.iter_rules()):
        pytest.skip(f"{name} has no create route")


def post_create(client, headers, name, body):
    """Create as the app sends it: JSON, or multipart with a picture for resources that take one."""
    file_inputs = REGISTRY[name].file_inputs
    if not file_inputs:
        return client.post(f"/api/{name}/create", headers=headers, json=body)
    data = {key: str(value) for key, value in body.items()}
    data.update({field: (io.BytesIO(png_bytes()), "foto.png") for field in file_inputs})
    return client.post(f"/api/{name}/create", headers=headers, data=data,
                       content_type="multipart/form-data")


def test_every_resource_has_factories():
    assert set(RESOURCES) <= set(FACTORIES) and set(RESOURCES) <= set(VALID_CREATE)


@pytest.mark.parametrize("name", RESOURCES)
def test_explore_envelope_and_paging(client, owner_headers, name):
    needs(name, "explore")
    for _ in range(12):
        make_row(name)
    total = client.post(f"/api/{name}/explore", headers=owner_headers,
                        json={}).get_json()["totaldata"]
    body = client.post(f"/api/{name}/explore?page=2&length=5", headers=owner_headers,
                       json={}).get_json()
    pages = -(-total // 5)
    assert body["page"] == 2 and body["length"] == 5 and body["totalpage"] == pages
    assert body["displayed"] == len(body["data"]) == 5
    assert body["anchor"] == [{"page": number} for number in anchor_pages(2, pages)]
    last = client.post(f"/api/{name}/explore?page={pages}&length=5", headers=owner_headers,
                       json={}).get_json()
    assert last["displayed"] == total - 5 * (pages - 1)
    ids = {row["id"] for row in body["data"]} | {row["id"] for row in last["data"]}
    assert len(ids) == 5 + last["displayed"]
    assert all(isinstance(row["id"], int) for row in body["data"])


@pytest.mark.parametrize("name", RESOURCES)
def test_explore_length_is_capped(app, client, owner_headers, name):
    needs(name, "explore")
    make_row(name)
    body = client.post(f"/api/{name}/explore?length=100000", headers=owner_headers,
                       json={}).get_json()
    assert body["length"] == app.config["PAGE_LENGTH_MAX"]


def test_anchor_is_a_window_of_pages():
    """first, current ± 2, last — ascending, once each (README "Bounded reads")."""
    assert anchor_pages(1, 0) == []
    assert anchor_pages(1, 1) == [1]
    assert anchor_pages(3, 5) == [1, 2, 3, 4, 5]
    assert anchor_pages(1, 12) == [1, 2, 3, 12]
    assert anchor_pages(6, 12) == [1, 4, 5, 6, 7, 8, 12]
    assert anchor_pages(12, 12) == [1, 10, 11, 12]
    assert anchor_pages(19_000, 20_000) == [1, 18_998, 18_999, 19_000, 19_001, 19_002, 20_000]
    assert anchor_pages(40, 12) == [1, 12]  # past the end: the first and the last


def test_explore_anchor_keeps_its_shape_and_stays_bounded(client, owner_headers):
    for _ in range(24):
        make_row("menu_categories")
    total = client.post("/api/menu_categories/explore", headers=owner_headers,
                        json={}).get_json()["totaldata"]
    pages = -(-total // 2)
    assert pages >= 12
    body = client.post("/api/menu_categories/explore?page=6&length=2", headers=owner_headers,
                       json={}).get_json()
    assert body["totalpage"] == pages
    assert body["anchor"] == [{"page": number} for number in (1, 4, 5, 6, 7, 8, pages)]
    last = client.post(f"/api/menu_categories/explore?page={pages}&length=2",
                       headers=owner_headers, json={}).get_json()
    assert last["anchor"] == [{"page": number} for number in (1, pages - 2, pages - 1, pages)]


@pytest.mark.parametrize("name", RESOURCES)
@pytest.mark.parametrize("kind", ["explore", "search", "table"])
def test_lists_run_a_fixed_number_of_queries(client, owner_headers, name, kind):
    needs(name, kind)

    def run(length):
        url = f"/api/{name}/{kind}" + (f"?length={length}" if kind == "explore" else "")
        data = {"draw": "1", "start": "0", "length": str(length)} if kind == "table" else None
        with count_queries() as queries:
            response = client.post(url, headers=owner_headers, data=data,
                                   json=None if data else {})
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        make_row(name)
    run(2)  # the first call of a token records its use; count the steady state
    small = run(2)
    for _ in range(12):
        make_row(name)
    assert run(30) == small


@pytest.mark.parametrize("name", RESOURCES)
def test_search_envelope(client, owner_headers, name):
    needs(name, "search")
    make_row(name)
    body = client.post(f"/api/{name}/search", headers=owner_headers, json={}).get_json()
    if REGISTRY[name].search_paginated:
        assert {"page", "totalpage", "data"} <= set(body)
    else:
        key = REGISTRY[name].envelope("search")
        assert list(body) == [key] and isinstance(body[key], list) and body[key]


@pytest.mark.parametrize("name", RESOURCES)
def test_table_protocol(client, owner_headers, name):
    needs(name, "table")
    for _ in range(4):
        make_row(name)
    resource = REGISTRY[name]
    columns = resource.table_columns
    response = client.post(f"/api/{name}/table", headers=owner_headers, data={
        "draw": "7", "start": "1", "length": "2", "search[value]": "",
        "order[0][column]": "0", "order[0][dir]": "desc"})
    body = response.get_json()
    assert response.status_code == 200
    assert body["draw"] == 7 and isinstance(body["recordsTotal"], int)
    assert body["recordsFiltered"] == body["recordsTotal"] and len(body["data"]) == 2
    assert all(len(row) == len(columns) for row in body["data"])
    ids = [row[0] for row in body["data"]]
    assert ids == sorted(ids, reverse=True)
    for index in range(len(columns)):
        for direction in ("asc", "desc"):
            assert client.post(f"/api/{name}/table", headers=owner_headers, data={
                "draw": "1", "order[0][column]": str(index),
                "order[0][dir]": direction}).status_code == 200
    as_json = client.post(f"/api/{name}/table", headers=owner_headers, json={
        "draw": 2, "start": 0, "length": 1, "order": [{"column": 0, "dir": "asc"}]}).get_json()
    assert as_json["draw"] == 2 and len(as_json["data"]) == 1


@pytest.mark.parametrize("name", RESOURCES)
def test_table_global_search_and_bad_column(client, owner_headers, name):
    needs(name, "table")
    make_row(name)
    nothing = client.post(f"/api/{name}/table", headers=owner_headers, data={
        "draw": "1", "search[value]": "zz-tidak-ada-zz"}).get_json()
    assert nothing["recordsFiltered"] == 0 and nothing["data"] == []
    bad = client.post(f"/api/{name}/table", headers=owner_headers, data={
        "draw": "1", "order[0][column]": "99"})
    assert bad.status_code == 422


@pytest.mark.parametrize("name", RESOURCES)
def test_get_update_delete_round_trip(client, owner, owner_headers, name):
    needs(name, "get")
    row = make_row(name)
    make_writer(name, owner, row)
    got = client.get(f"/api/{name}/{row.id}", headers=owner_headers)
    assert got.status_code == 200
    assert got.get_json()[REGISTRY[name].envelope("get")]["id"] == row.id
    if "delete" not in REGISTRY[name].endpoints:  # read-only (notifications)
        return
    deleted = client.delete(f"/api/{name}/{row.id}/delete", headers=owner_headers)
    assert deleted.get_json() == {"deleted": True}
    assert client.get(f"/api/{name}/{row.id}", headers=owner_headers).status_code == 404
    assert client.delete(f"/api/{name}/{row.id}/delete", headers=owner_headers).status_code == 404


@pytest.mark.parametrize("name", RESOURCES)
def test_unknown_and_malformed_ids_are_404(client, owner_headers, name):
    assert client.get(f"/api/{name}/999999", headers=owner_headers).status_code == 404
    assert client.get(f"/api/{name}/abc", headers=owner_headers).status_code == 404
    assert client.put(f"/api/{name}/999999/update", headers=owner_headers,
                      json={}).status_code == 404


@pytest.mark.parametrize("name", RESOURCES)
def test_create_accepts_numbers_as_strings_and_answers_the_envelope(app, client, owner,
                                                                   owner_headers, name):
    needs_create(app, name)
    body = valid_create(name)
    make_writer(name, owner, body)
    response = post_create(client, owner_headers, name, body)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert list(body) == [REGISTRY[name].envelope("create")]
    assert isinstance(body[REGISTRY[name].envelope("create")]["id"], int)


@pytest.mark.parametrize("name", RESOURCES)
def test_every_text_input_has_its_column_length(client, owner_headers, name):
    resource: Resource = REGISTRY[name]
    columns = resource.columns()

    for field in resource.inputs:
        length = getattr(columns[field].type, "length", None)
        if not length:
            continue
        body = valid_create(name)
        body[field] = "a" * (length + 1)
        response = post_create(client, owner_headers, name, body)
        assert response.status_code == 422, (field, response.get_json())
        assert field in response.get_json()["exception"]["fields"]


@pytest.mark.parametrize("name", RESOURCES)
def test_required_fields_and_bad_bodies(app, client, owner_headers, name):
    needs_create(app, name)
    missing = client.post(f"/api/{name}/create", headers=owner_headers, json={})
    assert missing.status_code in (400, 422)
    if missing.status_code == 422:
        assert set(REGISTRY[name].required) <= set(missing.get_json()["exception"]["fields"])
    for bad in ("[1, 2]", "not json", '"text"'):
        response = client.post(f"/api/{name}/create", headers={
            **owner_headers, "Content-Type": "application/json"}, data=bad)
        assert response.status_code == 400, bad
        assert response.get_json()["status"] == "error"


@pytest.mark.parametrize("name", RESOURCES)
def test_bad_filter_values_are_422_not_500(client, owner_headers, name):
    resource = REGISTRY[name]
    integer_filters = [key for key, flt in resource.filters.items()
                       if flt.column is not None and flt.op == "eq"
                       and flt.column.type.python_type in (int, bool)]
    listing = "explore" if "explore" in resource.endpoints else "search"
    for key in integer_filters:
        response = client.post(f"/api/{name}/{listing}", headers=owner_headers,
                               json={key: "bukan-angka"})
        assert response.status_code == 422, key
    if listing == "explore":
        assert client.post(f"/api/{name}/explore?page=abc", headers=owner_headers,
                           json={}).status_code == 422


def test_rich_text_is_sanitized(client, owner_headers):
    response = client.post("/api/static_contents/create", headers=owner_headers, json={
        "type": "about-us", "contents": '<p style="color: red">Hai<script>alert(1)</script>'
                                        '<img src="x" onerror="alert(2)"></p>'})
    contents = response.get_json()["static_contents"]["contents"]
    assert "<script" not in contents and "onerror" not in contents and "Hai" in contents
    assert 'style="color:red"' in contents


@pytest.mark.parametrize("name", RESOURCES)
def test_huge_numbers_are_refused_not_500(client, owner_headers, name):
    needs(name, "table")
    huge = 10 ** 23
    listing = "explore" if "explore" in REGISTRY[name].endpoints else "search"
    if listing == "explore":
        assert client.post(f"/api/{name}/explore?page={huge}", headers=owner_headers,
                           json={}).status_code == 422
    assert client.post(f"/api/{name}/table", headers=owner_headers,
                       data={"draw": "1", "start": str(huge)}).status_code == 422
    assert client.get(f"/api/{name}/{huge}", headers=owner_headers).status_code == 404
    for key, flt in REGISTRY[name].filters.items():
        if flt.column is not None and flt.op == "eq" and flt.column.type.python_type is int:
            response = client.post(f"/api/{name}/{listing}", headers=owner_headers,
                                   json={key: huge})
            assert response.status_code == 422, key
    body = VALID_CREATE[name]()
    for field in REGISTRY[name].inputs:
        column = REGISTRY[name].columns()[field]
        if column.type.python_type is int and not column.foreign_keys:
            response = post_create(client, owner_headers, name, {**body, field: huge})
            assert response.status_code == 422, field
