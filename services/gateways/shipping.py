"""Shipping (RajaOngkir): one small protocol, the real client (rajaongkir.py) and the offline
stand-in (shipping_standin.py), chosen by configuration; nothing else knows which one runs.

Every answer is checked and reduced to RajaOngkir's documented shapes (ids as strings, as
RajaOngkir sends them; cost values as integer rupiah). Region lists and tariffs are static
data of an outside service, so they are kept in the application cache (Flask-Caching: one
process's memory by default, Redis when configured) for a configured time; nothing the
clinic changes is cached here.

Configuration: RAJAONGKIR_MODE ("standin" or "rajaongkir"; empty means the real service
when RAJAONGKIR_API_KEY is set, the stand-in otherwise), RAJAONGKIR_BASE_URL,
RAJAONGKIR_API_KEY, RAJAONGKIR_TIMEOUT_SECONDS, SHIPPING_LIST_CACHE_SECONDS,
SHIPPING_COST_CACHE_SECONDS."""
import hashlib
import math
from typing import Protocol

from flask import current_app

from app.extensions import cache
from services.errors import DomainError

PROVINCE_KEYS = ("province_id", "province")
CITY_KEYS = ("city_id", "province_id", "province", "type", "city_name", "postal_code")
DISTRICT_KEYS = ("subdistrict_id", "province_id", "province", "city_id", "city", "type",
                 "subdistrict_name")
DESTINATION_TYPES = ("city", "subdistrict")


class ShippingUnavailable(DomainError):
    """The shipping service cannot be reached (network failure, timeout, its own outage)."""

    status = 503
    error_code = "shipping_unavailable"
    default_message = ("Layanan ongkos kirim (RajaOngkir) sedang tidak dapat dihubungi. "
                       "Coba lagi beberapa saat lagi.")


class ShippingBadAnswer(DomainError):
    """The shipping service answered, but not with anything usable (or refused our key)."""

    status = 502
    error_code = "shipping_bad_answer"
    default_message = ("Layanan ongkos kirim (RajaOngkir) memberi jawaban yang tidak dapat "
                       "dibaca. Coba lagi nanti.")


class ShippingGateway(Protocol):
    """What every shipping implementation offers; ids are RajaOngkir's integers."""

    cache_scope: str  # names the data source in cache keys (never holds a secret)

    def provinces(self) -> list[dict]:
        """Every province: [{province_id, province}]."""

    def cities(self, province_id: int) -> list[dict]:
        """The cities and regencies of a province ([] for an unknown one)."""

    def districts(self, city_id: int) -> list[dict]:
        """The districts (kecamatan) of a city ([] for an unknown one)."""

    def cost(self, origin_city: int, destination: int, weight_grams: int, courier: str,
             destination_type: str = "city") -> list[dict]:
        """The services and prices of one courier: [{code, name, costs: [...]}]; an unknown
        origin or destination is an Invalid (422)."""


# ---- choosing the implementation -------------------------------------------------------
def shipping_mode(config=None) -> str:
    """"standin" or "rajaongkir", from RAJAONGKIR_MODE (or whether a key is configured)."""
    config = config if config is not None else current_app.config
    mode = (config.get("RAJAONGKIR_MODE") or "").strip().lower()
    if not mode:
        return "rajaongkir" if config.get("RAJAONGKIR_API_KEY") else "standin"
    if mode not in IMPLEMENTATIONS:
        raise ShippingUnavailable(
            f"RAJAONGKIR_MODE '{mode}' tidak dikenal (pilih: standin atau rajaongkir).",
            error_code="shipping_misconfigured")
    return mode


def shipping_gateway(config=None) -> ShippingGateway:
    """The configured implementation, built from the app's configuration."""
    config = config if config is not None else current_app.config
    return IMPLEMENTATIONS[shipping_mode(config)](config)


def _rajaongkir(config):
    from .rajaongkir import RajaOngkirClient

    return RajaOngkirClient.from_config(config)


def _standin(config):
    from .shipping_standin import StandInShipping

    return StandInShipping()


IMPLEMENTATIONS = {"rajaongkir": _rajaongkir, "standin": _standin}


# ---- the cached face the rest of the application calls ---------------------------------
def _cached(gateway: ShippingGateway, key: str, seconds_setting: str, load):
    """The cached answer for `key` of this gateway's data source, loaded when absent."""
    full_key = f"shipping:{gateway.cache_scope}:{key}"
    found = cache.get(full_key)
    if found is not None:
        return found
    value = load()
    cache.set(full_key, value, timeout=current_app.config[seconds_setting])
    return value


def provinces() -> list[dict]:
    """Every province (cached)."""
    gateway = shipping_gateway()
    return _cached(gateway, "provinces", "SHIPPING_LIST_CACHE_SECONDS", gateway.provinces)


def cities(province_id: int) -> list[dict]:
    """The cities of a province (cached); [] for an unknown province."""
    gateway = shipping_gateway()
    return _cached(gateway, f"cities:{province_id}", "SHIPPING_LIST_CACHE_SECONDS",
                   lambda: gateway.cities(province_id))


def districts(city_id: int) -> list[dict]:
    """The districts of a city (cached); [] for an unknown city."""
    gateway = shipping_gateway()
    return _cached(gateway, f"districts:{city_id}", "SHIPPING_LIST_CACHE_SECONDS",
                   lambda: gateway.districts(city_id))


def cost(origin_city: int, destination: int, weight_grams: int, courier: str,
         destination_type: str = "city") -> list[dict]:
    """A courier's services and prices for a parcel (cached for a shorter time)."""
    gateway = shipping_gateway()
    key = f"cost:{origin_city}:{destination_type}:{destination}:{weight_grams}:{courier}"
    return _cached(gateway, key, "SHIPPING_COST_CACHE_SECONDS",
                   lambda: gateway.cost(origin_city, destination, weight_grams, courier,
                                        destination_type))


def scope_of(base_url: str) -> str:
    """A short, secret-free name of a data source for cache keys."""
    return "rajaongkir-" + hashlib.sha256(base_url.encode()).hexdigest()[:12]


# ---- checking answers: RajaOngkir's shapes, nothing else ------------------------------
def _text(value, where: str) -> str:
    """A text field of an answer (numbers become their digits, as RajaOngkir sends ids)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ShippingBadAnswer(fields={"answer": f"{where} tidak valid."})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _rows(results, keys, where: str) -> list[dict]:
    """A list of objects reduced to `keys` (each required)."""
    if not isinstance(results, list):
        raise ShippingBadAnswer(fields={"answer": f"{where}: bukan daftar."})
    rows = []
    for item in results:
        if not isinstance(item, dict) or any(key not in item for key in keys):
            raise ShippingBadAnswer(fields={"answer": f"{where}: baris tidak lengkap."})
        rows.append({key: _text(item[key], f"{where}.{key}") for key in keys})
    return rows


def province_rows(results) -> list[dict]:
    """Provinces in the documented shape."""
    return _rows(results, PROVINCE_KEYS, "provinsi")


def city_rows(results) -> list[dict]:
    """Cities in the documented shape."""
    return _rows(results, CITY_KEYS, "kota")


def district_rows(results) -> list[dict]:
    """Districts in the documented shape."""
    return _rows(results, DISTRICT_KEYS, "kecamatan")


def _rupiah(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value < 0:
        raise ShippingBadAnswer(fields={"answer": f"{where} bukan nominal rupiah."})
    return round(value)


def cost_rows(results) -> list[dict]:
    """Courier costs in the documented shape:
    [{code, name, costs: [{service, description, cost: [{value, etd, note}]}]}]."""
    if not isinstance(results, list):
        raise ShippingBadAnswer(fields={"answer": "ongkos kirim: bukan daftar."})
    couriers = []
    for item in results:
        if not isinstance(item, dict) or not isinstance(item.get("costs"), list):
            raise ShippingBadAnswer(fields={"answer": "ongkos kirim: kurir tidak lengkap."})
        services = []
        for service in item["costs"]:
            if not isinstance(service, dict) or not isinstance(service.get("cost"), list):
                raise ShippingBadAnswer(fields={"answer": "ongkos kirim: layanan tidak lengkap."})
            prices = []
            for price in service["cost"]:
                if not isinstance(price, dict) or "value" not in price:
                    raise ShippingBadAnswer(fields={"answer": "ongkos kirim: tarif tidak lengkap."})
                prices.append({"value": _rupiah(price["value"], "cost.value"),
                               "etd": _text(price.get("etd", ""), "cost.etd"),
                               "note": _text(price.get("note", ""), "cost.note")})
            services.append({"service": _text(service.get("service"), "service"),
                             "description": _text(service.get("description", ""), "description"),
                             "cost": prices})
        couriers.append({"code": _text(item.get("code"), "code"),
                         "name": _text(item.get("name", ""), "name"), "costs": services})
    return couriers
