"""Domain errors; each face turns them into its own answer (JSON envelope or page)."""


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
