"""Django settings. Values that differ between machines come from `config.Config`."""

import sys
from pathlib import Path

from csp.constants import NONE, SELF

from onewindow.config import Config

CONFIG = Config.from_environ()
PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
SITE_URL = CONFIG.site_url

# daphne first, so that `runserver` (and `onewindow demo`) serves ASGI: HTTP and WebSocket.
# Only for those commands: daphne loads Twisted, some 35 MB in every production worker that
# never uses it (gunicorn, uvicorn and daphne itself serve `onewindow.asgi` / `.wsgi` directly).
SERVES_WITH_RUNSERVER = sys.argv[1:2] in (["runserver"], ["demo"])
INSTALLED_APPS = [
    *(["daphne"] if SERVES_WITH_RUNSERVER else []),
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "template_partials",
    "axes",
    "ninja",
    "channels",
    "onewindow.core",
    "onewindow.audit",
    "onewindow.accounts",
    "onewindow.workdays",
    "onewindow.catalog",
    "onewindow.cases",
    "onewindow.decisions",
    "onewindow.complaints",
    "onewindow.feedback",
    "onewindow.appointments",
    "onewindow.guide",
    "onewindow.bidding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onewindow.core.middleware.CSPMiddleware",  # django-csp, with a fixed policy for JSON
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onewindow.urls"
WSGI_APPLICATION = "onewindow.wsgi.application"
ASGI_APPLICATION = "onewindow.asgi.application"

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
                "onewindow.core.context_processors.navigation",
                "onewindow.cases.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
# A form sent with a stale token gets a page of ours that says what happened (not Django's).
CSRF_FAILURE_VIEW = "onewindow.core.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes: lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = CONFIG.axes_failure_limit
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# django-csp: no inline script or style anywhere; everything is served from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CONFIG.site_url.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = CONFIG.time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CONFIG.var_dir / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = CONFIG.media_root
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = CONFIG.upload_max_bytes
ONEWINDOW_UPLOAD_MAX_BYTES = CONFIG.upload_max_bytes

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"onewindow": {"level": "INFO"}},
}

# Cases: who is told of what through which channels (notify_backends.py lists them), and the
# share of a time limit at which a clock turns yellow and the clock job warns.
ONEWINDOW_NOTIFY_BACKENDS = CONFIG.notify_backends
# Email and SMS are sent after the change commits: in the request that made it, or, with
# ONEWINDOW_NOTIFY_QUEUE, queued for `onewindow cases deliver` (the request does not wait).
ONEWINDOW_NOTIFY_QUEUE = CONFIG.notify_queue
# A mail server that does not answer must not hold a request or the worker for long (Django's
# default is no timeout).
EMAIL_TIMEOUT = 10
# An email or text message that fails is retried, 1, 2, 4 … minutes apart (at most a day), this
# many attempts in all, then given up and logged.
ONEWINDOW_NOTIFY_MAX_ATTEMPTS = CONFIG.notify_max_attempts
ONEWINDOW_CLOCK_YELLOW_SHARE = CONFIG.clock_yellow_share
# Remote bid evaluation: working days for a sub-venue to hand its recordings to the main venue;
# hours to wait for a venue fault before the start, and to resume after one during evaluation.
ONEWINDOW_BIDDING_HANDOVER_DAYS = CONFIG.bidding_handover_days
ONEWINDOW_BIDDING_FAULT_WAIT_HOURS = CONFIG.bidding_fault_wait_hours
ONEWINDOW_BIDDING_FAULT_RESUME_HOURS = CONFIG.bidding_fault_resume_hours

# Channels: the live evaluation session (bidding) pushes events over WebSocket. One process
# (runserver, tests) needs nothing more; several processes share events through Redis, named
# by ONEWINDOW_CHANNEL_LAYER_URL (redis://host:6379/0).
# A screen's queue holds up to 1,000 events (default 100) before new ones are dropped for it;
# a screen that fell behind gets its whole state again (session.js asks once a minute).
if CONFIG.channel_layer_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CONFIG.channel_layer_url], "capacity": 1000},
        },
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer",
                                  "CONFIG": {"capacity": 1000}}}
