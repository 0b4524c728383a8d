"""The one settings module. Everything that differs between machines comes from the environment.

Production is ``DJANGO_DEBUG=0`` (the default): then every required variable must be set, and a missing one
stops start-up with a message that names it. Local development and the test suite set ``DJANGO_DEBUG=1``
(the Makefile and pyproject do this) and get safe local defaults instead.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.inline_css import public_style_hashes
from core.observability import logging_config, parse_networks, sentry_init
from core.shared_state import SharedStateError, cache_from_url, storage_from_url
from sso.config import ProviderConfigError, providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (got {value!r}).")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum} (got {value!r}).")
    return number


DEBUG = env_bool("DJANGO_DEBUG", False)


def env_required(name: str, dev_default: str) -> str:
    """Return the variable; in production a missing one is a start-up error that names it."""
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} must be set when DJANGO_DEBUG=0 (production). "
        "See docs/deployment.md for every variable; for local use set DJANGO_DEBUG=1 or run `make run`."
    )


SECRET_KEY = env_required("DJANGO_SECRET_KEY", "insecure-local-development-key-never-use-in-production")
ALLOWED_HOSTS = [h.strip() for h in env_required("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "audit",
    "usersessions",
    "twofactor",
    "sso",
    "routines",
    "printing",
    "intake",
    "incidents",
    "exercises",
    "safety_plans",
    "contacts",
    "annual_report",
    # `manage.py seed_demo`: the demo data of every feature (imported by nothing; refuses in production).
    "demo",
]

MIDDLEWARE = [
    # First: a request id for every log line, and the probes answered before anything reads the Host header
    # (a load balancer probes by IP address; core/health.py says why that is safe).
    "core.observability.RequestIdMiddleware",
    "core.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' cached public pages (a routine), before the session, login and CSRF machinery.
    "core.public_pages.EarlyPublicPageMiddleware",
    "usersessions.middleware.SessionMiddleware",  # Django's, plus reads that do not renew the idle timeout
    "core.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login: django-otp marks the user verified or not; ours sends those who must verify to it.
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "usersessions.middleware.SessionLifetimeMiddleware",
    "core.http.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "audit.middleware.AccessRefusedAuditMiddleware",
    # Axes must come last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]
# django-prometheus counts and times every request between these two. The inner one changes no response, so it
# may sit inside axes.
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# benchmarks/urls.py (the framework floor for `make bench`) is selected only through this variable.
ROOT_URLCONF = os.environ.get("DJANGO_ROOT_URLCONF", "config.urls")
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "accounts.context_processors.sign_in",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
# SQLite under the git-ignored var/ folder is the zero-setup default; production and CI use PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(env_required("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DJANGO_DB_POOL", True):
    # psycopg's pool replaces persistent connections; it is switched off in tests (pyproject).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool checks a connection (an empty query) before handing it out and replaces it if it is dead, so
    # after a PostgreSQL restart no request gets one of the old connections (without this, each pooled
    # connection failed one request first). Measured by benchmarks/faults.py (docs/performance.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX", "10")),
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's price of reading a page out of order. PostgreSQL's default (4) is for spinning disks; on SSD
    # or a cached database 1.1 is the usual setting, and without it the planner scanned every intake to count
    # one counsellor's 1 000 (56 ms against 2.6 ms at 101 000 intakes; docs/performance.md). Empty leaves the
    # server's own setting (behind PgBouncer in transaction mode, which refuses startup options: set it on the
    # server with ALTER DATABASE ... SET random_page_cost = 1.1 instead).
    _page_cost = os.environ.get("DJANGO_DB_RANDOM_PAGE_COST", "1.1")
    if _page_cost:
        try:
            _page_cost = str(float(_page_cost))
        except ValueError:
            raise ImproperlyConfigured(
                f"DJANGO_DB_RANDOM_PAGE_COST must be a number such as 1.1, or empty (found {_page_cost!r})."
            ) from None
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={_page_cost}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and sessions ------------------------------------------------------------------------
# Local passwords can be turned off where everyone logs in through single sign-on (DJANGO_PASSWORD_LOGIN=0): then
# no password is checked anywhere (the login page, the admin's, the reset and invitation links), and sessions a
# password made end, as their backend is no longer listed. Single sign-on's sessions belong to its own backend,
# which checks no password (sso.backends).
PASSWORD_LOGIN = env_bool("DJANGO_PASSWORD_LOGIN", True)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Logs nobody in: reads model permissions in one query for the backends below (accounts/backends.py).
    "accounts.backends.PermissionsInOneQueryBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if PASSWORD_LOGIN else []),
    "sso.backends.SingleSignOnBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Single sign-on through OpenID Connect (the sso app; docs/deployment.md, "Single sign-on"): the providers
# DJANGO_OIDC_PROVIDERS names, each configured by its own DJANGO_OIDC_<NAME>_* variables. A person who logs in
# through one and has no account here is refused, unless DJANGO_OIDC_CREATE_USERS=1 makes her one with no role.
try:
    OIDC_PROVIDERS = providers_from_env(os.environ, debug=DEBUG)
except ProviderConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
OIDC_CREATE_USERS = env_bool("DJANGO_OIDC_CREATE_USERS", False)
if not PASSWORD_LOGIN and not OIDC_PROVIDERS:
    raise ImproperlyConfigured("DJANGO_PASSWORD_LOGIN=0 needs a single sign-on provider (DJANGO_OIDC_PROVIDERS).")
OIDC_TIMEOUT = env_int("DJANGO_OIDC_TIMEOUT", 10, minimum=1)  # seconds to wait for a provider's answer
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# One-time links by e-mail (accounts.tokens): an invitation to set a first password lasts a week, a password
# reset link two hours; both stop working once used.
INVITATION_TIMEOUT = 7 * 24 * 60 * 60
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
# Password reset requests: at most this many mails per address, and requests per client address, per hour
# (accounts.forms.PasswordResetForm; the page answers the same either way).
PASSWORD_RESET_RATE = int(os.environ.get("DJANGO_PASSWORD_RESET_RATE", "5"))

# Idle timeout: the expiry moves forward on every request. The absolute limit is enforced by
# usersessions.middleware.SessionLifetimeMiddleware; the cookie itself dies with the browser.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_MAX_AGE = 12 * 60 * 60
# Database sessions that record their user, so deactivation can end them all (usersessions/sessions.py); the
# page warns this many seconds before the idle timeout (static/js/idle.js).
SESSION_ENGINE = "usersessions.sessions"
SESSION_IDLE_WARNING_SECONDS = 120
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: 5 failures for the same username from the same address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind DJANGO_PROXY_COUNT reverse proxies (each appending to X-Forwarded-For) the lockout counts the client's
# address, not the last proxy's (accounts.clientip).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.clientip.client_ip"
# Besides the lockout per username and address: after USERNAME_FAILURE_LIMIT failures for one account within
# AXES_COOLOFF_TIME, from any addresses, that account logs in only from a browser it has logged in from before
# (a signed "known device" cookie; accounts.devices). A stranger can thus not lock a person out of her own
# computer, and cannot spread guesses over many addresses either.
USERNAME_FAILURE_LIMIT = int(os.environ.get("DJANGO_USERNAME_FAILURE_LIMIT", "10"))
KNOWN_DEVICE_MAX_AGE = 180 * 24 * 60 * 60

# django-guardian: no anonymous user row; object permissions live in the direct foreign-key models.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Two-factor login (TOTP, django-otp; the twofactor app). On in production: counsellors, managers, editors
# and superusers must enrol and give a code after their password; anyone with a confirmed device is asked
# for it. Off by default where DEBUG is on (the local demo, the test suite): then nobody is asked.
TWO_FACTOR_REQUIRED = env_bool("DJANGO_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Krisestøtte"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row the next try waits 2^(n-1) seconds
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP key or a recovery code

# --- Security headers -----------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe over plain HTTP: /healthz, /readyz and /metrics are answered before the redirect
# (core.health.ProbeMiddleware).
if env_bool("DJANGO_BEHIND_TLS_PROXY", not DEBUG):
    # Only correct behind a proxy that sets (and overwrites) this header; see docs/deployment.md.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# django-csp 4: no inline script or style anywhere; a nonce is available for the rare unavoidable script. The one
# exception: the public routine pages' own stylesheets, inlined so they paint at once, each allowed by its hash
# (core/inline_css.py). The service worker (static/js/sw.js, served at /sw.js) and the web app manifest come
# from this site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *public_style_hashes()],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Logging out may lead on to a single sign-on provider's logout (sso.views.provider_logout_url).
        "form-action": [SELF, *sorted({provider.origin for provider in OIDC_PROVIDERS})],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- Language -------------------------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language cookie only over HTTPS in production (core.i18n.choose_language also makes it SameSite=Lax).
LANGUAGE_COOKIE_SECURE = not DEBUG
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
# Default storage (the generated PDFs): a folder on this machine, or with DJANGO_STORAGE_URL=s3://... an object
# store every app server shares (core/shared_state.py; docs/deployment.md).
try:
    _default_storage = storage_from_url(os.environ.get("DJANGO_STORAGE_URL", ""))
except SharedStateError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Media and generated files ------------------------------------------------------------------------
# Generated files (the routine PDFs, rendered once per version) go to default storage: under MEDIA_ROOT unless
# DJANGO_STORAGE_URL names an object store. They are served only through views that check access, never as
# /media/ URLs, so there is no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# Uploaded attachments (incident photos and documents) live outside MEDIA_ROOT in a storage with no URL
# (core.uploads.PrivateStorage); they are served only by views that check access.
PRIVATE_FILES_ROOT = Path(os.environ.get("DJANGO_PRIVATE_FILES_ROOT", BASE_DIR / "var" / "private"))
# Largest attachment taken, in bytes (checked before anything else reads it).
ATTACHMENT_MAX_BYTES = env_int("DJANGO_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Virus scanning of uploads with ClamAV's clamd (core.virusscan): a unix socket, or a host and port. With
# neither, uploads are stored and marked "not scanned". A configured scanner that does not answer refuses them.
CLAMD_SOCKET = os.environ.get("DJANGO_CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("DJANGO_CLAMD_HOST", "")
CLAMD_PORT = env_int("DJANGO_CLAMD_PORT", 3310, minimum=1)
# Anonymous reporting: receipt-code lookups allowed per client address and hour (in the cache, per process).
INCIDENT_CODE_LOOKUPS_PER_HOUR = env_int("DJANGO_INCIDENT_CODE_LOOKUPS_PER_HOUR", 20, minimum=1)

# --- Cache ----------------------------------------------------------------------------------------------
# The routine pages' fragments and the password-reset counters. Memory in each process by default; with
# DJANGO_CACHE_URL=redis://... one Redis all app servers share (core/shared_state.py; docs/deployment.md).
try:
    CACHES = {"default": cache_from_url(os.environ.get("DJANGO_CACHE_URL", ""))}
except SharedStateError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

# How long a worker keeps the key of a cached public page (which version is published) before reading it from
# the database again; a change saved in another worker shows within this many seconds (core/public_pages.py).
PUBLIC_PAGE_KEY_SECONDS = env_int("DJANGO_PUBLIC_PAGE_KEY_SECONDS", 1, minimum=0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------------------------
if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_required("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
# Seconds to wait for the SMTP server (connect and each answer): without it a server that accepts connections
# and never answers holds a worker for good.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_required("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------------------
# Django's Tasks API through the django-tasks backport (built into Django 6). "database" (the default) stores each
# task as a row that `manage.py db_worker` runs (several workers on several machines share one database);
# "immediate" runs a task at once in the process that enqueues it (the test suite, where that is simpler).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("DJANGO_TASKS_BACKEND", "database")
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)} (got {_tasks_backend!r})."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[_tasks_backend]}}
# /readyz fails when a task ready to run (a mail, a reminder) has waited longer than this for a worker: the
# worker is stopped or cannot keep up (core.health).
READYZ_TASK_BACKLOG_SECONDS = float(os.environ.get("DJANGO_READYZ_TASK_BACKLOG_SECONDS", "900"))
# A mail that could not be sent is tried again after MAIL_RETRY_DELAY seconds, doubled after each failure up to
# six hours, until MAIL_RETRY_ATTEMPTS attempts have failed (about three days with the defaults; core.mail).
MAIL_RETRY_ATTEMPTS = int(os.environ.get("DJANGO_MAIL_RETRY_ATTEMPTS", "20"))
MAIL_RETRY_DELAY = float(os.environ.get("DJANGO_MAIL_RETRY_DELAY", "60"))


def check_site_url(url: str, *, debug: bool) -> str:
    """The address; a start-up error if it is no http(s) address with a host, or
    (outside DEBUG) if its host is this machine."""
    parsed = urlsplit(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise ImproperlyConfigured(
            f"DJANGO_SITE_URL must be an http(s) address such as https://krisestotte.example.no (got {url!r})."
        )
    if not debug:
        host = parsed.hostname
        try:
            address = ipaddress.ip_address(host)
            loopback = address.is_loopback or address.is_unspecified
        except ValueError:
            loopback = host == "localhost" or host.endswith(".localhost")
        if loopback:
            raise ImproperlyConfigured(
                f"DJANGO_SITE_URL is a loopback address ({url!r}); in production it must be the site's public "
                "address, which e-mailed links and printed QR codes point at."
            )
    return url


# The site's public address, for the links in e-mails (which carry links only, never record details) and
# on paper (the QR code on a routine folder's back cover). Required in production, and never a loopback
# address there: a folder printed with http://127.0.0.1:8000 on it cannot be taken back.
SITE_URL = check_site_url(env_required("DJANGO_SITE_URL", "http://127.0.0.1:8000"), debug=DEBUG)

# --- Logging and error reporting -----------------------------------------------------------------------
# Console only; the process manager collects it. Nothing here logs request bodies or form data. Every line has
# a UTC timestamp, level, logger, request id and user id (core/observability.py): readable text by default,
# one JSON object per line with DJANGO_LOG_FORMAT=json (production; docs/deployment.md).
LOGGING = {
    **logging_config(
        log_format=os.environ.get("DJANGO_LOG_FORMAT", "text"), level=os.environ.get("DJANGO_LOG_LEVEL", "INFO")
    ),
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; refused URLs (core/pdf.py) still show as errors.
        "weasyprint.progress": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # Kept above DEBUG whatever DJANGO_LOG_LEVEL says: at DEBUG, django.template logs the whole template
        # context (record content included) on every unresolved variable, and django.db.backends logs SQL with
        # its parameters (what was typed). tests/security/test_canary.py checks that no record text reaches a log.
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}

# Take the request id from the proxy's X-Request-ID: only behind a proxy that sets or overwrites it.
REQUEST_ID_TRUSTED = env_bool("DJANGO_TRUST_REQUEST_ID", False)

# Optional error reports (sentry-sdk): nothing personal is sent (core.observability.sentry_before_send).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
    )

# Prometheus' /metrics answers only these addresses or networks (comma-separated, e.g. 10.0.0.5,10.1.0.0/24);
# everyone else gets 404. Empty: nobody.
try:
    METRICS_ALLOWED_NETWORKS = parse_networks(env_list("DJANGO_METRICS_ALLOWED_IPS"))
except ValueError as exc:
    raise ImproperlyConfigured(f"DJANGO_METRICS_ALLOWED_IPS: {exc}") from exc

# --- Retention ------------------------------------------------------------------------------------------
# How long records about people stay, in days; `manage.py purge_expired`, run daily from cron, deletes (intakes
# with their journal notes, safety plans) or anonymises (incident reports) what is past its period. The
# anonymous intake statistics are kept. docs/deployment.md ("Retention") says why these defaults; each
# centre's data controller sets its own through the environment.
RETENTION_MAX_DAYS = 36500  # a century: anything longer is a typo, and would overflow date arithmetic


def env_days(name: str, default: int) -> int:
    """A whole number of days from the environment, 1 to RETENTION_MAX_DAYS; anything else stops start-up."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= RETENTION_MAX_DAYS:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of days from 1 to {RETENTION_MAX_DAYS} (got {value!r})."
        )
    return days


RETENTION = {
    # A draft intake nobody has saved for this long is an abandoned conversation (longer than a summer holiday).
    "intake_draft_days": env_days("DJANGO_RETENTION_INTAKE_DRAFT_DAYS", 60),
    # A finalized intake and its journal note, after the case's last activity (its plans' included).
    "intake_days": env_days("DJANGO_RETENTION_INTAKE_DAYS", 730),
    # A safety plan, after its last save, review or planned review (and its intake's last activity).
    "safety_plan_days": env_days("DJANGO_RETENTION_SAFETY_PLAN_DAYS", 730),
    # A closed incident report is anonymised this long after closing; open reports are never touched.
    "incident_days": env_days("DJANGO_RETENTION_INCIDENT_DAYS", 1825),
    # An exercise of a routine and its actions, after the day it was held (kept while an action is open).
    "exercise_days": env_days("DJANGO_RETENTION_EXERCISE_DAYS", 1825),
}

# --- Intake -----------------------------------------------------------------------------------------------
# The question tree (its short name) a counsellor's new intake uses, and the routine (its slug) the finalize
# page links for the duty to avert. Data, not code: each installation names its own; empty, intake's system
# checks warn (intake.W001, intake.W002). Local use (DEBUG) defaults to what `manage.py seed_demo` creates.
INTAKE_TREE = os.environ.get("DJANGO_INTAKE_TREE", "first-contact" if DEBUG else "").strip()
INTAKE_DUTY_TO_AVERT_ROUTINE = os.environ.get(
    "DJANGO_INTAKE_DUTY_TO_AVERT_ROUTINE", "avvergingsplikten-fasilitatorveileder" if DEBUG else ""
).strip()

# --- Demo data ------------------------------------------------------------------------------------------
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "krise-demo-2026")
