"""Conformance seeds of doctors, the services they offer, practice windows and bookable slots.

Each documented example is made true: the filters of explore/search find the seeded row
(`hari` Senin, the slot at 17:00, the window 08:00–09:00), create bodies name a fresh account
or doctor, and generate finds a window and an offer to cut."""
from tests.factories.accounts import make_user
from tests.factories.doctors import make_doctor, make_offer, make_slot, make_window
from tests.factories.treatments import make_service

from . import ID_KEYS, SEEDS, Seed

ID_KEYS.update({"id_doctors", "id_doctor_services"})


def seed_doctors(kind, path, caller):
    service = make_service(services_name="Cek kolestrol dan gula darahhhh")
    if kind == "create":
        account = make_user(roles=("USERS",), username="didit", users_fullname="Didit Velliz")
        return Seed(ids={"id_users": [account.id], "id_services": [service.id]})
    make_doctor()  # another doctor the filters leave out
    doctor = make_doctor(id_services=service.id)
    return Seed(target=doctor, ids={"id_users": [doctor.id_users], "id_services": [service.id]})


def seed_doctor_services(kind, path, caller):
    doctor = make_doctor()
    service = make_service()
    if kind == "create":
        return Seed(ids={"id_doctors": [doctor.id], "id_services": [service.id]})
    make_offer(doctor)  # another service of the same doctor
    offer = make_offer(doctor, service, custom_price=300000, doctor_buffer_time=15)
    return Seed(target=offer, ids={"id_doctors": [doctor.id], "id_services": [service.id]})


def seed_schedules(kind, path, caller):
    doctor = make_doctor()
    if kind == "create":
        return Seed(ids={"id_doctors": [doctor.id]})
    make_window(doctor, hari="Selasa")
    window = make_window(doctor, hari="Senin", jam="08:00", jam_selesai="09:00")
    return Seed(target=window, ids={"id_doctors": [doctor.id]})


def seed_doctor_schedules(kind, path, caller):
    offer = make_offer()
    ids = {"id_doctors": [offer.id_doctors], "id_doctor_services": [offer.id],
           "id_services": [offer.id_services]}
    if path == "doctor_schedules/generate":
        make_window(offer.doctor, hari="Senin", jam="09:00", jam_selesai="12:00")
        return Seed(ids=ids)
    if kind == "create":
        return Seed(ids=ids)
    make_slot(offer, hari="Senin", jam="09:00")
    slot = make_slot(offer, hari="Senin", jam="17:00")
    return Seed(target=slot, ids=ids)


SEEDS.update({"doctors": seed_doctors, "doctor_services": seed_doctor_services,
              "schedules": seed_schedules, "doctor_schedules": seed_doctor_schedules})
