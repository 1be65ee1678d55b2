"""Admin "Konsultasi": the doctor's inbox (tabs Menunggu, Aktif, Permintaan resep, Arsip; the
office sees every doctor's threads with a doctor filter), a thread's chat that updates itself
(HTMX polling of the messages after the newest one shown), sending text, an image or an
attachment, prescribing a product (with the patient's allergies and a warning when the
product matches one), closing and reopening, and the patient beside the chat (identity,
allergies, medical records — their read written to the audit log as on the chart). The bell
of the top bar counts what is unread.

Every change goes through the threads feature's operations (services/threads/operations.py,
prescribing services/threads/prescriptions.py); the read models are
services/threads/inbox.py. Who reads what is the threads feature's rule:
the office sees every thread but not the words of a conversation it is not part of."""
from flask import Blueprint, flash, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app.auth import current_actor, requires
from app.extensions import htmx
from models import Notification, db
from models.threads import ATTACHMENTS, IMAGE
from services.access import STAFF
from services.errors import DomainError, Forbidden, Invalid
from services.orders.carts import QTY_MAX
from services.patients.queries import age_of, chart_records
from services.threads import inbox as queries
from services.threads import operations as thread_ops
from services.threads import prescriptions
from services.threads.queries import is_participant, is_threads_doctor, message_url

from .render import go, inline_refusal, render, toast, toast_refusal

bp = Blueprint("consultations", __name__, url_prefix="/admin/consultations")
REFRESH = "consultations:refresh"
EMPTY_TEXT = {"waiting": "Tidak ada pasien yang menunggu jawaban.",
              "active": "Tidak ada konsultasi aktif yang sudah dijawab.",
              "requests": "Tidak ada permintaan resep yang menunggu dokter.",
              "archived": "Arsip masih kosong."}
KIND_LABELS = {"consultation": "Konsultasi", "prescription": "Permintaan resep"}
MAX_QTY = QTY_MAX


@bp.before_request
@requires(*STAFF)
def staff_only():
    """Clinic staff only (customers: 403); each thread checks who reaches it."""


@bp.app_template_global()
def file_url(message) -> str:
    """The stored image or attachment of a message."""
    return message_url(message)


def kind_label(thread) -> str:
    """What kind of thread it is, in words."""
    return KIND_LABELS.get(thread.thread_type, thread.thread_type)


def _inbox_context(actor, open_thread=None):
    filters = queries.read_filters(request.args, actor)
    return {"filters": filters, "tabs": queries.TABS, "counts": queries.tab_counts(actor, filters),
            "result": queries.inbox(actor, filters), "doctors": queries.doctor_choices(actor),
            "preview": queries.preview, "kind_label": kind_label, "empty_text": EMPTY_TEXT,
            "open_thread": open_thread or queries.read_after(request.args.get("open")) or None}


@bp.get("/")
def index():
    """The inbox; an HTMX request (a tab, a filter, the 20-second refresh) gets the list."""
    return render("consultations/index.html", "consultations/_list.html",
                  **_inbox_context(current_actor()))


# ---- one thread -------------------------------------------------------------------------------
def _permissions(actor, thread) -> dict:
    """What the actor may do in this thread (the operations check again)."""
    participant = is_participant(actor, thread)
    return {"read": participant,
            "send": participant and not thread.is_closed,
            "prescribe": is_threads_doctor(actor, thread) and not thread.is_closed,
            "close": queries.may_close(actor, thread),
            "reopen": queries.may_close(actor, thread)}


def _thread_context(actor, thread, **extra) -> dict:
    """Everything the thread page draws (the messages marked read by this reader)."""
    may = _permissions(actor, thread)
    messages = queries.messages_of(thread) if may["read"] else []
    if messages:
        thread_ops.mark_read(thread, actor)
    patient = thread.patient
    records = []
    if patient is not None:
        records, _names = chart_records(actor, patient.id, f"konsultasi #{thread.id}")
    allergies = queries.thread_allergies(thread)
    context = {"thread": thread, "may": may, "messages": messages,
               "last_id": messages[-1].id if messages else 0,
               "patient": patient, "patient_name": _patient_name(thread),
               "age": age_of(patient.tanggal_lahir) if patient is not None else None,
               "allergies": allergies, "records": records,
               "chart_url": url_for("crud.detail", name="patients", object_id=patient.id)
               if patient is not None else None,
               "kind_label": kind_label, **_composer_defaults(), **_prescribe_defaults(thread)}
    context.update(extra)
    return context


def _patient_name(thread) -> str:
    if thread.patient is not None:
        return thread.patient.nama_lengkap_pasien
    return thread.user_from.users_fullname if thread.user_from else "Pasien"


def _composer_defaults() -> dict:
    return {"send_errors": {}, "send_values": {}, "send_error": None}


def _prescribe_defaults(thread, q="", picked=None) -> dict:
    return {"prescribe_errors": {}, "prescribe_values": {}, "prescribe_error": None,
            "prescribe_warning": None, "prescribe_open": False,
            "valid_until": queries.valid_until_now(),
            "max_qty": MAX_QTY, **_product_choices(thread, q, picked)}


def _product_choices(thread, q="", picked=None) -> dict:
    allergies = queries.thread_allergies(thread)
    products = queries.search_products(q)
    chosen = queries.live_product(picked) if picked else None
    if chosen is not None and all(product.id != chosen.id for product in products):
        products = [chosen, *products]
    return {"products": [(product, queries.allergy_matches(allergies, product))
                         for product in products],
            "picked": chosen.id if chosen is not None else None}


@bp.get("/<int:thread_id>")
def thread(thread_id):
    """A thread: the chat (marked read), the send and prescribe forms, the patient panel,
    beside the inbox."""
    actor = current_actor()
    found = queries.load_thread(actor, thread_id)
    context = {**_inbox_context(actor, found.id), **_thread_context(actor, found)}
    return render("consultations/thread.html", **context)


def _reader_thread(thread_id):
    """The thread for a participant (404 out of sight, 403 for someone who is not in it)."""
    actor = current_actor()
    found = queries.load_thread(actor, thread_id)
    if not is_participant(actor, found):
        raise Forbidden("Percakapan ini hanya dibaca oleh pasien dan dokternya.")
    return actor, found


@bp.get("/<int:thread_id>/messages")
def messages(thread_id):
    """The messages after `after` (the chat's polling), marked read; 204 when none."""
    actor, found = _reader_thread(thread_id)
    after = queries.read_after(request.args.get("after"))
    new = queries.messages_of(found, after)
    if not new:
        response = render("crud/_nothing.html", status=204)
        return response
    thread_ops.mark_read(found, actor)
    return render("consultations/_poll.html", messages=new, last_id=new[-1].id)


# ---- sending ----------------------------------------------------------------------------------
def _composer(thread, status=200, trigger=None, **values):
    actor = current_actor()
    context = {"thread": thread, "may": _permissions(actor, thread), **_composer_defaults(),
               **values}
    return render("consultations/_composer.html", "consultations/_composer.html",
                  status=status, trigger=trigger, **context)


@bp.post("/<int:thread_id>/messages")
def send(thread_id):
    """Send what the form holds: the text, then the file (an image shown inline, a PDF as an
    attachment). A refusal comes back in the form with its status (413 too large, 422 bad
    file or nothing to send); what was typed stays."""
    actor, found = _reader_thread(thread_id)
    text = (request.form.get("content") or "").strip()
    upload = request.files.get("berkas")
    has_file = upload is not None and bool(upload.filename)
    try:
        if not text and not has_file:
            raise Invalid("Tulis pesan atau pilih berkas.",
                          fields={"content": "Tulis pesan atau pilih berkas."})
        if has_file:
            _send_file(actor, found, upload)
        if text:
            thread_ops.post_text(actor, {"id_threads": found.id, "content": text})
    except DomainError as exc:
        if not htmx and exc.status not in (400, 413, 415, 422):
            return toast_refusal(exc, url_for("consultations.thread", thread_id=found.id))
        refusal = inline_refusal(exc)
        fields = {("berkas" if name in ("image", "attachments", "berkas") else name): value
                  for name, value in refusal.fields.items() if isinstance(value, str)}
        if not htmx:
            flash(refusal.message, "danger")
            return go("consultations.thread", thread_id=found.id)
        return _composer(queries.load_thread(actor, found.id), status=refusal.status,
                         send_errors=fields, send_values={"content": text},
                         send_error=refusal.message)
    if not htmx:
        return go("consultations.thread", thread_id=found.id)
    return _composer(queries.load_thread(actor, found.id), trigger={"chat:refresh": True,
                                                                    REFRESH: True})


def _send_file(actor, thread, upload):
    """An image message when the file is a picture, else an attachment (a PDF)."""
    if (upload.mimetype or "").startswith("image/"):
        return thread_ops.post_file(actor, {"id_threads": thread.id}, {IMAGE: upload}, IMAGE)
    return thread_ops.post_file(actor, {"id_threads": thread.id}, {ATTACHMENTS: upload},
                                ATTACHMENTS)


# ---- prescribing ------------------------------------------------------------------------------
@bp.get("/<int:thread_id>/products")
def products(thread_id):
    """The product picker's choices for a search, with the allergy warnings."""
    actor = current_actor()
    found = queries.load_thread(actor, thread_id)
    if not is_threads_doctor(actor, found):
        raise Forbidden("Hanya dokter konsultasi ini yang meresepkan.")
    return render("consultations/_products.html",
                  **_product_choices(found, request.args.get("q", ""),
                                     request.args.get("picked") or None))


def _prescribe_form(thread, status=200, trigger=None, **values):
    actor = current_actor()
    context = {"thread": thread, "may": _permissions(actor, thread),
               "allergies": queries.thread_allergies(thread),
               **_prescribe_defaults(thread, values.get("prescribe_values", {}).get("q", ""),
                                     values.pop("picked", None)),
               **values}
    return render("consultations/_prescribe.html", "consultations/_prescribe.html",
                  status=status, trigger=trigger, **context)


def _quantity(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number


@bp.post("/<int:thread_id>/prescriptions")
def prescribe(thread_id):
    """Prescribe the picked product: a product that matches one of the patient's allergies
    needs the doctor's confirmation (422 with the warning until it is given)."""
    actor = current_actor()
    found = queries.load_thread(actor, thread_id)
    form = request.form
    values = {"q": form.get("q", ""), "qty": form.get("qty", "")}
    product = queries.live_product(form.get("id_menu"))
    qty = _quantity(form.get("qty"))
    try:
        if not is_threads_doctor(actor, found):
            raise Forbidden("Hanya dokter konsultasi ini yang dapat memberi resep.")
        errors = {}
        if product is None:
            errors["id_menu"] = "Pilih produk yang diresepkan."
        if qty is None or not 1 <= qty <= MAX_QTY:
            errors["qty"] = f"Jumlah 1 sampai {MAX_QTY}."
        if errors:
            raise Invalid("Resep belum dikirim: periksa isian yang ditandai.", fields=errors)
        matches = queries.allergy_matches(queries.thread_allergies(found), product)
        if matches and form.get("confirm_allergy") != "1":
            raise Invalid("Produk ini cocok dengan alergi pasien. Centang konfirmasi bila "
                          "tetap diresepkan.", fields={"confirm_allergy": ", ".join(matches)})
        prescriptions.post_prescription(actor, {"id_threads": found.id, "id_menu": product.id,
                                                "qty": qty})
    except DomainError as exc:
        if exc.status not in (400, 409, 422):
            return toast_refusal(exc, url_for("consultations.thread", thread_id=found.id))
        refusal = inline_refusal(exc)
        if not htmx:
            flash(refusal.message, "danger")
            return go("consultations.thread", thread_id=found.id)
        fields = {name: value for name, value in refusal.fields.items()
                  if isinstance(value, str)}
        return _prescribe_form(queries.load_thread(actor, found.id), status=refusal.status,
                               prescribe_errors=fields, prescribe_values=values,
                               prescribe_error=refusal.message, prescribe_open=True,
                               prescribe_warning=fields.get("confirm_allergy"),
                               picked=product.id if product is not None else None)
    message = f"Resep {product.nama_menus} ({qty}) terkirim."
    if not htmx:
        flash(message, "success")
        return go("consultations.thread", thread_id=found.id)
    return _prescribe_form(queries.load_thread(actor, found.id),
                           trigger={**toast(message), "chat:refresh": True, REFRESH: True})


# ---- close and reopen -------------------------------------------------------------------------
def _state_change(thread_id, change, message):
    actor = current_actor()
    found = queries.load_thread(actor, thread_id)
    back = url_for("consultations.thread", thread_id=found.id)
    try:
        change(actor, found.id)
    except DomainError as exc:
        return toast_refusal(exc, back)
    flash(message, "success")
    return go("consultations.thread", thread_id=found.id)


@bp.post("/<int:thread_id>/close")
def close(thread_id):
    """Close the thread (a consultation's order is completed with it)."""
    return _state_change(thread_id, thread_ops.close_thread, "Konsultasi ditutup.")


@bp.post("/<int:thread_id>/reopen")
def reopen(thread_id):
    """Open a closed thread again."""
    return _state_change(thread_id, thread_ops.reopen_thread, "Konsultasi dibuka kembali.")


# ---- the bell ---------------------------------------------------------------------------------
def unread_notifications(actor) -> int:
    """The signed-in user's unread notifications (new messages for a doctor, among others)."""
    return int(db.session.execute(select(func.count(Notification.id)).where(
        Notification.id_user_to == actor.id, Notification.is_read.is_(False))).scalar() or 0)


def bell_context(actor) -> dict:
    """The bell's count and its words (none when the count cannot be read: an error page
    after a database failure still draws)."""
    try:
        count = unread_notifications(actor) if actor is not None else 0
    except SQLAlchemyError:
        db.session.rollback()
        count = 0
    title = f"{count} notifikasi belum dibaca" if count else "Tidak ada notifikasi baru"
    return {"bell_count": count, "bell_title": title}


@bp.app_template_global()
def bell_state(actor) -> dict:
    """The top bar's bell for this user (a cheap count)."""
    return bell_context(actor)


@bp.get("/bell")
def bell():
    """The bell again (polled every 30 seconds)."""
    return render("consultations/_bell.html", **bell_context(current_actor()))

