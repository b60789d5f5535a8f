"""Local development: DEBUG on, a fixed development-only secret."""

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = "django-insecure-development-only-never-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# Serve static files straight from the app folders, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
SERVE_MEDIA = True
