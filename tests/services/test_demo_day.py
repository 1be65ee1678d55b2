"""Issue 9 item 7: `make run` on any day of the week leaves, for today, a visit done, a
patient at the clinic and patients still to arrive, so a newcomer can try every Kalender
action at once; a database seeded on an earlier day gets today added."""
from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.extensions import db
from models import Appointment, Doctor, User
from services.demo import appointments as demo_appointments
from services.demo import seed_demo
from services.treatments.holidays import holidays_between


def statuses_on(day) -> Counter:
    """How many appointments of each status the day has."""
    return Counter(db.session.execute(select(Appointment.status).where(
        Appointment.tanggal == day)).scalars())


def test_every_day_of_the_week_is_a_working_day_to_try(app, monkeypatch):
    first = date(2026, 12, 7)  # a Monday
    monkeypatch.setattr(demo_appointments, "clinic_now",
                        lambda: datetime.combine(first, time(10, 30)))
    seed_demo()
    for offset in range(7):
        day = first + timedelta(days=offset)
        for hour in (time(7, 0), time(15, 0), time(22, 0)):
            monkeypatch.setattr(demo_appointments, "clinic_now",
                                lambda day=day, hour=hour: datetime.combine(day, hour))
            demo_appointments.seed({})
        if holidays_between(day, day):
            assert not statuses_on(day), day  # the clinic is closed
            continue
        seen = statuses_on(day)
        waiting = seen["BOOKING"] + seen["RESCHEDULE"]
        assert seen["DONE"] >= 1 and seen["ARRIVED"] == 1 and waiting >= 1, (day, seen)
        assert sum(seen.values()) <= 2 + demo_appointments.TODAY_WAITING + demo_appointments.UPCOMING
        # the demo doctor lands on a day of their own on "Hari ini", whatever the weekday
        assert db.session.execute(select(Appointment.id).join(
            Doctor, Doctor.id == Appointment.id_doctors).join(User, User.id == Doctor.id_users)
            .where(Appointment.tanggal == day, User.username == "markusnr",
                   Appointment.status.in_(("BOOKING", "RESCHEDULE", "ARRIVED")))).first(), day
