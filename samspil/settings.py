"""Samspil settings, read from the environment.

Defaults are safe for local use: DEBUG is off, hosts are limited to this machine, the database is
a SQLite file under var/, and the secrets are generated once into var/. Production sets
SECRET_KEY, FIELD_ENCRYPTION_KEYS, DATABASE_URL and ALLOWED_HOSTS (see docs/operations.md).
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAMSPIL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def local_secret(filename: str, make) -> str:
    """A secret kept in var/ for local use, created on first start, never committed."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


PRODUCTION = env_bool("SAMSPIL_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)

if os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
elif PRODUCTION:
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
else:
    SECRET_KEY = local_secret("secret_key", lambda: secrets.token_urlsafe(50))

# Keys for encrypting CPR numbers at rest, newest first (older keys still decrypt: rotation).
if os.environ.get("FIELD_ENCRYPTION_KEYS"):
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
elif PRODUCTION:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in production")
else:
    FIELD_ENCRYPTION_KEYS = [local_secret("field_key", lambda: Fernet.generate_key().decode())]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "samspil.core",
    "samspil.households",
    "samspil.volunteers",
    "samspil.engagements",
    "samspil.outcomes",
    "samspil.activities",
    "samspil.partners",
    "samspil.christmas",
    "samspil.security",  # two-factor login, lock-out, password reset, security headers
    "samspil.privacy",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # django-ninja: its own copy of Swagger UI for /api/docs (no CDN)
    "samspil.api",
    "django_otp",  # two-factor login (docs/security.md): TOTP apps and one-time backup codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # lock-out after repeated failed logins
    "samspil.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "samspil.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "samspil.security.middleware.IdleTimeoutMiddleware",
    "samspil.security.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samspil.api.middleware.RejectNulMiddleware",
    "samspil.privacy.restriction.RestrictionMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "samspil.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samspil" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "samspil.wsgi.application"
FORM_RENDERER = "samspil.core.rendering.SamspilFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'samspil.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; busy timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "samspil.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "samspil" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "samspil" / "static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", PRODUCTION)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (tests, development) whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a one-way decision for the domain's owner.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samspil@localhost")

# Screening rules for volunteers (docs/volunteers.md). A child-safety certificate (børneattest)
# is needed by the roles listed, before matching with a household that has a child under the age
# limit; it is considered valid for the given number of months after it was checked, and
# coordinators are warned the given number of days before it ages out.
CHILD_CERTIFICATE_ROLES = env_list("CHILD_CERTIFICATE_ROLES", ["family_friend"])
CHILD_CERTIFICATE_AGE_LIMIT = env_int("CHILD_CERTIFICATE_AGE_LIMIT", 15)
CHILD_CERTIFICATE_VALID_MONTHS = env_int("CHILD_CERTIFICATE_VALID_MONTHS", 24)
CHILD_CERTIFICATE_WARN_DAYS = env_int("CHILD_CERTIFICATE_WARN_DAYS", 60)

# Background work goes through Django's task API (the django-tasks backport of django.tasks).
# The default backend keeps the queue in the database and `manage.py db_worker` runs it; a real
# queue (e.g. django-tasks-rq) replaces it by changing TASKS_BACKEND, without code changes.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Outcomes (docs/outcomes.md): counts under the threshold are shown as "<5" wherever figures
# reach people who may not see the underlying persons (never below 3). Evaluator pseudonyms
# are HMAC-SHA256 keyed per evaluator and programme from this secret (kept in var/ locally).
OUTCOMES_SMALL_NUMBER_THRESHOLD = max(3, env_int("OUTCOMES_SMALL_NUMBER_THRESHOLD", 5))
if os.environ.get("OUTCOMES_PSEUDONYM_SECRET"):
    OUTCOMES_PSEUDONYM_SECRET = os.environ["OUTCOMES_PSEUDONYM_SECRET"]
elif PRODUCTION:
    raise ImproperlyConfigured("OUTCOMES_PSEUDONYM_SECRET must be set in production")
else:
    OUTCOMES_PSEUDONYM_SECRET = local_secret("pseudonym_key", lambda: secrets.token_urlsafe(50))

# Public forms without an account (activity sign-up links, Christmas-aid applications), see
# core/public_forms.py: at most this many posts per form and client address within the window;
# a form's token is accepted this long after the page was opened; with nginx in front, set the
# number of proxies whose X-Forwarded-For entry is trusted (1), or every client counts as nginx.
PUBLIC_FORM_MAX_SUBMISSIONS = env_int("SAMSPIL_PUBLIC_FORM_MAX_SUBMISSIONS", 20)
PUBLIC_FORM_WINDOW_SECONDS = env_int("SAMSPIL_PUBLIC_FORM_WINDOW_SECONDS", 600)
PUBLIC_FORM_TOKEN_MAX_AGE_SECONDS = env_int("SAMSPIL_PUBLIC_FORM_TOKEN_MAX_AGE_SECONDS", 86400)
PUBLIC_FORM_TRUSTED_PROXIES = env_int("SAMSPIL_PUBLIC_FORM_TRUSTED_PROXIES", 0)

# The REST API (docs/api.md): rows per page unless ?page_size= asks for another (at most 200),
# and requests per token, e.g. "600/m" (per second, minute, hour or day: s, m, h, d).
API_PAGE_SIZE = env_int("SAMSPIL_API_PAGE_SIZE", 50)
API_RATE = os.environ.get("SAMSPIL_API_RATE", "600/m")
# Christmas aid (docs/christmas-aid.md): applications that never became a household are deleted
# this many months after their round closed (manage.py christmas_prune_applications).
CHRISTMAS_RETENTION_MONTHS = env_int("SAMSPIL_CHRISTMAS_RETENTION_MONTHS", 3)

# Privacy (docs/privacy.md): the audit log's hash chain is keyed with AUDIT_CHAIN_KEY (from the
# environment in production; changing it makes verify_audit fail for older entries). Retention
# periods per kind of record for `samspil retention` (docs/operations.md); break-the-glass access
# lasts this many hours.
if os.environ.get("AUDIT_CHAIN_KEY"):
    AUDIT_CHAIN_KEY = os.environ["AUDIT_CHAIN_KEY"]
elif PRODUCTION:
    raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be set in production")
else:
    AUDIT_CHAIN_KEY = local_secret("audit_chain_key", lambda: secrets.token_urlsafe(50))
AUDIT_RETENTION_MONTHS = env_int("SAMSPIL_AUDIT_RETENTION_MONTHS", 6)
HOUSEHOLD_RETENTION_YEARS = env_int("SAMSPIL_HOUSEHOLD_RETENTION_YEARS", 5)
BREAK_GLASS_HOURS = env_int("SAMSPIL_BREAK_GLASS_HOURS", 3)

# How many rows a list page shows.
PAGE_SIZE = env_int("SAMSPIL_PAGE_SIZE", 25)

# Logging never includes request bodies, so a CPR number typed into a form cannot end up in a log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Strong login (docs/security.md, docs/operations.md). Two-factor login (TOTP app or a backup
# code) is required for these roles and for platform administrators; volunteers may turn it on.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "SAMSPIL_TWO_FACTOR_REQUIRED_ROLES", ["org_admin", "coordinator", "caseworker", "evaluator"]
)
OTP_TOTP_ISSUER = os.environ.get("SAMSPIL_OTP_ISSUER", "Samspil")
TWO_FACTOR_BACKUP_CODES = env_int("SAMSPIL_TWO_FACTOR_BACKUP_CODES", 10)
# Logged out after this many seconds without a request (the session cookie's own limit,
# SESSION_COOKIE_AGE, still ends every session after 8 hours).
SESSION_IDLE_TIMEOUT = env_int("SAMSPIL_SESSION_IDLE_TIMEOUT", 30 * 60)
# Lock-out (django-axes): after this many failed logins for one username from one address, that
# combination is refused for the cool-off period; a successful login resets the count.
AXES_FAILURE_LIMIT = env_int("SAMSPIL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SAMSPIL_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samspil.security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "samspil.security.lockout.client_ip"  # honours the trusted proxies
AXES_USERNAME_CALLABLE = "samspil.security.lockout.username"  # never a CPR number in the tables
AXES_HTTP_RESPONSE_CODE = 429
# Content security policy (django-csp): scripts and styles only from Samspil's own static files,
# no inline scripts, no eval, no other sites; pages cannot be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
if PRODUCTION:
    # __Host- cookies: only over HTTPS, only for this exact host, for every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
