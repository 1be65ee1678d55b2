"""The appointment reads at the size of a busy clinic: the timeline's bounds (a week of every
doctor, six weeks of one; longer is a 422 naming the limit), availability's overlaps and the
number of SQL statements of both, which must not grow with the appointments (no N+1)."""
from datetime import time, timedelta

from models import db
from services.appointments import queries
from tests.conftest import count_queries, make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of
from tests.factories.treatments import make_service

TIMELINE = "/api/user_schedules/timeline"
AVAILABILITY = "/api/user_schedules/check/doctor/availability"


def _range(first, days, **extra):
    """A timeline body of `days` days from `first` (both ends included)."""
    return {"date_from": first.strftime("%d/%m/%Y"),
            "date_to": (first + timedelta(days=days - 1)).strftime("%d/%m/%Y"), **extra}


def _refusal(response):
    assert response.status_code == 422, response.get_json()
    exception = response.get_json()["exception"]
    return exception["message"], exception["fields"]


# ---- the timeline's bounds ---------------------------------------------------------------------
def test_every_doctor_is_a_week_per_request(client, auth):
    clinic = make_clinic()
    make_appointment(clinic)
    headers = auth.headers(make_user(roles=("USERS",)))
    week = client.post(TIMELINE, headers=headers, json=_range(clinic["day"], 7))
    assert week.status_code == 200 and len(week.get_json()["events"]) == 1
    message, fields = _refusal(client.post(TIMELINE, headers=headers,
                                           json=_range(clinic["day"], 8)))
    assert "7 hari" in message and "id_doctors" in message and "42 hari" in message
    assert fields == {"date_to": message}


def test_one_doctor_is_six_weeks_per_request(client, auth):
    clinic = make_clinic()
    make_appointment(clinic)
    headers = auth.headers(make_user(roles=("ADMIN",)))
    doctor = {"id_doctors": clinic["doctor"].id}
    month = client.post(TIMELINE, headers=headers, json=_range(clinic["day"], 42, **doctor))
    assert month.status_code == 200 and len(month.get_json()["events"]) == 1
    message, fields = _refusal(client.post(TIMELINE, headers=headers,
                                           json=_range(clinic["day"], 43, **doctor)))
    assert "42 hari" in message and set(fields) == {"date_to"}


def test_a_doctor_and_a_customer_see_six_weeks_of_their_own(client, auth):
    clinic = make_clinic()
    customer = make_user(roles=("CUSTOMER",))
    make_appointment(clinic, patient=make_patient_of(customer))
    for user in (clinic["doctor_user"], customer):
        headers = auth.headers(user)
        answer = client.post(TIMELINE, headers=headers, json=_range(clinic["day"], 42))
        assert answer.status_code == 200 and len(answer.get_json()["events"]) == 1
        message, _fields = _refusal(client.post(TIMELINE, headers=headers,
                                                json=_range(clinic["day"], 43)))
        assert "42 hari" in message


# ---- availability -----------------------------------------------------------------------------
def test_a_longer_appointment_takes_every_slot_it_overlaps(client):
    starts = (time(9, 0), time(9, 30), time(10, 0), time(10, 30), time(11, 0))
    clinic = make_clinic(starts=starts)
    long_one = make_service(buffer_time=90)
    make_appointment(clinic, id_services=long_one.id)  # 09:00–10:30
    make_appointment(clinic, slot=clinic["slots"][4], status="CANCEL")  # frees its slot
    other = make_clinic(day=clinic["day"], starts=starts)
    make_appointment(other, slot=other["slots"][3])  # another doctor's
    answer = client.post(AVAILABILITY, json={"id_doctors": clinic["doctor"].id}).get_json()
    day = next(item for item in answer if item["schedule"] == clinic["day"].isoformat())
    assert [slot["jam_mulai"] for slot in day["doctors"]] == ["10:30", "11:00"]
    everyone = client.post(AVAILABILITY).get_json()
    day = next(item for item in everyone if item["schedule"] == clinic["day"].isoformat())
    assert sorted((slot["id_doctors"], slot["jam_mulai"]) for slot in day["doctors"]) == sorted(
        [(clinic["doctor"].id, "10:30"), (clinic["doctor"].id, "11:00")]
        + [(other["doctor"].id, start.strftime("%H:%M")) for start in starts
           if start != time(10, 30)])


# ---- SQL statements do not grow with the appointments -------------------------------------------
def _statements(call) -> tuple[int, int]:
    """The statements a read runs, and how many of them read user_schedules."""
    db.session.expire_all()
    with count_queries() as statements:
        call()
    return len(statements), sum("FROM user_schedules" in text for text in statements)


def _more_appointments(clinics, outside: int, inside: int, taken: set):
    """`outside` appointments in past weeks (beyond the window) and `inside` in the window's
    first week or the next ones (on free slots), spread over the clinics' doctors, each for
    a new patient of a new customer; `taken` holds (clinic, slot, week) already used."""
    def place(count, weeks):
        for week in weeks:
            for index, clinic in enumerate(clinics):
                for slot in range(3):
                    if count and (index, slot, week) not in taken:
                        taken.add((index, slot, week))
                        make_appointment(clinic, slot=clinic["slots"][slot],
                                         day=clinic["day"] + timedelta(days=7 * week))
                        count -= 1
    place(outside, range(-1, -30, -1))
    place(inside, range(0, 6))


def test_availability_and_timeline_run_the_same_statements_for_5_or_50_appointments(app):
    clinics = [make_clinic() for _ in range(3)]
    office = make_user(roles=("USERS",))
    first, doctor = clinics[0]["day"], clinics[0]["doctor"].id
    reads = {
        "availability, every doctor": lambda: queries.availability(),
        "availability, one doctor": lambda: queries.availability(doctor),
        "timeline, a week of every doctor": lambda: queries.timeline(
            first, first + timedelta(days=6), office),
        "timeline, six weeks of one doctor": lambda: queries.timeline(
            first, first + timedelta(days=41), office, doctor),
    }
    taken = set()
    _more_appointments(clinics, outside=3, inside=2, taken=taken)
    few = {name: _statements(read) for name, read in reads.items()}
    events_before = len(reads["timeline, a week of every doctor"]())
    _more_appointments(clinics, outside=30, inside=15, taken=taken)
    many = {name: _statements(read) for name, read in reads.items()}
    assert len(reads["timeline, a week of every doctor"]()) > events_before
    assert many == few
    # availability: offers, slots, holidays, the appointments, the services' durations; the
    # timeline: the actor's row and roles (expired here), the events, the doctors' and the
    # services' names — one statement reading the appointments each
    assert all(total <= 5 and appointment_reads == 1
               for total, appointment_reads in few.values()), few
