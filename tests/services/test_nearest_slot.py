"""The free slot nearest a time clicked in the calendar (services/appointments/queries.py:
nearest_slot, nearest_free_slot)."""
from datetime import time, timedelta

from models import Holiday, db
from services.appointments import queries
from tests.factories.appointments import booking_day, make_appointment, make_clinic


def free(*spans):
    return [{"id": number, "jam_mulai": begins, "jam_selesai": ends}
            for number, (begins, ends) in enumerate(spans, start=1)]


SLOTS = free(("09:00", "09:30"), ("10:00", "10:30"), ("11:00", "11:30"))


def test_the_slot_running_at_the_time_clicked_wins():
    assert queries.nearest_slot(SLOTS, "10:00")["id"] == 2
    assert queries.nearest_slot(SLOTS, "10:29")["id"] == 2


def test_else_the_slot_starting_closest_to_it():
    assert queries.nearest_slot(SLOTS, "10:40")["id"] == 3   # 20 minutes before 11:00
    assert queries.nearest_slot(SLOTS, "09:40")["id"] == 2   # 20 before 10:00, 40 after 09:00
    assert queries.nearest_slot(SLOTS, "07:00")["id"] == 1
    assert queries.nearest_slot(SLOTS, "20:00")["id"] == 3


def test_a_tie_takes_the_later_slot():
    assert queries.nearest_slot(SLOTS, "10:30")["id"] == 3   # 30 after 10:00, 30 before 11:00
    assert queries.nearest_slot(free(("09:00", "09:30"), ("10:30", "11:00")), "09:45")["id"] == 2


def test_nothing_to_choose_from():
    assert queries.nearest_slot([], "10:00") is None
    assert queries.nearest_slot(SLOTS, None) is None
    assert queries.nearest_slot(SLOTS, "") is None


def two_doctors():
    day = booking_day()
    morning = make_clinic(day=day, starts=(time(9, 0), time(10, 0), time(11, 0)))
    afternoon = make_clinic(day=day, starts=(time(13, 0), time(14, 0)),
                            window=(time(13, 0), time(15, 0)))
    return day, morning, afternoon


def test_nearest_free_slot_of_a_doctor_or_of_any(app):
    day, morning, afternoon = two_doctors()
    of_morning = queries.nearest_free_slot(morning["doctor"].id, day, "13:20")
    assert of_morning["id"] == morning["slots"][2].id  # 11:00, that doctor's last
    of_any = queries.nearest_free_slot(None, day, "13:20")
    assert of_any["id"] == afternoon["slots"][0].id
    assert of_any["id_doctors"] == afternoon["doctor"].id
    assert of_any["id_services"] == afternoon["service"].id


def test_a_taken_slot_is_not_offered(app):
    day, morning, _ = two_doctors()
    make_appointment(morning, slot=morning["slots"][1], day=day)  # 10:00 taken
    nearest = queries.nearest_free_slot(morning["doctor"].id, day, "10:05")
    assert nearest["id"] == morning["slots"][2].id  # 11:00 is 55 minutes off, 09:00 65


def test_no_free_slot_that_day(app):
    day, morning, _ = two_doctors()
    assert queries.nearest_free_slot(morning["doctor"].id, day, None) is None
    assert queries.nearest_free_slot(morning["doctor"].id, None, "10:00") is None
    next_day = queries.nearest_free_slot(morning["doctor"].id, day + timedelta(days=1), "10:00")
    assert next_day is None  # the doctor practises on one weekday only
    db.session.add(Holiday(dates=day, descriptions="Libur"))
    db.session.commit()
    assert queries.nearest_free_slot(morning["doctor"].id, day, "10:00") is None
    assert queries.nearest_free_slot(None, day, "10:00") is None
