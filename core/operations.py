"""What operators and load balancers rely on: ``/health/``, a 503 while the database is away,
and a request id on every log line.

The health check is written here rather than taken from django-health-check: a load balancer
calls it by address over plain HTTP, so it must answer before the host check and the HTTPS
redirect, name the failing part in a 503, and write nothing to the database.
"""

import contextvars
import logging
import re
import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render

HEALTH_PATH = "/health/"
# An id a proxy in front (Varnish, nginx, a load balancer) already gave the request is kept
# when it looks like one; anything else is replaced.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
RETRY_AFTER_SECONDS = 30

current_request_id = contextvars.ContextVar("current_request_id", default="-")
logger = logging.getLogger(__name__)


class RequestIdMiddleware:
    """Give each request an id, in the ``X-Request-ID`` response header and every log line
    written while it runs (``RequestIdFilter``). First in ``MIDDLEWARE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Kept until the response is finished, not only while the middleware runs: Django
        # logs 4xx and 5xx responses after the last middleware has returned.
        current_request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs):
    current_request_id.set("-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


def _database_ok():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok():
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


CHECKS = {"database": _database_ok, "cache": _cache_ok}


def health_report():
    """``{part: "ok" | "unavailable"}`` for each part the site cannot serve without."""
    report = {}
    for part, check in CHECKS.items():
        try:
            healthy = check()
        except Exception as error:  # any failure of the part is the answer, not a crash
            logger.warning("health check: %s unavailable (%s)", part, type(error).__name__)
            healthy = False
        report[part] = "ok" if healthy else "unavailable"
    return report


class HealthCheckMiddleware:
    """Answer ``/health/`` (200, or 503 naming the failing part) before any other middleware:
    no host check, HTTPS redirect, page cache, session or rate limit. Never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        report = health_report()
        healthy = all(state == "ok" for state in report.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "unavailable", **report},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response


def database_unavailable(exception):
    """Whether a request failed because the database could not be reached or went away
    (refused, timed out, restarted under us); a bad query is a bug, and stays a 500."""
    return isinstance(exception, OperationalError | InterfaceError)


def server_error(request):
    """The 500 handler: a 503 with ``Retry-After`` when the database is away (fail fast, and
    recover by itself: Django opens a new connection on a later request), else the 500 page.
    Both render without a request context, so a broken context processor cannot break them."""
    if database_unavailable(sys.exc_info()[1]):
        response = render(None, "503.html", {"site_name": settings.WAGTAIL_SITE_NAME}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return render(None, "500.html", {"site_name": settings.WAGTAIL_SITE_NAME}, status=500)
