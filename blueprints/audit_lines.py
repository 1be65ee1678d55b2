"""The audit log as sentences in Bahasa Indonesia, for the staff screens (the log list and
detail, the dashboard): "Stok Acne Night Cream di IORA Dago −1 oleh owner", "Janji temu #12
dibatalkan oleh admin". The stored rows and the API's answers stay as written; the sentence
is made when a page is drawn.

An object's name comes from what the entry stored (the generic create/update/delete store
the object's name) or, for the actions that store only an id, from the object itself, read
for the whole page in one query per kind of object; a row that is gone reads as "#id". The
people who acted are read the same way (a doctor reads as "dr. <name>")."""
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import User, db
from services.access import DOCTOR, ROLE_CODES, role_label
from services.engine import REGISTRY

from .views.base import view_for

ROLE_CODE = re.compile(r"\b(" + "|".join(ROLE_CODES) + r")\b")
RECORD_NUMBER = re.compile(r"#\d+")

# action -> its name in the log list's filter (the codes stay in the rows and the API)
ACTION_LABELS = {
    "create": "Dibuat", "update": "Diubah", "delete": "Dihapus", "upload": "Gambar diganti",
    "duplicate": "Produk toko disalin", "stock_set": "Stok diatur",
    "stock_adjust": "Stok ditambah/dikurangi", "book": "Janji dipesan",
    "reschedule": "Janji dijadwalkan ulang", "arrived": "Pasien datang",
    "done": "Janji selesai", "cancel": "Janji dibatalkan",
    "read_medical_record": "Rekam medis dibaca", "create_medical_record": "Rekam medis ditulis",
    "update_medical_record": "Rekam medis diubah", "delete_medical_record": "Rekam medis dihapus",
    "verify_medical_record": "Rekam medis diverifikasi",
    "unverify_medical_record": "Verifikasi rekam medis dibatalkan",
    "link_patient": "Pasien dihubungkan ke akun", "unlink_patient": "Pasien dilepas dari akun",
    "role_change": "Peran diubah", "release_slots": "Slot dilepas",
    "generate_slots": "Slot dibuat", "activate": "Slot dibuka", "unactivate": "Slot ditutup",
    "login": "Masuk", "login_failed": "Gagal masuk", "login_locked": "Masuk ditunda",
    "logout": "Keluar", "password_change": "Kata sandi diganti", "unblock": "Blokir dibuka",
    "create_owner": "Pemilik dibuat (baris perintah)", "order_step": "Langkah pesanan",
    "prescribe": "Resep diberikan", "close": "Konsultasi ditutup",
    "reopen": "Konsultasi dibuka kembali",
}
# actions whose entry stores no name of its object: the object is read for the page
NAMED_BY_OBJECT = frozenset({
    "upload", "stock_set", "stock_adjust", "reschedule", "arrived", "done", "cancel",
    "read_medical_record", "create_medical_record", "update_medical_record",
    "delete_medical_record", "verify_medical_record", "unverify_medical_record",
    "link_patient", "unlink_patient", "role_change", "release_slots", "generate_slots",
    "password_change", "unblock", "login_failed", "login_locked"})


def action_choices() -> list[tuple[str, str]]:
    """The actions for the log list's filter: (code, name), by name."""
    return sorted(ACTION_LABELS.items(), key=lambda pair: pair[1])


@dataclass
class Names:
    """What a page of entries needs beyond the rows: objects' and actors' names."""

    objects: dict = field(default_factory=dict)  # (object_type, id) -> name
    actors: dict = field(default_factory=dict)  # user id -> how they are named


def _object_name(resource, obj) -> str:
    name = resource.describe(obj)
    return name.replace(" @ ", " di ") if resource.name == "brandstore_menus" else name


def _actor_name(user) -> str:
    if DOCTOR in user.role_codes and user.users_fullname:
        fullname = user.users_fullname
        return fullname if fullname.lower().startswith("dr") else f"dr. {fullname}"
    return user.username


def read_names(entries) -> Names:
    """The names a page of entries needs, read in one query per kind of object (and one
    for the people who acted), whatever the number of entries."""
    wanted = {}
    for entry in entries:
        if entry.action in NAMED_BY_OBJECT and entry.object_id and \
                entry.object_type in REGISTRY:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names = Names()
    for object_type, ids in wanted.items():
        resource = REGISTRY[object_type]
        model = resource.model
        rows = db.session.execute(select(model).where(model.id.in_(ids)).options(
            *resource.eager)).scalars().unique().all()
        for row in rows:
            names.objects[(object_type, row.id)] = _object_name(resource, row)
    actor_ids = {entry.id_users for entry in entries if entry.id_users}
    if actor_ids:
        users = db.session.execute(select(User).where(User.id.in_(actor_ids)).options(
            selectinload(User.roles))).scalars().all()
        names.actors = {user.id: _actor_name(user) for user in users}
    return names


def sentences(entries) -> dict:
    """Each entry's sentence by its id, the names read once for all of them."""
    names = read_names(entries)
    return {entry.id: sentence(entry, names) for entry in entries}


# ---- one entry ------------------------------------------------------------------------------
def _label(object_type: str) -> str:
    resource = REGISTRY.get(object_type)
    return resource.label if resource is not None and resource.label else (object_type or "Objek")


def _roles_in_words(text: str) -> str:
    return ROLE_CODE.sub(lambda match: role_label(match.group(1)), text)


def _field_words(object_type: str, text: str) -> str:
    """"users_fullname, users_phone" as the screens name those fields."""
    if object_type not in REGISTRY:
        return text
    view = view_for(object_type)
    known = set(REGISTRY[object_type].inputs) | set(view.labels)
    return ", ".join(view.label_for(part) if part in known else part
                     for part in (piece.strip() for piece in text.split(",")) if part)


def _after(text: str, marker: str) -> str:
    return text.split(marker, 1)[1].strip() if marker in text else ""


class _Entry:
    """One entry with the names of its object and its actor at hand."""

    def __init__(self, entry, names: Names):
        self.entry = entry
        self.text = (entry.descriptions or "").strip()
        self.label = _label(entry.object_type)
        self.who = names.actors.get(entry.id_users) or entry.username or "sistem"
        self.named = names.objects.get((entry.object_type, entry.object_id))

    @property
    def number(self) -> str:
        return f"#{self.entry.object_id}" if self.entry.object_id else ""

    def name(self, stored: str = "") -> str:
        """The object's name: read from the object, else what was stored, else its id."""
        return self.named or stored or self.number or "(tanpa nama)"

    def by(self) -> str:
        return f"oleh {self.who}"


def _generic(item: _Entry) -> str:
    entry, text = item.entry, item.text
    if entry.action == "create":
        if entry.object_type == "users" and not entry.id_users:
            return f"{item.label} {item.name(text)} mendaftar sendiri"
        return f"{item.label} {item.name(text)} dibuat {item.by()}"
    if entry.action == "delete":
        return f"{item.label} {item.name(text)} dihapus {item.by()}"
    # update: "<name>: field, field" (or "<name>: urutan naik" for a picture moved)
    name, _, changed = text.rpartition(": ")
    if not name:
        name, changed = text, ""
    line = f"{item.label} {name or item.name()} diubah {item.by()}"
    if changed and changed != "-":
        line += f" ({_field_words(entry.object_type, changed)})"
    return line


def _store_stock(item: _Entry) -> str:
    product = item.name()
    if item.entry.action == "stock_set":
        amount = item.text.lstrip("= ").strip()
        return f"Stok {product} diatur menjadi {amount} {item.by()}"
    delta = item.text.replace("-", "−")  # a true minus sign: "−1"
    return f"Stok {product} {delta} {item.by()}"


def _appointment(item: _Entry) -> str:
    action, text = item.entry.action, item.text
    subject = f"Janji temu {item.number}"
    if item.named:
        subject += f" ({item.named})"
    if action == "book":
        line = f"Janji temu {item.number} dipesan {item.by()}"
        return f"{line}: {text}" if text else line
    verbs = {"reschedule": "dijadwalkan ulang", "arrived": "ditandai datang",
             "done": "diselesaikan", "cancel": "dibatalkan"}
    line = f"{subject} {verbs[action]} {item.by()}"
    if action == "reschedule" and text:
        return f"{line}: {text.replace(' -> ', ' → ')}"
    if action == "done" and text:
        return f"{line} (invoice {text})"
    if action == "cancel" and text:
        return f"{line}: {text}"
    return line


def _medical_record(item: _Entry) -> str:
    action, text = item.entry.action, item.text
    numbers = ", ".join(RECORD_NUMBER.findall(text))
    patient = f"pasien {item.name()}"
    if action == "read_medical_record":
        how = re.search(r"\(([^)]*)\)\s*$", text)
        line = f"Rekam medis {patient} dibaca {item.by()}"
        details = [part for part in (numbers, how.group(1) if how else "") if part]
        return f"{line} ({'; '.join(details)})" if details else line
    record = f"Rekam medis {numbers} {patient}" if numbers else f"Rekam medis {patient}"
    if action == "create_medical_record":
        return f"{record} ditulis {item.by()}"
    if action == "delete_medical_record":
        return f"{record} dihapus {item.by()}"
    version = re.search(r"versi \d+", text)
    suffix = f" ({version.group(0)})" if version else ""
    if action == "verify_medical_record":
        return f"{record} diverifikasi {item.by()}{suffix}"
    if action == "unverify_medical_record":
        return f"Verifikasi {record[0].lower()}{record[1:]} dibatalkan {item.by()}{suffix}"
    changed = re.search(r":\s*(.*?)\s*\(versi", text)
    fields = changed.group(1) if changed else ""
    details = [part for part in (fields if fields and fields != "tanpa perubahan" else "",
                                 version.group(0) if version else "") if part]
    line = f"{record} diubah {item.by()}"
    return f"{line} ({'; '.join(details)})" if details else line


def _patient_link(item: _Entry) -> str:
    text = item.text
    if item.entry.action == "link_patient":
        account = _after(text, "->")
        stored = text.split(" -> ", 1)[0] if " -> " in text else ""
        target = f" ke akun {account}" if account else " ke akun"
        return f"Pasien {item.name(stored)} dihubungkan{target} {item.by()}"
    account = _after(text, "lepas dari akun")
    stored = text.split(" lepas dari akun", 1)[0] if " lepas dari akun" in text else ""
    source = f" dari akun {account}" if account else " dari akunnya"
    return f"Pasien {item.name(stored)} dilepas{source} {item.by()}"


def _role_change(item: _Entry) -> str:
    text = item.text
    person = item.named or (text.split(":", 1)[0] if re.match(r"^[^:\s]+: ", text) else "") \
        or item.number
    change = _after(text, ": ") if re.match(r"^[^:\s]+: ", text) else text
    if change.startswith("cabut "):
        what = f"{_roles_in_words(change[6:].strip())} dicabut"
    elif change.startswith(("+", "-")) and ROLE_CODE.fullmatch(change[1:].strip()):
        what = f"{_roles_in_words(change[1:].strip())} " + (
            "diberikan" if change[0] == "+" else "dicabut")
    elif " -> " in change:
        before, after = change.split(" -> ", 1)
        what = (f"{', '.join(role_label(code) for code in before.split(',') if code) or '–'}"
                f" → {', '.join(role_label(code) for code in after.split(',') if code) or '–'}")
    elif ROLE_CODE.fullmatch(change):
        what = f"{role_label(change)} diberikan"
    else:
        what = _roles_in_words(change)
    line = f"Peran {person} diubah {item.by()}"
    return f"{line}: {what}" if what else line


def _slots(item: _Entry) -> str:
    action, text = item.entry.action, item.text
    if action in ("activate", "unactivate"):
        verb = "dibuka" if action == "activate" else "ditutup"
        return f"Slot {text or item.number} {verb} untuk pemesanan {item.by()}"
    doctor = item.name()
    verb = "dibuat" if action == "generate_slots" else "dilepas"
    line = f"Slot dokter {doctor} {verb} {item.by()}"
    return f"{line}: {text}" if text else line


def _account(item: _Entry) -> str:
    entry, text = item.entry, item.text
    action = entry.action
    person = item.named or entry.username or item.number
    if action == "login":
        return f"{item.who} masuk"
    if action == "logout":
        place = "layar admin" if text == "admin" else f"aplikasi {text}" if text else ""
        return f"{item.who} keluar" + (f" dari {place}" if place else "")
    if action == "login_failed":
        if not entry.object_id:
            return f"Percobaan masuk sebagai {entry.username or _after(text, '=')} gagal: " \
                   "akun tidak dikenal"
        return f"Percobaan masuk {person} gagal: {text or 'kata sandi salah'}"
    if action == "login_locked":
        return f"Masuk akun {person} ditunda: {_after(text, ': ') or text}"
    if action == "password_change":
        if text == "oleh pengguna sendiri" or (entry.id_users and entry.id_users == entry.object_id):
            return f"{item.who} mengganti kata sandinya"
        return f"Kata sandi {item.named or _after(text, 'untuk') or person} diatur {item.by()}"
    if action == "unblock":
        return f"Blokir akun {item.named or text or person} dibuka {item.by()}"
    return f"Akun pemilik {text or person} dibuat lewat baris perintah"  # create_owner


WRITERS = {
    "create": _generic, "update": _generic, "delete": _generic,
    "stock_set": _store_stock, "stock_adjust": _store_stock,
    "book": _appointment, "reschedule": _appointment, "arrived": _appointment,
    "done": _appointment, "cancel": _appointment,
    "read_medical_record": _medical_record, "create_medical_record": _medical_record,
    "update_medical_record": _medical_record, "delete_medical_record": _medical_record,
    "verify_medical_record": _medical_record, "unverify_medical_record": _medical_record,
    "link_patient": _patient_link, "unlink_patient": _patient_link,
    "role_change": _role_change,
    "release_slots": _slots, "generate_slots": _slots, "activate": _slots,
    "unactivate": _slots,
    "login": _account, "logout": _account, "login_failed": _account,
    "login_locked": _account, "password_change": _account, "unblock": _account,
    "create_owner": _account,
}


def _upload(item: _Entry) -> str:
    return f"Gambar {item.label.lower()} {item.name()} diganti {item.by()}"


def _duplicate(item: _Entry) -> str:
    name, _, source = item.text.rpartition(" dari ")
    line = f"{item.label} {(name or item.text).replace(' @ ', ' di ')} disalin {item.by()}"
    return f"{line} (dari {source})" if name and source else line


def _order_step(item: _Entry) -> str:
    from services.orders.flow import STEP_WORDS

    code, _, rest = item.text.partition("|")
    step, _, note = rest.partition("|")
    line = f"Pesanan {code} {STEP_WORDS.get(step, step)} {item.by()}"
    return f"{line}: {note}" if note else line


def _thread(item: _Entry) -> str:
    """A consultation's step: a prescription given, closed, reopened (services/threads)."""
    number = f"#{item.entry.object_id}" if item.entry.object_id else ""
    if item.entry.action == "prescribe":
        return f"Resep {item.text} diberikan di konsultasi {number} {item.by()}"
    words = {"close": "ditutup", "reopen": "dibuka kembali"}
    return f"Konsultasi {number} {words.get(item.entry.action, item.entry.action)} {item.by()}"


WRITERS.update(upload=_upload, duplicate=_duplicate, order_step=_order_step,
               prescribe=_thread, close=_thread, reopen=_thread)


def sentence(entry, names: Names | None = None) -> str:
    """One entry as a sentence; `names` from read_names (read here when not given)."""
    names = names if names is not None else read_names([entry])
    item = _Entry(entry, names)
    if entry.is_manual:
        note = f": {item.text}" if item.text else ""
        return f"Catatan {item.who} — {entry.action}{note}"
    writer = WRITERS.get(entry.action)
    if writer is not None:
        return writer(item)
    line = f"{entry.action} pada {item.label} {item.name()} {item.by()}"
    return f"{line}: {item.text}" if item.text else line


__all__ = ["ACTION_LABELS", "Names", "action_choices", "read_names", "sentence", "sentences"]
