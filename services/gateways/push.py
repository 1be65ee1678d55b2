"""Push notifications through Firebase Cloud Messaging HTTP v1, or the offline stand-in.

The real gateway POSTs {FCM_BASE_URL}/v1/projects/{project}/messages:send with an OAuth2
access token of the service account in FCM_CREDENTIALS_FILE (google-auth signs the JWT and
asks the file's token_uri; the token is kept until it nearly expires). FCM_MODE picks it
("fcm"), or the stand-in ("standin"), which writes the message into the local outbox; empty
means FCM when a credentials file is set. `send_push` answers a PushResult and never raises
for a delivery problem: a token FCM no longer knows (UNREGISTERED, SENDER_ID_MISMATCH, or an
INVALID_ARGUMENT about the token) is `invalid_token` — the caller forgets it; throttling, an
outage or no answer is `retry`."""
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import requests
from flask import current_app
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import service_account

from .messaging import MessageGatewayUnavailable, channel_mode, record_in_outbox

SCOPES = ("https://www.googleapis.com/auth/firebase.messaging",)
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
GONE_TOKEN_CODES = frozenset({"UNREGISTERED", "SENDER_ID_MISMATCH"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class PushResult:
    """The answer of one push to one device token."""

    ok: bool
    invalid_token: bool = False
    retry: bool = False
    detail: str = ""


def push_mode() -> str:
    """"fcm" or "standin" (FCM_MODE, else whether a credentials file is configured)."""
    return channel_mode("FCM_MODE", "fcm",
                        bool(current_app.config.get("FCM_CREDENTIALS_FILE")), "Push FCM")


def send_push(token: str, title: str, body: str, data: dict | None = None) -> PushResult:
    """Send one notification to one device token through the configured gateway."""
    data = _string_data(data)
    if push_mode() == "standin":
        message = record_in_outbox("push", token, title, body, data)
        return PushResult(ok=True, detail=f"outbox #{message.id}")
    config = current_app.config
    return FcmGateway(config["FCM_CREDENTIALS_FILE"], config.get("FCM_PROJECT_ID", ""),
                      config.get("FCM_BASE_URL") or "https://fcm.googleapis.com",
                      float(config.get("FCM_TIMEOUT_SECONDS", 10))).send(token, title, body,
                                                                         data)


def _string_data(data) -> dict:
    """FCM's data payload: text keys and text values (others written as JSON)."""
    if not data:
        return {}
    return {str(key): value if isinstance(value, str) else json.dumps(value, default=str)
            for key, value in dict(data).items()}


class _TimedAuthRequest(AuthRequest):
    """google-auth's requests transport with this gateway's timeout on the token request."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def __call__(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
        return super().__call__(url, method=method, body=body, headers=headers,
                                timeout=timeout or self.timeout, **kwargs)


_credentials = {}  # (file, modified) -> service-account credentials with their access token
_credentials_lock = threading.Lock()


def _service_account(path: str) -> service_account.Credentials:
    """The credentials of a service-account file, read once per process and file version."""
    file = Path(path)
    try:
        key = (str(file.resolve()), file.stat().st_mtime_ns)
    except OSError as error:
        raise MessageGatewayUnavailable(
            f"FCM_CREDENTIALS_FILE tidak dapat dibaca: {path}") from error
    with _credentials_lock:
        if key not in _credentials:
            try:
                _credentials[key] = service_account.Credentials.from_service_account_file(
                    str(file), scopes=list(SCOPES))
            except (ValueError, KeyError, OSError) as error:
                raise MessageGatewayUnavailable(
                    "FCM_CREDENTIALS_FILE bukan kunci akun layanan Google yang valid.") from error
        return _credentials[key]


def forget_credentials():
    """Drop the credentials read so far (a new file, or after FCM refused the token)."""
    with _credentials_lock:
        _credentials.clear()


class FcmGateway:
    """Firebase Cloud Messaging HTTP v1."""

    def __init__(self, credentials_file: str, project_id: str, base_url: str, timeout: float):
        self.credentials = _service_account(credentials_file)
        self.project_id = project_id or self.credentials.project_id or ""
        if not self.project_id:
            raise MessageGatewayUnavailable("FCM_PROJECT_ID belum diatur (dan berkas kunci "
                                            "tidak memuat project_id).")
        self.url = f"{base_url.rstrip('/')}/v1/projects/{self.project_id}/messages:send"
        self.timeout = timeout

    def access_token(self) -> str:
        """A valid OAuth2 access token (asked of the token_uri when none or nearly expired)."""
        with _credentials_lock:
            if not self.credentials.valid:
                self.credentials.refresh(_TimedAuthRequest(self.timeout))
            return self.credentials.token

    def send(self, token: str, title: str, body: str, data: dict) -> PushResult:
        """POST one message; every failure becomes a PushResult."""
        if not isinstance(token, str) or not token.strip():
            return PushResult(ok=False, invalid_token=True, detail="token kosong")
        try:
            access_token = self.access_token()
        except auth_exceptions.TransportError as error:
            return PushResult(ok=False, retry=True, detail=f"token OAuth: {error}"[:300])
        except auth_exceptions.RefreshError as error:
            # a refusal of the key itself does not pass by waiting, an outage might
            retryable = getattr(error, "retryable", False)
            return PushResult(ok=False, retry=bool(retryable),
                              detail=f"token OAuth ditolak: {error}"[:300])
        message = {"token": token, "notification": {"title": title or "", "body": body or ""}}
        if data:
            message["data"] = data
        try:
            response = requests.post(self.url, json={"message": message}, timeout=self.timeout,
                                     headers={"Authorization": f"Bearer {access_token}",
                                              "Content-Type": "application/json; UTF-8"})
        except requests.RequestException as error:
            return PushResult(ok=False, retry=True, detail=f"FCM tidak terjangkau: {error}"[:300])
        return self._result(response)

    def _result(self, response) -> PushResult:
        """What an FCM answer means for this token."""
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 200 and isinstance(answer, dict) and answer.get("name"):
            return PushResult(ok=True, detail=str(answer["name"])[:300])
        error = answer.get("error") if isinstance(answer, dict) else None
        error = error if isinstance(error, dict) else {}
        status, text = str(error.get("status", "")), str(error.get("message", ""))
        codes, fields = set(), set()
        for detail in error.get("details") or []:
            if not isinstance(detail, dict):
                continue
            if detail.get("@type") == FCM_ERROR:
                codes.add(str(detail.get("errorCode", "")))
            if detail.get("@type") == BAD_REQUEST:
                fields.update(str(item.get("field", "")) for item in
                              detail.get("fieldViolations") or [] if isinstance(item, dict))
        summary = f"FCM {response.status_code} {'/'.join(sorted(codes)) or status}: {text}"[:300]
        if codes & GONE_TOKEN_CODES:
            return PushResult(ok=False, invalid_token=True, detail=summary)
        if "INVALID_ARGUMENT" in codes | {status} and (
                "message.token" in fields or "token" in text.lower()):
            return PushResult(ok=False, invalid_token=True, detail=summary)
        if response.status_code == 401:
            forget_credentials()  # the next attempt asks for a new access token
            return PushResult(ok=False, retry=True, detail=summary)
        if response.status_code in RETRY_STATUSES or codes & {"UNAVAILABLE", "INTERNAL",
                                                              "QUOTA_EXCEEDED"}:
            return PushResult(ok=False, retry=True, detail=summary)
        if response.status_code == 200:
            return PushResult(ok=False, retry=True, detail="FCM menjawab tanpa nama pesan")
        return PushResult(ok=False, detail=summary)
