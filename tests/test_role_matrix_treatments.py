"""Who may do what on service categories, services, service images, holidays and delivery
tiers: every route × every role.

The expected statuses are written out below from the clinic's rules, not derived from the
declarations: browsing is public (the mobile app shows services, closed days and delivery
prices before login); the front office (USERS) and managers keep the treatments catalog;
only managers (ADMIN, OWNER) change holidays and delivery tiers. Doctors and customers
change nothing here."""
import io
import itertools
import re
from datetime import date, timedelta

import pytest

from .conftest import make_user, png_bytes
from .factories.treatments import (make_delivery_tier, make_holiday, make_service,
                                   make_service_category, make_service_image)

ROLES = ("anonymous", "CUSTOMER", "DOCTOR", "USERS", "ADMIN", "OWNER")
ANON = "anonymous"
_serial = itertools.count(1)


def E(anonymous, customer, doctor, users, admin, owner):
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, customer, doctor, users, admin, owner)))


MATRIX = {
    #                                                 anon  CUST  DOC   USERS ADMIN OWNER
    # service categories: public reads, office writes (front desk included).
    "POST service_categories/create":                E(401,  403,  403,  200,  200,  200),
    "POST service_categories/explore":               E(200,  200,  200,  200,  200,  200),
    "GET service_categories/explore":                E(200,  200,  200,  200,  200,  200),
    "POST service_categories/search":                E(200,  200,  200,  200,  200,  200),
    "POST service_categories/table":                 E(200,  200,  200,  200,  200,  200),
    "GET service_categories/{?}":                    E(200,  200,  200,  200,  200,  200),
    "PUT service_categories/{?}/update":             E(401,  403,  403,  200,  200,  200),
    "POST service_categories/{?}/update":            E(401,  403,  403,  200,  200,  200),
    "DELETE service_categories/{?}/delete":          E(401,  403,  403,  200,  200,  200),
    "POST service_categories/{?}/uploads":           E(401,  403,  403,  200,  200,  200),
    # services: public reads, office writes.
    "POST services/create":                          E(401,  403,  403,  200,  200,  200),
    "POST services/explore":                         E(200,  200,  200,  200,  200,  200),
    "GET services/explore":                          E(200,  200,  200,  200,  200,  200),
    "POST services/search":                          E(200,  200,  200,  200,  200,  200),
    "POST services/table":                           E(200,  200,  200,  200,  200,  200),
    "GET services/{?}":                              E(200,  200,  200,  200,  200,  200),
    "PUT services/{?}/update":                       E(401,  403,  403,  200,  200,  200),
    "POST services/{?}/update":                      E(401,  403,  403,  200,  200,  200),
    "DELETE services/{?}/delete":                    E(401,  403,  403,  200,  200,  200),
    # service images: public reads, office writes.
    "POST service_images/create":                    E(401,  403,  403,  200,  200,  200),
    "POST service_images/explore":                   E(200,  200,  200,  200,  200,  200),
    "GET service_images/explore":                    E(200,  200,  200,  200,  200,  200),
    "POST service_images/search":                    E(200,  200,  200,  200,  200,  200),
    "POST service_images/table":                     E(200,  200,  200,  200,  200,  200),
    "GET service_images/{?}":                        E(200,  200,  200,  200,  200,  200),
    "PUT service_images/{?}/update":                 E(401,  403,  403,  200,  200,  200),
    "POST service_images/{?}/update":                E(401,  403,  403,  200,  200,  200),
    "DELETE service_images/{?}/delete":              E(401,  403,  403,  200,  200,  200),
    # holidays: public reads (the app shows closed days), manager writes.
    "POST holidays/create":                          E(401,  403,  403,  403,  200,  200),
    "POST holidays/search":                          E(200,  200,  200,  200,  200,  200),
    "POST holidays/table":                           E(200,  200,  200,  200,  200,  200),
    "GET holidays/{?}":                              E(200,  200,  200,  200,  200,  200),
    "PUT holidays/{?}/update":                       E(401,  403,  403,  403,  200,  200),
    "POST holidays/{?}/update":                      E(401,  403,  403,  403,  200,  200),
    "DELETE holidays/{?}/delete":                    E(401,  403,  403,  403,  200,  200),
    # delivery tiers: public reads (the price shows at checkout), manager writes.
    "POST deliveries/create":                        E(401,  403,  403,  403,  200,  200),
    "POST deliveries/explore":                       E(200,  200,  200,  200,  200,  200),
    "GET deliveries/explore":                        E(200,  200,  200,  200,  200,  200),
    "POST deliveries/search":                        E(200,  200,  200,  200,  200,  200),
    "POST deliveries/table":                         E(200,  200,  200,  200,  200,  200),
    "GET deliveries/{?}":                            E(200,  200,  200,  200,  200,  200),
    "PUT deliveries/{?}/update":                     E(401,  403,  403,  403,  200,  200),
    "POST deliveries/{?}/update":                    E(401,  403,  403,  403,  200,  200),
    "DELETE deliveries/{?}/delete":                  E(401,  403,  403,  403,  200,  200),
}

RESOURCES = ("service_categories", "services", "service_images", "holidays", "deliveries")
# The RajaOngkir endpoints of "deliveries" belong to the commerce feature.
COMMERCE = re.compile(r"^deliveries/(provinces|\{\?\}/cities|\{\?\}/districts|calculate.*|settings)$")


def picture():
    return (io.BytesIO(png_bytes()), "foto.png")


def unique_number():
    return next(_serial)


def target(resource):
    """A fresh object of the resource for one call."""
    if resource == "service_categories":
        return make_service_category()
    if resource == "services":
        return make_service()
    if resource == "service_images":
        return make_service_image()
    if resource == "holidays":
        return make_holiday()
    return make_delivery_tier()


def create_call(resource):
    """(keyword arguments of client.open) for a valid create of the resource."""
    number = unique_number()
    if resource == "service_categories":
        return {"json": {"service_categories": f"Kategori {number}", "codes": f"RM{number}",
                         "color": "#123456"}}
    if resource == "services":
        return {"json": {"services_name": f"Layanan {number}", "services_price": 100000,
                         "buffer_time": 30, "id_service_categories": make_service_category().id}}
    if resource == "service_images":
        return {"data": {"id_services": str(make_service().id), "picture": picture()},
                "content_type": "multipart/form-data"}
    if resource == "holidays":
        day = date(2040, 1, 1) + timedelta(days=number)
        return {"json": {"dates": day.strftime("%d/%m/%Y"), "descriptions": "Libur uji"}}
    start = 5000 + number * 10
    return {"json": {"distance_fr": start, "distance_to": start + 10, "price_in_km": 1000}}


def update_call(resource):
    """(keyword arguments of client.open) for a valid update of the resource."""
    return {
        "service_categories": {"json": {"color": "#654321"}},
        "services": {"json": {"services_price": 125000}},
        "service_images": {"json": {"nomor_urut_tampil": 3}},
        "holidays": {"json": {"descriptions": "Diubah"}},
        "deliveries": {"json": {"price_in_km": 7000}},
    }[resource]


def perform(client, headers, route):
    """Call one route with these headers; returns the response."""
    method, path = route.split(" ", 1)
    resource, _, rest = path.partition("/")
    if rest == "create":
        return client.open(f"/api/{resource}/create", method="POST", headers=headers,
                           **create_call(resource))
    if rest in ("explore", "search", "table"):
        target(resource)
        if rest == "table":
            return client.post(f"/api/{resource}/table", headers=headers,
                               data={"draw": "1", "start": "0", "length": "50"})
        if method == "GET":
            return client.get(f"/api/{resource}/explore?page=1&length=50", headers=headers)
        return client.post(f"/api/{resource}/{rest}", headers=headers, json={})
    row = target(resource)
    url = f"/api/{resource}/{row.id}"
    if rest == "{?}":
        return client.get(url, headers=headers)
    if rest == "{?}/update":
        return client.open(url + "/update", method=method, headers=headers,
                           **update_call(resource))
    if rest == "{?}/delete":
        return client.delete(url + "/delete", headers=headers)
    if rest == "{?}/uploads":
        return client.post(url + "/uploads", headers=headers, data={"picture": picture()},
                           content_type="multipart/form-data")
    raise AssertionError(f"no way to call {route}")


@pytest.mark.parametrize("route", list(MATRIX))
def test_role_matrix(client, auth, route):
    headers = {ANON: {}}
    headers.update({role: auth.headers(make_user(roles=(role,))) for role in ROLES if role != ANON})
    failures = []
    for role in ROLES:
        expected = MATRIX[route][role]
        response = perform(client, headers[role], route)
        if response.status_code != expected:
            failures.append(f"{route} as {role}: got {response.status_code}, expected "
                            f"{expected} — {response.get_data(as_text=True)[:200]}")
        elif expected != 200:
            assert response.get_json()["status"] == "error"
    assert not failures, "\n" + "\n".join(failures)


def test_matrix_covers_every_route(app):
    """Every /api route of the five resources has a row, for every method it answers."""
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "{?}", rule.rule.removeprefix("/api/"))
        if not rule.rule.startswith("/api/") or path.split("/")[0] not in RESOURCES:
            continue
        if COMMERCE.match(path):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {path}")
    assert len(routes) == len(MATRIX) == 44
    assert routes == set(MATRIX), (sorted(routes - set(MATRIX)), sorted(set(MATRIX) - routes))
