"""Shipping reads: the warehouse settings (deliveries/settings), courier tariffs by weight
through the shipping gateway, and the same-day courier priced by distance.

Same-day pricing: the great-circle (haversine) distance from the warehouse coordinate
(WAREHOUSE_LAT/WAREHOUSE_LNG) to the delivery point, rounded to 0.1 km as the answer shows
it, falls in at most one delivery tier [distance_fr, distance_to); the price is that distance
times the tier's `price_in_km` (a price per kilometre, as its name and the admin screen
say), rounded up to the whole rupiah (services/treatments/tiers.py). A point beyond every
tier is refused with a 422 that names the distance and the farthest reach."""
import math
from typing import NamedTuple

from flask import current_app

from models import DeliveryTier
from services.engine.fields import Decimal, Number, ValidationError
from services.engine.filters import INT_MAX
from services.errors import Invalid, NotFound, Problems
from services.gateways import shipping as shipping_gateway
from services.treatments.tiers import ordered_tiers, price_for_distance

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
WEIGHT_MAX_GRAMS = 30_000  # RajaOngkir prices parcels up to 30 kg


class SamedayQuote(NamedTuple):
    """A same-day delivery: the distance (km, one decimal), its tier and price (rupiah)."""

    distance: float
    tier: DeliveryTier
    price: int


# ---- the warehouse ---------------------------------------------------------------------
def courier_codes() -> list[str]:
    """The couriers the shop offers (DELIVERY_COURIERS), lower case, in order."""
    codes = []
    for code in str(current_app.config.get("DELIVERY_COURIERS", "")).split(","):
        code = code.strip().lower()
        if code and code not in codes:
            codes.append(code)
    return codes


def warehouse_point() -> tuple[float, float]:
    """(lat, lng) of the warehouse the parcels leave from."""
    return (float(current_app.config["WAREHOUSE_LAT"]),
            float(current_app.config["WAREHOUSE_LNG"]))


def origin_city() -> int:
    """The RajaOngkir city parcels leave from (DELIVERY_ORIGIN_CITY_ID)."""
    return int(current_app.config["DELIVERY_ORIGIN_CITY_ID"])


def delivery_settings() -> dict:
    """The documented deliveries/settings answer, from the configuration."""
    lat, lng = warehouse_point()
    return {"kode_kota_asal": origin_city(),
            "coordinate_gudang": {"lat": lat, "lng": lng},
            "alamat_gudang": current_app.config["WAREHOUSE_ADDRESS"],
            "kode_kurir": courier_codes()}


# ---- region lists ----------------------------------------------------------------------
def region_id(value, label: str) -> int:
    """A province or city id from the path: 1 … INT_MAX, else 404 naming what was sought."""
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise NotFound(f"{label} tidak ditemukan.") from exc
    if not 0 < number <= INT_MAX:
        raise NotFound(f"{label} tidak ditemukan.")
    return number


def cities_of(province_id) -> list[dict]:
    """The cities of a province ([] when the province is unknown)."""
    return shipping_gateway.cities(region_id(province_id, "Provinsi"))


def districts_of(city_id) -> list[dict]:
    """The districts of a city ([] when the city is unknown)."""
    return shipping_gateway.districts(region_id(city_id, "Kota"))


# ---- couriers by weight ----------------------------------------------------------------
def whole_number(body: dict, name: str, problems: Problems, *, required: bool,
                  low: int = 1, high: int = INT_MAX, message: str | None = None):
    """An integer field of the body within [low, high]; a problem otherwise."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(name, "Wajib diisi.")
        return None
    try:
        number = Number().deserialize(value)
    except ValidationError:
        problems.add(name, "Harus berupa angka bulat.")
        return None
    if not low <= number <= high:
        problems.add(name, message or "Data yang dirujuk tidak ditemukan.")
        return None
    return number


def courier_of(body: dict, problems: Problems, name: str = "courier") -> str | None:
    """The courier code of the body, one the shop offers; a problem otherwise."""
    value = body.get(name)
    offered = courier_codes()
    if not isinstance(value, str) or not value.strip():
        problems.add(name, "Wajib diisi: " + ", ".join(offered) + ".")
        return None
    code = value.strip().lower()
    if code not in offered:
        problems.add(name, "Kurir tidak tersedia. Pilih salah satu: " + ", ".join(offered) + ".")
        return None
    return code


def destination_of(body: dict, problems: Problems) -> tuple[int | None, str]:
    """The destination of a cost question: a district (`subdistrict_id_destination`, when
    given) or a city (`city_id_destination`)."""
    district = whole_number(body, "subdistrict_id_destination", problems, required=False)
    if district is not None:
        return district, "subdistrict"
    return whole_number(body, "city_id_destination", problems, required=True), "city"


def weight_of(body: dict, problems: Problems, name: str = "weight") -> int | None:
    """The parcel weight in grams, 1 … 30000."""
    return whole_number(body, name, problems, required=True, high=WEIGHT_MAX_GRAMS,
                         message=f"Berat harus 1 sampai {WEIGHT_MAX_GRAMS} gram.")


def costs_by_weight(body: dict) -> list[dict]:
    """deliveries/calculate/byweight: a courier's services for a parcel of `weight` grams
    from `city_id_origin` (default: the warehouse's city) to `city_id_destination` (or
    `subdistrict_id_destination`). Every problem of the body is answered at once (422)."""
    problems = Problems()
    origin = whole_number(body, "city_id_origin", problems, required=False)
    destination, destination_type = destination_of(body, problems)
    weight = weight_of(body, problems)
    courier = courier_of(body, problems)
    problems.raise_if_any()
    if origin is None:
        origin = origin_city()
    return shipping_gateway.cost(origin, destination, weight, courier, destination_type)


# ---- the same-day courier --------------------------------------------------------------
def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def coordinate_of(body: dict, name: str, limit: float, problems: Problems):
    """A latitude (|x| ≤ 90) or longitude (|x| ≤ 180) of the body, in degrees."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(name, "Wajib diisi.")
        return None
    try:
        number = Decimal().deserialize(value)
    except ValidationError:
        problems.add(name, "Harus berupa angka (derajat).")
        return None
    if not -limit <= number <= limit:
        problems.add(name, f"Harus di antara -{limit:g} dan {limit:g} derajat.")
        return None
    return number


def sameday_quote(lat, lng) -> SamedayQuote:
    """The same-day price of delivering to (lat, lng): the distance from the warehouse
    through the tier it falls in; a 422 when no tier reaches that far."""
    distance = round(haversine_km(*warehouse_point(), lat, lng) + 1e-9, 1)
    quote = price_for_distance(distance)
    if quote is not None:
        return SamedayQuote(distance, quote.tier, quote.price)
    tiers = ordered_tiers()
    if not tiers:
        raise Invalid("Kurir sameday belum tersedia: tarif jarak kirim belum diatur.",
                      fields={"lat_kirim": "Tarif jarak kirim belum diatur."},
                      error_code="outside_delivery_range")
    reach = max(tier.distance_to for tier in tiers)
    where = (f"berjarak {distance:g} km dari gudang" if distance < reach
             else f"berjarak {distance:g} km dari gudang, di luar jangkauan {reach} km")
    raise Invalid(f"Alamat kirim {where}; tidak ada tarif sameday untuk jarak itu.",
                  fields={"lat_kirim": "Di luar jangkauan kurir sameday.",
                          "lng_kirim": "Di luar jangkauan kurir sameday."},
                  error_code="outside_delivery_range")


def delivery_point_of(body: dict) -> tuple[float, float]:
    """The body's `lat_kirim`/`lng_kirim` in degrees (every problem at once, 422)."""
    problems = Problems()
    lat = coordinate_of(body, "lat_kirim", 90, problems)
    lng = coordinate_of(body, "lng_kirim", 180, problems)
    problems.raise_if_any()
    return lat, lng


def sameday_quote_of(body: dict) -> SamedayQuote:
    """The same-day quote for the body's `lat_kirim`/`lng_kirim`."""
    return sameday_quote(*delivery_point_of(body))
