"""Routes generated from the resource declarations, plus the `action` decorator for the rest."""
from flask import jsonify, request

from services.engine import REGISTRY, core
from services.errors import Invalid
from services.uploads import public_url

from . import bp
from .auth import current_actor
from .body import json_body, table_params

ACTIONS = []  # (path, methods, summary, view function, request fields) for OpenAPI


def action(path: str, methods, summary: str, body: dict | None = None, public: bool = False):
    """Register a custom API action (and remember it for the OpenAPI document)."""
    def decorator(function):
        endpoint = "action_" + path.replace("/", "_").replace("<", "").replace(">", "").replace(":", "_")
        bp.add_url_rule("/" + path, endpoint, function, methods=list(methods))
        ACTIONS.append({"path": path, "methods": list(methods), "summary": summary,
                        "body": body or {}, "public": public, "doc": function.__doc__})
        return function
    return decorator


def _routes_for(resource):
    name = resource.name

    def create():
        return jsonify(core.create(resource, current_actor(), json_body(required=True),
                                   request.files))

    def explore():
        body = json_body() if request.method == "POST" else {
            key: value for key, value in request.args.items() if key not in ("page", "length")}
        return jsonify(core.explore(resource, current_actor(), body,
                                    request.args.get("page"), request.args.get("length")))

    def search():
        return jsonify(core.search(resource, current_actor(), json_body()))

    def table():
        return jsonify(core.table(resource, current_actor(), table_params()))

    def get(object_id):
        return jsonify(core.get(resource, current_actor(), object_id))

    def update(object_id):
        return jsonify(core.update(resource, current_actor(), object_id,
                                   json_body(required=not resource.file_inputs), request.files))

    def delete(object_id):
        return jsonify(core.delete(resource, current_actor(), object_id))

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
                obj, file_name = core.upload(resource, current_actor(), owner,
                                             request.files.get("picture"))
                return jsonify({"image_upload": True, "img": file_name,
                                "img_path": public_url(spec.kind, file_name)})
            rules.append((f"/{name}/picture/upload", "upload", upload_picture, ["POST"]))
        else:
            def upload_files(object_id):
                obj, file_name = core.upload(resource, current_actor(), object_id,
                                             request.files.get("picture"))
                if "upload" in resource.envelopes:
                    return jsonify({resource.envelope("upload"): resource.serialize(
                        obj, current_actor(), "detail")})
                return jsonify({"images": {"id": obj.id, "image_upload": True,
                                           "img_path": public_url(spec.kind, file_name)}})
            rules.append((f"/{name}/<object_id>/uploads", "upload", upload_files, ["POST"]))
    for rule, kind, view, methods in rules:
        bp.add_url_rule(rule, f"{name}_{kind}", view, methods=methods)


def register_all():
    """Add the eight generated endpoints of every declared resource."""
    for resource in REGISTRY.values():
        _routes_for(resource)
