"""Domain errors; each face turns them into its own answer (JSON envelope or page)."""
from contextlib import contextmanager


class DomainError(Exception):
    """A refusal with an HTTP status, a stable code, a message and per-field messages."""

    status = 400
    error_code = "bad_request"
    default_message = "Permintaan tidak valid."

    def __init__(self, message=None, fields=None, *, error_code=None, status=None):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.fields = fields or {}
        if error_code:
            self.error_code = error_code
        if status:
            self.status = status

    def to_dict(self):
        """The `exception` part of the API error envelope."""
        return {"error_code": self.error_code, "message": self.message, "fields": self.fields}


class BadRequest(DomainError):
    """Malformed request (not JSON, wrong shape)."""


class Unauthorized(DomainError):
    """No token, or a bad or expired one."""

    status = 401
    error_code = "unauthorized"
    default_message = "Silakan masuk terlebih dahulu."


class Forbidden(DomainError):
    """Signed in, but not allowed to do this."""

    status = 403
    error_code = "forbidden"
    default_message = "Anda tidak memiliki akses untuk tindakan ini."


class NotFound(DomainError):
    """Unknown object, or one the caller may not see."""

    status = 404
    error_code = "not_found"
    default_message = "Data tidak ditemukan."


class Conflict(DomainError):
    """Conflicts with existing data or the object's state."""

    status = 409
    error_code = "conflict"
    default_message = "Data bertentangan dengan data yang sudah ada."


class TooLarge(DomainError):
    """The upload or request body is over the limit."""

    status = 413
    error_code = "too_large"
    default_message = "Berkas terlalu besar."


class Throttled(DomainError):
    """Too many attempts; try again later."""

    status = 429
    error_code = "too_many_attempts"
    default_message = "Terlalu banyak percobaan. Coba lagi nanti."


class Invalid(DomainError):
    """One or more fields are invalid."""

    status = 422
    error_code = "invalid_fields"
    default_message = "Beberapa isian tidak valid."


class Problems:
    """The per-field problems of one input, gathered in one pass so a form shows them all at
    once: the first message for a field wins; `collect()` takes in a check that raises
    Invalid; `raise_if_any()` raises them together (with the first refusal's message)."""

    def __init__(self):
        self.fields: dict = {}
        self.refusals: list[Invalid] = []

    def __bool__(self):
        return bool(self.fields or self.refusals)

    def __contains__(self, name):
        return name in self.fields

    def add(self, name: str, message):
        """A problem of one field (kept only when the field has none yet)."""
        self.fields.setdefault(name, message)

    def merge(self, error: Invalid):
        """Every field problem of a refusal (those of fields without one yet)."""
        self.refusals.append(error)
        for name, message in error.fields.items():
            self.add(name, message)

    @contextmanager
    def collect(self):
        """A context in which an Invalid raised is merged instead of escaping."""
        try:
            yield self
        except Invalid as error:
            self.merge(error)

    def raise_if_any(self):
        """Raise all problems as one Invalid (nothing when there are none)."""
        if not self:
            return
        first = self.refusals[0] if self.refusals else None
        if len(self.refusals) == 1 and first.fields == self.fields:
            raise first
        raise Invalid(first.message if first else None, fields=dict(self.fields),
                      error_code=first.error_code if first else None)

