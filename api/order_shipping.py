"""API actions of an order's courier: process/courier (a RajaOngkir courier and its cost),
process/sameday/courier (priced by distance through the delivery tiers) and
unprocess/courier (clears both). The order's customer or the office; while the order is an
open cart (a 409 names the state otherwise). Each answer also tells the new `grand_totals`."""
from flask import jsonify

from services.orders import shipping

from .auth import signed_in_actor
from .body import json_body
from .resources import action


@action("orders/<object_id>/process/courier", ["PUT"],
        "Choose the order's courier and cost (its customer or the office; open cart)",
        {"courier": "one of deliveries/settings kode_kurir (required)",
         "costs": "integer rupiah: one of the courier's quoted services (required for the "
                  "office, who may set any amount)",
         "service": "(optional) the courier's service, e.g. REG",
         "kode_kota": "(optional) RajaOngkir city id, overrides the patient's city"})
def process_order_courier(object_id):
    """Sets courier, service and `courier_price` (part of `grand_totals`); answers
    `{"process_courier": true, "costs": …}`. A customer's `costs` must match one of the
    courier's services quoted for the order's weight and city (422 lists them)."""
    order = shipping.process_courier(signed_in_actor(), object_id, json_body(required=True))
    return jsonify({"process_courier": True, "costs": order.courier_price,
                    "courier": order.courier, "service": order.courier_service,
                    "grand_totals": order.grand_totals})


@action("orders/<object_id>/process/sameday/courier", ["PUT"],
        "The same-day courier to a point, priced by its distance from the warehouse",
        {"lat_kirim": "latitude, degrees (required)", "lng_kirim": "longitude, degrees (required)",
         "courier": "\"sameday\" (optional)"})
def process_order_sameday_courier(object_id):
    """The great-circle distance from the warehouse (one decimal, km) times the `price_in_km`
    of the delivery tier it falls in; a point beyond every tier is a 422. Answers
    `{"process_sameday_courier": true, "distance", "distance_unit": "km", "costs"}`."""
    order, quote = shipping.process_sameday_courier(signed_in_actor(), object_id,
                                                    json_body(required=True))
    return jsonify({"process_sameday_courier": True, "distance": quote.distance,
                    "distance_unit": "km", "costs": quote.price,
                    "grand_totals": order.grand_totals})


@action("orders/<object_id>/unprocess/courier", ["PUT"],
        "Clear the order's courier and its cost (its customer or the office; open cart)")
def unprocess_order_courier(object_id):
    """Clears courier, service, cost and distance; answers `{"unprocess_courier": true}`."""
    order = shipping.unprocess_courier(signed_in_actor(), object_id)
    return jsonify({"unprocess_courier": True, "grand_totals": order.grand_totals})
