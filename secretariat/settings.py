"""Settings read from the environment (12-factor), with defaults that run embedded.

With nothing set, the platform runs on SQLite, the database task queue and local files.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(environ.Env().str("SECRETARIAT_DATA_DIR", default=str(Path.cwd() / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    # A fixed key for an embedded instance, kept in its data folder, so that sessions survive
    # restarts without anyone having to set SECRET_KEY for a demo.
    from secretariat.core.secret_key import embedded_secret_key

    SECRET_KEY = embedded_secret_key(DATA_DIR)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "secretariat.core",
    "secretariat.network",
    "secretariat.governance",
    "secretariat.documents",
    "secretariat.translation",
    "secretariat.api",
    "secretariat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "secretariat.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files stay cacheable; every page Django answers is private.
    "secretariat.core.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "secretariat.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: the view, its templates and its errors run inside the organisation's scope.
    "secretariat.core.middleware.OrganisationScopeMiddleware",
]

ROOT_URLCONF = "secretariat.urls"
WSGI_APPLICATION = "secretariat.wsgi.application"

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
            ],
            "builtins": ["secretariat.core.templatetags.texts"],
        },
    }
]

DATABASE_URL = (
    env.str("DATABASE_URL", default="") or f"sqlite:///{DATA_DIR / 'secretariat.sqlite3'}"
)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file: readers
    # never wait, and a writer waits for the one writing (imports write in short batches).
    # Every connection runs the init command and gets the timeout, the worker's and each web
    # thread's alike (tests/test_embedded_sqlite.py measures it). Transactions take the write
    # lock when they begin (IMMEDIATE), so that none fails halfway on a lock it cannot get.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# The cache holds the login throttling counts (core/login_throttle.py) and allauth's other rate
# limits, so every worker process must see the same one: Redis in production, else a table of
# the database (created by a migration of core, so `secretariat migrate` is all it needs). A
# cache in each process's memory would give N workers N times the attempts.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "secretariat_cache",
            # Past MAX_ENTRIES Django deletes a third of the entries, not the oldest: the
            # default 300 would let an attacker with many addresses wipe the counts.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }
# Several platforms (or tests) may share one Redis.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="secretariat")

# Background tasks (convocations, written procedures, pre-translation): on Redis when REDIS_URL
# is set, through RQ (django-tasks-rq, by django-tasks' author; `secretariat worker` runs RQ's
# worker), else in a table of the database (`secretariat worker` runs its loop). The tasks are
# the same either way: they carry ids and call services.
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # RQ stops a job after 180 s unless told otherwise; a convocation to a large assembly or a
    # pre-translation of a whole organisation may take longer.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds an SMTP command may take: a server that stops answering fails the message (tried again
# later) instead of holding the mailer, whose claim on a message lapses after 15 minutes.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="secretariat@localhost")
# The address of this platform as recipients reach it, for the personal links in messages; by
# default the address `secretariat serve` listens on, which follows PORT.
SITE_URL = env.str(
    "SITE_URL", default=f"http://127.0.0.1:{env.str('PORT', default='8000')}"
).rstrip("/")

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# Accounts are created by an organisation's administrators, never by self-service.
ACCOUNT_ADAPTER = "secretariat.core.accounts.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
# Failed logins (core/login_throttle.py): the attacker's address is refused, never the owner.
# "key" is the account and the client address together for login_failed, the account alone
# for login_failed_account; past that many failures the account is guarded (one attempt per
# address per quarter of an hour).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/15m/key",
    "login_failed_address": "20/15m/ip",
    "login_failed_account": "50/h/key",
}
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For to trust for the client's
# address; with 0 the address is the peer's (REMOTE_ADDR), which behind a proxy is the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Secretariat"

LANGUAGE_CODE = "en"
LANGUAGES = [("fr", "Français"), ("de", "Deutsch"), ("nl", "Nederlands"), ("en", "English")]
# Content languages an organisation may choose among; the interface has no Luxembourgish.
CONTENT_LANGUAGES = [
    ("fr", _("French")),
    ("de", _("German")),
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("lb", _("Luxembourgish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English pages follow European conventions (en-GB: 1 December 2026, 14:30, weeks from Monday).
FORMAT_MODULE_PATH = ["secretariat.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
# Uploaded files (logos, agenda documents, Word templates) are read and written through the
# storage API only, never by path, so that several app servers can share them: a folder
# (MEDIA_ROOT) by default, an S3-compatible bucket when S3_BUCKET is set. Files are private
# either way: pages stream them from the storage after checking who asks (logos are public and
# streamed too); no address of the bucket is ever handed out.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    from botocore.config import Config as S3Config

    FILES_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # Another provider than AWS (MinIO, Garage, Ceph, a European host); keys come from
            # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, else from boto3's usual places.
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "client_config": S3Config(
                # "path" for servers that do not answer at <bucket>.<host> (MinIO by default).
                s3={"addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None},
                # A bucket out of reach fails a request in seconds, not minutes: a web thread
                # (and the health check) must not wait on it for long.
                connect_timeout=5,
                read_timeout=30,
                retries={"mode": "standard", "max_attempts": 3},
            ),
            # A folder of the bucket, when the bucket is shared.
            "location": env.str("S3_PREFIX", default="").strip("/"),
            # No ACL is sent: objects belong to the bucket's owner and stay private (a bucket
            # with ACLs disabled, AWS's default, refuses any ACL but the owner's).
            "default_acl": None,
            # Should an address of a file ever be asked for, it is signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": 300,
            # Never replace a file of the same name (every organisation's logo is logo.png).
            "file_overwrite": False,
            # A file read back larger than this is spooled to a temporary file, not memory.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        },
    }
else:
    FILES_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": FILES_STORAGE,
    "staticfiles": {
        # Hashed names need collectstatic, which ``secretariat serve`` runs; tests and DEBUG
        # serve the files from the apps directly.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=not DEBUG)

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# HTTPS (README, "Running in production"): off by default, since the embedded instance serves
# plain HTTP on 127.0.0.1.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# The load balancer's probe may ask over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a proxy that ends TLS: the header it sets to say the request came over HTTPS.
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + env.str("SECURE_PROXY_SSL_HEADER").upper().replace("-", "_"),
        "https",
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline script, no inline style, no eval (HTMX is told so by its meta tag in base.html). Images
# may be data: URIs: the QR code of two-factor authentication is one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
