"""The site as production runs it: gunicorn workers sharing a cache, another process editing,
and Varnish in front, purged on publish. Nothing here is mocked."""

import pytest

from tests.factories import (
    GlossaryTermPageFactory,
    PulseArticlePageFactory,
    RelatedArticleCardFactory,
    add_cards,
)
from tests.servers import (
    get,
    gunicorn,
    nginx,
    redis_cache,
    request,
    require,
    run_django,
    server_env,
    varnish,
)

# Committed data, and the migrated page tree restored after each test (a flush empties it).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PURGE_SECRET = "test-purge-secret"  # noqa: S105 - a throwaway for this test's Varnish

EDIT_DESCRIPTION = """
from glossary.models import GlossaryTermPage
term = GlossaryTermPage.objects.get(slug="kanban")
term.description = "Cards on a board that pull work."
term.save_revision().publish()
"""
UNPUBLISH = """
from glossary.models import GlossaryTermPage
GlossaryTermPage.objects.get(slug="kanban").unpublish()
"""
EDIT_CARD = """
from glossary.models import RelatedArticleCard
card = RelatedArticleCard.objects.get(target_slug="flow-at-work")
card.title = "Flow, revised"
card.save()
"""


def make_content():
    kanban = GlossaryTermPageFactory(
        title="Kanban", slug="kanban", description="A pull system for visual work."
    )
    article = PulseArticlePageFactory(
        title="Flow at work",
        slug="flow-at-work",
        body=[("paragraph", "<p>Every kanban team measures flow.</p>")],
    )
    card = RelatedArticleCardFactory(
        title="Flow at work", target_page=article, target_slug="flow-at-work"
    )
    add_cards(kanban, card)
    return kanban, article


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, tmp_path):
    if request.param == "file":
        yield {"CACHE_DIR": str(tmp_path / "cache")}
        return
    with redis_cache() as environment:
        yield environment


def read_all_workers(base, path, times=8):
    """Read a page often enough that both workers answer it; return every text seen."""
    return [get(base + path)[2] for _ in range(times)]


def test_an_edit_in_another_process_is_seen_at_once_by_every_worker(shared_cache):
    kanban, article = make_content()
    env = server_env(shared_cache)
    with gunicorn(env, workers=2) as base:
        # The letter page quotes the definition (the A–Z index lists names only).
        for path in (kanban.url, article.url, "/glossary/letter/k/"):
            read_all_workers(base, path)
            status, headers, _ = get(base + path)
            assert (status, headers["X-Page-Cache"]) == (200, "hit")
        run_django(EDIT_DESCRIPTION, env)
        for path in (kanban.url, article.url, "/glossary/letter/k/"):
            for text in read_all_workers(base, path):
                assert "Cards on a board that pull work." in text, path
                assert "A pull system for visual work." not in text, path
        run_django(UNPUBLISH, env)
        for text in read_all_workers(base, article.url):
            # Every worker's linked-terms matcher followed the unpublish.
            assert "/glossary/kanban/" not in text
        assert {get(base + kanban.url)[0] for _ in range(4)} == {404}


def test_varnish_serves_cached_pages_and_is_purged_on_publish(tmp_path):
    require("varnishd", "apt-get install varnish")
    kanban, article = make_content()
    cache = {"CACHE_DIR": str(tmp_path / "cache")}
    with gunicorn(server_env(cache), workers=1) as backend:
        backend_port = int(backend.rsplit(":", 1)[1])
        with varnish(backend_port, PURGE_SECRET) as front:
            env = server_env(
                cache, FRONTEND_CACHE_PURGE_URL=front, FRONTEND_CACHE_PURGE_SECRET=PURGE_SECRET
            )
            for path in (kanban.url, article.url, "/glossary/", "/glossary/letter/k/"):
                get(front + path)
                status, headers, _ = get(front + path)
                assert (status, headers["X-Cache"]) == (200, "hit"), path
            run_django(EDIT_DESCRIPTION, env)
            run_django(EDIT_CARD, env)
            status, headers, text = get(front + kanban.url)
            assert "Cards on a board that pull work." in text
            assert "Flow, revised" in text
            assert "Cards on a board that pull work." in get(front + article.url)[2]
            assert "Cards on a board that pull work." in get(front + "/glossary/letter/k/")[2]
            # Purges come only from localhost's site processes; a visitor cannot send one
            # through another address (the ACL), and anonymous pages are cached again.
            assert get(front + kanban.url)[1]["X-Cache"] == "hit"
            # Logged-in traffic passes Varnish.
            _, headers, _ = get(front + kanban.url, headers={"Cookie": "sessionid=abc"})
            assert headers["X-Cache"] == "miss"


def test_only_the_site_may_purge_varnish_and_nginx_refuses_purges(tmp_path):
    require("varnishd", "apt-get install varnish")
    require("nginx", "apt-get install nginx-light")
    kanban, _ = make_content()
    cache = {"CACHE_DIR": str(tmp_path / "cache")}
    with gunicorn(server_env(cache), workers=1) as backend:
        backend_port = int(backend.rsplit(":", 1)[1])
        with varnish(backend_port, PURGE_SECRET) as front:
            get(front + kanban.url)
            assert get(front + kanban.url)[1]["X-Cache"] == "hit"
            refused = [
                request("PURGE", front + kanban.url),
                request("PURGE", front + kanban.url, {"X-Purge-Secret": "guess"}),
                request("BAN", front + kanban.url, {"X-Purge-Secret": PURGE_SECRET}),
            ]
            assert refused == [403, 403, 405]
            assert get(front + kanban.url)[1]["X-Cache"] == "hit"  # still cached
            varnish_port = int(front.rsplit(":", 1)[1])
            with nginx(varnish_port, tmp_path) as (http, https):
                for base in (http, https):
                    for method in ("PURGE", "BAN"):
                        headers = {"X-Purge-Secret": PURGE_SECRET, "Host": "localhost"}
                        assert request(method, base + kanban.url, headers) == 405
            assert get(front + kanban.url)[1]["X-Cache"] == "hit"
            assert request("PURGE", front + kanban.url, {"X-Purge-Secret": PURGE_SECRET}) == 200
            assert get(front + kanban.url)[1]["X-Cache"] == "miss"


def test_varnish_drops_tracking_and_unknown_parameters_and_sorts_the_rest(tmp_path):
    require("varnishd", "apt-get install varnish")
    kanban, _ = make_content()
    cache = {"CACHE_DIR": str(tmp_path / "cache")}
    with gunicorn(server_env(cache), workers=1, log=tmp_path / "g.log") as backend:
        backend_port = int(backend.rsplit(":", 1)[1])
        with varnish(backend_port) as front:
            assert get(front + kanban.url + "?utm_source=1")[1]["X-Cache"] == "miss"
            for query in ("?utm_source=2", "?x=3", "?gclid=4&fbclid=5", ""):
                assert get(front + kanban.url + query)[1]["X-Cache"] == "hit", query
            assert get(front + "/glossary/?page=1&category=a")[1]["X-Cache"] == "miss"
            assert get(front + "/glossary/?category=a&utm_medium=b&page=1")[1]["X-Cache"] == "hit"
            # The HTTPS redirect's X-Forwarded-Proto is part of the key.
            https = {"X-Forwarded-Proto": "https"}
            assert get(front + kanban.url, https)[1]["X-Cache"] == "miss"
