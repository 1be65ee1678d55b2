"""Midtrans payments: Snap transactions (token and payment page), the Core API transaction
status and the notification signature. `MIDTRANS_MODE` picks the gateway: `sandbox` and
`production` talk to Midtrans through midtransclient (base URLs configurable, so tests point
them at a fake server), `standin` (the default) is the local payment page of
`midtrans_standin`. Nothing outside this package knows which one answers."""
import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol

import requests
from flask import current_app
from midtransclient import CoreApi, Snap
from midtransclient.config import ApiConfig
from midtransclient.error_midtrans import JSONDecodeError, MidtransAPIError

from app.config import DEVELOPMENT_SERVER_KEY
from services.errors import DomainError

MODES = ("standin", "sandbox", "production")
SNAP_JS = {
    "sandbox": "https://app.sandbox.midtrans.com/snap/snap.js",
    "production": "https://app.midtrans.com/snap/snap.js",
}
# transaction_status words that end a payment, and those that end it unpaid
PAID_STATUSES = frozenset({"settlement", "capture"})
FAILED_STATUSES = frozenset({"cancel", "expire", "deny"})


class PaymentGatewayError(DomainError):
    """Midtrans could not be reached, or refused the request."""

    status = 502
    error_code = "payment_gateway"
    default_message = "Layanan pembayaran tidak dapat dihubungi. Coba lagi nanti."


@dataclass(frozen=True)
class SnapTransaction:
    """What Snap answers to a new transaction: the token and its payment page."""

    token: str
    redirect_url: str


class PaymentGateway(Protocol):
    """What every Midtrans gateway does."""

    def create_transaction(self, parameters: dict) -> SnapTransaction:
        """Create a Snap transaction (Midtrans' JSON body) and return its token and page."""

    def transaction_status(self, order_id: str) -> dict | None:
        """The Core API status of an order code (Midtrans' JSON), None when it is unknown."""

    def client_info(self) -> dict:
        """What the mobile app needs to open Snap: {"snap_js", "client_key"}."""


def gross_amount_text(amount) -> str:
    """Rupiah as Midtrans writes gross_amount in notifications: 150000 → "150000.00"."""
    return f"{int(amount)}.00"


def signature_key(order_id, status_code, gross_amount, server_key: str) -> str:
    """Midtrans' notification signature: SHA-512 of order_id + status_code + gross_amount +
    server key, in hex."""
    text = f"{order_id}{status_code}{gross_amount}{server_key}"
    return hashlib.sha512(text.encode("utf-8")).hexdigest()


def signature_is_valid(notification: dict, server_key: str) -> bool:
    """True when the notification's signature_key is the one its fields and the server key
    give (compared in constant time); False for anything missing or malformed."""
    if not isinstance(notification, dict) or not server_key:
        return False
    fields = [notification.get(name) for name in ("order_id", "status_code", "gross_amount")]
    given = notification.get("signature_key")
    if not all(isinstance(value, str) and value for value in fields + [given]):
        return False
    expected = signature_key(*fields, server_key)
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))


def amount_of(gross_amount) -> int | None:
    """Whole rupiah of a notification's gross_amount ("150000.00"), None when it is not one."""
    if not isinstance(gross_amount, str | int) or isinstance(gross_amount, bool):
        return None
    text = str(gross_amount).strip()
    whole, dot, cents = text.partition(".")
    if not whole.isdigit() or len(whole) > 15 or (dot and cents.strip("0") != ""):
        return None
    if dot and not cents.isdigit():
        return None
    return int(whole)


class _ConfiguredApiConfig(ApiConfig):
    """midtransclient's configuration with the base URLs this app was given (when set)."""

    def __init__(self, *args, snap_base_url: str = "", api_base_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.snap_base_url = snap_base_url
        self.api_base_url = api_base_url

    def get_core_api_base_url(self):
        """The Core API host: the configured one, else Midtrans' for the mode."""
        return self.api_base_url or super().get_core_api_base_url()

    def get_snap_base_url(self):
        """The Snap host: the configured one, else Midtrans' for the mode."""
        return self.snap_base_url or super().get_snap_base_url()


class _TimedRequests:
    """`requests` with a timeout (midtransclient sends none and would wait forever)."""

    def __init__(self, timeout: float):
        self.timeout = timeout

    def request(self, method, url, **kwargs):
        """requests.request with this timeout."""
        return requests.request(method, url, timeout=self.timeout, **kwargs)


class MidtransGateway:
    """Midtrans itself (sandbox or production) through midtransclient."""

    def __init__(self, mode: str, server_key: str, client_key: str, snap_base_url: str = "",
                 api_base_url: str = "", snap_js_url: str = "", timeout: float = 15):
        self.mode = mode
        self.client_key = client_key
        self.snap_js_url = snap_js_url or SNAP_JS[mode]
        self.snap = self._client(Snap, server_key, client_key, snap_base_url, api_base_url,
                                 timeout)
        self.core = self._client(CoreApi, server_key, client_key, snap_base_url, api_base_url,
                                 timeout)

    def _client(self, kind, server_key, client_key, snap_base_url, api_base_url, timeout):
        client = kind(is_production=self.mode == "production", server_key=server_key,
                      client_key=client_key)
        client.api_config = _ConfiguredApiConfig(
            self.mode == "production", server_key, client_key, {}, {},
            snap_base_url=snap_base_url, api_base_url=api_base_url)
        client.http_client.http_client = _TimedRequests(timeout)
        return client

    def create_transaction(self, parameters: dict) -> SnapTransaction:
        """Snap `POST /transactions`; a refusal or no answer is a PaymentGatewayError."""
        try:
            answer = self.snap.create_transaction(parameters)
        except MidtransAPIError as error:
            current_app.logger.warning("Midtrans refused a Snap transaction: %s", error)
            raise PaymentGatewayError("Midtrans menolak transaksi: "
                                      f"{_messages(error.api_response_dict)}") from error
        except (JSONDecodeError, requests.RequestException) as error:
            current_app.logger.warning("Midtrans Snap unreachable: %s", error)
            raise PaymentGatewayError() from error
        if not isinstance(answer, dict) or not answer.get("token"):
            raise PaymentGatewayError("Midtrans tidak memberikan token pembayaran.")
        return SnapTransaction(token=str(answer["token"]),
                               redirect_url=str(answer.get("redirect_url") or ""))

    def transaction_status(self, order_id: str) -> dict | None:
        """Core API `GET /v2/{order_id}/status`; None when Midtrans does not know the order."""
        try:
            answer = self.core.transactions.status(order_id)
        except MidtransAPIError as error:
            code = str((error.api_response_dict or {}).get("status_code", ""))
            if error.http_status_code == 404 or code == "404":
                return None
            current_app.logger.warning("Midtrans status check refused: %s", error)
            raise PaymentGatewayError() from error
        except (JSONDecodeError, requests.RequestException) as error:
            current_app.logger.warning("Midtrans Core API unreachable: %s", error)
            raise PaymentGatewayError() from error
        return answer if isinstance(answer, dict) else None

    def client_info(self) -> dict:
        """Snap's script for the mode and the client key."""
        return {"snap_js": self.snap_js_url, "client_key": self.client_key}


def _messages(answer) -> str:
    """Midtrans' error_messages as one line."""
    if isinstance(answer, dict) and isinstance(answer.get("error_messages"), list):
        return "; ".join(str(message) for message in answer["error_messages"])[:300]
    return "permintaan tidak valid"


def server_key() -> str:
    """The key notifications are signed with (the same in every mode)."""
    return current_app.config["MIDTRANS_SERVER_KEY"]


def mode() -> str:
    """The configured MIDTRANS_MODE, checked."""
    value = current_app.config.get("MIDTRANS_MODE", "standin")
    if value not in MODES:
        raise PaymentGatewayError(f"MIDTRANS_MODE tidak dikenal: {value!r} (pilih "
                                  "standin, sandbox atau production).", status=503)
    return value


def gateway() -> PaymentGateway:
    """The Midtrans gateway MIDTRANS_MODE names."""
    config = current_app.config
    chosen = mode()
    if chosen == "standin" and config.get("APP_ENV") == "production":
        # the stand-in lets anyone "pay" with a click: never behind a real shop
        raise PaymentGatewayError("Pembayaran uji (MIDTRANS_MODE=standin) tidak tersedia di "
                                  "produksi; atur MIDTRANS_MODE dan kunci Midtrans.", status=503)
    if chosen != "standin" and config["MIDTRANS_SERVER_KEY"] == DEVELOPMENT_SERVER_KEY:
        raise PaymentGatewayError("MIDTRANS_SERVER_KEY belum diatur untuk Midtrans "
                                  f"{chosen}.", status=503)
    if chosen == "standin":
        from .midtrans_standin import StandinGateway

        return StandinGateway()
    return MidtransGateway(
        chosen, config["MIDTRANS_SERVER_KEY"], config["MIDTRANS_CLIENT_KEY"],
        snap_base_url=config.get("MIDTRANS_SNAP_BASE_URL", ""),
        api_base_url=config.get("MIDTRANS_API_BASE_URL", ""),
        snap_js_url=config.get("MIDTRANS_SNAP_JS_URL", ""),
        timeout=config.get("MIDTRANS_TIMEOUT_SECONDS", 15))
