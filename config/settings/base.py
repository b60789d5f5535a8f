"""Settings shared by every environment.

Configuration comes from environment variables named like the settings they fill
(DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, ...); see docs/deployment-and-operations.md.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def env_choice(name, default, choices):
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


INSTALLED_APPS = [
    "core",
    "home",
    "glossary",
    "pulse",
    "importer",
    "search",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",  # pinned search results (search/promotions.py)
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "core.apps.SnippetsConfig",  # wagtail.snippets, then the snippets' content events
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "feedback",
]

MIDDLEWARE = [
    # Operations first (core/operations.py): a request id for every log line, and /health/
    # answered before the host check and the HTTPS redirect.
    "core.operations.RequestIdMiddleware",
    # Redirects and errors kept out of shared caches (core/page_cache.py).
    "core.page_cache.PrivateRedirectsAndErrorsMiddleware",
    "core.operations.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL in the path or the query string is a 400 (core/parameters.py).
    "core.parameters.RefuseNulMiddleware",
    # Outside the page cache, so cached pages carry the policy too (core/security.py).
    "core.security.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags and 304s for everything below, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    # Searches counted, answered by the view or the page cache (search/log.py).
    "search.log.SearchCountMiddleware",
    # Anonymous GETs of public pages are answered here, before sessions and auth.
    "core.page_cache.PageCacheMiddleware",
    "core.internals.SiteLookupMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.navigation.site",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (e.g. postgres://...) switches database.
DATABASES = {
    # An empty DATABASE_URL means the default too, not a database without an engine.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request uses it: after a database restart
        # the first request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once with "database is locked":
    # a busy timeout, and write transactions that take their lock up front (no lock upgrade,
    # which SQLite refuses at once when another writer waits).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    )
else:
    # A database that does not answer fails a request in seconds (a 503), not a hang.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the page cache, its generation tokens and the linked-terms version, so every
# process that serves or writes (gunicorn workers, the import command) must share it: Redis,
# or without REDIS_URL a file-based cache on this host (never per-process local memory). The
# file cache is for development and tests (production.py requires Redis, which
# deploy/redis.conf bounds); no request culls it (core/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Sites (or test runs) sharing one Redis keep apart by prefix.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.NoRequestCullFileCache",
            "LOCATION": str(CACHE_DIR),
            "OPTIONS": {"MAX_ENTRIES": 100_000},  # for cull_file_cache
        }
    }

# The page cache (core/page_cache.py): how long browsers and shared caches may keep a page.
PAGE_CACHE_BROWSER_MAX_AGE = int(os.environ.get("PAGE_CACHE_BROWSER_MAX_AGE", "60"))
PAGE_CACHE_SHARED_MAX_AGE = int(os.environ.get("PAGE_CACHE_SHARED_MAX_AGE", str(24 * 60 * 60)))

# A front cache (Varnish) purged on publish through Wagtail's frontend_cache (core/frontend.py).
# Every PURGE carries FRONTEND_CACHE_PURGE_SECRET, which deploy/varnish.vcl compares with its
# own copy (VARNISH_PURGE_SECRET in varnishd's environment): only the site may purge.
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
FRONTEND_CACHE_PURGE_SECRET = os.environ.get("FRONTEND_CACHE_PURGE_SECRET", "")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "core.frontend.SecretPurgeHTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
            "SECRET": FRONTEND_CACHE_PURGE_SECRET,
        }
    }

# The task queue (Django's tasks API, the django-tasks backport Wagtail 8 uses). "database"
# (django-tasks-db): the site's own database is the queue, run by `manage.py worker` (any
# number of them, on any host that reaches the database). "immediate": a task runs inside the
# request that enqueues it (tests; a site run without a worker). Wagtail's own tasks (search
# and reference indexes, front-cache purges, deleting image files) go through it too.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_setting(name):
    """``TASKS`` for the backend called ``name``."""
    return {"default": {"BACKEND": TASKS_BACKENDS[name], "QUEUES": ["default"]}}


TASKS = tasks_setting(env_choice("TASKS_BACKEND", "database", TASKS_BACKENDS))
# Seconds between two runs of Wagtail's publish_scheduled by the worker (core.tasks).
PUBLISH_SCHEDULED_EVERY = int(os.environ.get("PUBLISH_SCHEDULED_EVERY", "60"))
# The hour (TIME_ZONE) of the nightly full recompute of related terms: a worker starting for
# the first time schedules it then, not at once (changes are followed as they happen).
NIGHTLY_HOUR = int(os.environ.get("NIGHTLY_HOUR", "3"))
if not 0 <= NIGHTLY_HOUR <= 23:
    raise ImproperlyConfigured(f"NIGHTLY_HOUR must be an hour, 0 to 23, not {NIGHTLY_HOUR}")

# Content-Security-Policy (django-csp; the admin's additions are in core/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The admin shows initials, not Gravatar images: editors' e-mail hashes are not sent to a
# third party, and the admin's policy needs no outside image source.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Addresses of our own proxies (Varnish, nginx, a load balancer): only their X-Forwarded-For
# is believed when working out a client's address (core.security.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")

# Login throttling (django-axes): five failed logins for one user name from one address lock
# that pair out for 15 minutes; a success clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Search cost: computed searches per client a minute ("limit/seconds"), and the most time one
# search may take in the database (PostgreSQL statement timeout, SQLite progress handler).
SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "60/60")
SUGGEST_RATE_LIMIT = os.environ.get("SUGGEST_RATE_LIMIT", "240/60")
# Building a download reads every term: a few a minute per client (cached copies are free).
DOWNLOAD_RATE_LIMIT = os.environ.get("DOWNLOAD_RATE_LIMIT", "10/60")
# When terms change the downloads are rebuilt: "task" (by the worker), "inline", "off".
DOWNLOADS_REBUILD = env_choice("DOWNLOADS_REBUILD", "task", ["task", "inline", "off"])
# When terms change their related, previous and next terms are recomputed: "task" (by the
# worker, after the change commits) or "inline" (inside the change's own transaction).
RELATED_RECOMPUTE = env_choice("RELATED_RECOMPUTE", "task", ["task", "inline"])
# After a change the worker renders again, through the page cache, the pages it made stale
# (core.warming): at most this many a run; 0 switches warming off.
WARM_MAX_PAGES = int(os.environ.get("WARM_MAX_PAGES", "500"))
# When pages or terms change, the terms each body mentions are found again: "task" (by the
# worker, after the change commits) or "inline" (inside the change's own transaction).
LINKS_RELINK = env_choice("LINKS_RELINK", "task", ["task", "inline"])
# A live term not reviewed for this many months (or never) is due for review (the admin's
# "Terms due for review" report and dashboard panel).
GLOSSARY_REVIEW_MONTHS = int(os.environ.get("GLOSSARY_REVIEW_MONTHS", "12"))
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/60")
WAGTAILAPI_LIMIT_MAX = 100  # items per API listing response at most
SEARCH_TIME_LIMIT_MS = int(os.environ.get("SEARCH_TIME_LIMIT_MS", "2000"))
# Counted searches (search/log.py): days kept, seconds between the worker's flushes of the
# cache's counters, distinct queries a day buffered at most, and the most results a search may
# find to be listed among those that found nothing or little.
SEARCH_LOG_DAYS = int(os.environ.get("SEARCH_LOG_DAYS", "180"))
SEARCH_LOG_FLUSH_EVERY = int(os.environ.get("SEARCH_LOG_FLUSH_EVERY", "300"))
SEARCH_LOG_MAX_PENDING = int(os.environ.get("SEARCH_LOG_MAX_PENDING", "10000"))
SEARCH_LOG_FEW_RESULTS = int(os.environ.get("SEARCH_LOG_FEW_RESULTS", "2"))

# Uploaded images: bounded in bytes and pixels (a small file can decode to a huge bitmap); no SVG.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Django serves uploads itself only in development and tests.
SERVE_MEDIA = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex page editors post many fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The admin import (importer/forms.py): one upload, loose .md/.txt files or one .zip, of at most
# IMPORT_UPLOAD_MAX_BYTES (also the bound on a zip's unpacked size) and IMPORT_UPLOAD_MAX_FILES
# files. Django refuses a request with more files than DATA_UPLOAD_MAX_NUMBER_FILES before any
# view runs, so that bound is raised to the import's (from Django's 100); the web server's body
# limit (deploy/nginx.conf) keeps other URLs' requests small whatever their number of files.
IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("IMPORT_UPLOAD_MAX_BYTES", 100 * 1024 * 1024))
IMPORT_UPLOAD_MAX_FILES = int(os.environ.get("IMPORT_UPLOAD_MAX_FILES", 20_000))
DATA_UPLOAD_MAX_NUMBER_FILES = IMPORT_UPLOAD_MAX_FILES

WAGTAIL_SITE_NAME = "Plexsive Glossary"
# The dashboard's check for new Wagtail releases calls releases.wagtail.org from the browser,
# which the admin's Content-Security-Policy (connect-src 'self') refuses: upgrades are ours.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Who writes and publishes the site: the author of the feeds and of articles' JSON-LD.
SITE_ORGANISATION_NAME = "Plexsive"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No WAGTAILAPI_BASE_URL: the API's absolute URLs (detail_url, find/'s redirect) then come,
# like html_url, from the Site the request is on (wagtail.api.utils.get_base_url).

# Wagtail's database backend: PostgreSQL full-text search on PostgreSQL, SQLite FTS on SQLite.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Slugs are ASCII: the importer transliterates names, and editors get the same rule.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

FIXTURES_DIR = BASE_DIR / "fixtures"

# Every line carries the request's id (core.operations); production writes JSON lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.operations.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Reader feedback (feedback/): suggestions and reports a client may send per window
# ("limit/seconds"), and email to the Moderators when a mail server is configured.
FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "10/600")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "glossary@localhost")
# Without either, submissions only wait in the admin's inbox (development sends nothing).
FEEDBACK_EMAIL_MODERATORS = bool(EMAIL_HOST or os.environ.get("EMAIL_BACKEND"))
