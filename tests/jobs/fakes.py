"""Fakes of the push and WhatsApp gateways (services.gateways.push / whatsapp) with the
interface the jobs code against: send_push(token, title, body, data) -> PushResult(ok,
invalid_token, retry, detail) and send_whatsapp(phone, text) -> SendResult(ok, retry, detail)."""
from collections import namedtuple

PushResult = namedtuple("PushResult", "ok invalid_token retry detail")
SendResult = namedtuple("SendResult", "ok retry detail")


class FakePush:
    """Records every push and answers what the test asks for (ok by default)."""

    def __init__(self):
        self.sent = []
        self.answers = []  # consumed first, then ok

    def send_push(self, token, title, body, data):
        self.sent.append({"token": token, "title": title, "body": body, "data": data})
        if self.answers:
            return self.answers.pop(0)
        return PushResult(True, False, False, "ok")


class FakeWhatsapp:
    """Records every WhatsApp message (ok by default)."""

    def __init__(self):
        self.sent = []
        self.answers = []

    def send_whatsapp(self, phone, text):
        self.sent.append({"phone": phone, "text": text})
        if self.answers:
            return self.answers.pop(0)
        return SendResult(True, False, "ok")
