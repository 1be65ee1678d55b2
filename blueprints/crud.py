"""Generic admin screens (list, detail, form, picture, delete) driven by the resource declarations
and their admin views."""
import math
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, request
from marshmallow import ValidationError
from marshmallow import fields as ma
from sqlalchemy import DateTime

from app.auth import current_actor, requires
from services.access import STAFF
from services.engine import REGISTRY, core, writing
from services.engine.fields import Flag, FlexDate, FlexDateTime, Html, Money, Number, Phone
from services.engine.gallery import PICTURE
from services.errors import DomainError, Problems

from .render import go, inline_refusal, refusal_text, render, toast, toast_refusal
from .views import view_for

bp = Blueprint("crud", __name__, url_prefix="/admin")
PAGE_LENGTH = 15


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Every generic screen is for signed-in staff; the engine checks each action."""


def resource_or_404(name):
    """The declaration behind a URL, or 404."""
    resource = REGISTRY.get(name)
    if resource is None:
        abort(404)
    return resource


MAX_PAGE = 1_000_000  # a page past this is the last page anyway


def list_state(view):
    """Search text, sort column, direction and page from the query string."""
    sort = request.args.get("sort", "")
    if sort not in view.list_columns or not view.sortable(sort):
        sort = ""
    page = request.args.get("page", "1").strip()
    page = min(max(int(page), 1), MAX_PAGE) if page.isdigit() and len(page) < 10 else 1
    filters = {name: request.args.get(name, "").strip()[:50] for name in view.list_filters
               if request.args.get(name, "").strip()}
    period = list_period(view)
    return {"q": request.args.get("q", "").strip()[:100], "sort": sort,
            "dir": "desc" if request.args.get("dir") == "desc" else "asc", "page": page,
            "filters": filters, "period": period,
            "kept": {**filters, **period["args"]}}  # what the list's links keep


def list_period(view) -> dict:
    """The clinic days a list is narrowed to by ?dari=&sampai= (dd/mm/yyyy, both included;
    the dashboard's cards link so), on the view's `period_column`: {"first", "last"} (dates
    or None) and the arguments to keep in the links; a date not understood is left out."""
    period = {"first": None, "last": None, "args": {}}
    if view.period_column is None:
        return period
    for name, key in (("dari", "first"), ("sampai", "last")):
        text = request.args.get(name, "").strip()[:20]
        if not text:
            continue
        try:
            period[key] = FlexDate().deserialize(text)
        except (ValidationError, TypeError, ValueError):
            continue
        period["args"][name] = text
    return period


def period_scope(view, period):
    """The scope (stmt -> stmt) narrowing a list to its period: [first 00:00, the day after
    last 00:00) of a datetime column, first … last of a date column; None without one."""
    if not (period["first"] or period["last"]):
        return None
    column = view.period_column()
    is_datetime = isinstance(column.type, DateTime)
    conditions = []
    if period["first"]:
        conditions.append(column >= (datetime.combine(period["first"], time.min)
                                     if is_datetime else period["first"]))
    if period["last"]:
        conditions.append(column < datetime.combine(period["last"] + timedelta(days=1), time.min)
                          if is_datetime else column <= period["last"])
    return lambda stmt: stmt.where(*conditions)


def filter_controls(view):
    """The list screen's filter selects: name, label and choices."""
    return [{"name": name, "label": view.label_for(name), "choices": view.filter_choices(name)}
            for name in view.list_filters]


def list_page(view, actor, default_sort: str = ""):
    """One page of a list screen: the context its templates need (rows, state, counts)."""
    resource = view.resource
    state = list_state(view)
    sort = state["sort"] or default_sort or view.default_sort
    total, filtered, rows = core.find(
        resource, actor, state["filters"], text=state["q"],
        order_by=view.sort_expression(sort) if sort else None,
        descending=state["dir"] == "desc", offset=(state["page"] - 1) * PAGE_LENGTH,
        limit=PAGE_LENGTH, scope=period_scope(view, state["period"]))
    return {"resource": resource, "view": view, "rows": rows, "state": state, "total": total,
            "filtered": filtered, "pages": max(math.ceil(filtered / PAGE_LENGTH), 1),
            "columns": view.list_columns, "filters": filter_controls(view),
            "can_create": view.permits(actor, "create"),
            "can_delete": view.permits(actor, "delete"),
            **view.list_context(rows, actor)}


@bp.get("/<name>/")
def index(name):
    """List with search, sort and pages; HTMX asks for the list part only."""
    view = view_for(resource_or_404(name))
    return render("crud/index.html", "crud/_list.html", **list_page(view, current_actor()))


def form_fields(view, creating, actor):
    """Describe the inputs this actor may set: name, label, widget, choices, limits."""
    resource = view.resource
    described = []
    inputs = dict(resource.input_fields(creating))
    for name, spec in resource.file_inputs.items():
        inputs[name] = ma.Raw(required=creating and spec.required)
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
            widget = "datetime"
        elif isinstance(field, FlexDate):
            widget = "date"
        elif isinstance(field, Html):
            widget = "textarea"
        elif isinstance(field, ma.List):
            widget = "multi"
        elif isinstance(field, Money):
            widget = "money"
        elif isinstance(field, Phone):
            widget = "tel"
        elif isinstance(field, Number):
            widget = "number"
        if widget in ("text", "number") and view.choices_for(name) is not None:
            widget = "select"
        limit = None
        for check in getattr(field, "validators", []):
            limit = getattr(check, "max", None) or limit
        if name in resource.file_inputs:
            widget = "file"
        described.append({"name": name, "label": view.label_for(name), "widget": widget,
                          "richtext": isinstance(field, Html),  # js/richtext.js edits it
                          "required": field.required or name in view.form_required,
                          "maxlength": limit,
                          "choices": view.choices_for(name), "help": view.help_for(name)})
    return described


def payload_from_form(view, creating):
    """The submitted form as the same payload the API takes."""
    payload = {}
    for spec in form_fields(view, creating, current_actor()):
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


def check_screen_required(view, payload, actor, obj=None):
    """The inputs the screens require though the API may leave them out (a user's roles):
    when one is missing, refuse with the engine's problems of the same payload beside it, so
    the form still shows every problem at once."""
    shown = {spec["name"] for spec in form_fields(view, obj is None, actor)}
    problems = Problems()
    for name, message in view.form_required.items():
        if name in shown and payload.get(name) in (None, "", []):
            problems.add(name, message)
    if problems:
        with problems.collect():
            writing.validate_input(view.resource, actor, payload, obj)
        problems.raise_if_any()


CONFIRM_WARNING = "confirm_warning"  # the checkbox that saves a new object despite a warning


def _form(view, obj, values, refusal=None, warning=None):
    creating = obj is None
    return render("crud/form.html", "crud/_form.html", status=422 if refusal else 200,
                  resource=view.resource, view=view, obj=obj,
                  fields=form_fields(view, creating, current_actor()), values=values,
                  errors=refusal.fields if refusal else {},
                  message=refusal.message if refusal else None, warning=warning,
                  confirm_warning=CONFIRM_WARNING)


@bp.route("/<name>/new", methods=["GET", "POST"])
def create(name):
    """Create form; errors come back inline."""
    resource = resource_or_404(name)
    view = view_for(resource)
    actor = current_actor()
    view.refuse_unoffered("create")
    core.require(resource, actor, "create")
    if request.method == "GET":
        return _form(view, None, view.new_form_values(actor))
    payload = payload_from_form(view, True)
    warning = None
    if request.form.get(CONFIRM_WARNING) != "1":
        warning = view.creation_warning(payload, actor)
    try:
        check_screen_required(view, payload, actor)
        if warning:  # the form comes back once, asking to confirm (with any other problem)
            writing.validate_input(resource, actor, payload)
            return _form(view, None, payload, warning=warning)
        created = writing.create(resource, actor, payload, request.files)
    except DomainError as exc:
        return _form(view, None, payload, inline_refusal(exc), warning=warning)
    flash(f"{resource.label} berhasil dibuat.", "success")
    return go("crud.detail", name=name, object_id=created.id)


@bp.get("/<name>/<int:object_id>")
def detail(name, object_id):
    """One object with its actions."""
    resource = resource_or_404(name)
    actor = current_actor()
    obj = core.get(resource, actor, object_id)
    view = view_for(resource)
    return render([f"{name}/detail.html", "crud/detail.html"], resource=resource, view=view,
                  obj=obj, **view.detail_context(obj, actor),
                  can_update=view.permits_object(actor, "update", obj),
                  can_delete=view.permits_object(actor, "delete", obj))


@bp.route("/<name>/<int:object_id>/edit", methods=["GET", "POST"])
def edit(name, object_id):
    """Edit form; errors come back inline."""
    resource = resource_or_404(name)
    view = view_for(resource)
    actor = current_actor()
    view.refuse_unoffered("update")
    obj = core.load(resource, actor, object_id, "update")
    if request.method == "GET":
        resource.after_read([obj], actor, "edit")  # the form shows the current values
        return _form(view, obj, view.form_values(obj))
    payload = payload_from_form(view, False)
    try:
        check_screen_required(view, payload, actor, obj)
        writing.update(resource, actor, object_id, payload, request.files)
    except DomainError as exc:
        return _form(view, obj, payload, inline_refusal(exc))
    flash(f"{resource.label} berhasil disimpan.", "success")
    return go("crud.detail", name=name, object_id=object_id)


@bp.post("/<name>/<int:object_id>/picture")
def picture(name, object_id):
    """Upload the one picture of an object that has one (a category, a promotion): checked
    and re-encoded; back to its page with what happened."""
    resource = resource_or_404(name)
    if resource.upload is None:
        abort(404)
    actor = current_actor()
    core.load(resource, actor, object_id, "update")  # may not change it: the error page
    try:
        writing.upload(resource, actor, object_id, request.files.get(PICTURE))
    except DomainError as exc:
        flash(refusal_text(inline_refusal(exc)), "danger")
    else:
        flash("Gambar diperbarui.", "success")
    return go("crud.detail", name=name, object_id=object_id)


@bp.route("/<name>/<int:object_id>/delete", methods=["POST", "DELETE"])
def delete(name, object_id):
    """Delete after confirmation; HTMX removes the row and shows a toast."""
    resource = resource_or_404(name)
    actor = current_actor()
    try:
        view_for(resource).refuse_unoffered("delete")
        writing.delete(resource, actor, object_id)
    except DomainError as exc:
        return toast_refusal(exc)
    if request.headers.get("HX-Request") and request.args.get("from") == "list":
        return render("crud/_nothing.html", trigger=toast(f"{resource.label} dihapus."))
    flash(f"{resource.label} dihapus.", "success")
    return go("crud.index", name=name)
