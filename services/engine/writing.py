"""The engine's writes: validate an input, then create, update, delete or upload for any
resource, with the pictures sent alongside and the commit that turns a constraint violation
into 409 (reading and the access checks the writes rely on are in core.py)."""

from marshmallow import ValidationError
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from models import clinic_now, db
from services import audit
from services.errors import BadRequest, Conflict, Forbidden, Invalid, Problems

from .core import load, require
from .resource import Resource


def validate_input(resource: Resource, actor, payload, obj=None) -> dict:
    """Check who may set what, then types, lengths, the declaration's rules, references and
    uniqueness, all in one pass: every problem comes back at once (first message per field).
    The later stages see the fields that passed the earlier ones."""
    if not isinstance(payload, dict):
        raise BadRequest("Isi permintaan harus berupa objek JSON.")
    creating = obj is None
    refused = {name: "Anda tidak boleh mengubah isian ini." for name, roles in
               resource.input_roles.items()
               if name in payload and not (actor is not None and actor.role_codes & set(roles))}
    if refused:
        raise Forbidden("Beberapa isian tidak boleh Anda ubah.", fields=refused)
    problems = Problems()
    try:
        data = resource.schema(creating).load(payload)
    except ValidationError as exc:
        problems.merge(Invalid(fields={name: _first(messages)
                                       for name, messages in exc.normalized_messages().items()}))
        data = dict(exc.valid_data or {})
    data = _checked_by_declaration(resource, data, actor, obj, problems)
    for name, model in resource.foreign_keys().items():
        value = data.get(name)
        if value is None or name in problems:
            continue
        target = db.session.get(model, value)
        if target is None or getattr(target, "deleted_at", None) is not None:
            problems.add(name, "Data yang dirujuk tidak ditemukan.")
    for name in resource.unique:
        value = data.get(name)
        if value in (None, "") or name in problems:
            continue
        column = getattr(resource.model, name)
        stmt = select(resource.model.id).where(func.lower(column) == str(value).lower())
        if obj is not None:
            stmt = stmt.where(resource.model.id != obj.id)
        if db.session.execute(stmt.limit(1)).first():
            problems.add(name, "Sudah digunakan.")
    problems.raise_if_any()
    return data


def _checked_by_declaration(resource: Resource, data: dict, actor, obj, problems: Problems):
    """The declaration's own rules (its validate hook) on the data that passed the schema;
    its field problems join `problems`. A hook written for complete data may trip over the
    fields the schema already refused: then those problems are the answer."""
    try:
        return resource.validate(data, actor, obj)
    except Invalid as exc:
        problems.merge(exc)
    except (KeyError, TypeError, ValueError, AttributeError):
        if not problems:
            raise
    return data


def _first(messages):
    if isinstance(messages, list):
        return _first(messages[0]) if messages else ""
    if isinstance(messages, dict):
        return {key: _first(value) for key, value in messages.items()}
    return str(messages)


def commit_or_conflict():
    """Commit; a constraint violation rolls back and becomes 409."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict() from exc


def flush_or_conflict():
    """Flush (to learn new ids); a constraint violation rolls back and becomes 409 (a
    duplicate the database catches, e.g. two identical creates at the same moment)."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict() from exc


def _store_files(resource: Resource, obj, files, creating: bool):
    """Save the pictures sent with a create or update; returns (saved, replaced) names."""
    from services.uploads import save_image

    saved, replaced = [], []
    for field, spec in resource.file_inputs.items():
        upload_file = (files or {}).get(field)
        if upload_file is None or not getattr(upload_file, "filename", ""):
            if creating and spec.required:
                raise Invalid(fields={field: "Pilih berkas gambar."})
            continue
        name = save_image(upload_file, spec.kind, field)
        saved.append((spec.kind, name))
        previous = getattr(obj, spec.column, None)
        if previous:
            replaced.append((spec.kind, previous))
        setattr(obj, spec.column, name)
    return saved, replaced


def _remove(files):
    from services.uploads import remove_file

    for kind, name in files:
        remove_file(kind, name)


def create(resource: Resource, actor, payload, files=None):
    """Validate and insert one object (with its pictures); returns it."""
    require(resource, actor, "create")
    saved = []
    try:
        data = validate_input(resource, actor, payload)
        obj = resource.model()
        resource.apply(obj, data, actor)
        saved, _ = _store_files(resource, obj, files, creating=True)
        db.session.add(obj)
        flush_or_conflict()
        resource.after_save(obj, data, actor, created=True)
        audit.record("create", actor, resource.name, obj.id, resource.describe(obj))
        commit_or_conflict()
    except Exception:
        db.session.rollback()
        _remove(saved)
        raise
    return obj


def update(resource: Resource, actor, object_id, payload, files=None):
    """Validate and change one object (replacing pictures sent); returns it."""
    obj = load(resource, actor, object_id, "update")
    saved = []
    try:
        data = validate_input(resource, actor, payload, obj)
        resource.apply(obj, data, actor)
        saved, replaced = _store_files(resource, obj, files, creating=False)
        resource.after_save(obj, data, actor, created=False)
        audit.record("update", actor, resource.name, obj.id,
                     f"{resource.describe(obj)}: {', '.join(sorted(data)) or '-'}")
        commit_or_conflict()
    except Exception:
        db.session.rollback()
        _remove(saved)
        raise
    _remove(replaced)
    return obj


def delete(resource: Resource, actor, object_id):
    """Delete (or soft-delete) one object; returns it (detached when removed)."""
    obj = load(resource, actor, object_id, "delete")
    try:
        resource.before_delete(obj, actor)
        audit.record("delete", actor, resource.name, obj.id, resource.describe(obj))
        files = []
        if resource.soft_delete:
            obj.deleted_at = clinic_now()
        else:
            files = resource.files_of(obj)
            if not inspect(obj).was_deleted:  # before_delete may have removed it already
                db.session.delete(obj)  # (an order line taken out of its order's lines)
        commit_or_conflict()
    except Exception:
        db.session.rollback()
        raise
    _remove(files)
    return obj


def upload(resource: Resource, actor, object_id, file_storage):
    """Store a new picture for an object, replacing (and removing) the old one."""
    from services.uploads import remove_file, save_image

    spec = resource.upload
    obj = load(resource, actor, object_id, "update")
    name = save_image(file_storage, spec.kind)
    previous = getattr(obj, spec.column)
    try:
        setattr(obj, spec.column, name)
        audit.record("upload", actor, resource.name, obj.id, name)
        commit_or_conflict()
    except Exception:
        db.session.rollback()
        remove_file(spec.kind, name)
        raise
    if previous and previous != name:
        remove_file(spec.kind, previous)
    return obj, name
