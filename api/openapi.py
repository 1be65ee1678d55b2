"""The OpenAPI 3 document, generated from the declarations and the custom actions."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, render_template

from services.engine import REGISTRY
from services.engine.resource import PUBLIC

from . import bp
from .resources import ACTIONS

ERROR = {"description": "Error envelope", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}


# What any operation may answer besides 200, each in the error envelope: malformed (400),
# not signed in (401), not allowed (403), unknown (404), another method (405), a conflict
# or wrong state (409), a body over MAX_CONTENT_LENGTH (413), invalid fields (422),
# throttled (429).
ERROR_STATUSES = ("400", "401", "403", "404", "405", "409", "413", "422", "429")


def _ok(description, example=None, answers="object"):
    if answers == "pdf":  # a document (an invoice), not JSON
        return {"description": description, "content": {"application/pdf": {
            "schema": {"type": "string", "format": "binary"}}}}
    content = {"application/json": {"schema": {"type": answers}}}
    if example is not None:
        content["application/json"]["example"] = example
    return {"description": description, "content": content}


def _operation(summary, *, tag, public=False, body_ref=None, body_schema=None, path_param=False,
               query=(), form=False, responses=None):
    operation = {"summary": summary, "tags": [tag], "responses": {
        "200": responses or _ok("OK"), **dict.fromkeys(ERROR_STATUSES, ERROR)}}
    if public:
        operation["security"] = []
    parameters = []
    # path_param: True for the usual {object_id}, or the names of the path's parameters
    names = ("object_id",) if path_param is True else tuple(path_param or ())
    for name in names:
        parameters.append({"name": name, "in": "path", "required": True,
                           "schema": {"type": "integer" if name == "object_id" else "string"}})
    for name, default in query:
        parameters.append({"name": name, "in": "query", "schema": {"type": "integer",
                                                                    "default": default}})
    if parameters:
        operation["parameters"] = parameters
    if body_ref:
        operation["requestBody"] = {"content": {"application/json": {"schema": {
            "$ref": f"#/components/schemas/{body_ref}"}}}}
    elif body_schema:
        mime = "application/x-www-form-urlencoded" if form else "application/json"
        operation["requestBody"] = {"content": {mime: {"schema": body_schema}}}
    return operation


def build_spec() -> dict:
    """Assemble the document for every declared resource and custom action."""
    spec = APISpec(title="Colederma API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   servers=[{"url": current_app.config["PUBLIC_BASE_URL"] + "/api"}],
                   components={"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
                   security=[{"bearer": []}])
    spec.components.schema("Error", {"type": "object", "properties": {
        "status": {"type": "string", "example": "error"},
        "exception": {"type": "object", "properties": {
            "error_code": {"type": "string"}, "message": {"type": "string"},
            "fields": {"type": "object"}}}}})
    for name, resource in sorted(REGISTRY.items()):
        for creating in (True, False):
            spec.components.schema(f"{name}_{'create' if creating else 'update'}",
                                   schema=type(resource.schema(creating)))
        public_read = resource.access.get("read") == PUBLIC
        public_create = resource.access.get("create") == PUBLIC
        filters = {"type": "object", "properties": {key: {} for key in resource.filters}}
        columns = ", ".join(f"{index}: {column}" for index, column in
                            enumerate(resource.table_columns))
        paths = {
            f"/{name}/create": {"post": _operation(f"Create {name}", tag=name,
                                                   public=public_create,
                                                   body_ref=f"{name}_create")},
            f"/{name}/explore": {"post": _operation(
                f"Paginated list of {name}", tag=name, public=public_read, body_schema=filters,
                query=(("page", 1), ("length", 10)))},
            f"/{name}/search": {"post": _operation(f"Filtered list of {name}", tag=name,
                                                   public=public_read, body_schema=filters)},
            f"/{name}/table": {"post": _operation(
                f"DataTables server-side list of {name}; columns {columns}", tag=name,
                public=public_read, form=True, body_schema={"type": "object", "properties": {
                    "draw": {"type": "integer"}, "start": {"type": "integer"},
                    "length": {"type": "integer"}, "search[value]": {"type": "string"},
                    "order[0][column]": {"type": "integer"}, "order[0][dir]": {"type": "string"},
                    **{key: {} for key in resource.filters}}})},
            f"/{name}/{{object_id}}": {"get": _operation(f"One {name}", tag=name,
                                                         public=public_read, path_param=True)},
            f"/{name}/{{object_id}}/update": {"put": _operation(
                f"Change {name}", tag=name, path_param=True, body_ref=f"{name}_update")},
            f"/{name}/{{object_id}}/delete": {"delete": _operation(
                f"Delete {name}", tag=name, path_param=True,
                responses=_ok("Deleted", {"deleted": True}))},
        }
        if resource.upload is not None:
            upload_body = {"type": "object", "properties": {
                "picture": {"type": "string", "format": "binary"}}}
            if resource.upload.style == "picture":
                upload_body["properties"][resource.upload.owner_field] = {"type": "integer"}
                path = f"/{name}/picture/upload"
                operation = _operation(f"Upload the picture of a {name}", tag=name)
            else:
                path = f"/{name}/{{object_id}}/uploads"
                operation = _operation(f"Upload the picture of a {name}", tag=name,
                                       path_param=True)
            operation["requestBody"] = {"content": {"multipart/form-data": {"schema": upload_body}}}
            paths[path] = {"post": operation}
        generated = {f"/{name}/create": "create", f"/{name}/explore": "explore",
                     f"/{name}/search": "search", f"/{name}/table": "table",
                     f"/{name}/{{object_id}}": "get", f"/{name}/{{object_id}}/update": "update",
                     f"/{name}/{{object_id}}/delete": "delete"}
        for path, operations in paths.items():
            if path in generated and generated[path] not in resource.endpoints:
                continue
            if resource.file_inputs and path in (f"/{name}/create", f"/{name}/{{object_id}}/update"):
                for operation in operations.values():
                    properties = {field: {"type": "string", "format": "binary"}
                                  for field in resource.file_inputs}
                    operation["requestBody"]["content"]["multipart/form-data"] = {
                        "schema": {"type": "object", "properties": properties}}
            spec.path(path=path, operations=operations)
    for item in ACTIONS:
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", item["path"])
        operation = _operation(item["summary"], tag=item["path"].split("/")[0],
                               public=item["public"],
                               path_param=re.findall(r"\{(\w+)\}", path),
                               responses=_ok("OK", answers=item["answers"]),
                               body_schema={"type": "object", "properties": {
                                   key: {"type": "string", "description": kind}
                                   for key, kind in item["body"].items()}} if item["body"] else None)
        if item["doc"]:
            operation["description"] = item["doc"]
        spec.path(path=path, operations={method.lower(): operation for method in item["methods"]})
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document."""
    return jsonify(build_spec())


@bp.get("/docs")
def docs():
    """Browsable API documentation (Swagger UI, served from local files)."""
    return render_template("api/docs.html")
