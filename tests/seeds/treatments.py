"""Conformance seeds of service categories, services, service images, holidays, tiers."""
from datetime import date
from types import SimpleNamespace

from tests.factories.treatments import (make_delivery_tier, make_holiday, make_service,
                                        make_service_category, make_service_image)

from . import ID_KEYS, MISSING_EXAMPLES, SEEDS, Seed

ID_KEYS.update({"id_service_categories", "id_services"})


def seed_service_categories(kind, path, caller):
    if kind == "create":
        return Seed()
    if kind == "delete":
        return Seed(target=make_service_category())
    # The documented example uses the code OA01 for its update: give it to the target.
    category = make_service_category(service_categories="Obat Alergi", codes="OA01",
                                     color="#002121")
    return Seed(target=category)


def seed_services(kind, path, caller):
    category = make_service_category(service_categories="UMUM", codes="U", color="#000AAA")
    if kind == "create":
        return Seed(ids={"id_service_categories": [category.id]})
    service = make_service(category, services_name="Cek kolestrol dan gula darah",
                           services_price=100000, buffer_time=30)
    make_service_image(service)
    return Seed(target=service, ids={"id_service_categories": [category.id]})


def seed_service_images(kind, path, caller):
    service = make_service(services_name="Cek kolestrol dan gula darahhhh")
    if kind == "create":
        return Seed(ids={"id_services": [service.id]})
    image = make_service_image(service)
    make_service_image(service)
    return Seed(target=image, ids={"id_services": [service.id]})


def seed_holidays(kind, path, caller):
    if kind == "create":
        return Seed()
    make_holiday(dates=date(2022, 12, 25), descriptions="Hari Raya Natal")
    return Seed(target=make_holiday(dates=date(2022, 6, 1), descriptions="Hari Lahir Pancasila"))


# RajaOngkir's ids of the document's examples: province 1 (Bali), city 114 (Denpasar)
REGION_OF_PATH = {"deliveries/{?}/cities": 1, "deliveries/{?}/districts": 114}


def seed_deliveries(kind, path, caller):
    if path in REGION_OF_PATH:
        return Seed(target=SimpleNamespace(id=REGION_OF_PATH[path]))
    if kind == "create":
        return Seed()
    make_delivery_tier(distance_fr=5, distance_to=10, segment="Range dari 5 s.d 10 KM",
                       price_in_km=20000)
    return Seed(target=make_delivery_tier(distance_fr=0, distance_to=5,
                                          segment="Range dari 0 s.d 5 KM", price_in_km=15000))


SEEDS.update({"service_categories": seed_service_categories, "services": seed_services,
              "service_images": seed_service_images, "holidays": seed_holidays,
              "deliveries": seed_deliveries})

# The document shows only the multipart field names for these two.
MISSING_EXAMPLES.update({
    "service_images/create": {"id_services": 2},
    "service_images/{?}/update": {"id_services": 2},
})
