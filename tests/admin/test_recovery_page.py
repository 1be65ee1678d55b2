"""The page a recovery link opens: the link from the message shows a form; mismatching
passwords come back with their messages; the right ones set the password once (the same
operation as the API's forgot endpoints); a used or broken link says so, never a 500."""
import re
from urllib.parse import urlparse

from models import User, db
from tests.conftest import csrf_from, make_user
from tests.api.test_recovery import NEW, outbox


def link_path(message) -> str:
    url = urlparse(re.search(r"https?://\S+", message.body).group(0))
    return f"{url.path}?{url.query}"


def test_the_link_opens_a_page_that_sets_the_password_once(client):
    user = make_user(users_email="rina@example.com")
    client.post("/api/users/rina@example.com/recovery/password/email")
    [message] = outbox()
    path = link_path(message)
    assert path.startswith("/account/recovery?hash=")

    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kata sandi baru" in html and 'name="hash"' in html
    token = csrf_from(html)

    wrong = client.post(path, data={"csrf_token": token, "new_password": NEW,
                                    "confirm_new_password": "lain-sekali-99"})
    assert wrong.status_code == 422
    assert "is-invalid" in wrong.get_data(as_text=True)

    done = client.post(path, data={"csrf_token": token, "new_password": NEW,
                                   "confirm_new_password": NEW})
    assert done.status_code == 200 and 'id="recovery-done"' in done.get_data(as_text=True)
    db.session.expire_all()
    assert client.post("/api/users/login", json={"username": user.username,
                                                 "password": NEW}).status_code == 200

    again = client.post(path, data={"csrf_token": token, "new_password": "sandi-ketiga-99",
                                    "confirm_new_password": "sandi-ketiga-99"})
    assert again.status_code == 422
    assert "Minta tautan baru" in again.get_data(as_text=True)


def test_a_broken_link_is_a_clear_400(client):
    for path in ("/account/recovery", "/account/recovery?hash=abc",
                 "/account/recovery?email=x@example.com", "/account/recovery?hash=" + "x" * 5000):
        answer = client.get(path)
        assert answer.status_code == 400, path
        assert "tidak lengkap" in answer.get_data(as_text=True)
    forged = client.get("/account/recovery?hash=abc&phone=08123456789")
    assert forged.status_code == 200  # the form; the link is judged when it is used
    assert db.session.query(User).count() == 0
