"""Detsad settings shared by every environment.

Values come from environment variables (or a `.env` file in the project root) with safe
local defaults, so the same code runs from a laptop (SQLite) to a municipality server
(PostgreSQL behind nginx). Production-only hardening lives in `production.py`.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="detsad-insecure-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "detsad.accounts.third_party_apps.AxesConfig",  # django-axes, named in Russian
    "django_otp",
    "detsad.accounts.third_party_apps.TOTPConfig",  # django_otp's TOTP, named in Russian
    "drf_spectacular",
    "detsad.core.tasks_app.TasksConfig",  # django_tasks_db, named in Russian
    # Detsad apps, from the domain's roots to its leaves (DESIGN.md §2).
    "detsad.core",
    "detsad.accounts",
    "detsad.people",
    "detsad.movement",
    "detsad.privacy",
    "detsad.attendance",
    "detsad.fees",
    "detsad.reports",
    "detsad.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "detsad.accounts.middleware.SessionTouchMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "detsad.core.middleware.ActorMiddleware",
    "detsad.accounts.middleware.SecondFactorMiddleware",
    "detsad.accounts.middleware.ForcePasswordChangeMiddleware",
    "detsad.accounts.middleware.DeniedAccessAuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "detsad.urls"
WSGI_APPLICATION = "detsad.wsgi.application"
ASGI_APPLICATION = "detsad.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "detsad" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "detsad.core.context_processors.detsad",
            ],
            "builtins": ["detsad.core.templatetags.detsad_tags"],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
# SQLite by default (WAL journal, busy timeout); PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'detsad.sqlite3'}")
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
            ),
        }
    )
elif _db["ENGINE"].startswith("django.db.backends.postgresql"):
    _db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    _db["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "detsad.accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "detsad.accounts.hashers.Argon2Hasher",  # Argon2id with OWASP's parameters
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # only for issued one-time passwords (high entropy, see accounts/hashers.py)
    "detsad.accounts.hashers.TemporaryPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: throttle repeated failed logins per account and per IP.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# One address is shared by a whole kindergarten (NAT): it is locked only after this many
# failures on any logins (accounts/lockout.py).
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_HANDLER = "detsad.accounts.lockout.AddressAwareHandler"
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client address (audit trail and the per-address lock). Behind nginx every request
# comes from 127.0.0.1, so the proxy's X-Real-IP is used — but only when TRUST_X_REAL_IP
# says the app is reachable through that proxy alone (otherwise anyone could forge it).
TRUST_X_REAL_IP = env.bool("TRUST_X_REAL_IP", default=False)
AXES_CLIENT_IP_CALLABLE = "detsad.core.middleware.client_ip"

# Inactivity timeout: the session cookie lives SESSION_IDLE_SECONDS after the last request
# (renewed by SessionTouchMiddleware at most once every SESSION_TOUCH_SECONDS). «Log out everywhere» bumps User.session_version, which is part
# of the session hash, so every other session of that person ends at its next request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not from the cookie

# Second factor (TOTP, django-otp): staff may turn it on for themselves; with
# TOTP_REQUIRED_FOR_SYSADMIN a sysadmin must set it up before doing anything else.
TOTP_REQUIRED_FOR_SYSADMIN = env.bool("TOTP_REQUIRED_FOR_SYSADMIN", default=False)
OTP_TOTP_ISSUER = "Детсад"

# --- Web hardening ------------------------------------------------------------------------
# Content-Security-Policy (Django's own middleware): scripts, styles, fonts and images only
# from our static files; no inline scripts or event handlers anywhere. Inline style
# *attributes* (progress bar widths) are allowed; <style> elements are not. Bootstrap's CSS
# draws some icons from data: URIs, and the TOTP QR code is a data: SVG.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Locale -------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["detsad.formats"]
# Russian for strings Django 6.1 and third-party apps leave untranslated.
LOCALE_PATHS = [BASE_DIR / "detsad" / "locale"]

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic puts files for nginx (deploy/nginx-detsad.conf serves them).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "detsad" / "static"]
# WhiteNoise also serves straight from the apps' static folders, so `make run` works with
# DEBUG off (Russian error pages, no URL list) before any collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)  # core.uploads

# --- Background tasks (django.tasks with the database backend) --------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Cache --------------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://detsad")}


# --- E-mail -------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.ru:587 (console output by default).
def mailers_from_env(default: str) -> dict:
    """MAILERS built from EMAIL_URL (`default` when unset)."""
    email = env.email_url("EMAIL_URL", default=default)
    options = (
        {
            option: email[key]
            for key, option in (
                ("EMAIL_HOST", "host"),
                ("EMAIL_PORT", "port"),
                ("EMAIL_HOST_USER", "username"),
                ("EMAIL_HOST_PASSWORD", "password"),
                ("EMAIL_USE_TLS", "use_tls"),
                ("EMAIL_USE_SSL", "use_ssl"),
            )
            if email.get(key) not in (None, "", False)
        }
        if "smtp" in email["EMAIL_BACKEND"]
        else {}
    )
    return {"default": {"BACKEND": email["EMAIL_BACKEND"], "OPTIONS": options}}


MAILERS = mailers_from_env("consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="detsad@localhost")

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "detsad.api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Детсад API",
    "DESCRIPTION": "Чтение данных детского сада в пределах прав пользователя (только чтение).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Detsad -------------------------------------------------------------------------------
# Site address printed on password slips and receipts.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Days a withdrawn child's guardians keep read access to the history (DESIGN.md §4).
GUARDIAN_ACCESS_DAYS_AFTER_WITHDRAWAL = env.int("GUARDIAN_ACCESS_DAYS", default=90)
# Days after withdrawal before an archived child's personal file is anonymized by
# `manage.py anonymize_personal_data` (152-FZ art. 5 p. 7: keep no longer than the purpose
# needs). The default of 3 years is a local decision; set the period your archive rules give.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=3 * 365)
# Where `manage.py backup` writes its archives.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "detsad": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # 403/404 answers are expected (the access layer answers 404 outside the scope and
        # logs refused attempts in the audit trail); log only server errors here.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}


def require_env(name: str) -> str:
    """Return a required environment value or raise ImproperlyConfigured naming it."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable")
    return value
