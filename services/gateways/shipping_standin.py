"""The offline stand-in for RajaOngkir: the bundled regions of Indonesia (data/regions.json:
38 provinces, their cities and regencies with RajaOngkir's ids, the districts of a few cities)
and deterministic tariffs, answered in exactly RajaOngkir's shapes.

Districts: the bundled list where there is one (Kota and Kabupaten Bandung, the five cities
of Jakarta, Denpasar); for any other city five districts named after it (Tengah, Utara,
Selatan, Barat, Timur) with ids 100000 + city_id × 100 + n, out of RajaOngkir's range.

Tariffs: the parcel's weight in whole kilograms (rounded up, at least 1) times a rate per kg
for the zone between the two cities — 0 the same city, 1 the same province, 2 the same island
group, then one more for each island group further east or west — times the service's
factor, rounded up to Rp 1.000."""
import json
import math
from functools import lru_cache
from pathlib import Path

from services.errors import Invalid

from .shipping import city_rows, cost_rows, district_rows, province_rows

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.json"
GENERATED_DISTRICT_BASE = 100_000
GENERATED_DISTRICTS = ("Tengah", "Utara", "Selatan", "Barat", "Timur")

# Island groups from west to east; the zone grows with the distance in this order.
ISLAND_RANK = {"sumatera": 1, "jawa": 2, "bali-nusa": 3, "kalimantan": 3, "sulawesi": 4,
               "maluku": 5, "papua": 6}
RATE_PER_KG = (8_000, 10_000, 13_000, 22_000, 32_000, 42_000, 55_000, 70_000)  # by zone
# zone -> (fastest, slowest) days of the regular service
DAYS = ((1, 2), (2, 3), (2, 4), (3, 5), (4, 6), (5, 7), (6, 9), (7, 10))

# courier -> (name, [(service, description, price factor, extra days, zones served)])
COURIERS = {
    "jne": ("Jalur Nugraha Ekakurir (JNE)", [
        ("OKE", "Ongkos Kirim Ekonomis", 0.85, 1, 7),
        ("REG", "Layanan Reguler", 1.0, 0, 7),
        ("YES", "Yakin Esok Sampai", 1.8, None, 3),
    ]),
    "pos": ("POS Indonesia (POS)", [
        ("Pos Reguler", "Pos Reguler", 0.95, 1, 7),
        ("Pos Nextday", "Pos Nextday", 1.6, None, 3),
    ]),
    "tiki": ("Citra Van Titipan Kilat (TIKI)", [
        ("ECO", "Economy Service", 0.8, 2, 7),
        ("REG", "Regular Service", 1.0, 0, 7),
        ("ONS", "Over Night Service", 1.7, None, 3),
    ]),
    "jnt": ("J&T Express", [
        ("EZ", "Reguler", 1.05, 0, 7),
    ]),
    "sicepat": ("SiCepat Express", [
        ("REG", "Layanan Reguler", 0.95, 0, 7),
        ("BEST", "Besok Sampai Tujuan", 1.5, None, 3),
    ]),
}


@lru_cache(maxsize=1)
def _regions():
    """The bundled data, read once per process (a file shipped with the code, never changed
    at run time), indexed by id."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    provinces, cities = {}, {}
    for province in data["provinces"]:
        provinces[province["province_id"]] = province
        for city_id, kind, name, postal_code in province["cities"]:
            cities[city_id] = {"city_id": city_id, "province_id": province["province_id"],
                               "province": province["province"], "type": kind,
                               "city_name": name, "postal_code": postal_code,
                               "island": province["island"]}
    return provinces, cities, data["districts"]


def _city_districts(city: dict) -> list[dict]:
    """Every district of a city: the bundled list, or the generated five."""
    _, _, bundled = _regions()
    if city["city_id"] in bundled:
        first_id, names = bundled[city["city_id"]]
        numbered = [(first_id + index, name) for index, name in enumerate(names)]
    else:
        base = GENERATED_DISTRICT_BASE + int(city["city_id"]) * 100
        numbered = [(base + index + 1, f"{city['city_name']} {suffix}")
                    for index, suffix in enumerate(GENERATED_DISTRICTS)]
    return [{"subdistrict_id": str(number), "province_id": city["province_id"],
             "province": city["province"], "city_id": city["city_id"],
             "city": city["city_name"], "type": city["type"], "subdistrict_name": name}
            for number, name in numbered]


def _city_of_district(district_id: int) -> dict | None:
    """The city a district id belongs to, or None."""
    _, cities, bundled = _regions()
    if district_id > GENERATED_DISTRICT_BASE:
        city = cities.get(str((district_id - GENERATED_DISTRICT_BASE) // 100))
        number = (district_id - GENERATED_DISTRICT_BASE) % 100
        return city if city and city["city_id"] not in bundled \
            and 1 <= number <= len(GENERATED_DISTRICTS) else None
    for city_id, (first_id, names) in bundled.items():
        if first_id <= district_id < first_id + len(names):
            return cities[city_id]
    return None


def zone_between(origin: dict, destination: dict) -> int:
    """0 the same city, 1 the same province, 2 the same island group, +1 per group apart."""
    if origin["city_id"] == destination["city_id"]:
        return 0
    if origin["province_id"] == destination["province_id"]:
        return 1
    return 2 + abs(ISLAND_RANK[origin["island"]] - ISLAND_RANK[destination["island"]])


class StandInShipping:
    """RajaOngkir's answers from the bundled data, with no network."""

    cache_scope = "standin"

    def provinces(self) -> list[dict]:
        """Every bundled province, by id."""
        provinces, _, _ = _regions()
        return province_rows(sorted(provinces.values(), key=lambda row: int(row["province_id"])))

    def cities(self, province_id: int) -> list[dict]:
        """The cities of a province, by id; [] for an unknown province."""
        _, cities, _ = _regions()
        rows = [city for city in cities.values() if city["province_id"] == str(province_id)]
        return city_rows(sorted(rows, key=lambda row: int(row["city_id"])))

    def districts(self, city_id: int) -> list[dict]:
        """The districts of a city; [] for an unknown city."""
        _, cities, _ = _regions()
        city = cities.get(str(city_id))
        return district_rows(_city_districts(city)) if city else []

    def cost(self, origin_city: int, destination: int, weight_grams: int, courier: str,
             destination_type: str = "city") -> list[dict]:
        """The courier's services between two places, by zone and weight."""
        _, cities, _ = _regions()
        origin = cities.get(str(origin_city))
        target = (cities.get(str(destination)) if destination_type == "city"
                  else _city_of_district(destination))
        problems = {}
        if origin is None:
            problems["origin"] = "Kota asal tidak ditemukan."
        if target is None:
            problems["destination"] = ("Kota tujuan tidak ditemukan." if destination_type == "city"
                                       else "Kecamatan tujuan tidak ditemukan.")
        if courier not in COURIERS:
            problems["courier"] = "Kurir tidak dikenal: " + ", ".join(COURIERS) + "."
        if problems:
            raise Invalid("Kota atau kurir tidak dikenal.", fields=problems,
                          error_code="unknown_place")
        zone = min(zone_between(origin, target), len(RATE_PER_KG) - 1)
        kilograms = max(1, math.ceil(weight_grams / 1000))
        name, services = COURIERS[courier]
        costs = []
        for service, description, factor, extra_days, last_zone in services:
            if zone > last_zone:
                continue
            value = math.ceil(RATE_PER_KG[zone] * factor * kilograms / 1000) * 1000
            if extra_days is None:  # the express services: next day, or two days further
                etd = "1-1" if zone <= 1 else "1-2"
            else:
                fastest, slowest = DAYS[zone]
                etd = f"{fastest + extra_days}-{slowest + extra_days}"
            costs.append({"service": service, "description": description,
                          "cost": [{"value": value, "etd": etd, "note": ""}]})
        return cost_rows([{"code": courier, "name": name, "costs": costs}])
