"""The test suite: the same as local, except that tasks run inline unless a test picks a backend."""

from .base import *  # noqa: F403
from .base import DATABASES, STATIC_ROOT, TASK_QUEUES, VAR_DIR, env_str

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-000000000000000000"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# RQ tests use their own Redis database, emptied by the tests that use it.
REDIS_URL_FOR_TESTS = env_str("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
RQ_QUEUES = {name: {"URL": REDIS_URL_FOR_TESTS} for name in TASK_QUEUES}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Lets the suite empty its database between tests (TRUNCATE); the ledger's triggers refuse it otherwise.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c massline.ledger_maintenance=on"
# Argon2 still, with the cheapest parameters: the suite creates hundreds of accounts.
PASSWORD_HASHERS = ["massline.core.testing.FastArgon2PasswordHasher"]
MASSLINE_DEMO_APPEALS = 40  # enough for every state; the demo itself seeds 1000
# The demo seed's router training takes a minute; the router has its own tests (massline/intelligence/tests).
MASSLINE_DEMO_ROUTER = False
# Fixtures file many identical appeals from one caller to fill queues; the automatic same-matter link has its
# own tests, which turn it on (appeals/tests/test_casework.py).
MASSLINE_LINK_SAME_MATTER_DAYS = 0
