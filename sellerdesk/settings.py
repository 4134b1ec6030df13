"""Django settings, configured from the environment (twelve-factor).

DATABASE_URL   sqlite:///var/sellerdesk.sqlite3 (default) or postgres://user@host:5432/db
DATABASE_REPLICA_URL   optional read replica for the order list, search and export (PostgreSQL)
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" for development (default on when no SECRET_KEY is set)
ALLOWED_HOSTS  comma-separated
EMAIL_URL      smtp://user:pass@host:port (default: console backend)
PUBLIC_URL     the address customers reach the site at (links in customer messages)
HTTPS          "1" when the site is served over TLS: secure cookies, HTTPS redirect, HSTS
SECURE_HSTS_SECONDS, SECURE_HSTS_PRELOAD, SECURE_SSL_REDIRECT   override what HTTPS implies
SECURE_PROXY_SSL_HEADER   e.g. X-Forwarded-Proto: the TLS-terminating proxy's header (value https)
CSRF_TRUSTED_ORIGINS      comma-separated origins, e.g. https://desk.example.com
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("SELLERDESK_HOME", Path.cwd()))
VAR_DIR = PROJECT_DIR / "var"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Encrypts carrier credentials at rest (core.secrets); derived from SECRET_KEY when unset.
SECRETS_KEY = os.environ.get("SECRETS_KEY", "")
DEBUG = _bool("DEBUG", default=not SECRET_KEY)
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

# --- TLS (the README's configuration table lists these) -------------------------------
# HTTPS=1 turns on everything a site served only over TLS wants; each part can be overridden.
HTTPS = _bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(31_536_000 if HTTPS else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", default=False)
if _proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    # Trust this header only behind a proxy that sets it on every request (and strips the client's).
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "sellerdesk.core",
    "sellerdesk.accounts",
    "sellerdesk.customers",
    "sellerdesk.catalog",
    "sellerdesk.orders",
    "sellerdesk.payments",
    "sellerdesk.earnings",
    "sellerdesk.shipping",
    "sellerdesk.outbox",
    "sellerdesk.notifications",
    "sellerdesk.webhooks",
    "sellerdesk.api",
    "sellerdesk.metrics",
    "sellerdesk.conversations",
    "sellerdesk.dashboard",
    "sellerdesk.bench",
    "sellerdesk.custnotify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sellerdesk.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "sellerdesk.urls"
WSGI_APPLICATION = "sellerdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'sellerdesk.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist between requests (conn_max_age above): opening one runs the PRAGMAs below.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two writers
        # never deadlock on a lock upgrade; WAL lets readers run beside the writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            # a 32 MB page cache per connection: the default 2 MB thrashes at a million orders.
            # (No mmap: mapped pages count as the workers' resident memory.)
            "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica (PostgreSQL streaming replication) for the order list, search and export:
# sellerdesk.core.replica routes those reads there; everything else stays on "default". Under test
# the alias mirrors the test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["sellerdesk.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Static files are served by the app itself (WhiteNoise), straight from the apps' static/ folders,
# so `make run` needs no collectstatic step and no separate web server.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- e-mail ---------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SellerDesk <orders@sellerdesk.localhost>")
# The site's public address (e.g. https://desk.example.com): the base of every link in e-mails, SMS and alerts
# (the tracking page, message replies, feedback, the order page for staff).
PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost:8000").rstrip("/")

# Deliveries (sellerdesk.notifications, R-NOTE-3): tries per delivery (retried with the outbox's
# backoff), and after how long a delivery stuck in "sending" (its worker died mid-hand-off) shows
# as "unknown outcome" (never re-sent by itself; staff may resend it).
DELIVERY_MAX_ATTEMPTS = int(os.environ.get("DELIVERY_MAX_ATTEMPTS", 5))
DELIVERY_SENDING_TIMEOUT = int(os.environ.get("DELIVERY_SENDING_TIMEOUT", 600))
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", 30))
# SMS (sellerdesk.notifications.sms): "console" (logs, sends nothing) or "twilio" (REST API;
# TWILIO_API_BASE may point at a local stand-in). The credentials are never logged.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "console")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
TWILIO_API_BASE = os.environ.get("TWILIO_API_BASE", "https://api.twilio.com")
TWILIO_TIMEOUT = float(os.environ.get("TWILIO_TIMEOUT", 20))
# Web Push (sellerdesk.notifications.push): the VAPID private key (PEM, or the raw key in base64url);
# empty: a key pair is made on first use and kept in the database. VAPID_SUBJECT is the contact
# the push services see. Push endpoints must be https unless PUSH_ALLOW_HTTP (local test services).
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:orders@sellerdesk.localhost")
PUSH_ALLOW_HTTP = _bool("PUSH_ALLOW_HTTP", default=False)
PUSH_TIMEOUT = float(os.environ.get("PUSH_TIMEOUT", 20))

# --- background work ------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The outbox worker (sellerdesk.outbox; `sellerdesk worker`). Seconds unless named otherwise.
# Shipping (R-FUL-7): how often the worker asks carriers for news, and after how long without a
# webhook a webhook carrier's shipment is polled anyway.
SHIPPING_POLL_SECONDS = int(os.environ.get("SHIPPING_POLL_SECONDS", "60"))
SHIPPING_WEBHOOK_QUIET_SECONDS = int(os.environ.get("SHIPPING_WEBHOOK_QUIET_SECONDS", str(6 * 3600)))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", 5))  # tries before "failed"
OUTBOX_BACKOFF_BASE = float(os.environ.get("OUTBOX_BACKOFF_BASE", 2))  # first retry delay
OUTBOX_BACKOFF_CAP = float(os.environ.get("OUTBOX_BACKOFF_CAP", 600))  # longest retry delay
OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", 7))  # finished jobs kept this long
WORKER_LEASE_SECONDS = float(os.environ.get("WORKER_LEASE_SECONDS", 10))  # rescue after this
WORKER_POLL_INTERVAL = float(os.environ.get("WORKER_POLL_INTERVAL", 1))
WORKER_GRACE_SECONDS = float(os.environ.get("WORKER_GRACE_SECONDS", 30))  # SIGTERM: finish within

# Outgoing webhooks (R-NOTE-7, docs/webhooks.md). Endpoints must resolve to public addresses unless
# the operator allows private ones (all of them, or the listed networks, comma-separated CIDRs).
WEBHOOKS_ALLOW_PRIVATE = os.environ.get("WEBHOOKS_ALLOW_PRIVATE", "") in ("1", "true", "yes")
WEBHOOKS_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("WEBHOOKS_ALLOWED_NETWORKS", "").split(",") if n.strip()
]
WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", 10))  # per request
WEBHOOKS_POLL_SECONDS = int(os.environ.get("WEBHOOKS_POLL_SECONDS", 5))  # how often due ones are sent
WEBHOOKS_BATCH = int(os.environ.get("WEBHOOKS_BATCH", 10))  # deliveries claimed at a time
WEBHOOKS_SEND_BUDGET_SECONDS = float(os.environ.get("WEBHOOKS_SEND_BUDGET_SECONDS", 50))  # per run
WEBHOOKS_KEEP_DAYS = int(os.environ.get("WEBHOOKS_KEEP_DAYS", 30))  # finished deliveries kept this long

# Bulk actions post one field per selected order (up to dashboard.views.bulk.MAX_BULK = 5,000).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 6000

# --- API ------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
IDEMPOTENCY_KEY_TTL_HOURS = 24
IDEMPOTENCY_STALE_SECONDS = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own default config gives "django" a console handler of its own (when DEBUG is on)
    # *and* lets it propagate to the root's: every 4xx was printed twice. One handler: the root's.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

# Payment providers (R-PAY-5; docs/payments.md). Online payments of new orders go to
# PAYMENT_ONLINE_PROVIDER; Stripe's address may point at a local stand-in (STRIPE_API_BASE).
PAYMENT_ONLINE_PROVIDER = os.environ.get("PAYMENT_ONLINE_PROVIDER", "sandbox")
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
STRIPE_TIMEOUT = float(os.environ.get("STRIPE_TIMEOUT", 20))
SANDBOX_WEBHOOK_SECRET = os.environ.get("SANDBOX_WEBHOOK_SECRET", "whsec_sandbox_demo")
