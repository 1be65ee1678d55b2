"""notifications/* and users/register_device_token: a user reaches only their own."""
from sqlalchemy import select

from models import DeviceToken, Notification, db
from services.notifications.operations import notify
from tests.factories.accounts import make_user


def notes_for(user, titles=("Satu", "Dua")):
    rows = [notify(user.id, title, f"Isi {title}", "order_status") for title in titles]
    db.session.commit()
    return rows


def test_explore_search_table_and_get_show_only_ones_own(client, auth):
    me, other = make_user(), make_user(roles=("OWNER",))
    mine = notes_for(me)
    theirs = notes_for(other, ("Lain",))
    headers = auth.headers(me)
    page = client.post("/api/notifications/explore?page=1&length=10", json={},
                       headers=headers).get_json()
    assert page["totaldata"] == 2
    assert {row["title"] for row in page["data"]} == {"Satu", "Dua"}
    assert set(page["data"][0]) == {"id", "created", "intentions", "id_user_from", "id_user_to",
                                    "title", "content", "priority", "labels", "is_read", "url",
                                    "remark"}
    # asking for another's by filter still shows only one's own
    found = client.post("/api/notifications/search", json={"id_user_to": other.id},
                        headers=headers).get_json()
    assert found == {"notifications": []}
    table = client.post("/api/notifications/table", data={"draw": "1", "start": "0",
                                                          "length": "10"},
                        headers=headers).get_json()
    assert table["recordsTotal"] == 2
    one = client.get(f"/api/notifications/{mine[0].id}", headers=headers).get_json()
    assert one["notifications"]["user_to"]["id"] == me.id
    assert one["notifications"]["user_from"]["id"] is None
    assert one["notifications"]["user_to"]["roles"] == "Pelanggan"
    assert client.get(f"/api/notifications/{theirs[0].id}", headers=headers).status_code == 404
    # the owner too reaches only their own
    owner = auth.headers(other)
    assert client.get(f"/api/notifications/{mine[0].id}", headers=owner).status_code == 404
    assert client.post("/api/notifications/explore", json={}).status_code == 401


def test_mark_one_and_all_as_read(client, auth):
    me, other = make_user(), make_user()
    mine = notes_for(me, ("A", "B", "C"))
    theirs = notes_for(other, ("X",))
    headers = auth.headers(me)
    answer = client.put(f"/api/notifications/{mine[0].id}/mark/as/read", headers=headers)
    assert answer.status_code == 200 and answer.get_json() == {"mark_as_read": True}
    assert client.put(f"/api/notifications/{theirs[0].id}/mark/as/read",
                      headers=headers).status_code == 404
    unread = client.post("/api/notifications/search", json={"is_read": 0},
                         headers=headers).get_json()["notifications"]
    assert {row["title"] for row in unread} == {"B", "C"}
    data = client.get("/api/users/data", headers=headers).get_json()
    assert data["users"]["notifications"] == {"notifications": 3, "unread": 2, "isread": 1}
    refused = client.put("/api/notifications/mark/all", json={"id_users": other.id},
                         headers=headers)
    assert refused.status_code == 422
    answer = client.put("/api/notifications/mark/all", json={"id_users": me.id},
                        headers=headers)
    assert answer.get_json() == {"mark_all": True}
    db.session.expire_all()
    assert all(row.is_read and row.read_at for row in db.session.execute(
        select(Notification).where(Notification.id_user_to == me.id)).scalars())
    assert db.session.get(Notification, theirs[0].id).is_read is False
    assert client.put("/api/notifications/mark/all", json={},
                      headers=headers).status_code == 200


def test_a_device_token_moves_to_the_newest_user_who_registers_it(client, auth):
    first, second = make_user(), make_user()
    body = {"device_token": "fcm-token-1", "already_login": False}
    answer = client.post("/api/users/register_device_token", json=body,
                         headers=auth.headers(first))
    assert answer.get_json() == {"register_device_token": True}
    assert client.put("/api/users/register_device_token", json=body,
                      headers=auth.headers(second)).status_code == 200
    rows = db.session.execute(select(DeviceToken)).scalars().all()
    assert [(row.device_token, row.id_users) for row in rows] == [("fcm-token-1", second.id)]
    assert client.post("/api/users/register_device_token", json={"device_token": ""},
                       headers=auth.headers(first)).status_code == 422
    assert client.post("/api/users/register_device_token", json=body).status_code == 401
