"""Reading request bodies: JSON objects or arrays, or form fields where the protocol sends
forms. A body that is not JSON, nests too deep, or holds text that is not Unicode (a lone
UTF-16 surrogate) is a 400, never an error of the server."""
from flask import request

from services.errors import BadRequest

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
EMPTY = object()


def _parsed_json():
    """The parsed JSON body, EMPTY when there is none, None when it is not JSON."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return EMPTY
    try:
        data = request.get_json(silent=True, force=True)
    except RecursionError as exc:
        raise BadRequest("Isi permintaan bersarang terlalu dalam.",
                         error_code="malformed_json") from exc
    if data is not None and not is_clean_text(data):
        raise BadRequest("Isi permintaan memuat karakter yang tidak valid.",
                         error_code="malformed_json")
    return data


def json_body(required: bool = False) -> dict:
    """The JSON object in the body ({} when empty); 400 when it is not a JSON object."""
    data = _parsed_json()
    if data is EMPTY:
        if required:
            raise BadRequest("Isi permintaan (JSON) wajib ada.")
        return {}
    if data is None and request.mimetype in FORM_TYPES:
        return request.form.to_dict()
    if not isinstance(data, dict):
        raise BadRequest("Isi permintaan harus berupa objek JSON.", error_code="malformed_json")
    return data


def json_list(example: str) -> list:
    """The JSON array in the body; 400 (naming the expected `example`) otherwise."""
    data = _parsed_json()
    if data is EMPTY:
        raise BadRequest("Isi permintaan (JSON array) wajib ada.")
    if not isinstance(data, list):
        raise BadRequest(f"Isi permintaan harus berupa daftar JSON: {example}.",
                         error_code="malformed_json")
    return data


def is_clean_text(value) -> bool:
    """True when every text in a parsed JSON value (keys too) is encodable Unicode. Walks
    the value without recursion, so any depth the parser accepted is checked."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


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
