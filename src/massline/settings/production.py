"""Production: PostgreSQL from DATABASE_URL, secrets required, HTTPS assumed. Passes `check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CACHES,
    SECRET_KEY,
    TASK_LOG_LEVEL,
    TASK_QUEUES,
    env_bool,
    env_int,
    env_str,
    logging_config,
)

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters")
if not env_str("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must name the production database (PostgreSQL)")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this server answers to")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind nginx every request comes from the proxy's address; lock out by the client's address instead.
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# The task queue may live in a Redis of its own (TASK_REDIS_URL, docs/deploy.md): a cache Redis is allowed to
# evict keys when memory runs short, a queue's never. The queues still share one pooled client, through a cache
# entry of their own (decision 0007).
TASK_REDIS_URL = env_str("TASK_REDIS_URL")
if TASK_REDIS_URL:
    CACHES["tasks"] = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": TASK_REDIS_URL, "KEY_PREFIX": "tasks"}
    RQ_QUEUES = {name: {"USE_REDIS_CACHE": "tasks"} for name in TASK_QUEUES}

# One JSON object per line, for the log collector (LOG_FORMAT=text for a readable line).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"), task_level=TASK_LOG_LEVEL)
