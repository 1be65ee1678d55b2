"""The admin "Konsultasi" read models: the doctor's inbox (tabs waiting, active, archived and
prescription requests, with the last message and the reader's unread count of each thread in
one query), a thread's chat with the patient panel, the product picker with its allergy
warnings, and the bell's unread count.

Who sees which thread is the threads feature's rule (services.threads.queries); the tabs:
- waiting ("Menunggu"): open threads with a doctor whose last message is not the clinic's
  (the patient wrote last, or nobody has written yet) — oldest first, who waited longest;
- active ("Aktif"): open threads with a doctor that the clinic answered last;
- requests ("Permintaan resep"): open prescription requests no doctor has taken yet;
- archived ("Arsip"): closed threads."""
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from models import (Menu, Patient, Prescription, Thread, ThreadMessage, ThreadRead, User,
                    clinic_now, db)
from models.threads import PRESCRIPTION_REQUEST
from services.access import DOCTOR, is_office
from services.engine.filters import contains
from services.errors import NotFound

TABS = (("waiting", "Menunggu", "hourglass-split"), ("active", "Aktif", "chat-dots"),
        ("requests", "Permintaan resep", "prescription2"), ("archived", "Arsip", "archive"))
TAB_NAMES = tuple(name for name, _label, _icon in TABS)
PER_PAGE = 30
MESSAGES_SHOWN = 300  # the newest messages of a thread drawn at once
PRODUCTS_SHOWN = 20
SEARCH_MAX = 100


def _visible(actor):
    """SQL condition on `threads` for the threads this actor sees (the threads feature's
    rule: the office every thread, a doctor their own and the untaken prescription
    requests)."""
    from services.threads.queries import thread_condition
    condition = thread_condition(actor)
    return true() if condition is None else condition


# ---- the inbox --------------------------------------------------------------------------------
@dataclass
class InboxFilters:
    """What the inbox shows: a tab, a doctor (office only), a search on the patient's name."""

    tab: str = "waiting"
    doctor: int | None = None
    q: str = ""
    page: int = 1

    @property
    def values(self) -> dict:
        """The filters as query-string values (empty ones left out)."""
        values = {"tab": self.tab, "doctor": self.doctor or "", "q": self.q}
        return {name: value for name, value in values.items() if value}


def _positive(value, upper=1_000_000) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= upper else None


def read_filters(args, actor) -> InboxFilters:
    """The inbox filters from a query string; anything unknown falls back to the default."""
    tab = args.get("tab", "waiting")
    return InboxFilters(
        tab=tab if tab in TAB_NAMES else "waiting",
        doctor=_positive(args.get("doctor")) if is_office(actor) else None,
        q=(args.get("q") or "").strip()[:SEARCH_MAX],
        page=_positive(args.get("page"), 100_000) or 1)


def _last_message_id():
    """Correlated subquery: the id of the thread's newest live message."""
    return (select(func.max(ThreadMessage.id))
            .where(ThreadMessage.id_threads == Thread.id, ThreadMessage.deleted_at.is_(None))
            .correlate(Thread).scalar_subquery())


def _last_author():
    """Correlated subquery: who wrote the thread's newest live message (NULL when none)."""
    return (select(ThreadMessage.id_user_from)
            .where(ThreadMessage.id == _last_message_id())
            .correlate(Thread).scalar_subquery())


def _tab_condition(tab: str):
    """SQL condition on `threads` for one tab."""
    author = _last_author()
    answered = and_(author.is_not(None), author != Thread.id_user_from)
    if tab == "archived":
        return Thread.is_closed.is_(True)
    if tab == "requests":
        return and_(Thread.is_closed.is_(False), Thread.id_user_to.is_(None),
                    Thread.thread_type == PRESCRIPTION_REQUEST)
    with_doctor = and_(Thread.is_closed.is_(False), Thread.id_user_to.is_not(None))
    if tab == "active":
        return and_(with_doctor, answered)
    return and_(with_doctor, or_(author.is_(None), author == Thread.id_user_from))


def _scoped(actor, filters: InboxFilters):
    """The threads this actor sees, narrowed by the doctor and the search (not by tab)."""
    stmt = select(Thread).where(Thread.deleted_at.is_(None), _visible(actor))
    if filters.doctor:
        stmt = stmt.where(Thread.id_user_to == filters.doctor)
    if filters.q:
        patient = aliased(Patient)
        customer = aliased(User)
        stmt = stmt.where(or_(
            select(patient.id).where(patient.id == Thread.id_patients,
                                     contains(patient.nama_lengkap_pasien, filters.q))
            .correlate(Thread).exists(),
            select(customer.id).where(customer.id == Thread.id_user_from,
                                      contains(customer.users_fullname, filters.q))
            .correlate(Thread).exists()))
    return stmt


def tab_counts(actor, filters: InboxFilters) -> dict:
    """How many threads each tab holds (one query)."""
    columns = []
    for name in TAB_NAMES:
        condition = _tab_condition(name)
        columns.append(func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name))
    stmt = _scoped(actor, filters).with_only_columns(*columns).order_by(None)
    row = db.session.execute(stmt).one()
    return {name: int(getattr(row, name) or 0) for name in TAB_NAMES}


@dataclass
class InboxRow:
    """One thread in the inbox list."""

    thread: Thread
    last_message: ThreadMessage | None
    unread: int
    patient_name: str
    customer_name: str
    doctor_name: str | None
    takes_part: bool = True
    last_at: object = None


@dataclass
class InboxPage:
    """A page of the inbox."""

    rows: list = field(default_factory=list)
    page: int = 1
    has_next: bool = False


def inbox(actor, filters: InboxFilters) -> InboxPage:
    """One page of a tab: each thread with its last message, the reader's unread count, the
    patient's, customer's and doctor's names — in one query, whatever the number of rows."""
    last = aliased(ThreadMessage)
    patient = aliased(Patient)
    customer = aliased(User)
    doctor = aliased(User)
    read_upto = (select(ThreadRead.last_read_message_id)
                 .where(ThreadRead.id_threads == Thread.id, ThreadRead.id_users == actor.id)
                 .correlate(Thread).scalar_subquery())
    unread = (select(func.count(ThreadMessage.id))
              .where(ThreadMessage.id_threads == Thread.id, ThreadMessage.deleted_at.is_(None),
                     ThreadMessage.id_user_from != actor.id,
                     ThreadMessage.id > func.coalesce(read_upto, 0))
              .correlate(Thread).scalar_subquery())
    from services.threads.queries import participant_condition
    takes_part = case((participant_condition(actor), 1), else_=0)
    moment = func.coalesce(last.created, Thread.order_date)
    order = (moment.asc(), Thread.id.asc()) if filters.tab == "waiting" \
        else (moment.desc(), Thread.id.desc())
    stmt = (_scoped(actor, filters).where(_tab_condition(filters.tab))
            .add_columns(last, unread.label("unread"), patient.nama_lengkap_pasien,
                         customer.users_fullname, doctor.users_fullname,
                         takes_part.label("takes_part"))
            .select_from(Thread)
            .outerjoin(last, last.id == _last_message_id())
            .outerjoin(patient, patient.id == Thread.id_patients)
            .outerjoin(customer, customer.id == Thread.id_user_from)
            .outerjoin(doctor, doctor.id == Thread.id_user_to)
            .order_by(*order)
            .offset((filters.page - 1) * PER_PAGE).limit(PER_PAGE + 1))
    # what was said is for the participants only: others see who and when, not the words
    rows = [InboxRow(thread=row[0], last_message=row[1] if row[6] else None,
                     unread=int(row[2] or 0) if row[6] else 0,
                     patient_name=row[3] or row[4] or "–", customer_name=row[4] or "–",
                     doctor_name=row[5], takes_part=bool(row[6]),
                     last_at=row[1].created if row[1] is not None else row[0].order_date)
            for row in db.session.execute(stmt).all()]
    return InboxPage(rows=rows[:PER_PAGE], page=filters.page, has_next=len(rows) > PER_PAGE)


def doctor_choices(actor) -> list[tuple[int, str]]:
    """The doctors' accounts for the office's doctor filter: (user id, name)."""
    if not is_office(actor):
        return []
    from models import Role
    rows = db.session.execute(
        select(User.id, User.users_fullname).join(Role, Role.iduser == User.id)
        .where(Role.rolecodes == DOCTOR, User.deleted_at.is_(None))
        .order_by(User.users_fullname, User.id)).all()
    return [(row.id, row.users_fullname) for row in rows]


def preview(row: InboxRow) -> str:
    """The thread's last message in a few words for the inbox list."""
    if not row.takes_part:
        return "Percakapan pasien dengan dokternya."
    message = row.last_message
    if message is None:
        return "Belum ada pesan."
    if message.content_type == "image":
        return "📷 Gambar"
    if message.content_type == "attachments":
        return f"📎 {message.content or 'Lampiran'}"
    if message.content_type == "prescriptions":
        return "💊 Resep"
    text = " ".join((message.content or "").split())
    return text[:90] + ("…" if len(text) > 90 else "")


# ---- one thread -------------------------------------------------------------------------------
def load_thread(actor, thread_id) -> Thread:
    """The live thread in the actor's sight with its people, patient (and allergies) and order
    loaded, or 404."""
    number = _positive(thread_id, 2_147_483_647)
    thread = None if number is None else db.session.execute(
        select(Thread).where(Thread.id == number, Thread.deleted_at.is_(None), _visible(actor))
        .options(selectinload(Thread.user_from), selectinload(Thread.user_to),
                 selectinload(Thread.order),
                 selectinload(Thread.patient).selectinload(Patient.allergies))
    ).scalars().first()
    if thread is None:
        raise NotFound("Konsultasi tidak ditemukan.")
    return thread


def messages_of(thread: Thread, after: int | None = None) -> list[ThreadMessage]:
    """The thread's live messages, oldest first (the newest MESSAGES_SHOWN, or those after a
    message id), each with its author and prescription (and product) loaded."""
    stmt = (select(ThreadMessage)
            .where(ThreadMessage.id_threads == thread.id, ThreadMessage.deleted_at.is_(None))
            .options(selectinload(ThreadMessage.user_from),
                     selectinload(ThreadMessage.prescription).selectinload(Prescription.menu))
            .order_by(ThreadMessage.id.desc()).limit(MESSAGES_SHOWN))
    if after is not None:
        stmt = stmt.where(ThreadMessage.id > after)
    return list(reversed(db.session.execute(stmt).scalars().all()))


def may_close(actor, thread: Thread) -> bool:
    """True when the actor may close and reopen the thread (the threads feature's rule: its
    doctor or the office)."""
    from services.errors import Forbidden
    from services.threads.operations import _may_close
    try:
        _may_close(actor, thread)
    except Forbidden:
        return False
    return True


def valid_until_now() -> datetime:
    """Until when a prescription written now may be redeemed (PRESCRIPTION_VALID_DAYS), shown
    on the prescribe form; the operation stamps its own."""
    return clinic_now() + timedelta(days=current_app.config["PRESCRIPTION_VALID_DAYS"])


def read_after(value) -> int:
    """The `after` cursor of the chat's polling (0 when missing or bad)."""
    return _positive(value, 2_147_483_647) or 0


# ---- allergies and the product picker ---------------------------------------------------------
TAGS = re.compile(r"<[^>]+>")
WORDS = re.compile(r"[^\W_]+", re.UNICODE)
SIGNIFICANT = 4  # shorter words ("dan", "oil") say nothing on their own


def _plain(text: str | None) -> str:
    """Lower-case text without HTML tags and with single spaces."""
    return " ".join(TAGS.sub(" ", text or "").lower().split())


def allergy_matches(allergies, menu: Menu) -> list[str]:
    """The patient's allergies the product's name or composition mentions: the allergy as a
    whole, or one of its words of SIGNIFICANT letters or more as a word of the product's text
    ("Niacinamide" in "Niacinamide & Phytosqualane"; "asam salisilat" in "salisilat 2%")."""
    text = _plain(f"{menu.nama_menus} {menu.komposisi}")
    words = set(WORDS.findall(text))
    found = []
    for allergy in allergies:
        name = _plain(allergy.allergies)
        if not name or name == "-":
            continue
        if name in text or any(len(word) >= SIGNIFICANT and word in words
                               for word in WORDS.findall(name)):
            found.append(allergy.allergies)
    return found


def search_products(q: str) -> list[Menu]:
    """Live products whose name holds `q` (all when empty), prescription products first."""
    stmt = select(Menu).where(Menu.deleted_at.is_(None))
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        stmt = stmt.where(contains(Menu.nama_menus, q))
    return db.session.execute(stmt.order_by(Menu.is_resep_required.desc(), Menu.nama_menus,
                                            Menu.id).limit(PRODUCTS_SHOWN)).scalars().all()


def live_product(menu_id) -> Menu | None:
    """The live product with this id, or None."""
    number = _positive(menu_id, 2_147_483_647)
    if number is None:
        return None
    return db.session.execute(select(Menu).where(Menu.id == number, Menu.deleted_at.is_(None))
                              ).scalars().first()


def thread_allergies(thread: Thread) -> list:
    """The allergies of the thread's patient ([] when the thread names none)."""
    return list(thread.patient.allergies) if thread.patient is not None else []


# ---- the bell ---------------------------------------------------------------------------------
def unread_thread_messages(actor) -> int:
    """How many messages others wrote in this reader's open threads after what they read."""
    read_upto = (select(ThreadRead.last_read_message_id)
                 .where(ThreadRead.id_threads == ThreadMessage.id_threads,
                        ThreadRead.id_users == actor.id)
                 .correlate(ThreadMessage).scalar_subquery())
    own = Thread.id_user_to == actor.id
    return int(db.session.execute(
        select(func.count(ThreadMessage.id))
        .join(Thread, Thread.id == ThreadMessage.id_threads)
        .where(own, Thread.deleted_at.is_(None), Thread.is_closed.is_(False),
               ThreadMessage.deleted_at.is_(None), ThreadMessage.id_user_from != actor.id,
               ThreadMessage.id > func.coalesce(read_upto, 0))).scalar() or 0)

