"""Generic admin screens (list, detail, form, delete) driven by the resource declarations."""
import math

from flask import Blueprint, abort, flash, request
from marshmallow import fields as ma

from app.auth import current_actor, requires
from models import STAFF_ROLES
from services.engine import REGISTRY, core
from services.engine.fields import Flag, FlexDate, FlexDateTime, Html, Number
from services.errors import DomainError

from .render import go, render, toast

bp = Blueprint("crud", __name__, url_prefix="/admin")
PAGE_LENGTH = 15


@bp.before_request
@requires(*STAFF_ROLES)
def staff_only():
    """Every generic screen is for signed-in staff; the engine checks each action."""


def resource_or_404(name):
    """The declaration behind a URL, or 404."""
    resource = REGISTRY.get(name)
    if resource is None:
        abort(404)
    return resource


def list_columns(resource):
    """Columns of the list screen."""
    return resource.admin_columns or resource.table_columns[:6]


def list_state(resource):
    """Search text, sort column, direction and page from the query string."""
    sort = request.args.get("sort", "")
    if sort not in list_columns(resource) or resource.column_expr(sort) is None:
        sort = ""
    try:
        page = max(int(request.args.get("page", 1)), 1)
    except ValueError:
        page = 1
    filters = {name: request.args.get(name, "").strip()[:50] for name in resource.admin_filters
               if request.args.get(name, "").strip()}
    return {"q": request.args.get("q", "").strip()[:100], "sort": sort,
            "dir": "desc" if request.args.get("dir") == "desc" else "asc", "page": page,
            "filters": filters}


def filter_controls(resource):
    """The list screen's filter selects: name, label and choices."""
    controls = []
    for name in resource.admin_filters:
        choices = resource.choices_for(name)
        if choices is None:
            choices = [("1", "Ya"), ("0", "Tidak")]
        controls.append({"name": name, "label": resource.label_for(name), "choices": choices})
    return controls


@bp.get("/<name>/")
def index(name):
    """List with search, sort and pages; HTMX asks for the list part only."""
    resource = resource_or_404(name)
    actor = current_actor()
    state = list_state(resource)
    total, filtered, rows = core.find(
        resource, actor, state["filters"], text=state["q"], order_column=state["sort"] or None,
        descending=state["dir"] == "desc", offset=(state["page"] - 1) * PAGE_LENGTH,
        limit=PAGE_LENGTH)
    pages = max(math.ceil(filtered / PAGE_LENGTH), 1)
    return render("crud/index.html", "crud/_list.html", resource=resource, rows=rows,
                  columns=list_columns(resource), state=state, total=total, filtered=filtered,
                  pages=pages, can_create=core.allowed(resource, actor, "create"),
                  filters=filter_controls(resource),
                  can_delete=core.allowed(resource, actor, "delete"))


def form_fields(resource, creating, actor):
    """Describe the inputs this actor may set: name, label, widget, choices, limits."""
    described = []
    inputs = dict(resource.input_fields(creating))
    for name, spec in resource.file_inputs.items():
        from marshmallow import fields as file_fields
        inputs[name] = file_fields.Raw(required=creating and spec.required)
    for name, field in inputs.items():
        roles = resource.input_roles.get(name)
        if roles and not actor.has_role(*roles):
            continue
        widget = "text"
        if "password" in name:
            widget = "password"
        elif isinstance(field, Flag):
            widget = "checkbox"
        elif isinstance(field, FlexDateTime):
            widget = "datetime-local"
        elif isinstance(field, FlexDate):
            widget = "date"
        elif isinstance(field, Html):
            widget = "textarea"
        elif isinstance(field, ma.List):
            widget = "multi"
        elif isinstance(field, Number):
            widget = "number"
        if widget in ("text", "number") and resource.choices_for(name) is not None:
            widget = "select"
        limit = None
        for check in getattr(field, "validators", []):
            limit = getattr(check, "max", None) or limit
        if name in resource.file_inputs:
            widget = "file"
        described.append({"name": name, "label": resource.label_for(name), "widget": widget,
                          "required": field.required, "maxlength": limit,
                          "choices": resource.choices_for(name),
                          "help": resource.form_help.get(name, "")})
    return described


def form_values(resource, obj):
    """Current values of an object for its edit form."""
    values = {}
    for name in resource.inputs:
        values[name] = getattr(obj, name, None)
    if hasattr(resource, "form_extra_values"):
        values.update(resource.form_extra_values(obj))
    return values


def payload_from_form(resource, creating):
    """The submitted form as the same payload the API takes."""
    payload = {}
    for spec in form_fields(resource, creating, current_actor()):
        name = spec["name"]
        if spec["widget"] == "file":
            continue
        if spec["widget"] == "checkbox":
            payload[name] = name in request.form
        elif spec["widget"] == "multi":
            payload[name] = request.form.getlist(name)
        elif name in request.form:
            payload[name] = request.form[name]
    return payload


def _form(resource, obj, values, errors=None, status=200, message=None):
    creating = obj is None
    return render("crud/form.html", "crud/_form.html", status=status, resource=resource, obj=obj,
                  fields=form_fields(resource, creating, current_actor()), values=values, errors=errors or {},
                  message=message)


@bp.route("/<name>/new", methods=["GET", "POST"])
def create(name):
    """Create form; errors come back inline."""
    resource = resource_or_404(name)
    actor = current_actor()
    core.require(resource, actor, "create")
    if request.method == "GET":
        return _form(resource, None, {})
    payload = payload_from_form(resource, True)
    try:
        answer = core.create(resource, actor, payload, request.files)
    except DomainError as exc:
        if exc.status in (401, 404):
            raise
        return _form(resource, None, payload, exc.fields, 422, exc.message)
    created = answer[resource.envelope("create")]
    flash(f"{resource.label} berhasil dibuat.", "success")
    return go("crud.detail", name=name, object_id=created["id"])


@bp.get("/<name>/<int:object_id>")
def detail(name, object_id):
    """One object with its actions."""
    resource = resource_or_404(name)
    actor = current_actor()
    obj = core.load(resource, actor, object_id)
    resource.after_read([obj], actor, "get")
    return render([f"{name}/detail.html", "crud/detail.html"], resource=resource, obj=obj,
                  data=resource.serialize(obj, actor, "detail"),
                  can_update=core.allowed(resource, actor, "update")
                  or core.may_own(resource, actor, "update"),
                  can_delete=core.allowed(resource, actor, "delete"))


@bp.route("/<name>/<int:object_id>/edit", methods=["GET", "POST"])
def edit(name, object_id):
    """Edit form; errors come back inline."""
    resource = resource_or_404(name)
    actor = current_actor()
    obj = core.load(resource, actor, object_id, "update")
    if request.method == "GET":
        resource.after_read([obj], actor, "edit")  # the form shows the current values
        return _form(resource, obj, form_values(resource, obj))
    payload = payload_from_form(resource, False)
    try:
        core.update(resource, actor, object_id, payload, request.files)
    except DomainError as exc:
        if exc.status in (401, 404):
            raise
        return _form(resource, obj, payload, exc.fields, 422, exc.message)
    flash(f"{resource.label} berhasil disimpan.", "success")
    return go("crud.detail", name=name, object_id=object_id)


@bp.route("/<name>/<int:object_id>/delete", methods=["POST", "DELETE"])
def delete(name, object_id):
    """Delete after confirmation; HTMX removes the row and shows a toast."""
    resource = resource_or_404(name)
    actor = current_actor()
    try:
        core.delete(resource, actor, object_id)
    except DomainError as exc:
        if request.headers.get("HX-Request") and exc.status in (403, 409):
            response = render("crud/_nothing.html", trigger=toast(exc.message, "danger"))
            response.headers["HX-Reswap"] = "none"
            return response
        raise
    if request.headers.get("HX-Request") and request.args.get("from") == "list":
        return render("crud/_nothing.html", trigger=toast(f"{resource.label} dihapus."))
    flash(f"{resource.label} dihapus.", "success")
    return go("crud.index", name=name)
