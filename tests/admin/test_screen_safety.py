"""Issue 9 item 4 (part): what the screens never do. The audit log is read-only in the
admin, appointments are cancelled there, never deleted; a refused change is a 4xx."""
import pytest

from app.extensions import db
from models import Appointment, Log

from ..conftest import csrf_from, make_log, make_user
from ..factories.appointments import make_appointment


@pytest.fixture
def manager(client, auth):
    user = make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilikaman")
    assert auth.admin_login(user).status_code == 302
    return user


def _token(client, path):
    return csrf_from(client.get(path).get_data(as_text=True))


def test_the_audit_log_is_read_only_on_the_screens(client, htmx, manager):
    entry = make_log(action="login", descriptions="masuk")
    listing = client.get("/admin/logs/")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "/admin/logs/new" not in page and f"/admin/logs/{entry.id}/delete" not in page
    detail = client.get(f"/admin/logs/{entry.id}").get_data(as_text=True)
    assert f"/admin/logs/{entry.id}/edit" not in detail and "/delete" not in detail
    assert client.get("/admin/logs/new").status_code == 403
    assert client.get(f"/admin/logs/{entry.id}/edit").status_code == 403
    token = _token(client, "/admin/logs/")
    refused = htmx.delete(f"/admin/logs/{entry.id}/delete?from=list",
                          headers={"X-CSRFToken": token})
    assert refused.status_code == 403 and "toast" in refused.headers["HX-Trigger"]
    assert client.post(f"/admin/logs/{entry.id}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert db.session.get(Log, entry.id) is not None


def test_appointments_are_never_deleted_from_the_screens(client, htmx, manager):
    appointment = make_appointment()
    page = client.get(f"/admin/user_schedules/{appointment.id}").get_data(as_text=True)
    assert f"/admin/user_schedules/{appointment.id}/delete" not in page
    listing = client.get("/admin/user_schedules/").get_data(as_text=True)
    assert "/delete" not in listing
    token = _token(client, "/admin/user_schedules/")
    refused = htmx.delete(f"/admin/user_schedules/{appointment.id}/delete?from=list",
                          headers={"X-CSRFToken": token})
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id) is not None


def test_a_refused_delete_is_a_4xx_with_a_toast(client, htmx, manager):
    """A doctor with an appointment to come cannot be deleted: the answer says so with a
    409 and a toast, and nothing on the page is swapped."""
    from ..factories.appointments import make_clinic

    clinic = make_clinic()
    make_appointment(clinic)
    token = _token(client, "/admin/doctors/")
    refused = htmx.delete(f"/admin/doctors/{clinic['doctor'].id}/delete?from=list",
                          headers={"X-CSRFToken": token})
    assert refused.status_code == 409
    assert "toast" in refused.headers["HX-Trigger"] and refused.headers["HX-Reswap"] == "none"
