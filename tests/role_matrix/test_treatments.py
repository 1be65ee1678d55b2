"""Who may do what on service categories, services, service images, holidays and delivery
tiers: every route × every role.

The expected statuses are written out below from the clinic's rules, not derived from the
declarations: browsing is public (the mobile app shows services, closed days and delivery
prices before login); the front office (USERS) and managers keep the treatments catalog;
only managers (ADMIN, OWNER) change holidays and delivery tiers. Doctors and customers
change nothing here."""
import re
from datetime import date, timedelta

from tests.factories.treatments import (make_delivery_tier, make_holiday, make_service,
                                        make_service_category, make_service_image)

from .base import ROLES, RoleMatrix, next_number, picture, resource_of, row_builder

E = row_builder(ROLES)  # anonymous, CUSTOMER, DOCTOR, USERS, ADMIN, OWNER

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
TARGETS = {"service_categories": make_service_category, "services": make_service,
           "service_images": make_service_image, "holidays": make_holiday,
           "deliveries": make_delivery_tier}


class TestTreatmentsRoleMatrix(RoleMatrix):
    """Service categories, services, service images, holidays and delivery tiers; a fresh
    object for every call."""

    callers = ROLES
    matrix = MATRIX
    resources = RESOURCES
    route_count = 44
    change_bodies = {"service_categories/{?}/update": {"color": "#654321"},
                     "services/{?}/update": {"services_price": 125000},
                     "service_images/{?}/update": {"nomor_urut_tampil": 3},
                     "holidays/{?}/update": {"descriptions": "Diubah"},
                     "deliveries/{?}/update": {"price_in_km": 7000}}

    def covers(self, path):
        """The five resources, without the commerce endpoints of deliveries."""
        return super().covers(path) and not COMMERCE.match(path)

    def seed_list(self, route, target):
        """One row of the resource."""
        TARGETS[resource_of(route)]()

    def target_object(self, caller, route, target):
        """A fresh row of the resource."""
        return TARGETS[resource_of(route)]()

    def create_request(self, caller, resource, target):
        """A valid create of the resource."""
        number = next_number()
        if resource == "service_categories":
            return {"json": {"service_categories": f"Kategori {number}", "codes": f"RM{number}",
                             "color": "#123456"}}
        if resource == "services":
            return {"json": {"services_name": f"Layanan {number}", "services_price": 100000,
                             "buffer_time": 30,
                             "id_service_categories": make_service_category().id}}
        if resource == "service_images":
            return {"data": {"id_services": str(make_service().id), "picture": picture()},
                    "content_type": "multipart/form-data"}
        if resource == "holidays":
            day = date(2040, 1, 1) + timedelta(days=number)
            return {"json": {"dates": day.strftime("%d/%m/%Y"), "descriptions": "Libur uji"}}
        start = 5000 + number * 10
        return {"json": {"distance_fr": start, "distance_to": start + 10, "price_in_km": 1000}}
