"""Settings, read from the environment (django-environ).

DATABASE_URL selects the database: SQLite in ./var by default, PostgreSQL in production,
for example DATABASE_URL=postgres://postgres@127.0.0.1:5432/permanence.
"""

import logging
import os
from datetime import date, timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(environ.Env().str("PERMANENCE_HOME", default=str(Path.cwd())))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
)

DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
# The embedded demo and the tests answer only on this machine. Anything else (a host name in ALLOWED_HOSTS) is a
# deployment: it must set its own SECRET_KEY, and gets the HTTPS settings below (issue 15, docs/deploy.md).
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}
LOOPBACK_ONLY = all(host in LOOPBACK_HOSTS for host in ALLOWED_HOSTS)
DEPLOYED = not DEBUG and not LOOPBACK_ONLY
DEVELOPMENT_KEY = "permanence-insecure-development-key-change-me"  # noqa: S105 (refused when deployed)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_KEY)
if DEPLOYED and (SECRET_KEY == DEVELOPMENT_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a long random value (50 characters or more): this site answers on "
        f"{', '.join(ALLOWED_HOSTS)}, so the development key is refused. "
        "One way: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. See docs/deploy.md.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "permanence.core",
    "permanence.organisations",
    "permanence.timescales",
    "permanence.journeys",
    "permanence.children",
    "permanence.performance",
    "permanence.adopters",
    "permanence.family_finding",
    "permanence.demo",
    "permanence.interchange",
    "permanence.api",
    "permanence.support",
    "permanence.support_fund",
    "permanence.blueprint",
    "permanence.audits",
    "permanence.disruptions",
    "permanence.complaints",
    "permanence.adopted_adults",
    "permanence.contact",
    "permanence.records",
    "permanence.home",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "permanence.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "permanence.core.idle.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "permanence.core.signin.PasswordChangeRequiredMiddleware",
    "permanence.core.signin.SecondFactorRequiredMiddleware",
    "permanence.core.signin.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "permanence.core.logging.RequestLogMiddleware",
    "permanence.core.db.ReportsReplicaMiddleware",
]

ROOT_URLCONF = "permanence.urls"

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
                "permanence.navigation.navigation",
                "permanence.core.idle.dialog_context",
            ],
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "permanence.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{HOME / 'var' / 'permanence.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # Concurrent writers queue instead of failing with "database is locked": every transaction takes the write
    # lock up front (IMMEDIATE: no read-then-upgrade deadlock), waits up to `timeout` seconds for it, and WAL lets
    # readers carry on while one writer writes.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
# A read-only replica for the performance reports, if the deployment has one (permanence/core/db.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# On PostgreSQL each web worker keeps its connection for a while (DATABASE_CONN_MAX_AGE seconds, default 60)
# rather than opening one per request (a new server process each time), and checks it before reuse.
for _alias in DATABASES.values():
    if _alias["ENGINE"].endswith("postgresql"):
        _alias.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
        _alias.setdefault("CONN_HEALTH_CHECKS", True)
        # No just-in-time compilation of queries: PostgreSQL turns it on for any query its planner costs above
        # jit_above_cost, and an aggregate with correlated subqueries (the surgery's counts) is costed far above
        # what it runs – 2.2 s compiling a query that runs in 50 ms, on every request. The web pages' queries are
        # short; DATABASE_JIT=on gives PostgreSQL's default back. Added to libpq's PGOPTIONS, which an `options`
        # setting would otherwise replace.
        if not env.bool("DATABASE_JIT", default=False):
            _options = _alias.setdefault("OPTIONS", {})
            _options["options"] = " ".join(filter(None, ["-c jit=off", _options.get("options", ""),
                                                         os.environ.get("PGOPTIONS", "")]))
DATABASE_ROUTERS = ["permanence.core.db.ReportsReplicaRouter"]

# The cache is shared by every process when REDIS_URL (or CACHE_URL, e.g. dbcache://permanence_cache after
# `permanence createcachetable`) is set; otherwise each process keeps its own (the demo and the tests).
if env.str("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": env.str("REDIS_URL"), "KEY_PREFIX": "permanence"}}
else:
    CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.Staff"
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Passwords (NCSC guidance): length, not composition rules, and none from the list of common passwords.
PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures in a row for one username, or from one
# address, sign-in is refused for AXES_COOLOFF_TIME; a good sign-in clears that username's failures. Every
# sign-in, failure, lockout and sign-out goes in the audit trail (permanence/core/signin.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=1) if env.bool("BEHIND_TLS_PROXY", default=DEPLOYED) else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
                                     if env.bool("BEHIND_TLS_PROXY", default=DEPLOYED) else ["REMOTE_ADDR"])

# A second factor (django-otp: an authenticator app's six-digit code, TOTP, with ten single-use recovery codes) for
# every member of staff, wherever the site answers on a real host. The embedded demo and the tests run without it
# (OTP_REQUIRED=1 turns it on there too); the tests of it turn it on themselves.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=DEPLOYED)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Permanence")
RECOVERY_CODES = 10

# Email (password reset links): EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587; the demo prints
# the message to the console.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="permanence@localhost")

# Who runs this deployment, as the footer's pages (help, accessibility statement, privacy notice) name them.
PERMANENCE_OPERATOR = env.str("PERMANENCE_OPERATOR", default="the Regional Adoption Agency that uses it")
PERMANENCE_SUPPORT_EMAIL = env.str("PERMANENCE_SUPPORT_EMAIL", default="")
PERMANENCE_DPO_EMAIL = env.str("PERMANENCE_DPO_EMAIL", default="")
# When the accessibility statement was last reviewed (YYYY-MM-DD): each deployment reviews its own.
PERMANENCE_ACCESSIBILITY_STATEMENT_DATE = date.fromisoformat(
    env.str("PERMANENCE_ACCESSIBILITY_STATEMENT_DATE", default="2026-12-02"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(HOME / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # the absolute maximum after signing in, however active (core/idle.py)
# Signed out after this long without a request (core/idle.py); the page warns SESSION_IDLE_WARNING_SECONDS before.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_IDLE_SECONDS = SESSION_IDLE_MINUTES * 60
SESSION_IDLE_WARNING_SECONDS = 120
X_FRAME_OPTIONS = "DENY"

# Browsers may run only the site's own scripts (no inline script anywhere: base.html loads app/*.js files), load
# only its own styles, fonts and images, and be framed by nobody. Inline style attributes stay allowed (the
# charts size themselves with one). Permissions-Policy turns off the device features the site never uses.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "base-uri": [SELF],
    "object-src": [NONE],
}}
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "usb", "xr-spatial-tracking")}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# A deployment is behind a proxy that terminates TLS (docs/deploy.md): trust its X-Forwarded-Proto, redirect plain
# HTTP to HTTPS, send cookies over HTTPS only and tell browsers to use HTTPS for a year (HSTS). These are on by
# default whenever the site answers on a real host name and DEBUG is off; each can be turned off by its variable.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if env.bool("BEHIND_TLS_PROXY", default=DEPLOYED):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=DEPLOYED)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's health check may come over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if DEPLOYED else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=DEPLOYED)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=DEPLOYED)

LOG_FORMAT = "json" if env.str("LOG_FORMAT", default="text" if DEBUG else "json") == "json" else "console"
logging.captureWarnings(True)  # warnings.warn(...) goes to the "py.warnings" logger, so to the root's handler
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "permanence.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    # Everything else (warnings, Django's errors with their tracebacks) is JSON too outside DEBUG, one object per
    # line; LOG_FORMAT=text gives plain lines.
    "root": {"handlers": [LOG_FORMAT], "level": env.str("LOG_LEVEL", default="WARNING")},
    # One JSON line per request and per job (permanence/core/logging.py): no personal data, no search terms.
    "loggers": {
        "permanence.requests": {"handlers": ["json"], "level": env.str("REQUEST_LOG_LEVEL", default="INFO"),
                                "propagate": False},
        "permanence.jobs": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

# The REST API (permanence/api, docs/api.md): tokens for systems, sessions with CSRF for the pages;
# deny by default, then every record through permanence/access; one error body; page-number pagination.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "permanence.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "permanence.api.permissions.StaffWithAccess",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["permanence.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "permanence.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "permanence.api.errors.exception_handler",
}
# API tokens (permanence api-token) work for this many days from issue; none for longer than the maximum.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
API_TOKEN_MAX_DAYS = 365
SPECTACULAR_SETTINGS = {
    "TITLE": "Permanence API",
    "DESCRIPTION": "Children with adoption plans, their journeys and their LAs, under the same access rules as "
                   "the pages. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated", "permanence.api.permissions.StaffWithAccess"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "permanence.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "permanence.organisations.models.Organisation.Kind",
        "EventKindEnum": "permanence.api.endpoints.events.KIND_CHOICES",
        "PolicySideEnum": "permanence.organisations.models.LAPolicy.Side",
        "EthnicityEnum": "permanence.api.endpoints.children.ETHNICITY_CHOICES",
        "StageEnum": "permanence.api.endpoints.children.STAGE_CHOICES",
        "HouseholdStageEnum": "permanence.api.endpoints.households.HOUSEHOLD_STAGE_CHOICES",
        "HouseholdEventKindEnum": "permanence.api.endpoints.households.HOUSEHOLD_KIND_CHOICES",
        "PanelRecommendationEnum": "permanence.api.endpoints.households.RECOMMENDATION_CHOICES",
        "PanelItemKindEnum": "permanence.adopters.models.PanelItem.Kind",
        "LinkStageEnum": "permanence.api.endpoints.family_finding.LINK_STAGE_CHOICES",
        "LinkEventKindEnum": "permanence.api.endpoints.family_finding.LINK_KIND_CHOICES",
        "SupportCaseStageEnum": "permanence.api.endpoints.support.STAGES",
        "SupportEventKindEnum": "permanence.api.endpoints.support.KINDS",
        "AdultRequestStageEnum": "permanence.api.endpoints.adopted_adults.STAGE_CHOICES",
        "AdultRequestEventKindEnum": "permanence.api.endpoints.adopted_adults.KIND_CHOICES",
        "FundDecisionEnum": "permanence.api.endpoints.support_fund.FUND_DECISION_CHOICES",
        "MatchDecisionEnum": "permanence.api.endpoints.family_finding.LINK_DECISION_CHOICES",
        "AgencyDecisionEnum": "permanence.api.endpoints.households.DECISION_CHOICES",
        "FundApplicationKindEnum": "permanence.api.endpoints.support_fund.APPLICATION_KIND_CHOICES",
        "ContactKindEnum": "permanence.api.endpoints.contact.CONTACT_KIND_CHOICES",
        "ContactRelationshipEnum": "permanence.api.endpoints.contact.CONTACT_RELATIONSHIP_CHOICES",
        "HouseholdRelationshipEnum": "permanence.adopters.models.Household.Relationship",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Background jobs (docs/decisions/0008-background-jobs.md), queued in the database by django-tasks-db:
# PERMANENCE_JOBS=worker     run by separate `permanence worker` processes (production, docs/deploy.md);
#                 thread  run by a thread in the web process (the demo: no extra process; `make demo` sets it);
#                 immediate  run at once in the process that queues them (the tests).
# The default is `worker` on PostgreSQL (production) and `thread` on SQLite (the demo).
PERMANENCE_JOBS = env.str("PERMANENCE_JOBS", default=(
    "thread" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "worker"))
TASKS = {"default": {
    "BACKEND": {"worker": "django_tasks_db.DatabaseBackend", "thread": "permanence.jobs.backends.InProcessBackend",
                "immediate": "django_tasks.backends.immediate.ImmediateBackend"}[PERMANENCE_JOBS],
    "QUEUES": ["default"]}}
# Large files in the background (permanence/jobs/files.py): a list export of more rows than this is made by a job
# (the page shows its progress, then a download link); smaller ones download at once. The file a job made is
# kept this many hours for the person who asked, then deleted.
PERMANENCE_EXPORT_JOB_ROWS = env.int("PERMANENCE_EXPORT_JOB_ROWS", default=2000)
PERMANENCE_JOB_FILE_HOURS = env.int("PERMANENCE_JOB_FILE_HOURS", default=24)
# The DfE validator's worker processes beside an SSDA903 import (interchange/dfe_pool.py); 0 runs it inline.
SSDA903_VALIDATOR_PROCESSES = env.int("SSDA903_VALIDATOR_PROCESSES", default=2)
