"""The Wablas gateway against a fake Wablas on 127.0.0.1 (pytest-httpserver), and its
stand-in writing the outbox."""
import pytest
from sqlalchemy import select

from models import OutboxMessage, db
from services.gateways.messaging import MessageGatewayUnavailable
from services.gateways.whatsapp import international_number, send_whatsapp


@pytest.fixture
def wablas(app, data_app, httpserver, monkeypatch):
    """Both apps sending through Wablas at the fake server."""
    for application in (app, data_app):
        for key, value in {"WABLAS_MODE": "", "WABLAS_TOKEN": "token-uji",
                           "WABLAS_SECRET_KEY": "rahasia", "WABLAS_BASE_URL": httpserver.url_for("/"),
                           "WABLAS_TIMEOUT_SECONDS": 3}.items():
            monkeypatch.setitem(application.config, key, value)
    return httpserver


def test_a_message_is_sent_with_the_device_token(data_app, wablas):
    wablas.expect_request("/api/send-message", method="POST").respond_with_json({
        "status": True, "message": "Message is pending and waiting to be processed",
        "data": {"messages": [{"id": "abc", "phone": "6281234567890", "status": "pending"}]}})
    result = send_whatsapp("0812-3456-7890", "Halo dari Colederma")
    assert result.ok and not result.retry and "pending" in result.detail
    [(request, _response)] = wablas.log
    assert request.headers["Authorization"] == "token-uji.rahasia"
    assert request.form.to_dict() == {"phone": "6281234567890", "message": "Halo dari Colederma"}
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_a_refusal_is_not_tried_again(data_app, wablas):
    wablas.expect_request("/api/send-message", method="POST").respond_with_json(
        {"status": False, "message": "token invalid"}, status=200)
    result = send_whatsapp("081234567890", "x")
    assert not result.ok and not result.retry and "token invalid" in result.detail


@pytest.mark.parametrize("status", [429, 502, 503])
def test_throttling_and_outages_are_tried_again(data_app, wablas, status):
    wablas.expect_request("/api/send-message", method="POST").respond_with_data(
        "Service Unavailable", status=status)
    result = send_whatsapp("081234567890", "x")
    assert not result.ok and result.retry


def test_no_answer_is_tried_again(data_app, wablas, monkeypatch):
    monkeypatch.setitem(data_app.config, "WABLAS_BASE_URL", "http://127.0.0.1:9")
    result = send_whatsapp("081234567890", "x")
    assert not result.ok and result.retry


def test_a_number_that_is_no_number_is_refused_without_a_call(data_app, wablas):
    result = send_whatsapp("12", "x")
    assert not result.ok and not result.retry and not wablas.log


def test_numbers_go_out_as_whatsapp_writes_them():
    assert international_number("+62 812-3456-7890") == "6281234567890"
    assert international_number("0812 3456 7890") == "6281234567890"
    assert international_number("6281234567890") == "6281234567890"
    assert international_number("") == ""


def test_the_standin_writes_the_outbox(data_app):
    result = send_whatsapp("0812-3456-7890", "Pengingat: janji temu besok pukul 10.00")
    assert result.ok
    row = db.session.scalars(select(OutboxMessage)).one()
    assert (row.channel, row.recipient, row.body) == (
        "whatsapp", "6281234567890", "Pengingat: janji temu besok pukul 10.00")


def test_the_standin_is_refused_in_production(data_app, monkeypatch):
    monkeypatch.setitem(data_app.config, "APP_ENV", "production")
    monkeypatch.setitem(data_app.config, "WABLAS_MODE", "")
    with pytest.raises(MessageGatewayUnavailable, match="WABLAS_MODE"):
        send_whatsapp("081234567890", "x")
