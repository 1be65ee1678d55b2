"""Conformance seeds of shipping: deliveries/calculate needs an order of the caller with
weighed products; orders/{?}/process/courier, process/sameday/courier and unprocess/courier
need an open cart bound for a city, and delivery tiers that reach the document's point.

Imported after the other seed modules: it wraps the `orders` and `deliveries` seeds they
registered and answers only the shipping paths itself."""
import pytest

from tests.factories import FACTORIES
from tests.factories.orders import add_item, make_cart
from tests.factories.stores import make_product
from tests.factories.treatments import make_delivery_tier

from . import ID_KEYS, SEEDS, Seed

ID_KEYS.update({"id_order"})
ORDER_PATHS = {"orders/{?}/process/courier", "orders/{?}/process/sameday/courier",
               "orders/{?}/unprocess/courier"}


def _weighed_cart():
    """A customer's open cart of 2 × 1.750 g bound for Kota Bandung (RajaOngkir 23)."""
    order = make_cart(kode_kota="23")
    add_item(order, make_product(berat=1750), 2)
    return order


def _fallback(resource, kind):
    factory = FACTORIES.get(resource)
    if factory is None:
        pytest.skip(f"no factory for resource {resource!r}")
    return Seed() if kind == "create" else Seed(target=factory())


def _wrap(resource, answer):
    previous = SEEDS.get(resource)

    def seed(kind, path, caller):
        mine = answer(kind, path, caller)
        if mine is not None:
            return mine
        return previous(kind, path, caller) if previous else _fallback(resource, kind)
    SEEDS[resource] = seed


def _deliveries(kind, path, caller):
    if path == "deliveries/calculate":
        return Seed(ids={"id_order": [_weighed_cart().id]})
    return None


def _orders(kind, path, caller):
    if path not in ORDER_PATHS:
        return None
    # the document's same-day point is about 7 km from the default warehouse
    make_delivery_tier(distance_fr=0, distance_to=5, segment="Range dari 0 s.d 5 KM",
                       price_in_km=8000)
    make_delivery_tier(distance_fr=5, distance_to=15, segment="Range dari 5 s.d 15 KM",
                       price_in_km=6000)
    return Seed(target=_weighed_cart())


_wrap("deliveries", _deliveries)
_wrap("orders", _orders)
