"""API actions of carts and orders beyond the generated lists, get and delete: open a cart,
add products and consultations, the address, promotion and points (services/orders/carts.py),
and the documented transitions (services/orders/operations.py → OrderFlow). Checkout,
payments, invoices and couriers are their own modules."""
from flask import jsonify

from services.engine import get_resource
from services.orders import carts, operations

from .auth import signed_in_actor
from .body import json_body
from .resources import action

ACTOR_IGNORED = "(pic_admin and id_admin are ignored: who acts is the signed-in account)"


def _order(order, actor, key="orders"):
    return {key: get_resource("orders").serialize(order, actor, "detail")}


def _lines(resource_name, key, rows, actor):
    resource = get_resource(resource_name)
    return jsonify({key: [resource.serialize(row, actor, "detail") for row in rows]})


@action("orders/init", ["POST"], "Open (or find) the caller's cart of a type",
        {"id_users": "integer (staff: open a customer's cart)", "id_patients": "integer",
         "order_type": "E (products) | C (online consultation)"})
def init_cart():
    """The caller's open cart of the type, created with the customer's contact details."""
    actor = signed_in_actor()
    return jsonify(_order(carts.init_cart(actor, json_body(required=True)), actor))


@action("orders/e_add_to_carts", ["POST"], "Put products in a product cart",
        {"id_order": "integer", "items": '[{"id_menu": 1, "qty": "+ | - | 0–999"}]'})
def add_products():
    """qty "+" adds one, "-" takes one off, 1–999 replaces, 0 removes the product; a product
    that needs a prescription is refused (409). Answers every line of the cart."""
    actor = signed_in_actor()
    order = carts.add_products(actor, json_body(required=True))
    return _lines("order_items", "order_items", order.items, actor)


@action("orders/c_add_to_carts", ["POST"], "Put online consultations in a consultation cart",
        {"id_order": "integer", "items": '[{"id_doctors": 1, "qty": "+ | - | 0–999"}]'})
def add_consultations():
    """The same quantity rules, per doctor, at the doctor's consultation price."""
    actor = signed_in_actor()
    order = carts.add_consultations(actor, json_body(required=True))
    return _lines("order_extras", "order_extras", order.extras, actor)


@action("orders/<object_id>/update/address", ["PUT"], "The shipping address of a cart",
        {"lat_kirim": "number", "lng_kirim": "number", "kode_provinsi": "code",
         "kode_kota": "code", "kode_kecamatan": "code", "alamat_kirim": "string (max 255)"})
def update_address(object_id):
    """Changes the address of an open cart (a courier chosen before is dropped)."""
    carts.update_address(signed_in_actor(), object_id, json_body(required=True))
    return jsonify({"update_address": True})


@action("orders/<object_id>/apply/promotions", ["PUT"], "Apply a promotion code to a cart",
        {"display_codes": "string (any case)"})
def apply_promotion(object_id):
    """Valid now, quota left, not used before by the customer."""
    _order_row, promotion = carts.apply_promotion(signed_in_actor(), object_id,
                                                  json_body(required=True))
    return jsonify({"apply_promotions": True, "type": promotion.type, "value": promotion.value})


@action("orders/<object_id>/unapply/promotions", ["PUT"], "Remove the promotion of a cart")
def unapply_promotion(object_id):
    """The cart without its promotion."""
    carts.unapply_promotion(signed_in_actor(), object_id)
    return jsonify({"unapply_promotions": True})


@action("orders/<object_id>/apply/points", ["PUT"], "Use points on a cart (1 point = Rp 1)",
        {"poin_used": "integer (≤ your points and the amount payable)"})
def apply_points(object_id):
    """The points the cart will use at checkout."""
    order = carts.apply_points(signed_in_actor(), object_id, json_body(required=True))
    return jsonify({"apply_points": True, "poin_used": order.poin_used})


@action("orders/<object_id>/unapply/points", ["PUT"], "Stop using points on a cart")
def unapply_points(object_id):
    """The cart without points."""
    order = carts.unapply_points(signed_in_actor(), object_id)
    return jsonify({"unapply_points": True, "poin_used": order.poin_used})


def _transition(path, answer, summary, body=None):
    action_name = path.rsplit("/", 1)[-1]

    def view(object_id):
        operations.run_transition(signed_in_actor(), object_id, action_name, json_body())
        return jsonify({answer: True})

    view.__name__ = f"order_{answer}"
    view.__doc__ = f"{summary} {ACTOR_IGNORED}"
    action(f"orders/<object_id>/{path}", ["PUT"], summary, body)(view)


_transition("uncheckout", "uncheckout", "CHECKOUT → SHOPPING CARTS (the customer or staff)")
_transition("paid", "paid", "CHECKOUT → PAID, a payment received by staff",
            {"pay_channel": "string (required)"})
_transition("unpaid", "unpaid", "PAID → CHECKOUT, a payment recorded by mistake (staff)")
_transition("processing", "processing", "PAID → PROCESSING (staff)")
_transition("unprocessing", "unprocessing", "PROCESSING → PAID (staff)")
_transition("prepared", "prepared", "PROCESSING → PREPARED (staff)")
_transition("unprepare", "unprepare", "PREPARED → PROCESSING (staff)")
_transition("pickup", "pickup", "PREPARED → PICKUP, handed to the courier (staff)")
_transition("unpickup", "unpickup", "PICKUP → PREPARED (staff)")
_transition("consignee", "consignee", "PICKUP → DONE, received (the customer or staff)")
_transition("cancel", "cancel", "Cancel: the customer while a cart or awaiting payment, "
            "staff until handed to the courier", {"cancel_reason": "string (optional)"})
_transition("uncancel", "uncancel", "CANCEL → the state before (staff)")
_transition("process/noresi", "process_noresi", "The courier's receipt number (staff)",
            {"nomor_resi": "string (required, max 60)"})
