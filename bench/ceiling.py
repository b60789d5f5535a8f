"""The bare-Django ceiling for ``bench.serve_benchmark``: one view returning the HTML of a term
page (read from ``BENCH_CEILING_HTML``) through the site's own settings and middleware."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

HTML = Path(os.environ["BENCH_CEILING_HTML"]).read_bytes()


def same_html(request):
    return HttpResponse(HTML)


urlpatterns = [path("", same_html)]

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
