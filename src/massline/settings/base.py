"""Settings shared by every environment. Everything that differs between deployments comes from the
environment (see docs/configuration.md); nothing secret has a production default."""

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from massline.core.logs import logging_config

from .env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MASSLINE_VAR_DIR", str(Path.cwd() / "var"))).resolve()

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "massline.core",
    "massline.accounts",
    "massline.org",
    "massline.audit",
    "massline.appeals",
    "massline.evaluation",
    "massline.intelligence",
    "massline.open311",
    "massline.consultations",
    "massline.notifications",
    "massline.portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
]

MIDDLEWARE = [
    "massline.core.middleware.RequestContextMiddleware",  # first: the request ID is on every later log line
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "massline.core.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, header cached
    # The session, user, OTP and message layers step aside for MASSLINE_SESSIONLESS_PATHS (decision 0019)
    "massline.core.sessionless.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "massline.core.sessionless.AuthenticationMiddleware",
    "massline.core.sessionless.OTPMiddleware",
    "massline.accounts.middleware.TwoFactorRequiredMiddleware",
    "massline.core.sessionless.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "massline.appeals.api.middleware.ApiErrorShapeMiddleware",
]

# Addresses only programs call, which never read a session (core/sessionless.py): an entry ending in "/" covers
# everything under it, any other entry only itself.
MASSLINE_SESSIONLESS_PATHS = ("/open311/", "/healthz", "/readyz", "/metrics")

ROOT_URLCONF = "massline.urls"
WSGI_APPLICATION = "massline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "massline.core.context_processors.site",
            ],
        },
    }
]


def database_from_env(default_sqlite_path: Path) -> dict[str, Any]:
    """DATABASE_URL when set; otherwise the embedded SQLite database under var/.

    SQLite runs in WAL mode with a busy timeout and IMMEDIATE transactions, so a web process and a worker
    can write at the same time without "database is locked" errors."""
    url = env_str("DATABASE_URL") or f"sqlite:///{default_sqlite_path}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0)))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
            ),
        }
        config["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    else:
        config["CONN_HEALTH_CHECKS"] = True
        # Values travel apart from the statement, and psycopg prepares a statement the sixth time a connection
        # runs it: PostgreSQL then parses and plans the statements of every request once per connection
        # (decision 0020). Off behind a pooler that cannot keep prepared statements.
        if env_bool("DB_SERVER_SIDE_BINDING", True):
            config.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "massline.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "massline.accounts.backends.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login lockout (django-axes): five failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lockouts and rate limits read the client's address the same way, honouring PROXY_COUNT (production).
AXES_CLIENT_IP_CALLABLE = "massline.core.client_ip.client_ip"

# Two-factor: roles listed here must verify a TOTP device before any staff page.
MASSLINE_TWO_FACTOR_REQUIRED_ROLES = ["inspector", "administrator"]
OTP_TOTP_ISSUER = "massline"

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REDIS_URL = env_str("REDIS_URL")
# django-redis rather than Django's own Redis cache: it hands out its pooled client, which the RQ queues reuse
# (``USE_REDIS_CACHE`` below) instead of opening a new connection for every task enqueued (decision 0007).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate-limit counters must be shared by every web process (gunicorn workers, app servers): Redis when there is
# one, otherwise a table in the database (created by `migrate`). A per-process memory cache would multiply
# every limit by the number of workers.
CACHES["ratelimit"] = (
    {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ratelimit"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "massline_ratelimit_cache"}
)
RATELIMIT_USE_CACHE = "ratelimit"

# Background work: Django's tasks API. "db" (default) keeps the queue in the database and works on SQLite
# and PostgreSQL; "rq" uses Redis (REDIS_URL) to scale out; "immediate" runs tasks inline.
TASK_BACKEND = env_str("TASK_BACKEND", "db")
TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASK_BACKEND not in TASK_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TASK_BACKEND must be one of {sorted(TASK_BACKENDS)}, got {TASK_BACKEND!r}")
if TASK_BACKEND == "rq" and not REDIS_URL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TASK_BACKEND=rq needs REDIS_URL")
# In the order a worker serves them: routing new appeals ("intake", also highest priority on the database
# queue) before everything else, so that a flood of submissions is dispatched first and notified after.
# intake: routing new appeals, served first; default: notices, webhooks and the short periodic jobs (deadline
# sweep, catch-ups, heartbeat); periodic: the long periodic jobs (scorecards, hot issues, router retraining, open
# data), served by a worker of their own (docs/deploy.md) so that they never hold up a notice.
TASK_QUEUES = ["intake", "default", "periodic"]
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASK_BACKEND], "QUEUES": TASK_QUEUES}}
RQ_QUEUES: dict[str, dict[str, Any]] = {
    name: {"USE_REDIS_CACHE": "default"} if REDIS_URL else {"URL": "redis://127.0.0.1:6379/0"} for name in TASK_QUEUES
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "massline <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

TASK_LOG_LEVEL = env_str("TASK_LOG_LEVEL", "WARNING")
# LOG_FORMAT: "text" (readable, the default here) or "json" (one object per line, production's default); every
# line written while a request is served carries its ID (docs/observability.md).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"), task_level=TASK_LOG_LEVEL)

# /metrics (Prometheus) answers these addresses or networks, and anyone with the bearer token when one is set.
MASSLINE_METRICS_ALLOWED_IPS = env_list("MASSLINE_METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
MASSLINE_METRICS_TOKEN = env_str("MASSLINE_METRICS_TOKEN")

# How many appeals the demo seed creates (through the real services: about 30 s per thousand on SQLite).
MASSLINE_DEMO_APPEALS = env_int("MASSLINE_DEMO_APPEALS", 2000)

# The city this deployment serves, shown in page titles.
MASSLINE_SITE_NAME = env_str("MASSLINE_SITE_NAME", "")

# Notifications (docs/notifications.md): how each channel leaves the platform, and the retry policy.
MASSLINE_SITE_URL = env_str("MASSLINE_SITE_URL", "http://127.0.0.1:8000")
MASSLINE_NOTIFY_EMAIL_SENDER = env_str("MASSLINE_NOTIFY_EMAIL_SENDER", "file")
MASSLINE_NOTIFY_SMS_SENDER = env_str("MASSLINE_NOTIFY_SMS_SENDER", "file")
MASSLINE_NOTIFY_OUTBOX_DIR = VAR_DIR / "outbox"
MASSLINE_SMS_GATEWAY_URL = env_str("MASSLINE_SMS_GATEWAY_URL")
MASSLINE_SMS_GATEWAY_TOKEN = env_str("MASSLINE_SMS_GATEWAY_TOKEN")
MASSLINE_SMS_GATEWAY_TIMEOUT = env_int("MASSLINE_SMS_GATEWAY_TIMEOUT", 10)
MASSLINE_NOTIFY_MAX_ATTEMPTS = env_int("MASSLINE_NOTIFY_MAX_ATTEMPTS", 6)
MASSLINE_NOTIFY_RETRY_SECONDS = env_int("MASSLINE_NOTIFY_RETRY_SECONDS", 60)
MASSLINE_NOTIFY_DIGEST_HOUR = env_int("MASSLINE_NOTIFY_DIGEST_HOUR", 8)
# One queued task prepares the notices of every step taken meanwhile, instead of one task per step. Needs the
# cache shared by the web and worker processes (Redis), so it is on with REDIS_URL.
MASSLINE_NOTIFY_COALESCE = env_bool("MASSLINE_NOTIFY_COALESCE", bool(REDIS_URL))

# E-mail intake (docs/letters-and-visits.md): an IMAP mailbox and/or a directory of .eml files, read every
# 5 minutes when either is set.
MASSLINE_MAIL_INTAKE_HOST = env_str("MASSLINE_MAIL_INTAKE_HOST")
MASSLINE_MAIL_INTAKE_PORT = env_int("MASSLINE_MAIL_INTAKE_PORT", 993)
MASSLINE_MAIL_INTAKE_USER = env_str("MASSLINE_MAIL_INTAKE_USER")
MASSLINE_MAIL_INTAKE_PASSWORD = env_str("MASSLINE_MAIL_INTAKE_PASSWORD")
MASSLINE_MAIL_INTAKE_FOLDER = env_str("MASSLINE_MAIL_INTAKE_FOLDER", "INBOX")
MASSLINE_MAIL_INTAKE_SSL = env_bool("MASSLINE_MAIL_INTAKE_SSL", True)
MASSLINE_MAIL_INTAKE_DIR = env_str("MASSLINE_MAIL_INTAKE_DIR")

# Rate limits on public pages (docs/configuration.md): "<count>/<period>", period s, m, h or d (e.g. "10/h").
MASSLINE_INTAKE_RATE = env_str("MASSLINE_INTAKE_RATE", "10/h")
MASSLINE_PASSPHRASE_RATE = env_str("MASSLINE_PASSPHRASE_RATE", "10/h")
MASSLINE_PASSPHRASE_RATE_PER_APPEAL = env_str("MASSLINE_PASSPHRASE_RATE_PER_APPEAL", "20/d")

# How long a process may keep reference data (policy, responsibility matrix, calendar overrides, places and
# topics by code) before reading it again; edits reach other processes within this time (decision 0007).
MASSLINE_MEMO_SECONDS = env_int("MASSLINE_MEMO_SECONDS", 60)

# Text intelligence (docs/intelligence.md): where trained models are kept, and an optional fixed confidence
# threshold for automatic routing (otherwise each model version's own, from its cross-validation).
MASSLINE_MODEL_DIR = env_str("MASSLINE_MODEL_DIR", str(VAR_DIR / "models"))
MASSLINE_ROUTER_MIN_CONFIDENCE = float(env_str("MASSLINE_ROUTER_MIN_CONFIDENCE", "0") or 0)
# Real labelled data for training and benchmarks (never committed): ../shared/data/ beside the checkout.
MASSLINE_SHARED_DATA = env_str(
    "MASSLINE_SHARED_DATA", str(Path(__file__).resolve().parents[3].parent / "shared" / "data")
)
# Whether `massline seed` trains the demo's router (a minute on the shared messages); the test suite turns it off.
MASSLINE_DEMO_ROUTER = env_bool("MASSLINE_DEMO_ROUTER", True)
# A new appeal from the same telephone number that repeats an open appeal of the last N days with no new facts
# is linked to it instead of being dispatched again (appeals/services/merge.py); 0 turns this off.
MASSLINE_LINK_SAME_MATTER_DAYS = env_int("MASSLINE_LINK_SAME_MATTER_DAYS", 30)
# Open311 GeoReport v2 (/open311/): the jurisdiction this deployment answers for, and who to ask about it.
MASSLINE_OPEN311_JURISDICTION = env_str("MASSLINE_OPEN311_JURISDICTION", "massline.local")
MASSLINE_OPEN311_CONTACT = env_str("MASSLINE_OPEN311_CONTACT", "12345 hotline centre")
# Daily open data (anonymised appeals and scorecards, docs/open-data.md) is written here and served at /open-data/.
MASSLINE_OPEN_DATA_DIR = env_str("MASSLINE_OPEN_DATA_DIR", str(VAR_DIR / "open-data"))
# Hot issues (未诉先办): the appeals of the last this many days are clustered by the hourly sweep.
MASSLINE_HOT_WINDOW_DAYS = env_int("MASSLINE_HOT_WINDOW_DAYS", 30)
