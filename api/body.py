"""Reading request bodies: JSON objects, or form fields where the protocol sends forms."""
from flask import request

from services.errors import BadRequest

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def json_body(required: bool = False) -> dict:
    """The JSON object in the body ({} when empty); 400 when it is not a JSON object."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise BadRequest("Isi permintaan (JSON) wajib ada.")
        return {}
    data = request.get_json(silent=True, force=True)
    if data is None and request.mimetype in FORM_TYPES:
        return request.form.to_dict()
    if not isinstance(data, dict):
        raise BadRequest("Isi permintaan harus berupa objek JSON.", error_code="malformed_json")
    return data


def table_params() -> dict:
    """DataTables parameters: form-encoded as DataTables sends them, or a flat JSON object."""
    raw = request.get_data(cache=True)
    if request.mimetype in FORM_TYPES and not raw.lstrip().startswith(b"{"):
        return request.form.to_dict()
    data = json_body()
    flat = {}
    for key, value in data.items():
        if key == "search" and isinstance(value, dict):
            flat["search[value]"] = value.get("value", "")
        elif key == "order" and isinstance(value, list) and value and isinstance(value[0], dict):
            flat["order[0][column]"] = value[0].get("column")
            flat["order[0][dir]"] = value[0].get("dir", "asc")
        else:
            flat[key] = value
    return flat
