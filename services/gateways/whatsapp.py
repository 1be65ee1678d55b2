"""WhatsApp messages through Wablas, or the offline stand-in.

The real gateway POSTs {WABLAS_BASE_URL}/api/send-message (form fields phone and message)
with the device token in the Authorization header (`token.secret_key` when WABLAS_SECRET_KEY
is set, as Wablas asks of newer devices); Wablas answers {"status": true|false, "message": …,
"data": …}. WABLAS_MODE picks it ("wablas") or the stand-in ("standin", the local outbox);
empty means Wablas when WABLAS_TOKEN and WABLAS_BASE_URL are set. Phone numbers go out as
Wablas expects them: 62 and the national number. `send_whatsapp` never raises for a delivery
problem."""
import re

import requests
from flask import current_app

from .messaging import SendResult, channel_mode, record_in_outbox

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def whatsapp_mode() -> str:
    """"wablas" or "standin" (WABLAS_MODE, else whether Wablas is configured)."""
    config = current_app.config
    return channel_mode("WABLAS_MODE", "wablas",
                        bool(config.get("WABLAS_TOKEN") and config.get("WABLAS_BASE_URL")),
                        "WhatsApp Wablas")


def international_number(phone: str) -> str:
    """An Indonesian number as WhatsApp addresses it: "0812-3456 7890" → "6281234567890"."""
    digits = re.sub(r"\D", "", str(phone or ""))
    if digits.startswith("62"):
        return digits
    return "62" + digits.removeprefix("0") if digits else ""


def send_whatsapp(phone: str, text: str) -> SendResult:
    """Send one text message to one phone number through the configured gateway."""
    number = international_number(phone)
    if whatsapp_mode() == "standin":
        message = record_in_outbox("whatsapp", number or str(phone), "", text)
        return SendResult(ok=True, detail=f"outbox #{message.id}")
    config = current_app.config
    return WablasGateway(config["WABLAS_BASE_URL"], config["WABLAS_TOKEN"],
                         config.get("WABLAS_SECRET_KEY", ""),
                         float(config.get("WABLAS_TIMEOUT_SECONDS", 10))).send(number, text)


class WablasGateway:
    """Wablas' send-message API."""

    def __init__(self, base_url: str, token: str, secret_key: str, timeout: float):
        self.url = base_url.rstrip("/") + "/api/send-message"
        self.authorization = f"{token}.{secret_key}" if secret_key else token
        self.timeout = timeout

    def send(self, number: str, text: str) -> SendResult:
        """POST one message; every failure becomes a SendResult."""
        if not 10 <= len(number) <= 16:
            return SendResult(ok=False, detail=f"nomor WhatsApp tidak valid: {number!r}")
        try:
            response = requests.post(self.url, data={"phone": number, "message": text},
                                     headers={"Authorization": self.authorization},
                                     timeout=self.timeout)
        except requests.RequestException as error:
            return SendResult(ok=False, retry=True, detail=f"Wablas tidak terjangkau: {error}"[:300])
        try:
            answer = response.json()
        except ValueError:
            answer = None
        said = str(answer.get("message", "")) if isinstance(answer, dict) else ""
        summary = f"Wablas {response.status_code}: {said or response.text[:120]}"[:300]
        if response.status_code in RETRY_STATUSES:
            return SendResult(ok=False, retry=True, detail=summary)
        if response.ok and isinstance(answer, dict) and answer.get("status") is True:
            return SendResult(ok=True, detail=summary)
        if response.ok and not isinstance(answer, dict):
            # something answered that is not Wablas (a proxy's page): it may pass
            return SendResult(ok=False, retry=True, detail=summary)
        return SendResult(ok=False, detail=summary)  # refused: a bad number or token
