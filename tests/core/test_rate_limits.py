"""The rate limiter over real time, on the caches the site runs on: the file cache (no Redis)
and Redis. A client at half the limit is never refused however long it keeps going, and a
client refused once is served again after waiting the ``Retry-After`` it was given.

The windows are one second long (``SEARCH_RATE_LIMIT`` set for the test), so the tests sleep
a few seconds; nothing asserts how long anything took, only whether it was allowed."""

import time

import pytest

from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.security import rate_limited
from tests.servers import REDIS_TEST_URL, redis_cache

LIMIT, WINDOW = 4, 1


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, tmp_path):
    """The default cache as production processes have it: files in a folder, or Redis under
    a key prefix of this test's own (deleted afterwards; the Redis database is never
    flushed)."""
    if request.param == "file":
        backend = {"BACKEND": "core.cache.NoRequestCullFileCache", "LOCATION": str(tmp_path)}
        with override_settings(CACHES={"default": backend}):
            yield request.param
        return
    with redis_cache() as env:
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": env["CACHE_KEY_PREFIX"],
        }
        with override_settings(CACHES={"default": backend}):
            yield request.param


@pytest.fixture
def limited():
    view = rate_limited("rate-test", "SEARCH_RATE_LIMIT")(lambda request: HttpResponse("ran"))
    factory = RequestFactory()
    with override_settings(SEARCH_RATE_LIMIT=f"{LIMIT}/{WINDOW}"):
        yield lambda: view(factory.get("/", REMOTE_ADDR="203.0.113.9"))


def test_a_client_at_half_the_limit_is_never_refused(shared_cache, limited):
    # Two requests a window (at most: at least half a window apart) for four windows.
    statuses = []
    for _ in range(4 * LIMIT // 2 * WINDOW):
        statuses.append(limited().status_code)
        time.sleep(WINDOW / (LIMIT / 2))
    assert statuses == [200] * len(statuses)


def test_waiting_retry_after_is_enough(shared_cache, limited):
    # A burst until refused: 3 × LIMIT quick requests span at most two windows, so one is.
    for _ in range(3 * LIMIT):
        refused = limited()
        if refused.status_code == 429:
            break
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= WINDOW
    time.sleep(retry_after)
    assert limited().status_code == 200


@pytest.mark.django_db
@override_settings(
    SEARCH_RATE_LIMIT="1/3600",
    SUGGEST_RATE_LIMIT="1/3600",
    DOWNLOAD_RATE_LIMIT="1/3600",
    API_RATE_LIMIT="1/3600",
)
@pytest.mark.parametrize(
    "urls",
    [
        ["/search/?q=alpha", "/search/?q=beta", "/search/?q=gamma"],
        ["/search/suggest/?q=alpha", "/search/suggest/?q=beta", "/search/suggest/?q=gamma"],
        [f"/glossary/download/glossary.{name}" for name in ("csv", "ttl", "jsonld")],
        [f"/api/v2/pages/?offset={n}" for n in range(3)],
        ["/api/v2/search/?q=alpha", "/api/v2/search/?q=beta", "/api/v2/search/?q=gamma"],
    ],
)
def test_search_suggestions_downloads_and_the_api_share_the_limiter(client, urls):
    """Three computed requests (distinct addresses: the page cache serves none of them) at
    one a window: at least one is refused, whichever window boundary they straddle."""
    from django.core.cache import cache

    cache.clear()
    answers = [client.get(url) for url in urls]
    refused = [answer for answer in answers if answer.status_code == 429]
    assert refused, [answer.status_code for answer in answers]
    assert answers[0].status_code != 429
    assert 1 <= int(refused[0]["Retry-After"]) <= 3600


def test_a_window_longer_than_the_default_timeout_keeps_its_count(tmp_path):
    """The file cache's ``incr`` (get-then-set) gives the key the cache's default timeout (one
    second here): the limiter touches it again to last to the window's end, so waiting past
    the default timeout does not start the count afresh."""
    backend = {
        "BACKEND": "core.cache.NoRequestCullFileCache",
        "LOCATION": str(tmp_path),
        "TIMEOUT": 1,
    }
    view = rate_limited("rate-test", "SEARCH_RATE_LIMIT")(lambda request: HttpResponse("ran"))
    factory = RequestFactory()
    with override_settings(CACHES={"default": backend}, SEARCH_RATE_LIMIT="2/86400"):
        statuses = [view(factory.get("/", REMOTE_ADDR="203.0.113.7")).status_code]
        statuses.append(view(factory.get("/", REMOTE_ADDR="203.0.113.7")).status_code)
        time.sleep(1.5)  # past the default timeout, within the day's window
        statuses.append(view(factory.get("/", REMOTE_ADDR="203.0.113.7")).status_code)
    assert statuses == [200, 200, 429]
