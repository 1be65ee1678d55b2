"""The Midtrans gateway: the real midtransclient against a fake Midtrans on 127.0.0.1 (Snap
and Core API), the choice of gateway by MIDTRANS_MODE, and the notification signature."""
import hashlib
import socket

import pytest

from services.gateways import midtrans
from services.gateways.midtrans import (PaymentGatewayError, amount_of, gateway,
                                        gross_amount_text, signature_is_valid, signature_key)

from .fake_midtrans import FakeMidtrans

SERVER_KEY = "SB-Mid-server-uji-1234567890"
CLIENT_KEY = "SB-Mid-client-uji-1234567890"
SNAP_PARAMETERS = {
    "transaction_details": {"order_id": "E-20231104-003", "gross_amount": 310000},
    "item_details": [{"id": "M1", "name": "Serum", "price": 150000, "quantity": 2},
                     {"id": "COURIER", "name": "Ongkir JNE", "price": 20000, "quantity": 1},
                     {"id": "DISCOUNT", "name": "Diskon", "price": -10000, "quantity": 1}],
    "customer_details": {"first_name": "Didit", "email": "didit@example.com"},
}


@pytest.fixture
def fake():
    """A running fake Midtrans."""
    with FakeMidtrans() as server:
        yield server


@pytest.fixture
def sandbox(app, data_app, fake, monkeypatch):
    """Both apps configured for Midtrans sandbox at the fake server."""
    for application in (app, data_app):
        for key, value in {"MIDTRANS_MODE": "sandbox", "MIDTRANS_SERVER_KEY": SERVER_KEY,
                           "MIDTRANS_CLIENT_KEY": CLIENT_KEY,
                           "MIDTRANS_SNAP_BASE_URL": fake.base_url + "/snap/v1",
                           "MIDTRANS_API_BASE_URL": fake.base_url,
                           "MIDTRANS_TIMEOUT_SECONDS": 5}.items():
            monkeypatch.setitem(application.config, key, value)
    return fake


# ---- Snap through midtransclient --------------------------------------------------------
def test_snap_transaction_through_midtransclient(data_app, sandbox):
    sandbox.answers[("POST", "/snap/v1/transactions")] = (201, {
        "token": "66e4fa55-fdac-4ef9-91b5-733b97d1b862",
        "redirect_url": "https://app.sandbox.midtrans.com/snap/v3/redirection/66e4fa55"})
    with data_app.test_request_context():
        created = gateway().create_transaction(SNAP_PARAMETERS)
    assert created.token == "66e4fa55-fdac-4ef9-91b5-733b97d1b862"
    assert created.redirect_url.endswith("/redirection/66e4fa55")
    [sent] = sandbox.requests
    assert sent["method"] == "POST" and sent["path"] == "/snap/v1/transactions"
    assert sent["server_key"] == SERVER_KEY  # HTTP basic auth, as Midtrans expects
    assert sent["body"] == SNAP_PARAMETERS
    assert sent["headers"]["user-agent"].startswith("midtransclient-python/")


def test_snap_refusal_is_a_gateway_error_with_midtrans_reason(data_app, sandbox):
    sandbox.answers[("POST", "/snap/v1/transactions")] = (400, {"error_messages": [
        "transaction_details.gross_amount is not equal to the sum of item_details"]})
    with data_app.test_request_context(), pytest.raises(PaymentGatewayError) as refused:
        gateway().create_transaction(SNAP_PARAMETERS)
    assert refused.value.status == 502
    assert "gross_amount is not equal" in refused.value.message


def test_snap_answer_that_is_not_json_is_a_gateway_error(data_app, sandbox):
    sandbox.answers[("POST", "/snap/v1/transactions")] = (200, b"<html>maintenance</html>")
    with data_app.test_request_context(), pytest.raises(PaymentGatewayError):
        gateway().create_transaction(SNAP_PARAMETERS)


def test_unreachable_midtrans_is_a_gateway_error(data_app, sandbox, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setitem(data_app.config, "MIDTRANS_API_BASE_URL", closed)
    with data_app.test_request_context(), pytest.raises(PaymentGatewayError) as refused:
        gateway().transaction_status("E-20231104-003")
    assert refused.value.message == PaymentGatewayError.default_message


# ---- Core API status ------------------------------------------------------------------
def test_core_api_status_through_midtransclient(data_app, sandbox):
    answer = {"status_code": "200", "transaction_status": "settlement",
              "order_id": "E-20231104-003", "gross_amount": "310000.00",
              "payment_type": "bank_transfer", "fraud_status": "accept"}
    sandbox.answers[("GET", "/v2/E-20231104-003/status")] = (200, answer)
    with data_app.test_request_context():
        assert gateway().transaction_status("E-20231104-003") == answer
    [sent] = sandbox.requests
    assert sent["server_key"] == SERVER_KEY


def test_core_api_status_of_an_unknown_order_is_none(data_app, sandbox):
    # Midtrans answers HTTP 200 with status_code "404" in the body; some proxies a real 404
    sandbox.answers[("GET", "/v2/E-1/status")] = (200, {"status_code": "404"})
    sandbox.answers[("GET", "/v2/E-2/status")] = (404, {"status_code": "404"})
    with data_app.test_request_context():
        assert gateway().transaction_status("E-1") is None
        assert gateway().transaction_status("E-2") is None


def test_core_api_server_error_is_a_gateway_error(data_app, sandbox):
    sandbox.answers[("GET", "/v2/E-3/status")] = (500, {"status_code": "500"})
    with data_app.test_request_context(), pytest.raises(PaymentGatewayError):
        gateway().transaction_status("E-3")


def test_expired_status_407_is_an_answer_not_an_error(data_app, sandbox):
    answer = {"status_code": "407", "transaction_status": "expire", "order_id": "E-4",
              "gross_amount": "1000.00"}
    sandbox.answers[("GET", "/v2/E-4/status")] = (200, answer)
    with data_app.test_request_context():
        assert gateway().transaction_status("E-4")["transaction_status"] == "expire"


# ---- which gateway -----------------------------------------------------------------------
def test_standin_is_the_default(data_app):
    from services.gateways.midtrans_standin import StandinGateway

    assert data_app.config["MIDTRANS_MODE"] == "standin"
    with data_app.test_request_context():
        assert isinstance(gateway(), StandinGateway)


@pytest.mark.parametrize("overrides, reason", [
    ({"MIDTRANS_MODE": "live"}, "MIDTRANS_MODE tidak dikenal"),
    ({"MIDTRANS_MODE": "sandbox"}, "MIDTRANS_SERVER_KEY belum diatur"),  # development key
    ({"MIDTRANS_MODE": "standin", "APP_ENV": "production"}, "tidak tersedia di produksi"),
])
def test_misconfigured_gateway_is_refused(data_app, monkeypatch, overrides, reason):
    for key, value in overrides.items():
        monkeypatch.setitem(data_app.config, key, value)
    with data_app.test_request_context(), pytest.raises(PaymentGatewayError) as refused:
        gateway()
    assert refused.value.status == 503 and reason in refused.value.message


def test_clients_endpoint_in_sandbox_names_snap_js_and_client_key(client, sandbox):
    answer = client.get("/api/payments/webhooks/clients")
    assert answer.status_code == 200
    assert answer.get_json() == {"snap_js": "https://app.sandbox.midtrans.com/snap/snap.js",
                                 "client_key": CLIENT_KEY}


def test_clients_endpoint_in_production(client, sandbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "MIDTRANS_MODE", "production")
    assert client.get("/api/payments/webhooks/clients").get_json()["snap_js"] == \
        "https://app.midtrans.com/snap/snap.js"


def test_clients_endpoint_in_standin_mode_gives_the_local_script(client, app):
    body = client.get("/api/payments/webhooks/clients").get_json()
    assert body["client_key"] == app.config["MIDTRANS_CLIENT_KEY"]
    assert body["snap_js"] == "http://testserver.local/static/js/midtrans-standin.js"
    script = client.get("/static/js/midtrans-standin.js")
    assert script.status_code == 200 and b"/payments/standin/" in script.data


# ---- signature ---------------------------------------------------------------------------
def _notification(**changes):
    body = {"order_id": "E-20231104-003", "status_code": "200", "gross_amount": "310000.00",
            "transaction_status": "settlement"}
    body["signature_key"] = hashlib.sha512(
        b"E-20231104-003" b"200" b"310000.00" + SERVER_KEY.encode()).hexdigest()
    body.update(changes)
    return body


def test_signature_is_sha512_of_order_status_amount_and_key():
    assert signature_key("E-20231104-003", "200", "310000.00", SERVER_KEY) == \
        _notification()["signature_key"]
    assert signature_is_valid(_notification(), SERVER_KEY)


@pytest.mark.parametrize("changes", [
    {"gross_amount": "1.00"},                 # amount changed after signing
    {"status_code": "201"},
    {"order_id": "E-20231104-004"},
    {"signature_key": "0" * 128},
    {"signature_key": ""},
    {"signature_key": None},
    {"signature_key": 12345},
    {"gross_amount": 310000},                 # not the string Midtrans signs
    {"signature_key": "é" * 128},
])
def test_bad_signatures_are_refused(changes):
    assert not signature_is_valid(_notification(**changes), SERVER_KEY)


def test_signature_with_another_key_is_refused():
    assert not signature_is_valid(_notification(), "SB-Mid-server-lain")
    assert not signature_is_valid(_notification(), "")
    assert not signature_is_valid(["not", "a", "dict"], SERVER_KEY)


@pytest.mark.parametrize("text, amount", [
    ("310000.00", 310000), ("310000", 310000), ("0.00", 0), (310000, 310000),
    ("310000.50", None), ("-5.00", None), ("abc", None), ("", None), (None, None),
    (True, None), ("1e5", None), ("9" * 16, None),
])
def test_amount_of_notification(text, amount):
    assert amount_of(text) == amount


def test_gross_amount_text():
    assert gross_amount_text(310000) == "310000.00"
    assert midtrans.PAID_STATUSES == {"settlement", "capture"}
