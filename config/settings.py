"""Settings for Tejido, read from the environment.

With nothing set, the application runs on SQLite with a file-system Celery
broker, so that one command starts everything on a laptop. DATABASE_URL and
REDIS_URL switch to PostgreSQL and Redis.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

# Lets classes such as ModelAdmin take the type of their model (`ModelAdmin[Network]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TEJIDO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_count(name, default=0):
    value = os.environ.get(name, "").strip() or str(default)
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number (0 or more), not {value!r}.")
    return int(value)


def style_hash(declarations):
    """The CSP source that allows exactly this inline `style="…"` attribute."""
    digest = hashlib.sha256(declarations.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY, or DEBUG=1 for a development key.")
    SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "core",
    "networks",
    "platforms",
    "members",
    "commissions",
    "announcements",
    "events",
    "evidence",
    "decisions",
    "agenda",
    "facilitation",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "core.middleware.RefuseNulBytesMiddleware",
    "networks.page_cache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "networks.middleware.NetworkMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.account_navigation",
                "facilitation.context_processors.facilitation_navigation",
            ],
        },
    },
]

FORM_RENDERER = "core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tejido.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The embedded default serves a web server, a worker and beat at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The test database is a file, not memory, so that the Celery worker the
    # tests start in another process reads the rows the test wrote. One file per
    # process, so that two runs in one checkout never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(DATABASES["default"]["NAME"]).parent / f"test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# dumpdata and loaddata (backups, moves between databases) keep times to the microsecond.
SERIALIZATION_MODULES = {
    "json": "core.fixture_formats.json",
    "jsonl": "core.fixture_formats.jsonl",
}

AUTH_USER_MODEL = "members.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, loading the person with their roles (`members.backends`).
    "members.backends.ModelBackend",
    "members.backends.AuthenticationBackend",
]

# The name the site gives itself in its pages and mail.
SITE_NAME = "Tejido"

# Accounts (django-allauth): people log in with their email address; the
# username stays on the model, filled in automatically, and is never shown.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/mi-red/"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
# Messages name people by their name (or email), never by the hidden username.
ACCOUNT_USER_DISPLAY = str
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_EMAIL_CASING = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_SIGNUP_FORM_CLASS = "members.account_forms.SignupDetailsForm"
# Reads the client's address through `core.client_address`, like every other limit.
ACCOUNT_ADAPTER = "members.account_adapter.AccountAdapter"
# Attempts per client address (ip) and per account or email (key): enough for
# people who mistype, too few for anyone guessing passwords or mass-registering.
# A wrong password counts against the address and against the account tried,
# so neither many addresses against one account nor one address against many
# accounts gets far.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "5/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "tejido_language"
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploads are stored under random names (`commissions.uploads`), readable by the
# proxy that serves them and never executable.
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o755
# Where uploads go: the folder MEDIA_ROOT on this machine, or, with
# MEDIA_STORAGE=s3, a bucket of an S3-compatible object store that every web and
# worker container shares. The code reads and writes them through the storage
# API only (`field.open()`, `.url`), never a path on disk.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower() or "local"
if MEDIA_STORAGE == "local":
    MEDIA_STORAGE_BACKEND: dict[str, object] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    MEDIA_ORIGINS: list[str] = []
elif MEDIA_STORAGE == "s3":
    MEDIA_BUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not MEDIA_BUCKET:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    MEDIA_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip().rstrip("/")
    MEDIA_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip().rstrip("/")
    MEDIA_REGION = os.environ.get("AWS_S3_REGION_NAME", "").strip()
    if MEDIA_ENDPOINT_URL and not MEDIA_ENDPOINT_URL.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"AWS_S3_ENDPOINT_URL must start with https:// or http://, not {MEDIA_ENDPOINT_URL!r}."
        )
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": MEDIA_ENDPOINT_URL or None,
            "region_name": MEDIA_REGION or None,
            "custom_domain": MEDIA_CUSTOM_DOMAIN or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "").strip() or None,
            # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by
            # django-storages from the environment (or the machine's role).
            # Objects stay private (the bucket's own policy, no ACL), and their
            # addresses are signed for a while unless AWS_QUERYSTRING_AUTH=0
            # says the bucket or its custom domain serves them publicly.
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "querystring_expire": env_count("AWS_QUERYSTRING_EXPIRE", 3600),
            # Names are random (`commissions.uploads`); one is never written twice.
            "file_overwrite": False,
            # Opening a file's address downloads it, as from the folder (`core.media`).
            "object_parameters": {"ContentDisposition": "attachment"},
        },
    }
    # The pages show uploaded images from the bucket's address, which the
    # content security policy must allow: the custom domain, or the endpoint
    # with the bucket in its path or as its subdomain.
    if MEDIA_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"https://{MEDIA_CUSTOM_DOMAIN}"]
    elif MEDIA_ENDPOINT_URL:
        scheme, _separator, endpoint = MEDIA_ENDPOINT_URL.partition("://")
        endpoint = endpoint.split("/", 1)[0]
        MEDIA_ORIGINS = [f"{scheme}://{endpoint}", f"{scheme}://{MEDIA_BUCKET}.{endpoint}"]
    else:
        MEDIA_ORIGINS = [
            f"https://{MEDIA_BUCKET}.s3.amazonaws.com",
            f"https://{MEDIA_BUCKET}.s3.{MEDIA_REGION or 'us-east-1'}.amazonaws.com",
        ]
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Mail: every message is a row of the outbox written in the transaction that
# causes it (core.outbox); the worker sends the rows through the delivery
# backend: console in development, SMTP from the environment in production,
# or files (EMAIL_FILE_PATH).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "core.mail_queue.QueuedEmailBackend")
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tejido <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The address of the site, for every link in mail, those of the account pages
# too (a request's Host header is the client's to choose, and a worker has no
# request); `./dev start` sets it to the address it serves.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: Redis when REDIS_URL is set, otherwise a broker kept in files.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = Path(os.environ.get("CELERY_BROKER_DIR", VAR_DIR / "celery"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # A task taken by a worker that vanished (SIGKILL, a lost machine) is
        # given to another worker after this long: a killed daily sweep is redone
        # within a quarter of an hour, not a day later. It must stay longer than
        # the longest task and the longest retry countdown (`core.jobs`: at most
        # ten minutes), or Redis would hand out a task that is still running.
        "visibility_timeout": 900,
        # A page that publishes while Redis is unreachable gives up at once:
        # half a second to connect, and no second try (kombu would otherwise
        # retry for seconds). A worker's own connection to consume keeps
        # reconnecting as CELERY_BROKER_CONNECTION_MAX_RETRIES says.
        "socket_connect_timeout": 0.5,
        "max_retries": 0,
    }
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # The host means nothing to this transport; naming one keeps kombu from warning.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        # Without it kombu keeps its exchange tables in ./control, wherever it runs.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_BROKER_DIR / 'results'}"
    # Neither kombu nor Celery's file result backend creates its folders.
    for folder in ("queue", "control", "results"):
        (CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
# A task is acknowledged when it ends, not when it starts: a worker lost
# mid-task leaves its message in the broker, which gives it again after the
# visibility timeout. Every job is written to be run twice safely (claims by
# conditional updates, rows under unique keys, the mail outbox's leases).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# No request path waits on the broker: publishing tries once, and connecting
# to a broker that is down fails within half a second. What was not published
# is caught by the periodic jobs (the mail outbox every minute).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Every periodic job, in this one place: {"name": {"task": "app.tasks.name",
# "schedule": celery.schedules.crontab(...), "args": ...}}. Beat runs it.
# Work of one network runs in that network's scope (networks.tasks.NetworkJob, on
# core.jobs): an entry that covers every network queues one task per network
# (networks.tasks.each_network). Only the sweep's set-based claim and the mail
# outbox span networks, on purpose. tests/jobs/test_beat_tenancy.py runs every
# entry over two networks that share an entity.
CELERY_BEAT_SCHEDULE = {
    "commissions-lifecycle-sweep": {
        "task": "commissions.tasks.sweep_commissions",
        "schedule": crontab(hour=6, minute=0),
    },
    # Overdue actions, quiet commissions and long promoter terms, per network.
    "commissions-reminders": {
        "task": "commissions.tasks.send_commission_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "commissions-yearly-evaluation": {
        "task": "commissions.tasks.send_yearly_evaluation_reminders",
        "schedule": crontab(hour=8, minute=30, day_of_month=1),
    },
    # Per network: reminders before events (at the days each organiser chose),
    # minutes still missing 3 and 7 days after, and confirmations an older
    # release left to a task.
    "events-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": crontab(minute=15),
    },
    # Per network: the analysis of the last twelve months of ties (section 5.3).
    "evidence-nightly-analysis": {
        "task": "evidence.tasks.analyse_every_network",
        "schedule": crontab(hour=3, minute=30),
    },
    # Per network: the home page's counters counted again, and any that had drifted
    # from what the page versions said repaired and logged.
    "home-counters-recount": {
        "task": "facilitation.tasks.recount_every_network",
        "schedule": crontab(hour=4, minute=0),
    },
    # Per network: decision windows open and close on time (every quarter of an
    # hour), silent entities hear a day before, and decisions due for review.
    "decisions-schedule": {
        "task": "decisions.tasks.run_proposal_schedule",
        "schedule": crontab(minute="*/15"),
    },
    # Mail normally leaves right after each commit; this sends whatever a
    # broker outage, a lost worker or a failed send left in the outbox.
    # The change rows behind the page cache's versions folded into one per network.
    "page-versions-compaction": {
        "task": "networks.tasks.compact_changes",
        "schedule": crontab(minute="*/10"),
    },
    "mail-delivery": {
        "task": "core.tasks.deliver_mail",
        "schedule": crontab(minute="*"),
    },
    # Notifications are written into the outbox as each person chose.
    "notifications-delivery": {
        "task": "members.tasks.deliver_notifications",
        "schedule": crontab(minute="*/10"),
    },
    # One digest per network for each person who chose the weekly digest.
    "notifications-weekly-digest": {
        "task": "members.tasks.deliver_weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="monday"),
    },
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Mails asking people without an account to confirm an event registration, per
# hour: to one address, and for one event (`events.confirmations`).
EVENT_REGISTRATION_MAILS_PER_ADDRESS = 3
EVENT_REGISTRATION_MAILS_PER_EVENT = 50

# The cache degrades to a miss while Redis is unreachable (`core.cache`): pages
# and logins work, allauth's rate limits let attempts through (with a log line)
# for the length of the outage. Sessions are kept in the database and read
# through the cache (`cached_db`): a page costs no session query, and while
# Redis is away sessions are read from the database, so nobody is signed out.
CACHES = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        # Half a second at most per attempt, and one attempt: a request makes a
        # few cache calls, and each must fail fast while Redis is away.
        "OPTIONS": {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            "retry": Retry(NoBackoff(), 0),
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Visitors' public pages from the cache, under the version of what they show
# (`networks.page_cache`; PostgreSQL only). Pages that depend on the clock are
# drawn again at least this often.
PAGE_CACHE = os.environ.get("PAGE_CACHE", "1") != "0"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_KEY_PREFIX = ""

# The mail outbox (`core.outbox`): a leased row is someone's for this long,
# which must exceed a batch of sends at EMAIL_TIMEOUT each; a failed row waits
# this long, doubled at each further failure.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
MAIL_OUTBOX_LEASE_SECONDS = int(os.environ.get("MAIL_OUTBOX_LEASE_SECONDS", "600"))
MAIL_OUTBOX_RETRY_SECONDS = int(os.environ.get("MAIL_OUTBOX_RETRY_SECONDS", "60"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.api.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.RulesPermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PARSER_CLASSES": [
        "core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.AnonymousRateThrottle",
        "core.api.AuthenticatedRateThrottle",
    ],
}
# Requests to /api/v1/ per client address (visitors) and per person (logged in
# or with a token), as "<number>/<second|minute|hour|day>"; empty: no limit.
API_THROTTLE_ANONYMOUS = os.environ.get("API_THROTTLE_ANONYMOUS", "120/minute")
API_THROTTLE_AUTHENTICATED = os.environ.get("API_THROTTLE_AUTHENTICATED", "600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Tejido API",
    "DESCRIPTION": (
        "Networks of volunteering entities: their members, platforms, commissions and events. "
        "Every resource lives under its network: /api/v1/networks/{network_slug}/…. "
        "Authenticate with a session or a personal token (header `Authorization: Token …`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "DEFAULT_GENERATOR_CLASS": "core.api_schema.SchemaGenerator",
    # The documentation's scripts come from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from the public validator: the page loads nothing from other hosts.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind` or a `status`: each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "events.models.EventKind",
        "EventStatusEnum": "events.models.EventStatus",
        "RegistrationStatusEnum": "events.models.RegistrationStatus",
        "NetworkKindEnum": "networks.models.NetworkKind",
        "EntityKindEnum": "members.models.EntityKind",
        "CommissionKindEnum": "commissions.models.CommissionKind",
        "CommissionStateEnum": "commissions.models.CommissionState",
        "ProposalStateEnum": "decisions.models.ProposalState",
        "DecisionRuleEnum": "decisions.models.DecisionRule",
        "StanceEnum": "decisions.models.Stance",
    },
}

# Production hardening; `manage.py check --deploy` passes with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Cookies travel over HTTPS only, unless the site is served over plain HTTP on
# purpose (development, browser tests on a local server).
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many proxies of this installation stand in front of the application (the
# TLS proxy of the production set-up is one). Each appends the address it was
# reached from to X-Forwarded-For, so the client is the entry that many places
# from the right; whatever lies further left, the client wrote. With 0 the
# header is ignored. Login limits, API limits and anything else that counts
# per client read the address through `core.client_address`.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0)
# REST framework's own throttles (any an endpoint names itself) read the same count;
# left unset, they would key on the whole X-Forwarded-For a client writes.
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# The style attributes REST framework's browsable API writes (button and field
# layout); each one is allowed by its hash, and no other inline style is.
BROWSABLE_API_STYLES = [
    "float: right",
    "float: right; margin-right: 10px",
    "width: 350px",
    "border-bottom: 1px solid #e5e5e5",
    "border-bottom: 0",
]
# Every page, the admin and the API documentation load their scripts, styles,
# images and fonts from this site only, with no inline script or style; forms
# post to this site only, and no other site may frame it.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-hashes'", *map(style_hash, BROWSABLE_API_STYLES)],
    # The API documentation's stylesheet draws its icons as data: images.
    "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features no page of the site uses, refused to every page and frame.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint tells each step of every PDF it writes (the activity report) at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
