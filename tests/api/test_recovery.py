"""Password recovery by e-mail and WhatsApp: one answer for any address, a single-use hashed
token that expires, the new password ending every token, and the per-client rate limit."""
import re
import time
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select

from models import OutboxMessage, PasswordRecovery, User, UserToken, clinic_now, db
from tests.conftest import PASSWORD, make_user
from tests.factories.accounts import make_recovery

NEW = "sandi-baru-2024"


def outbox():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def link_hash(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    query = parse_qs(urlparse(url).query)
    return query["hash"][0]


def forgot(client, identity, token, channel="email", password=NEW, confirm=None):
    return client.post(f"/api/users/{identity}/forgot/{token}/password/{channel}",
                       json={"new_password": password,
                             "confirm_new_password": confirm or password})


def test_email_recovery_sends_a_link_that_sets_the_password_once(client, auth):
    user = make_user(users_email="Didit@Example.com")
    old_token = auth.token(user)
    response = client.post("/api/users/didit@example.com/recovery/password/email")
    assert response.status_code == 200
    assert response.get_json() == {"recovery_password_email": True,
                                   "users_email": "didit@example.com"}
    [message] = outbox()
    assert (message.channel, message.recipient) == ("email", "didit@example.com")
    assert "/account/recovery?hash=" in message.body and "email=didit%40example.com" in message.body
    assert "30 menit" in message.body and message.data["html"].count("<a href=") == 1
    raw = link_hash(message)
    stored = db.session.scalars(select(PasswordRecovery)).one()
    assert raw not in stored.token_hash and len(stored.token_hash) == 64  # only a hash

    answer = forgot(client, "didit@example.com", raw)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"forgot_password_email": True, "users_email": "didit@example.com"}
    # the old bearer token is revoked, the new password signs in, the old one does not
    assert client.get("/api/users/data",
                      headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    assert client.post("/api/users/login", json={"username": user.username,
                                                 "password": PASSWORD}).status_code == 401
    assert client.post("/api/users/login", json={"username": user.username,
                                                 "password": NEW}).status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).is_email_confirmed
    # used once: the same link again is refused
    again = forgot(client, "didit@example.com", raw, password="sandi-ketiga-99")
    assert again.status_code == 422
    assert again.get_json()["exception"]["error_code"] == "recovery_link_invalid"


def test_whatsapp_recovery_finds_the_number_however_it_was_typed(client):
    user = make_user(users_phone="0812-0000-1121")
    response = client.post("/api/users/6281200001121/recovery/password/wa")
    assert response.get_json() == {"recovery_password_wa": True, "users_phone": "6281200001121"}
    [message] = outbox()
    assert (message.channel, message.recipient) == ("whatsapp", "6281200001121")
    assert "phone=6281200001121" in message.body
    assert forgot(client, "6281200001121", link_hash(message), "wa").get_json() == {
        "forgot_password_wa": True, "users_phone": "6281200001121"}
    db.session.expire_all()
    assert db.session.get(User, user.id).is_phone_confirmed


def test_unknown_deleted_and_blocked_accounts_get_the_same_answer_and_nothing_is_sent(client):
    make_user(users_email="hapus@example.com", deleted_at=clinic_now())
    make_user(users_email="blokir@example.com", is_blocked=True)
    known = make_user(users_email="ada@example.com")
    answers, durations = {}, {}
    for address in ("tidak-ada@example.com", "hapus@example.com", "blokir@example.com",
                    "ada@example.com"):
        started = time.perf_counter()
        response = client.post(f"/api/users/{address}/recovery/password/email")
        durations[address] = time.perf_counter() - started
        answers[address] = (response.status_code, tuple(sorted(response.get_json())),
                             response.get_json()["recovery_password_email"])
    assert len(set(answers.values())) == 1
    assert [message.recipient for message in outbox()] == ["ada@example.com"]
    assert db.session.scalars(select(PasswordRecovery.id_users)).all() == [known.id]
    # no address answers much faster or slower than another (with the stand-in)
    assert max(durations.values()) - min(durations.values()) < 0.5, durations


def test_a_wrong_an_expired_and_another_accounts_link_are_refused_alike(client):
    user = make_user(users_email="didit@example.com")
    other = make_user(users_email="lain@example.com")
    _row, expired = make_recovery(user, minutes=-1)
    _row, others = make_recovery(other)
    _row, by_wa = make_recovery(user, channel="wa")
    for token in ("salah-sekali", expired, others, by_wa, "x" * 300):
        response = forgot(client, "didit@example.com", token)
        assert response.status_code == 422, token
        body = response.get_json()["exception"]
        assert body["error_code"] == "recovery_link_invalid"
        assert "tidak valid" in body["message"]
    assert forgot(client, "tidak-ada@example.com", others).status_code == 422
    db.session.expire_all()
    assert db.session.scalars(select(PasswordRecovery.used_at)).all() == [None, None, None]


def test_a_new_password_ends_every_link_and_token_of_the_account(client, auth):
    user = make_user(users_email="didit@example.com")
    tokens = [auth.token(user), auth.token(user)]
    _row, first = make_recovery(user)
    _row, second = make_recovery(user)
    assert forgot(client, "didit@example.com", first).status_code == 200
    assert forgot(client, "didit@example.com", second).status_code == 422  # ended with it
    db.session.expire_all()
    live = db.session.scalars(select(UserToken).where(UserToken.id_users == user.id,
                                                      UserToken.revoked_at.is_(None))).all()
    assert live == [] and len(tokens) == 2


def test_password_rules_and_bad_addresses_answer_422(client):
    user = make_user(users_email="didit@example.com")
    _row, raw = make_recovery(user)
    short = forgot(client, "didit@example.com", raw, password="pendek")
    assert short.status_code == 422 and "new_password" in short.get_json()["exception"]["fields"]
    differ = forgot(client, "didit@example.com", raw, confirm="sandi-lain-2024")
    assert "confirm_new_password" in differ.get_json()["exception"]["fields"]
    assert client.post("/api/users/bukan-email/recovery/password/email").status_code == 422
    assert client.post("/api/users/12ab/recovery/password/wa").status_code == 422
    assert client.post("/api/users/a@b.co/recovery/password/email?variant=lain").status_code == 422
    # the link still works after those refusals
    assert forgot(client, "didit@example.com", raw).status_code == 200


def test_a_link_is_sent_once_per_minute_per_account(client):
    make_user(users_email="didit@example.com")
    for _ in range(3):
        assert client.post("/api/users/didit@example.com/recovery/password/email").status_code == 200
    assert len(outbox()) == 1


def test_reset_variant_words_the_subject(client):
    make_user(users_email="didit@example.com")
    client.post("/api/users/didit@example.com/recovery/password/email?variant=reset")
    assert outbox()[0].subject.startswith("Atur ulang kata sandi")


def test_recovery_is_rate_limited_per_client(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RECOVERY_RATE_LIMIT", "2 per hour")
    codes = [client.post("/api/users/siapa@example.com/recovery/password/email").status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    codes = [forgot(client, "siapa@example.com", "tebakan").status_code for _ in range(3)]
    assert codes[-1] == 429


def test_a_failed_delivery_still_answers_the_same(client, app, monkeypatch):
    for key, value in {"SMTP_MODE": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": 9,
                       "SMTP_TIMEOUT_SECONDS": 2}.items():
        monkeypatch.setitem(app.config, key, value)
    make_user(users_email="didit@example.com")
    response = client.post("/api/users/didit@example.com/recovery/password/email")
    assert response.status_code == 200 and response.get_json()["recovery_password_email"] is True


def test_the_production_standin_refusal_is_a_503_not_a_500(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    make_user(users_email="didit@example.com")
    response = client.post("/api/users/didit@example.com/recovery/password/email")
    assert response.status_code == 503
    assert "produksi" in response.get_json()["exception"]["message"]
