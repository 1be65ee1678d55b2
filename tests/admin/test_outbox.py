"""Pengaturan → Kotak keluar: what the stand-in gateways kept, for managers only, newest first,
by channel, each message whole on its page; nothing can be written from the screens."""
from datetime import timedelta

from sqlalchemy import select

from models import OutboxMessage, clinic_now, db
from services.gateways.email import send_email
from services.gateways.push import send_push
from services.gateways.whatsapp import send_whatsapp
from tests.factories.messages import make_outbox_message

from .test_admin import signed_in, token_of


def test_managers_read_the_outbox_newest_first(client, auth):
    earlier = clinic_now() - timedelta(hours=1)
    make_outbox_message("email", subject="Pesan lama", created=earlier)
    send_whatsapp("0812-3456-7890", "Pengingat janji temu besok pukul 10.00")
    send_push("token-perangkat", "Pesanan dibayar", "Pesanan E-1 sudah dibayar", {"order": 1})
    db.session.commit()
    signed_in(auth, client, roles=("ADMIN",))
    page = client.get("/admin/outbox_messages/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kotak keluar" in html and "Log audit" in html  # a tab of Pengaturan
    assert html.index("Pesanan dibayar") < html.index("6281234567890") < html.index("Pesan lama")
    assert "Tambah" not in html  # read only


def test_the_channel_filter_and_the_detail_page(client, auth):
    send_email("didit@example.com", "Pemulihan akun", "Halo,\n\nBuka tautan ini.",
               "<p>Buka <a href='x'>tautan</a></p>")
    send_whatsapp("081234567890", "Halo WhatsApp")
    db.session.commit()
    signed_in(auth, client, roles=("OWNER",))
    only_mail = client.get("/admin/outbox_messages/?channel=email").get_data(as_text=True)
    assert "didit@example.com" in only_mail and "Halo WhatsApp" not in only_mail
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email")).one()
    detail = client.get(f"/admin/outbox_messages/{mail.id}")
    assert detail.status_code == 200
    text = detail.get_data(as_text=True)
    assert "Halo,\n\nBuka tautan ini." in text  # the text as sent, line breaks kept
    assert "&lt;p&gt;Buka &lt;a href=" in text  # the HTML shown as source, never rendered
    assert "mode uji" in text


def test_the_outbox_is_for_managers_only(client, auth):
    row = make_outbox_message()
    signed_in(auth, client, roles=("USERS", "DOCTOR"))
    assert client.get("/admin/outbox_messages/").status_code == 403
    assert client.get(f"/admin/outbox_messages/{row.id}").status_code == 403
    assert "Kotak keluar" not in client.get("/admin/", follow_redirects=True).get_data(as_text=True)


def test_the_outbox_cannot_be_written_from_the_screens(client, auth):
    row = make_outbox_message()
    signed_in(auth, client, roles=("OWNER",))
    token = token_of(client, "/admin/outbox_messages/")
    assert client.get("/admin/outbox_messages/new").status_code == 403
    removed = client.post(f"/admin/outbox_messages/{row.id}/delete", data={"csrf_token": token})
    assert removed.status_code == 403
    assert client.get(f"/admin/outbox_messages/{row.id}").status_code == 200


def test_the_outbox_has_no_api(client, owner_headers):
    row = make_outbox_message()
    assert client.get(f"/api/outbox_messages/{row.id}", headers=owner_headers).status_code == 404
    assert client.post("/api/outbox_messages/explore", headers=owner_headers,
                       json={}).status_code == 404
