"""Conformance seeds of appointments (user_schedules): a doctor with slots, a customer's
patient and an appointment in the state each documented endpoint needs.

The document's booking example is in the past (25/09/2023, a Monday, 13:00); the seed puts
`tanggal`, `hari` and `jam` on a real future slot, as the mobile app would send them."""
from datetime import date, time

from models import clinic_now
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of

from . import ID_KEYS, Seed, SEEDS

ID_KEYS.update({"id_doctors", "id_services", "id_doctor_schedules", "id_patients"})
AFTERNOON = (time(13, 0), time(17, 0))


def _ids(clinic, patient, slot=None, day=None):
    slot = slot or clinic["slots"][0]
    day = day or clinic["day"]
    return {"id_doctors": [clinic["doctor"].id], "id_services": [clinic["service"].id],
            "id_doctor_schedules": [slot.id], "id_users": [patient.id_users],
            "id_patients": [patient.id], "tanggal": [day.strftime("%d/%m/%Y")],
            "hari": [slot.hari], "jam": [slot.jam.strftime("%H:%M")]}


def seed_user_schedules(kind, path, caller):
    """What each user_schedules endpoint needs before the walk calls it."""
    patient = make_patient_of()
    if path == "user_schedules/timeline":
        # the documented example asks eleven months of every doctor; the timeline gives every
        # doctor a week per request (README, API: bounded reads), so the walk asks the week of
        # a finished appointment of the documented range (the seed's ids replace the dates)
        past = make_clinic(day=date(2023, 9, 25), starts=(time(13, 0),), window=AFTERNOON)
        make_appointment(past, patient=patient, status="DONE")
        return Seed(ids={"date_from": ["25/09/2023"], "date_to": ["01/10/2023"]})
    if path.endswith(("/arrived", "/done")):
        today = make_clinic(day=clinic_now().date(), starts=(time(13, 0),), window=AFTERNOON)
        status = "BOOKING" if path.endswith("/arrived") else "ARRIVED"
        return Seed(target=make_appointment(today, patient=patient, status=status))
    clinic = make_clinic(starts=(time(13, 0), time(14, 0)), window=AFTERNOON)
    if kind == "create" or path.endswith("/availability"):
        return Seed(ids=_ids(clinic, patient))
    status = "CANCEL" if kind == "delete" else "BOOKING"
    appointment = make_appointment(clinic, patient=patient, status=status)
    if kind == "update":
        return Seed(target=appointment, ids=_ids(clinic, patient, slot=clinic["slots"][1]))
    return Seed(target=appointment, ids=_ids(clinic, patient))


SEEDS.update({"user_schedules": seed_user_schedules})
