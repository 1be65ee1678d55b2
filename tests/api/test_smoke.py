def test_login_and_get_self(client, auth, owner):
    headers = auth.headers(owner)
    response = client.get(f"/api/users/{owner.id}", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["users"]["username"] == "pemilik"
