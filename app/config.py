"""Settings read from the environment (a .env file is read when present)."""
import os
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
load_dotenv(ROOT / ".env")


def _int(name, default):
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


# Midtrans development keys (named in README): the stand-in signs with them out of the box.
DEVELOPMENT_SERVER_KEY = "SB-Mid-server-colederma-dev"
DEVELOPMENT_CLIENT_KEY = "SB-Mid-client-colederma-dev"


class Config:
    """Production defaults; every value can come from the environment."""

    APP_ENV = "production"
    DEBUG = False
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'colederma.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(ROOT / "instance" / "uploads"))
    UPLOAD_MAX_BYTES = _int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
    UPLOAD_MAX_PIXELS = _int("UPLOAD_MAX_PIXELS", 40_000_000)
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024)
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Jakarta")

    # Accounts
    TOKEN_TTL_MOBILE_DAYS = _int("TOKEN_TTL_MOBILE_DAYS", 30)
    TOKEN_TTL_WEBSITE_HOURS = _int("TOKEN_TTL_WEBSITE_HOURS", 12)
    MAX_LOGIN_ATTEMPTS = _int("MAX_LOGIN_ATTEMPTS", 5)  # wrong passwords before sign-ins wait
    LOGIN_LOCK_SECONDS = _int("LOGIN_LOCK_SECONDS", 60)  # the first wait; each more doubles it
    LOGIN_LOCK_MAX_SECONDS = _int("LOGIN_LOCK_MAX_SECONDS", 1800)  # the longest wait
    # per client, in steps that wait longer the longer a client keeps guessing
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT",
                                      "10 per minute;30 per hour;100 per day")
    # per client: registrations (each costs an Argon2 hash) and password recovery requests
    REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "5 per hour")
    RECOVERY_RATE_LIMIT = os.environ.get("RECOVERY_RATE_LIMIT", "5 per hour")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    PASSWORD_MIN_LENGTH = 8

    # Booking
    BOOKING_MIN_NOTICE_MINUTES = _int("BOOKING_MIN_NOTICE_MINUTES", 60)
    BOOKING_WINDOW_DAYS = _int("BOOKING_WINDOW_DAYS", 15)
    RESCHEDULE_LIMIT = _int("RESCHEDULE_LIMIT", 3)

    # Orders: points earned per Rp 100 paid (1 = 1 % back), spent 1 point = Rp 1; the store
    # whose stock serves online orders (empty: the first store shown in the app); how long a
    # checkout waits for its payment before it expires
    POINTS_PER_100_RUPIAH = _int("POINTS_PER_100_RUPIAH", 1)
    ONLINE_STORE_ID = _int("ONLINE_STORE_ID", 0)
    CHECKOUT_EXPIRY_MINUTES = _int("CHECKOUT_EXPIRY_MINUTES", 24 * 60)

    # Stores: a product whose stock is at or below this shows under "Stok menipis" (Hari ini)
    LOW_STOCK_THRESHOLD = _int("LOW_STOCK_THRESHOLD", 5)

    # Consultations: how long a prescription may be redeemed; how long one's own message may
    # still be edited or deleted
    PRESCRIPTION_VALID_DAYS = _int("PRESCRIPTION_VALID_DAYS", 30)
    MESSAGE_EDIT_MINUTES = _int("MESSAGE_EDIT_MINUTES", 15)

    # Lists
    PAGE_LENGTH_MAX = _int("PAGE_LENGTH_MAX", 100)
    SEARCH_ROWS_MAX = _int("SEARCH_ROWS_MAX", 500)
    # a list's row count is remembered this long (0: counted on every request); this process's
    # own writes forget it at once, other processes' writes show after at most this long
    COUNT_CACHE_SECONDS = _int("COUNT_CACHE_SECONDS", 10)
    # MariaDB: a pooled connection idle longer than this is pinged before use (app/database.py)
    DB_PING_IDLE_SECONDS = _int("DB_PING_IDLE_SECONDS", 10)

    # Admin session cookie
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = PUBLIC_BASE_URL.startswith("https://")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    WTF_CSRF_TIME_LIMIT = None

    # Cache of static outside data (RajaOngkir's region lists and tariffs): one process's
    # memory by default; "RedisCache" with CACHE_REDIS_URL shares it between processes
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "colederma:")
    CACHE_DEFAULT_TIMEOUT = 300

    # Shipping: where parcels leave from (deliveries/settings) and the couriers offered
    DELIVERY_ORIGIN_CITY_ID = _int("DELIVERY_ORIGIN_CITY_ID", 153)  # RajaOngkir city id
    WAREHOUSE_LAT = float(os.environ.get("WAREHOUSE_LAT", "-6.261493"))
    WAREHOUSE_LNG = float(os.environ.get("WAREHOUSE_LNG", "106.813590"))
    WAREHOUSE_ADDRESS = os.environ.get(
        "WAREHOUSE_ADDRESS", "Jl. Kemang Raya No. 45, Bangka, Kec. Mampang Prapatan, "
        "Kota Jakarta Selatan, DKI Jakarta 12730")
    DELIVERY_COURIERS = os.environ.get("DELIVERY_COURIERS", "jne,tiki,jnt,pos,sicepat")

    # Outside services: empty credentials mean the local stand-in.
    # Midtrans: `standin` (a local payment page, no network), `sandbox` or `production`.
    # The development keys below are public knowledge (README): real keys come from the
    # environment. Notifications are verified with MIDTRANS_SERVER_KEY in every mode.
    MIDTRANS_MODE = os.environ.get("MIDTRANS_MODE", "standin").strip().lower()
    MIDTRANS_SERVER_KEY = os.environ.get("MIDTRANS_SERVER_KEY", DEVELOPMENT_SERVER_KEY)
    MIDTRANS_CLIENT_KEY = os.environ.get("MIDTRANS_CLIENT_KEY", DEVELOPMENT_CLIENT_KEY)
    # empty: Midtrans' own hosts for the mode (tests point these at a fake server)
    MIDTRANS_SNAP_BASE_URL = os.environ.get("MIDTRANS_SNAP_BASE_URL", "").rstrip("/")
    MIDTRANS_API_BASE_URL = os.environ.get("MIDTRANS_API_BASE_URL", "").rstrip("/")
    MIDTRANS_SNAP_JS_URL = os.environ.get("MIDTRANS_SNAP_JS_URL", "")
    MIDTRANS_TIMEOUT_SECONDS = _int("MIDTRANS_TIMEOUT_SECONDS", 15)
    # notifications per client address (Midtrans retries; a flood is refused with 429)
    MIDTRANS_WEBHOOK_RATE_LIMIT = os.environ.get("MIDTRANS_WEBHOOK_RATE_LIMIT",
                                                 "600 per minute")
    # what the invoice prints at its head
    CLINIC_NAME = os.environ.get("CLINIC_NAME", "Colederma Clinic")
    CLINIC_ADDRESS = os.environ.get("CLINIC_ADDRESS", "Bandung, Jawa Barat, Indonesia")
    CLINIC_PHONE = os.environ.get("CLINIC_PHONE", "")
    RAJAONGKIR_API_KEY = os.environ.get("RAJAONGKIR_API_KEY", "")
    RAJAONGKIR_BASE_URL = os.environ.get("RAJAONGKIR_BASE_URL",
                                         "https://pro.rajaongkir.com/api").rstrip("/")
    # "standin" (bundled regions, deterministic tariffs) or "rajaongkir"; empty: the real
    # service when a key is set, the stand-in otherwise
    RAJAONGKIR_MODE = os.environ.get("RAJAONGKIR_MODE", "").strip().lower()
    RAJAONGKIR_TIMEOUT_SECONDS = float(os.environ.get("RAJAONGKIR_TIMEOUT_SECONDS", "10"))
    SHIPPING_LIST_CACHE_SECONDS = _int("SHIPPING_LIST_CACHE_SECONDS", 7 * 24 * 3600)
    SHIPPING_COST_CACHE_SECONDS = _int("SHIPPING_COST_CACHE_SECONDS", 3600)
    # Messages. Each channel's *_MODE: "standin" (the local outbox, Pengaturan → Kotak
    # keluar) or the real service; empty: the real service when its credentials are set, the
    # stand-in otherwise. APP_ENV=production refuses the stand-ins.
    # WhatsApp through Wablas: POST {WABLAS_BASE_URL}/api/send-message
    WABLAS_MODE = os.environ.get("WABLAS_MODE", "").strip().lower()  # standin | wablas
    WABLAS_TOKEN = os.environ.get("WABLAS_TOKEN", "")
    WABLAS_SECRET_KEY = os.environ.get("WABLAS_SECRET_KEY", "")  # sent as token.secret_key
    WABLAS_BASE_URL = os.environ.get("WABLAS_BASE_URL", "").rstrip("/")
    WABLAS_TIMEOUT_SECONDS = float(os.environ.get("WABLAS_TIMEOUT_SECONDS", "10"))
    # E-mail through SMTP; SMTP_SECURITY: starttls, ssl or none (empty: ssl on port 465,
    # starttls otherwise)
    SMTP_MODE = os.environ.get("SMTP_MODE", "").strip().lower()  # standin | smtp
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = _int("SMTP_PORT", 587)
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "").strip().lower()
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_SENDER = os.environ.get("SMTP_SENDER", "Colederma <noreply@colederma.local>")
    SMTP_TIMEOUT_SECONDS = float(os.environ.get("SMTP_TIMEOUT_SECONDS", "15"))
    # Push through Firebase Cloud Messaging HTTP v1: a service-account JSON file (its
    # token_uri gives the OAuth2 access token); the project defaults to the file's project_id
    FCM_MODE = os.environ.get("FCM_MODE", "").strip().lower()  # standin | fcm
    FCM_CREDENTIALS_FILE = os.environ.get("FCM_CREDENTIALS_FILE", "")
    FCM_PROJECT_ID = os.environ.get("FCM_PROJECT_ID", "")
    FCM_BASE_URL = os.environ.get("FCM_BASE_URL", "https://fcm.googleapis.com").rstrip("/")
    FCM_TIMEOUT_SECONDS = float(os.environ.get("FCM_TIMEOUT_SECONDS", "10"))

    # Background jobs (Celery, services/jobs.py): Redis in production
    # (redis://host:6379/0); the default is kombu's SQLAlchemy transport on a SQLite file,
    # durable and serverless (what `make run` uses)
    CELERY_BROKER_URL = os.environ.get(
        "CELERY_BROKER_URL", f"sqla+sqlite:///{ROOT / 'instance' / 'celery.db'}")
    CELERY_QUEUE = os.environ.get("CELERY_QUEUE", "colederma")
    # who read which medical records goes to the audit queue (a task writes it); True writes
    # it in-process through the task instead (the tests)
    AUDIT_QUEUE_EAGER = False
    CELERY_BEAT_SCHEDULE_FILE = os.environ.get(
        "CELERY_BEAT_SCHEDULE_FILE", str(ROOT / "instance" / "celerybeat-schedule"))
    # Redis: a message a worker took but did not acknowledge returns after this many seconds
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _int("CELERY_VISIBILITY_TIMEOUT",
                                                                  3600)}
    DELIVERY_SWEEP_SECONDS = _int("DELIVERY_SWEEP_SECONDS", 60)
    REMINDER_PLAN_SECONDS = _int("REMINDER_PLAN_SECONDS", 300)
    # push and WhatsApp deliveries: attempts, the first wait (doubling), the longest wait, and
    # how long a worker's claim on a row lasts before another may take it over
    PUSH_MAX_ATTEMPTS = _int("PUSH_MAX_ATTEMPTS", 8)
    PUSH_RETRY_BASE_SECONDS = _int("PUSH_RETRY_BASE_SECONDS", 60)
    PUSH_RETRY_MAX_SECONDS = _int("PUSH_RETRY_MAX_SECONDS", 6 * 3600)
    SEND_LEASE_SECONDS = _int("SEND_LEASE_SECONDS", 300)

    # Password recovery: how long a link works, and where it points ({!url} of the document:
    # {RECOVERY_LINK_BASE_URL}/account/recovery?hash=…&email=…); empty: PUBLIC_BASE_URL
    RECOVERY_TOKEN_MINUTES = _int("RECOVERY_TOKEN_MINUTES", 30)
    RECOVERY_LINK_BASE_URL = os.environ.get("RECOVERY_LINK_BASE_URL", "").rstrip("/")
    # per account: a new link is sent at most once in this many seconds (the answer is the same)
    RECOVERY_RESEND_SECONDS = _int("RECOVERY_RESEND_SECONDS", 60)

class DevelopmentConfig(Config):
    """`make run`: embedded SQLite, a fixed development secret."""

    APP_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-change-me")


class TestingConfig(Config):
    """The test suite: a database given by TEST_DATABASE_URL or a temp SQLite file."""

    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = True
    LOGIN_RATE_LIMIT = "1000 per minute"
    REGISTRATION_RATE_LIMIT = "1000 per minute"
    RECOVERY_RATE_LIMIT = "1000 per minute"
    PUBLIC_BASE_URL = "http://testserver.local"
    SESSION_COOKIE_SECURE = False
    RAJAONGKIR_MODE = "standin"  # a developer's key in .env never reaches the tests
    RAJAONGKIR_API_KEY = ""
    # jobs enqueued by the suite stay in this process's memory (the Redis test sets its own)
    CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "memory://")
    CELERY_BEAT_SCHEDULE_FILE = os.path.join(
        os.environ.get("TMPDIR", "/tmp"), f"colederma-celerybeat-{os.getpid()}")
    # a developer's credentials in .env never reach the tests: messages go to the outbox
    WABLAS_MODE = SMTP_MODE = FCM_MODE = "standin"
    # the audit of medical-record reads runs its task in-process (through Celery's apply, on
    # its own connection) instead of leaving it in the memory broker
    AUDIT_QUEUE_EAGER = True


CONFIGS = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def config_for(name=None):
    """Return the config class for APP_ENV (production when unset)."""
    return CONFIGS[name or os.environ.get("APP_ENV", "production")]
