"""API actions of stores and the products they sell beyond CRUD: the city list, bulk
assignment and copying an assignment to other stores."""
from flask import jsonify

from app.auth import current_actor
from services.engine import core, get_resource
from services.stores import operations as store_ops
from services.stores import queries as store_queries

from .body import json_body, json_list
from .resources import action


@action("brandstore/city", ["GET"], "The distinct cities of the stores (public)", public=True,
        answers="array")
def store_cities():
    """The cities stores are in, A–Z: `[{"city": …}, …]` (a JSON list, as documented)."""
    return jsonify(store_queries.visible_cities(current_actor()))


@action("brandstore_menus/create/bulk", ["POST"],
        "Offer many products at stores at once: all rows or none (staff)",
        {"(body)": "JSON array: [{\"idmenu\": integer, \"idbrandstore\": integer}, …]"})
def create_store_menus_in_bulk():
    """A JSON list of {idmenu, idbrandstore}; one bad row refuses all (422 naming the row
    indexes, from 0); answers `{"brandstoremenus": [...]}` like create."""
    actor = current_actor()
    resource = get_resource("brandstore_menus")
    core.require(resource, actor, "create")
    rows = store_ops.assign_menus(actor, json_list('[{"idmenu": …, "idbrandstore": …}, …]'))
    return jsonify({resource.envelope("create"): [resource.serialize(row, actor, "detail")
                                                  for row in rows]})


@action("brandstore_menus/<object_id>/duplicates", ["POST"],
        "Offer the product of assignment {?} at the other stores too (staff); no body: every "
        "other store, or name them in idbrandstore",
        {"idbrandstore": "(optional) integer | [integer]"})
def duplicate_store_menu(object_id):
    """Copy assignment {?} (a product at a store) to other stores, each with stock 0: as
    documented (no body), to every other live store; with `idbrandstore` (one id or a list),
    to those stores only. Stores that already sell the product are skipped and listed in
    `skipped` (never a duplicate pair); an unknown store refuses the whole request (422); the
    new rows commit together. Answers the documented `menus` object (the product as offered at
    the source store) plus the new rows under `brandstoremenus`."""
    actor = current_actor()
    resource = get_resource("brandstore_menus")
    core.require(resource, actor, "create")
    source = core.load(resource, actor, object_id)
    body = json_body()
    result = store_ops.duplicate_assignment(actor, source, body.get("idbrandstore"))
    return jsonify({
        "menus": resource.copied_menu(source, actor),
        resource.envelope("create"): [resource.serialize(row, actor, "detail")
                                      for row in result.created],
        "skipped": result.skipped,
    })
