"""marshmallow's own messages in Bahasa Indonesia: the tables of its field, validator and
schema messages, and speak_indonesian, which sets them on marshmallow's classes (fields.py
calls it as it is imported, before any declaration builds a field, so no English default
such as "Not a valid integer." ever reaches a person)."""
from marshmallow import Schema, fields, validate

FIELD_MESSAGES = {
    fields.Field: {"required": "Wajib diisi.", "null": "Wajib diisi.",
                   "validator_failed": "Nilai tidak valid."},
    fields.Nested: {"type": "Bentuk data tidak valid."},
    fields.List: {"invalid": "Harus berupa daftar."},
    fields.Tuple: {"invalid": "Harus berupa daftar."},
    fields.String: {"invalid": "Harus berupa teks.", "invalid_utf8": "Teks tidak valid."},
    fields.UUID: {"invalid_uuid": "UUID tidak valid."},
    fields.Number: {"invalid": "Harus berupa angka.", "too_large": "Angka terlalu besar."},
    fields.Integer: {"invalid": "Harus berupa angka bulat."},
    fields.Float: {"special": "Harus berupa angka biasa."},
    fields.Decimal: {"special": "Harus berupa angka biasa."},
    fields.Boolean: {"invalid": "Harus berupa ya atau tidak (1/0)."},
    fields.DateTime: {"invalid": "Waktu tidak valid.", "invalid_awareness": "Waktu tidak valid.",
                      "format": "Waktu tidak dapat ditulis."},
    fields.Date: {"invalid": "Tanggal tidak valid.", "format": "Tanggal tidak dapat ditulis."},
    fields.Time: {"invalid": "Jam tidak valid.", "format": "Jam tidak dapat ditulis."},
    fields.TimeDelta: {"invalid": "Durasi tidak valid.", "format": "Durasi tidak dapat ditulis."},
    fields.Mapping: {"invalid": "Harus berupa objek."},
    fields.Url: {"invalid": "Alamat URL tidak valid."},
    fields.Email: {"invalid": "Alamat e-mail tidak valid."},
    fields.IP: {"invalid_ip": "Alamat IP tidak valid."},
    fields.IPv4: {"invalid_ip": "Alamat IP tidak valid."},
    fields.IPv6: {"invalid_ip": "Alamat IP tidak valid."},
    fields.IPInterface: {"invalid_ip_interface": "Alamat IP tidak valid."},
    fields.IPv4Interface: {"invalid_ip_interface": "Alamat IP tidak valid."},
    fields.IPv6Interface: {"invalid_ip_interface": "Alamat IP tidak valid."},
    fields.Enum: {"unknown": "Pilih salah satu: {choices}."},
}
VALIDATOR_MESSAGES = {
    validate.URL: {"default_message": "Alamat URL tidak valid."},
    validate.Email: {"default_message": "Alamat e-mail tidak valid."},
    validate.Range: {"message_min": "Harus {min_op} {{min}}.", "message_max": "Harus {max_op} {{max}}.",
                     "message_all": "Harus {min_op} {{min}} dan {max_op} {{max}}.",
                     "message_gte": "paling sedikit", "message_gt": "lebih dari",
                     "message_lte": "paling banyak", "message_lt": "kurang dari"},
    validate.Length: {"message_min": "Terlalu pendek (minimal {min}).",
                      "message_max": "Terlalu panjang (maksimal {max}).",
                      "message_all": "Panjang harus {min}–{max}.",
                      "message_equal": "Panjang harus {equal}."},
    validate.Equal: {"default_message": "Harus sama dengan {other}."},
    validate.Regexp: {"default_message": "Format tidak sesuai."},
    validate.Predicate: {"default_message": "Nilai tidak valid."},
    validate.NoneOf: {"default_message": "Nilai tidak valid."},
    validate.OneOf: {"default_message": "Pilih salah satu: {choices}."},
    validate.ContainsOnly: {"default_message": "Ada pilihan yang tidak dikenal; pilihan: {choices}."},
    validate.ContainsNoneOf: {"default_message": "Ada pilihan yang tidak diperbolehkan: {values}."},
}
SCHEMA_MESSAGES = {"type": "Isi permintaan harus berupa objek.", "unknown": "Isian tidak dikenal."}


def speak_indonesian():
    """Put marshmallow's default messages in Bahasa Indonesia (idempotent)."""
    for cls, messages in FIELD_MESSAGES.items():
        cls.default_error_messages = {**cls.__dict__.get("default_error_messages", {}),
                                      **messages}
    for cls, messages in VALIDATOR_MESSAGES.items():
        for attribute, message in messages.items():
            setattr(cls, attribute, message)
    Schema._default_error_messages = {**Schema._default_error_messages, **SCHEMA_MESSAGES}

