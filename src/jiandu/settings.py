"""Django settings for Jiandu.

Everything that differs between a developer laptop and a commission's intranet server
comes from the environment (see docs/operations.md). Defaults are for development:
SQLite under ``var/``, DEBUG on, a fixed development secret.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from jiandu.core.keys import check_production_keys, load_audit_keys

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("JIANDU_VAR_DIR", PROJECT_DIR / "var"))

# The writable folder (SQLite database, uploads, comparison datasets) exists from the
# first command on a fresh clone.
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = os.environ.get("JIANDU_ENV", "development") == "production"

_DEV_SECRET = "jiandu-development-secret-key-not-for-production-use-0123456789"
SECRET_KEY = os.environ.get("JIANDU_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("JIANDU_SECRET_KEY must be set when JIANDU_ENV=production")

# Key for protected fields (reporter identity, ID numbers). Separate from SECRET_KEY so
# that rotating the session secret never makes stored identities unreadable.
FIELD_ENCRYPTION_KEY = os.environ.get("JIANDU_FIELD_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not FIELD_ENCRYPTION_KEY:
    raise RuntimeError("JIANDU_FIELD_KEY must be set when JIANDU_ENV=production")

# HMAC keys of the audit chain (id -> secret, the last one keys new rows), held outside
# the database so that rewriting the chain needs more than database access (ADR 0010).
AUDIT_KEYS = load_audit_keys(
    dict(os.environ), default={} if PRODUCTION else {"dev": _DEV_SECRET + "-audit-chain"}
)
if PRODUCTION:
    check_production_keys(
        secret_key=SECRET_KEY, field_key=FIELD_ENCRYPTION_KEY, audit_keys=AUDIT_KEYS
    )

DEBUG = os.environ.get("JIANDU_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("JIANDU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JIANDU_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# django-ninja's API documentation templates and files (Swagger UI), found without
# importing the library: it is not an installed app, so that commands which never
# touch the API start without loading it (jiandu.api renders the page).
NINJA_DIR = Path(importlib.util.find_spec("ninja").origin).parent  # type: ignore[arg-type, union-attr]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "jiandu.core",
    "jiandu.accounts",
    "jiandu.orgs",
    "jiandu.people",
    "jiandu.clues",
    "jiandu.boards",
    "jiandu.datacheck",
    "jiandu.imports",
    "jiandu.oversight",
    "jiandu.documents",
    "jiandu.reconciliation",
    "jiandu.cards",
    "jiandu.inbox",
    "jiandu.supervision",
    "jiandu.dossiers",
    "jiandu.ecoindex",
    "jiandu.inspections",
    "jiandu.followup",
    "jiandu.statcentre",
    "jiandu.approvals",
    "jiandu.sweeps",
    "jiandu.demo",
    "jiandu.workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Errors under /api/v1/ in JSON, whichever layer answers them (outermost on purpose).
    "jiandu.core.api_errors.ApiErrorsAsJsonMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiandu.core.middleware.RequestContextMiddleware",
    "jiandu.core.middleware.ContentSecurityPolicyMiddleware",
    "jiandu.core.middleware.SessionActivityMiddleware",
    "jiandu.accounts.middleware.PasswordChangeRequiredMiddleware",
    # AxesMiddleware must be last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiandu.urls"
WSGI_APPLICATION = "jiandu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "OPTIONS": {
            # django-template-partials' loader and tag library, configured here rather
            # than by listing it as an app (its app module imports Django's admin).
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "libraries": {"partials": "template_partials.templatetags.partials"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiandu.core.context_processors.navigation",
                "jiandu.core.context_processors.calendar_warning",
                "jiandu.inbox.context_processors.inbox",
            ],
        },
    }
]

if "DATABASE_URL" in os.environ and not os.environ["DATABASE_URL"].strip():
    raise RuntimeError(
        "DATABASE_URL is set but empty: give a database URL such as "
        "postgres://jiandu:password@127.0.0.1:5432/jiandu, or unset it for SQLite under var/"
    )
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'jiandu.sqlite3'}",
        conn_max_age=int(os.environ.get("JIANDU_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jiandu.accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiandu.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes), keyed on username + IP.
AXES_FAILURE_LIMIT = int(os.environ.get("JIANDU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The address comes from core.middleware.client_ip (proxy headers only as far as
# JIANDU_TRUSTED_PROXIES allows), and failures while locked out do not restart the clock:
# otherwise anyone could keep any account locked.
AXES_CLIENT_IP_CALLABLE = "jiandu.core.middleware.client_ip"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# How many reverse proxies stand in front of the application. 0 (default): the client is
# REMOTE_ADDR and X-Forwarded-For / X-Real-IP are ignored. N: the client is the address
# the N-th proxy (counting from the application) saw, read from X-Forwarded-For.
TRUSTED_PROXIES = int(os.environ.get("JIANDU_TRUSTED_PROXIES", "0"))

# Content-Security-Policy (core.middleware.ContentSecurityPolicyMiddleware): scripts,
# styles, images and fonts from the application's own origin only; no inline script, no
# inline style (<style> or style="…": page styles live in jiandu/css/app.css) and no eval
# (htmx allowEval is off, and its indicator <style> is switched off in base.html). Styles
# that scripts set through the CSSOM (ECharts, element.style) are not inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Covering indexes (Index(include=...)) serve the monthly counts on PostgreSQL; SQLite
# builds the same indexes on their key columns only, which is all it can use.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

SESSION_COOKIE_AGE = int(os.environ.get("JIANDU_SESSION_SECONDS", str(2 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sliding expiry: core.middleware.SessionActivityMiddleware renews a signed-in session at
# most once a minute instead of writing it on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("JIANDU_SESSION_REFRESH_SECONDS", "60"))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ISO dates first for input, so <input type="date"> keeps the rendered value.
FORMAT_MODULE_PATH = ["jiandu.core.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [NINJA_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads: refuse oversized files early (bytes). Data files for big-data comparison have
# their own, larger limit (datacheck settings below).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
JIANDU_MAX_UPLOAD_BYTES = int(os.environ.get("JIANDU_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
JIANDU_MAX_DATASET_BYTES = int(os.environ.get("JIANDU_MAX_DATASET_BYTES", str(1024 * 1024 * 1024)))
JIANDU_DATA_DIR = Path(os.environ.get("JIANDU_DATA_DIR", VAR_DIR / "data"))

# Background tasks: "thread" runs them in the web process after commit (no extra
# server); "worker" leaves them queued for `jiandu tasks worker`; "eager" runs them
# inline (tests).
JIANDU_TASKS_MODE = os.environ.get("JIANDU_TASKS_MODE", "thread")

# 政治生态档案 预黑预警 (docs/user-guide/dossiers.md): an open 立案审查 clue flags a person;
# a yellow dot followed within N days by a new clue naming the person flags them; a new
# yellow dot on a unit is 交办 (a problem) to the 派驻组 that supervises the unit.
JIANDU_DOSSIER_PRE_BLACK = {
    "open_case_review": os.environ.get("JIANDU_DOSSIER_WARN_CASE_REVIEW", "1") == "1",
    "yellow_then_clue_days": int(os.environ.get("JIANDU_DOSSIER_YELLOW_CLUE_DAYS", "365")),
    "unit_yellow_assign": os.environ.get("JIANDU_DOSSIER_UNIT_YELLOW_ASSIGN", "1") == "1",
}

# 站内消息 are also sent through these adapters (dotted paths; docs/operations.md shows
# how to add SMS or 政务钉钉); a failed adapter is retried up to ATTEMPTS times.
JIANDU_INBOX_ADAPTERS = [
    a.strip()
    for a in os.environ.get("JIANDU_INBOX_ADAPTERS", "jiandu.inbox.delivery.LoggingAdapter").split(
        ","
    )
    if a.strip()
]
JIANDU_INBOX_DELIVERY_ATTEMPTS = int(os.environ.get("JIANDU_INBOX_DELIVERY_ATTEMPTS", "5"))
# The daily job writes "已超期" for items that fell due in this many days before the run.
JIANDU_INBOX_OVERDUE_LOOKBACK_DAYS = int(os.environ.get("JIANDU_INBOX_OVERDUE_LOOKBACK_DAYS", "30"))

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("JIANDU_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("JIANDU_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # HSTS preload is a site decision.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIANDU_LOG_LEVEL", "WARNING")},
    "loggers": {
        # A 403 or 404 is answered with its page and shows in the request log; only
        # server errors (500) are written out with their traceback.
        "django.request": {"level": os.environ.get("JIANDU_REQUEST_LOG_LEVEL", "ERROR")},
    },
}
# Django's DEFAULT_LOGGING and the above, applied here (jiandu.core.logconfig: without
# the e-mail handler while ADMINS is empty, which keeps it out of every command's start).
LOGGING_CONFIG = None
ADMINS: list[tuple[str, str]] = []

# Look-ups of people (lists, searches, profiles, ID-number views): at most LIMIT requests
# per user in each WINDOW of seconds, then 429 (0 switches the limit off). Counted in
# the database (core.ratelimit), so every server process shares the one limit.
JIANDU_PERSON_LOOKUP_LIMIT = int(os.environ.get("JIANDU_PERSON_LOOKUP_LIMIT", "120"))
JIANDU_PERSON_LOOKUP_WINDOW = int(os.environ.get("JIANDU_PERSON_LOOKUP_WINDOW", "60"))
# The address people open the platform at: the QR code of a printed 提醒卡 leads there
# when the card is issued outside a request (the demo, the command line).
JIANDU_SITE_URL = os.environ.get("JIANDU_SITE_URL", "http://127.0.0.1:8000")

# Last, so that it sees the final LOGGING and ADMINS (LOGGING_CONFIG is None above).
from jiandu.core.logconfig import configure as _configure_logging  # noqa: E402

_configure_logging(LOGGING, admins=ADMINS)
