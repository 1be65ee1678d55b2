"""Routes generated from the resource declarations, plus the `action` decorator for the rest."""
from flask import current_app, jsonify, request

from app.extensions import limiter
from services.access import is_office
from services.engine import REGISTRY, core, writing
from services.errors import Invalid
from services.uploads import public_url

from . import bp
from .auth import current_actor
from .body import json_body, table_params

ACTIONS = []  # (path, methods, summary, view function, request fields) for OpenAPI


def action(path: str, methods, summary: str, body: dict | None = None, public: bool = False,
           answers: str = "object"):
    """Register a custom API action (and remember it for the OpenAPI document, with the JSON
    type it answers: "object", or "array" where the document answers a list; "pdf" for a
    document)."""
    def decorator(function):
        endpoint = "action_" + path.replace("/", "_").replace("<", "").replace(">", "").replace(":", "_")
        bp.add_url_rule("/" + path, endpoint, function, methods=list(methods))
        ACTIONS.append({"path": path, "methods": list(methods), "summary": summary,
                        "body": body or {}, "public": public, "doc": function.__doc__,
                        "answers": answers})
        return function
    return decorator


def one(resource, action: str, obj, actor) -> dict:
    """The documented envelope of one object: {"<resource or its envelope>": {...}}."""
    return {resource.envelope(action): resource.serialize(obj, actor, "detail")}


def explore_envelope(resource, page: core.Page, actor) -> dict:
    """The documented explore envelope of a page of rows."""
    return {
        "page": page.page,
        "totalpage": page.total_pages,
        "length": page.length,
        "displayed": len(page.rows),
        "anchor": [{"page": number} for number in page.anchors],
        "totaldata": page.total,
        "data": [resource.serialize(row, actor, "list") for row in page.rows],
    }


def search_envelope(resource, actor, body) -> dict:
    """The documented search answer (the explore envelope where the document pages it)."""
    if resource.search_paginated:
        return explore_envelope(resource, core.explore(
            resource, actor, body, 1, current_app.config["PAGE_LENGTH_MAX"]), actor)
    rows = core.search(resource, actor, body)
    return resource.search_answer(rows, actor, body if isinstance(body, dict) else {})


def _routes_for(resource):
    name = resource.name

    def create():
        actor = current_actor()
        created = writing.create(resource, actor, json_body(required=True), request.files)
        return jsonify(one(resource, "create", created, resource.reader_of_created(created, actor)))

    def explore():
        body = json_body() if request.method == "POST" else {
            key: value for key, value in request.args.items() if key not in ("page", "length")}
        actor = current_actor()
        return jsonify(explore_envelope(resource, core.explore(
            resource, actor, body, request.args.get("page"), request.args.get("length")), actor))

    def search():
        return jsonify(search_envelope(resource, current_actor(), json_body()))

    def table():
        return jsonify(core.table(resource, current_actor(), table_params()))

    def get(object_id):
        actor = current_actor()
        return jsonify(one(resource, "get", core.get(resource, actor, object_id), actor))

    def update(object_id):
        actor = current_actor()
        return jsonify(one(resource, "update", writing.update(
            resource, actor, object_id, json_body(required=not resource.file_inputs),
            request.files), actor))

    def delete(object_id):
        writing.delete(resource, current_actor(), object_id)
        return jsonify({"deleted": True})

    rules = [rule for rule in [
        (f"/{name}/create", "create", create, ["POST"]),
        (f"/{name}/explore", "explore", explore, ["POST", "GET"]),
        (f"/{name}/search", "search", search, ["POST"]),
        (f"/{name}/table", "table", table, ["POST"]),
        (f"/{name}/<object_id>", "get", get, ["GET"]),
        (f"/{name}/<object_id>/update", "update", update, ["PUT", "POST"]),
        (f"/{name}/<object_id>/delete", "delete", delete, ["DELETE"]),
    ] if rule[1] in resource.endpoints]
    if resource.upload is not None:
        spec = resource.upload
        if spec.style == "picture":
            def upload_picture():
                owner = request.form.get(spec.owner_field)
                if owner in (None, ""):
                    raise Invalid(fields={spec.owner_field: "Wajib diisi."})
                obj, file_name = writing.upload(resource, current_actor(), owner,
                                                request.files.get("picture"))
                return jsonify({"image_upload": True, "img": file_name,
                                "img_path": public_url(spec.kind, file_name)})
            rules.append((f"/{name}/picture/upload", "upload", upload_picture, ["POST"]))
        else:
            def upload_files(object_id):
                obj, file_name = writing.upload(resource, current_actor(), object_id,
                                                request.files.get("picture"))
                if "upload" in resource.envelopes:
                    return jsonify({resource.envelope("upload"): resource.serialize(
                        obj, current_actor(), "detail")})
                return jsonify({"images": {"id": obj.id, "image_upload": True,
                                           "img_path": public_url(spec.kind, file_name)}})
            rules.append((f"/{name}/<object_id>/uploads", "upload", upload_files, ["POST"]))
    for rule, kind, view, methods in rules:
        if kind in resource.rate_limits:
            view = limiter.limit(configured(resource.rate_limits[kind]),
                                 exempt_when=office_caller)(view)
        bp.add_url_rule(rule, f"{name}_{kind}", view, methods=methods)


def configured(key: str):
    """The rate limit named by a config key, read at each request."""
    return lambda: current_app.config[key]


def office_caller() -> bool:
    """The clinic's office works through the API too; rate limits are for the public."""
    return is_office(current_actor())


def register_all():
    """Add the eight generated endpoints of every declared resource."""
    for resource in REGISTRY.values():
        _routes_for(resource)
