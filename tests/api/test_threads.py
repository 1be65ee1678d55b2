"""Consultations through the API: threads open themselves on payment (queue per doctor per
day), reach by role, messages (bubble, read state, edit and delete window, uploads),
prescriptions and their redemption, close and reopen."""
import io
from sqlalchemy import select

from models import Order, OrderItem, Prescription, ThreadMessage, User, clinic_now, db
from tests.conftest import png_bytes
from tests.factories.accounts import make_user
from tests.factories.doctors import make_doctor
from tests.factories.orders import make_cart
from tests.factories.stores import make_product
from tests.factories.threads import (make_message, make_prescription, paid_consultation)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _doctor_user(thread):
    return db.session.get(User, thread.id_user_to)


def test_a_paid_consultation_opens_its_thread_with_queue_numbers_per_doctor_and_day():
    doctor, other = make_doctor(), make_doctor()
    _o1, first = paid_consultation(doctor=doctor)
    _o2, second = paid_consultation(doctor=doctor)
    _o3, elsewhere = paid_consultation(doctor=other)
    assert (first.queue_number, second.queue_number, elsewhere.queue_number) == (1, 2, 1)
    assert first.id_user_to == doctor.id_users and first.queue_date == clinic_now().date()
    assert first.thread_type == "consultation" and not first.is_closed


def test_reach_customer_doctor_office(client, auth, owner_headers):
    _order, thread = paid_consultation()
    stranger = make_user(roles=("CUSTOMER",))
    other_doctor = make_doctor()
    url = f"/api/threads/{thread.id}"
    customer_headers = auth.headers(db.session.get(User, thread.id_user_from))
    assert client.get(url, headers=customer_headers).status_code == 200
    assert client.get(url, headers=auth.headers(_doctor_user(thread))).status_code == 200
    assert client.get(url, headers=auth.headers(stranger)).status_code == 404
    assert client.get(url, headers=auth.headers(other_doctor.user)).status_code == 404
    assert client.get(url, headers=owner_headers).status_code == 200
    # the office sees the thread, not the conversation
    refused = client.post("/api/thread_messages/explore", headers=owner_headers,
                          json={"id_threads": thread.id})
    assert refused.status_code == 200 and refused.get_json()["data"] == []
    text = client.post("/api/thread_messages/text", headers=owner_headers,
                       json={"id_threads": thread.id, "content": "Halo"})
    assert text.status_code == 403
    # a customer cannot prescribe
    menu = make_product(is_resep_required=True)
    assert client.post("/api/thread_messages/prescriptions", headers=customer_headers, json={
        "id_threads": thread.id, "id_menu": menu.id}).status_code == 403
    assert client.post("/api/thread_messages/text", headers=auth.headers(stranger), json={
        "id_threads": thread.id, "content": "Halo"}).status_code == 404


def test_bubble_and_read_state_per_reader(client, auth):
    _order, thread = paid_consultation()
    customer, doctor = db.session.get(User, thread.id_user_from), _doctor_user(thread)
    customer_headers, doctor_headers = auth.headers(customer), auth.headers(doctor)
    sent = client.post("/api/thread_messages/text", headers=customer_headers, json={
        "id_threads": thread.id, "content": "Hallo Dok, 🙏", "content_type": "text"})
    assert sent.status_code == 200
    message = sent.get_json()["thread_messages"]
    assert message["bubble"] == "right" and message["is_read"] == 0
    listed = client.post("/api/threads/explore", headers=doctor_headers, json={}).get_json()
    assert listed["data"][0]["unread_count"] == 1
    read = client.post("/api/thread_messages/explore", headers=doctor_headers,
                       json={"id_threads": thread.id}).get_json()["data"]
    assert read[0]["bubble"] == "left" and read[0]["content"] == "Hallo Dok, 🙏"
    listed = client.post("/api/threads/explore", headers=doctor_headers, json={}).get_json()
    assert listed["data"][0]["unread_count"] == 0
    mine = client.post("/api/thread_messages/explore", headers=customer_headers,
                       json={"id_threads": thread.id}).get_json()["data"]
    assert mine[0]["bubble"] == "right" and mine[0]["is_read"] == 1  # the doctor has read it


def test_only_ones_own_text_within_the_time_limit(client, auth, app):
    _order, thread = paid_consultation()
    customer = db.session.get(User, thread.id_user_from)
    headers = auth.headers(customer)
    fresh = make_message(thread, customer, "Salah ketik")
    old = make_message(thread, customer, "Lama", minutes_ago=app.config["MESSAGE_EDIT_MINUTES"] + 1)
    theirs = make_message(thread, _doctor_user(thread), "Dari dokter")
    edited = client.put(f"/api/thread_messages/{fresh.id}/update_text", headers=headers,
                        json={"content": "*edited"})
    assert edited.status_code == 200
    assert edited.get_json()["thread_messages"]["content"] == "*edited"
    assert client.put(f"/api/thread_messages/{old.id}/update_text", headers=headers,
                      json={"content": "x"}).status_code == 409
    assert client.put(f"/api/thread_messages/{theirs.id}/update_text", headers=headers,
                      json={"content": "x"}).status_code == 403
    assert client.delete(f"/api/thread_messages/{theirs.id}/delete",
                         headers=headers).status_code == 403
    assert client.delete(f"/api/thread_messages/{old.id}/delete", headers=headers).status_code == 409
    assert client.delete(f"/api/thread_messages/{fresh.id}/delete",
                         headers=headers).get_json() == {"deleted": True}
    db.session.expire_all()
    assert db.session.get(ThreadMessage, fresh.id).deleted_at is not None


def test_uploads_are_checked_by_content_and_size(client, auth, app):
    _order, thread = paid_consultation()
    headers = auth.headers(db.session.get(User, thread.id_user_from))

    def send(path, field, data, name):
        return client.post(f"/api/thread_messages/{path}", headers=headers,
                           data={"id_threads": str(thread.id), field: (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    image = send("image", "image", png_bytes(), "foto.png")
    assert image.status_code == 200, image.get_json()
    body = image.get_json()["thread_messages"]
    assert body["content"] == "foto.png" and "/uploads/thread_messages_image/" in body["url"]
    served = client.get(body["url"].replace(app.config["PUBLIC_BASE_URL"], ""))
    assert served.status_code == 200 and served.headers["X-Content-Type-Options"] == "nosniff"
    pdf = send("attachments", "attachments", PDF, "hasil-lab.pdf")
    assert pdf.status_code == 200 and pdf.get_json()["thread_messages"]["url"].endswith(".pdf")
    assert send("attachments", "attachments", b"<html><script>x</script>",
                "hasil.pdf").status_code == 422
    assert send("image", "image", PDF, "foto.png").status_code == 422
    limit = app.config["UPLOAD_MAX_BYTES"]
    assert send("attachments", "attachments", PDF + b"0" * limit, "besar.pdf").status_code == 413


def test_prescribe_and_redeem_once_into_the_cart(client, auth):
    _order, thread = paid_consultation()
    customer, doctor = db.session.get(User, thread.id_user_from), _doctor_user(thread)
    menu = make_product(is_resep_required=True, harga=120000, pajak=0)
    sent = client.post("/api/thread_messages/prescriptions", headers=auth.headers(doctor), json={
        "id_threads": thread.id, "id_menu": menu.id, "qty": 2, "content_type": "prescriptions"})
    assert sent.status_code == 200, sent.get_json()
    content = sent.get_json()["thread_messages"]["content"]
    assert content["nama_menus"] == menu.nama_menus and content["qty"] == "2"
    headers = auth.headers(customer)
    # by hand the product is still refused
    cart = make_cart(customer)
    assert client.post("/api/orders/e_add_to_carts", headers=headers, json={
        "id_order": cart.id, "items": [{"id_menu": menu.id, "qty": 1}]}).status_code == 409
    body = {"id_menu": menu.id, "id_orders": cart.id, "id_threads": thread.id}
    assert client.post("/api/menu_reedems/add_to_carts", headers=headers,
                       json={**body, "qty": 3}).status_code == 422
    stranger = make_user(roles=("CUSTOMER",))
    assert client.post("/api/menu_reedems/add_to_carts", headers=auth.headers(stranger),
                       json=body).status_code == 404
    assert client.post("/api/menu_reedems/add_to_carts", headers=auth.headers(doctor),
                       json=body).status_code == 404
    redeemed = client.post("/api/menu_reedems/add_to_carts", headers=headers, json=body)
    assert redeemed.get_json() == {"add_to_carts": True}
    line = db.session.execute(select(OrderItem).where(OrderItem.id_order == cart.id)).scalar_one()
    assert line.qty == 2 and line.price == 120000 and line.id_prescription is not None
    assert client.post("/api/menu_reedems/add_to_carts", headers=headers,
                       json=body).status_code == 409
    order = client.get(f"/api/orders/{cart.id}", headers=headers).get_json()["orders"]
    assert order["order_items"][0]["prescribed_by"] == f"Diresepkan oleh {doctor.users_fullname}" \
        or order["order_items"][0]["prescribed_by"].startswith("Diresepkan oleh dr")
    # more than prescribed cannot be added by hand afterwards
    assert client.post("/api/orders/e_add_to_carts", headers=headers, json={
        "id_order": cart.id, "items": [{"id_menu": menu.id, "qty": "+"}]}).status_code == 409


def test_an_expired_prescription_is_not_redeemed(client, auth):
    _order, thread = paid_consultation()
    prescription = make_prescription(thread, days=-1)
    customer = db.session.get(User, thread.id_user_from)
    response = client.post("/api/menu_reedems/add_to_carts", headers=auth.headers(customer),
                           json={"id_menu": prescription.id_menu, "id_threads": thread.id})
    assert response.status_code == 409
    assert response.get_json()["exception"]["error_code"] == "prescription_expired"
    db.session.expire_all()
    assert db.session.get(Prescription, prescription.id).redeemed_at is None


def test_closing_a_consultation_completes_its_order_and_reopens(client, auth):
    order, thread = paid_consultation()
    customer_headers = auth.headers(db.session.get(User, thread.id_user_from))
    assert client.put(f"/api/threads/{thread.id}/close",
                      headers=customer_headers).status_code == 403
    doctor_headers = auth.headers(_doctor_user(thread))
    assert client.put(f"/api/threads/{thread.id}/close",
                      headers=doctor_headers).get_json() == {"close": True}
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "DONE"
    assert client.post("/api/thread_messages/text", headers=customer_headers, json={
        "id_threads": thread.id, "content": "Halo"}).status_code == 409
    assert client.put(f"/api/threads/{thread.id}/close", headers=doctor_headers).status_code == 409
    assert client.put(f"/api/threads/{thread.id}/reopen",
                      headers=doctor_headers).get_json() == {"reopen": True}
    updated = client.put(f"/api/threads/{thread.id}/update", headers=doctor_headers,
                         json={"is_closed": 1})
    assert updated.status_code == 200 and updated.get_json()["threads"]["is_closed"] == 1


def test_a_prescription_request_opens_a_thread_a_doctor_takes(client, auth, owner_headers):
    customer = make_user(roles=("CUSTOMER",))
    menu = make_product(is_resep_required=True)
    headers = auth.headers(customer)
    assert client.post("/api/menus/prescriptions/requests", headers=headers,
                       json={"id_menu": menu.id}).get_json() == {"prescriptions_requests": True}
    plain = make_product(is_resep_required=False)
    assert client.post("/api/menus/prescriptions/requests", headers=headers,
                       json={"id_menu": plain.id}).status_code == 409
    mine = client.post("/api/threads/overview", headers=headers, json={}).get_json()
    request_row = mine["active"]["prescriptions"][0]
    assert mine["counts"]["active"] == {"prescriptions": 1, "online_consultations": 0}
    first = client.post("/api/thread_messages/explore", headers=headers,
                        json={"id_threads": request_row["id"]}).get_json()["data"][0]
    assert menu.nama_menus in first["content"] and first["remark"] == "auto-messages"
    doctor, other = make_doctor(), make_doctor()
    inbox = client.post("/api/threads/overview/doctors", headers=auth.headers(doctor.user),
                        json={}).get_json()
    assert [row["id"] for row in inbox["active"]["prescriptions"]] == [request_row["id"]]
    answer = client.post("/api/thread_messages/prescriptions", headers=auth.headers(doctor.user),
                         json={"id_threads": request_row["id"], "id_menu": menu.id})
    assert answer.status_code == 200
    assert client.get(f"/api/threads/{request_row['id']}",
                      headers=auth.headers(other.user)).status_code == 404
    admin = client.post("/api/threads/adminview", headers=owner_headers, json={}).get_json()
    assert admin["counts"]["active"]["prescriptions"] >= 1
    assert client.post("/api/threads/adminview", headers=headers, json={}).status_code == 403



def test_users_data_lists_my_open_threads(client, auth):
    from tests.conftest import make_user
    from tests.factories.doctors import make_doctor
    from tests.factories.threads import make_thread

    customer, doctor = make_user(), make_doctor()
    mine = make_thread(customer, doctor)
    closed = make_thread(customer, doctor)
    closed.is_closed = True
    db.session.commit()
    make_thread(make_user(), doctor)  # someone else's, with the same doctor
    for user, expected in ((customer, [mine.id]), (doctor.user, None)):
        rows = client.get("/api/users/data", headers=auth.headers(user)).get_json()["users"]
        ids = [row["id"] for row in rows["threads"]]
        if expected is not None:
            assert ids == expected
        else:  # the doctor sees both open threads they answer, not the closed one
            assert closed.id not in ids and mine.id in ids and len(ids) == 2
