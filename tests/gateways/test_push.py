"""The FCM HTTP v1 gateway against a fake FCM and a fake OAuth2 token endpoint on 127.0.0.1
(pytest-httpserver): the service-account JWT exchanged for an access token, the message sent
with it, and what each answer means (sent, a token to forget, try again later)."""
import json
import urllib.parse

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select
from werkzeug import Response

from models import OutboxMessage, db
from services.gateways import push
from services.gateways.messaging import MessageGatewayUnavailable
from services.gateways.push import send_push

PROJECT = "colederma-uji"
SEND_PATH = f"/v1/projects/{PROJECT}/messages:send"
DEVICE = "fcm-device-token-123"


@pytest.fixture(scope="module")
def private_key_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture
def fcm(app, data_app, httpserver, tmp_path, monkeypatch, private_key_pem):
    """Both apps sending through FCM at the fake server, with a service-account file whose
    token_uri is the fake token endpoint."""
    credentials = tmp_path / "service-account.json"
    credentials.write_text(json.dumps({
        "type": "service_account", "project_id": PROJECT, "private_key_id": "kunci-1",
        "private_key": private_key_pem,
        "client_email": f"fcm@{PROJECT}.iam.gserviceaccount.com", "client_id": "1",
        "token_uri": httpserver.url_for("/token")}))
    push.forget_credentials()
    for application in (app, data_app):
        for key, value in {"FCM_MODE": "", "FCM_CREDENTIALS_FILE": str(credentials),
                           "FCM_PROJECT_ID": "", "FCM_BASE_URL": httpserver.url_for("/"),
                           "FCM_TIMEOUT_SECONDS": 3}.items():
            monkeypatch.setitem(application.config, key, value)
    httpserver.expect_request("/token", method="POST").respond_with_handler(_token_answer)
    yield httpserver
    push.forget_credentials()


def _token_answer(request):
    form = urllib.parse.parse_qs(request.get_data(as_text=True))
    assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    assert form["assertion"][0].count(".") == 2  # a signed JWT
    return Response(json.dumps({"access_token": "ya29.akses-uji", "expires_in": 3600,
                                "token_type": "Bearer"}), content_type="application/json")


def _fcm_error(status_code, status, error_code=None, message="", field=None):
    details = []
    if error_code:
        details.append({"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                        "errorCode": error_code})
    if field:
        details.append({"@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [{"field": field, "description": message}]})
    return {"error": {"code": status_code, "message": message, "status": status,
                      "details": details}}


def test_a_push_is_sent_with_an_access_token_from_the_service_account(data_app, fcm):
    fcm.expect_request(SEND_PATH, method="POST").respond_with_json(
        {"name": f"projects/{PROJECT}/messages/0:1500"})
    result = send_push(DEVICE, "Pesanan dibayar", "Pesanan E-1 sudah dibayar.",
                       {"order_id": 7, "kind": "order"})
    assert result.ok and not result.invalid_token and not result.retry
    assert result.detail == f"projects/{PROJECT}/messages/0:1500"
    token_call, send_call = [request for request, _response in fcm.log]
    assert token_call.path == "/token"
    assert send_call.headers["Authorization"] == "Bearer ya29.akses-uji"
    assert send_call.get_json() == {"message": {
        "token": DEVICE, "notification": {"title": "Pesanan dibayar",
                                          "body": "Pesanan E-1 sudah dibayar."},
        "data": {"order_id": "7", "kind": "order"}}}  # FCM data values are text
    assert db.session.scalar(select(OutboxMessage.id)) is None  # the real one, not the outbox


def test_the_access_token_is_reused_until_it_expires(data_app, fcm):
    fcm.expect_request(SEND_PATH, method="POST").respond_with_json({"name": "m/1"})
    assert send_push(DEVICE, "a", "b", {}).ok and send_push(DEVICE, "c", "d", {}).ok
    assert [request.path for request, _ in fcm.log] == ["/token", SEND_PATH, SEND_PATH]


def test_unregistered_token_is_invalid(data_app, fcm):
    fcm.expect_request(SEND_PATH, method="POST").respond_with_json(
        _fcm_error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."),
        status=404)
    result = send_push(DEVICE, "t", "b", {})
    assert not result.ok and result.invalid_token and not result.retry
    assert "UNREGISTERED" in result.detail


def test_invalid_argument_about_the_token_is_invalid_but_not_about_the_payload(data_app, fcm):
    fcm.expect_oneshot_request(SEND_PATH, method="POST").respond_with_json(
        _fcm_error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                   "The registration token is not a valid FCM registration token",
                   field="message.token"), status=400)
    fcm.expect_oneshot_request(SEND_PATH, method="POST").respond_with_json(
        _fcm_error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid data payload key",
                   field="message.data"), status=400)
    first, second = send_push(DEVICE, "t", "b", {}), send_push(DEVICE, "t", "b", {})
    assert first.invalid_token and not first.retry
    assert not second.ok and not second.invalid_token and not second.retry


@pytest.mark.parametrize("status", [429, 500, 503])
def test_throttling_and_outages_are_tried_again(data_app, fcm, status):
    fcm.expect_request(SEND_PATH, method="POST").respond_with_json(
        _fcm_error(status, "UNAVAILABLE", "UNAVAILABLE", "The server is overloaded."),
        status=status)
    result = send_push(DEVICE, "t", "b", {})
    assert not result.ok and result.retry and not result.invalid_token


def test_no_answer_is_tried_again(data_app, fcm, monkeypatch):
    monkeypatch.setitem(data_app.config, "FCM_BASE_URL", "http://127.0.0.1:9")  # closed port
    result = send_push(DEVICE, "t", "b", {})
    assert not result.ok and result.retry and "tidak terjangkau" in result.detail


def test_a_refused_service_account_is_reported_not_raised(data_app, fcm):
    fcm.clear_all_handlers()
    fcm.expect_request("/token", method="POST").respond_with_json(
        {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, status=400)
    result = send_push(DEVICE, "t", "b", {})
    assert not result.ok and not result.invalid_token and "OAuth" in result.detail


def test_a_missing_credentials_file_is_a_clear_503(data_app, fcm, monkeypatch):
    monkeypatch.setitem(data_app.config, "FCM_CREDENTIALS_FILE", "/tidak/ada.json")
    with pytest.raises(MessageGatewayUnavailable, match="FCM_CREDENTIALS_FILE"):
        send_push(DEVICE, "t", "b", {})


def test_the_standin_writes_the_outbox(data_app):
    assert data_app.config["FCM_MODE"] == "standin"
    result = send_push(DEVICE, "Janji temu besok", "Pukul 10.00 di Colederma Dago.",
                       {"appointment_id": 3})
    assert result.ok and not result.retry
    row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.channel, row.recipient, row.subject, row.body) == (
        "push", DEVICE, "Janji temu besok", "Pukul 10.00 di Colederma Dago.")
    assert row.data == {"appointment_id": "3"}


def test_the_standin_is_refused_in_production(data_app, monkeypatch):
    monkeypatch.setitem(data_app.config, "APP_ENV", "production")
    monkeypatch.setitem(data_app.config, "FCM_MODE", "")
    monkeypatch.setitem(data_app.config, "FCM_CREDENTIALS_FILE", "")
    with pytest.raises(MessageGatewayUnavailable, match="produksi") as raised:
        send_push(DEVICE, "t", "b", {})
    assert raised.value.status == 503
    monkeypatch.setitem(data_app.config, "FCM_MODE", "pigeon")
    with pytest.raises(MessageGatewayUnavailable, match="FCM_MODE"):
        send_push(DEVICE, "t", "b", {})


