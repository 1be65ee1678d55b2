"""The same-day courier: the great-circle distance from the warehouse and the delivery tier
it falls in (price per km × distance), and a clear 422 beyond every tier."""
import math

import pytest

from services.errors import Invalid
from services.shipping.queries import (EARTH_RADIUS_KM, haversine_km, sameday_quote,
                                       sameday_quote_of, warehouse_point)
from tests.factories.treatments import make_delivery_tier

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # along a meridian


def north_of_warehouse(km):
    """A point `km` due north of the warehouse."""
    lat, lng = warehouse_point()
    return lat + km / KM_PER_DEGREE, lng


def test_haversine_distances():
    assert haversine_km(-6.2, 106.8, -6.2, 106.8) == 0
    # Monas (Jakarta) to Gedung Sate (Bandung): 119.1 km as the crow flies; over so short a
    # way the flat (equirectangular) approximation agrees to well within 0.1 %
    jakarta_bandung = haversine_km(-6.175392, 106.827153, -6.902475, 107.618719)
    flat = KM_PER_DEGREE * math.hypot(-6.902475 + 6.175392, (107.618719 - 106.827153)
                                      * math.cos(math.radians((-6.175392 - 6.902475) / 2)))
    assert jakarta_bandung == pytest.approx(flat, rel=1e-3)
    assert jakarta_bandung == pytest.approx(119.1, abs=0.1)
    assert jakarta_bandung == pytest.approx(haversine_km(-6.902475, 107.618719,
                                                         -6.175392, 106.827153))
    # a quarter of the equator, and half of it (antipodes)
    assert haversine_km(0, 0, 0, 90) == pytest.approx(math.pi * EARTH_RADIUS_KM / 2)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(KM_PER_DEGREE, rel=1e-6)


def test_the_tier_prices_the_distance_per_km():
    near = make_delivery_tier(distance_fr=0, distance_to=5, segment="0-5", price_in_km=8000)
    far = make_delivery_tier(distance_fr=5, distance_to=15, segment="5-15", price_in_km=6000)
    quote = sameday_quote(*north_of_warehouse(4.2))
    assert quote.distance == 4.2 and quote.tier.id == near.id
    assert quote.price == 33600  # 4.2 km × Rp 8.000
    quote = sameday_quote(*north_of_warehouse(12.34))
    assert (quote.distance, quote.tier.id, quote.price) == (12.3, far.id, 73800)
    assert sameday_quote(*warehouse_point()).price == 0
    # the end of a range belongs to the next tier
    assert sameday_quote(*north_of_warehouse(5)).tier.id == far.id


def test_beyond_every_tier_is_a_clear_422():
    make_delivery_tier(distance_fr=0, distance_to=5, price_in_km=8000)
    make_delivery_tier(distance_fr=10, distance_to=20, price_in_km=6000)
    with pytest.raises(Invalid) as caught:
        sameday_quote(*north_of_warehouse(25))
    error = caught.value
    assert error.status == 422 and error.error_code == "outside_delivery_range"
    assert "25 km" in error.message and "jangkauan 20 km" in error.message
    assert set(error.fields) == {"lat_kirim", "lng_kirim"}
    with pytest.raises(Invalid) as caught:  # a gap between two tiers
        sameday_quote(*north_of_warehouse(7))
    assert "7 km" in caught.value.message


def test_no_tiers_at_all_is_a_422():
    with pytest.raises(Invalid) as caught:
        sameday_quote(*north_of_warehouse(1))
    assert "belum diatur" in caught.value.message


@pytest.mark.parametrize("body, fields", [
    ({}, {"lat_kirim", "lng_kirim"}),
    ({"lat_kirim": "utara", "lng_kirim": 106.8}, {"lat_kirim"}),
    ({"lat_kirim": 91, "lng_kirim": 181}, {"lat_kirim", "lng_kirim"}),
    ({"lat_kirim": True, "lng_kirim": 106.8}, {"lat_kirim"}),
    ({"lat_kirim": "NaN", "lng_kirim": "inf"}, {"lat_kirim", "lng_kirim"}),
    ({"lat_kirim": [1], "lng_kirim": {"x": 1}}, {"lat_kirim", "lng_kirim"}),
    ({"lat_kirim": "", "lng_kirim": None}, {"lat_kirim", "lng_kirim"}),
])
def test_bad_coordinates_are_422_all_at_once(body, fields):
    make_delivery_tier(distance_fr=0, distance_to=5, price_in_km=8000)
    with pytest.raises(Invalid) as caught:
        sameday_quote_of(body)
    assert set(caught.value.fields) == fields


def test_coordinates_as_text_are_read():
    make_delivery_tier(distance_fr=0, distance_to=5, price_in_km=8000)
    lat, lng = north_of_warehouse(2)
    quote = sameday_quote_of({"lat_kirim": str(lat), "lng_kirim": str(lng)})
    assert (quote.distance, quote.price) == (2.0, 16000)
