"""Fixtures of the background jobs: fake push and WhatsApp gateways in place of the real ones."""
import pytest

import services.gateways

from .fakes import FakePush, FakeWhatsapp


@pytest.fixture
def fake_push(monkeypatch):
    """services.gateways.push replaced by a recorder."""
    fake = FakePush()
    monkeypatch.setattr(services.gateways, "push", fake, raising=False)
    return fake


@pytest.fixture
def fake_whatsapp(monkeypatch):
    """services.gateways.whatsapp replaced by a recorder."""
    fake = FakeWhatsapp()
    monkeypatch.setattr(services.gateways, "whatsapp", fake, raising=False)
    return fake
