"""API actions of shipping beyond the delivery tiers' CRUD: RajaOngkir's region lists and
tariffs (through the configured shipping gateway) and the warehouse settings.

Signed-in callers only: every call may reach a paid outside service, so it is not offered
to anonymous clients (the mobile app asks these while a signed-in customer checks out)."""
from flask import jsonify

from services.gateways import shipping as shipping_gateway
from services.orders import shipping as order_shipping
from services.shipping import queries

from .auth import signed_in_actor
from .body import json_body
from .resources import action


@action("deliveries/provinces", ["GET"], "Provinces of Indonesia (RajaOngkir; signed in)",
        answers="array")
def delivery_provinces():
    """Every province `[{province_id, province}]`, ids as strings as RajaOngkir sends them."""
    signed_in_actor()
    return jsonify(shipping_gateway.provinces())


@action("deliveries/<object_id>/cities", ["GET"],
        "Cities and regencies of RajaOngkir province {?} (signed in)", answers="array")
def delivery_cities(object_id):
    """The province's cities `[{city_id, province_id, province, type, city_name,
    postal_code}]`; an unknown province answers `[]`, an id that is no number 404."""
    signed_in_actor()
    return jsonify(queries.cities_of(object_id))


@action("deliveries/<object_id>/districts", ["GET"],
        "Districts (kecamatan) of RajaOngkir city {?} (signed in)", answers="array")
def delivery_districts(object_id):
    """The city's districts `[{subdistrict_id, province_id, province, city_id, city, type,
    subdistrict_name}]`; an unknown city answers `[]`, an id that is no number 404."""
    signed_in_actor()
    return jsonify(queries.districts_of(object_id))


@action("deliveries/calculate", ["POST"],
        "A courier's services and prices for an order's weight (its customer or the office)",
        {"id_order": "integer (required): the weight is its products' berat × qty",
         "city_id_destination": "integer (optional; default: the order's city)",
         "courier": "one of deliveries/settings kode_kurir (required)"}, answers="array")
def delivery_costs_of_order():
    """The answer of calculate/byweight, for the weight of the order's products, from the
    warehouse's city; an order the caller does not reach is a 404."""
    return jsonify(order_shipping.costs_for_order(signed_in_actor(), json_body(required=True)))


@action("deliveries/calculate/byweight", ["POST"],
        "A courier's services and prices for a parcel weight (signed in)",
        {"city_id_origin": "integer (optional; default: the warehouse's city)",
         "city_id_destination": "integer (required unless subdistrict_id_destination)",
         "subdistrict_id_destination": "integer (optional; RajaOngkir Pro)",
         "weight": "integer grams, 1 … 30000 (required)",
         "courier": "one of deliveries/settings kode_kurir (required)"}, answers="array")
def delivery_costs_by_weight():
    """RajaOngkir's answer for one courier: `[{code, name, costs: [{service, description,
    cost: [{value, etd, note}]}]}]`; a bad body is a 422 naming every field at once, an
    unreachable service a 503."""
    signed_in_actor()
    return jsonify(queries.costs_by_weight(json_body(required=True)))


@action("deliveries/settings", ["GET"], "Where parcels leave from and the couriers offered "
        "(signed in)")
def delivery_settings():
    """`{kode_kota_asal, coordinate_gudang: {lat, lng}, alamat_gudang, kode_kurir}` from the
    configuration (DELIVERY_ORIGIN_CITY_ID, WAREHOUSE_LAT/LNG, WAREHOUSE_ADDRESS,
    DELIVERY_COURIERS)."""
    signed_in_actor()
    return jsonify(queries.delivery_settings())
