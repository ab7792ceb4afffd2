"""Settings shared by every environment.

The database comes from DATABASE_URL (PostgreSQL in production and in CI's second pass); with it
unset the project runs on an embedded SQLite file tuned to survive concurrent learners.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CONTENT_DIR = Path(os.environ.get("EDU_CONTENT_DIR", BASE_DIR / "content"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "edu.accounts",
    "edu.authoring",
    "edu.lessons",
    "edu.quizzes",
    "edu.cohorts",
    "edu.analytics",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "edu.errors.FriendlyMethodNotAllowedMiddleware",
    "edu.access.AccessPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "edu.urls"
WSGI_APPLICATION = "edu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "edu.accounts.context_processors.navigation",
            ],
            "builtins": ["edu.charts.bars"],
        },
    },
]


def database_settings(url: str | None, sqlite_path: Path) -> dict:
    """The default database: DATABASE_URL if given, else SQLite set up for concurrent writers.

    WAL lets readers carry on while one connection writes; IMMEDIATE takes the write lock at
    BEGIN so two transactions never deadlock upgrading a read lock (the cause of "database is
    locked" under load); the timeout makes a waiting writer queue instead of failing.
    """
    if url:
        db = dj_database_url.parse(url, conn_max_age=120, conn_health_checks=True)
    else:
        db = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "CONN_MAX_AGE": 120,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    return db


DATABASES = {
    "default": database_settings(
        os.environ.get("DATABASE_URL"), Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    "edu.accounts.backends.CachedUserBackend",  # ModelBackend, the user row from the cache
]
# How long a signed-in user's row may be served from the cache (dropped on every save). Only
# with a cache shared by every worker (prod.py with REDIS_URL): locmem cannot be told of a save
# in another process.
USER_CACHE_SECONDS = 0
# Sign-in throttling: five wrong passwords for one username from one address lock that pair
# out for 15 minutes (without a cool-off, django-axes would lock out for ever).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions read through the cache and write to the database: a fraction of a millisecond per
# request instead of a database read, and sessions survive a restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# How much a request may carry. The largest form is the import page's pasted text (at most
# MOST_PASTED_CHARS characters, edu/authoring/forms.py, 4 bytes each at worst in UTF-8); every
# other form is a few fields. A file upload streams to a temporary file past 1 MB and the import
# page's own handler stops it past 10 MB (edu/authoring/uploads.py); only that page takes a file.
# Past these limits Django refuses the request and edu.views.bad_request says why (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500  # the admin's bulk actions post one field a row, 100 a page
DATA_UPLOAD_MAX_NUMBER_FILES = 1

X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "edu.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Everything the site loads is its own: vendored htmx, our CSS and SVG. Nothing inline, neither
# script nor style (bars and charts are drawn with SVG attributes, edu/charts/), so injected
# markup cannot run or restyle the page; tests/test_security_headers.py and
# tests/browser/test_content_security_policy.py hold the site to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Mail (password reset links). Development prints mail to the console (dev.py); production sends
# it over SMTP with the EMAIL_* variables (prod.py); tests keep it in memory.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Motor Unit <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
