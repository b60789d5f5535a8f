"""The apps register what the search finds (core.searchables); the search, the page cache's
key and a web worker's warm-up read the registry, never the apps (issue 23)."""

from unittest import mock

import pytest

from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, TestCase

from config.gunicorn import post_worker_init
from core import searchables
from core.filters import MAX_QUERY_LENGTH, page_number
from core.page_cache import canonical_value, normalised_query
from glossary.models import GlossaryTermPage
from pulse.models import PulseArticlePage
from search.query import requested_query


def test_the_apps_register_terms_with_names_and_articles_with_title_suggestions():
    registered = {searchable.model: searchable for searchable in searchables.searchables()}
    assert list(registered) == [GlossaryTermPage, PulseArticlePage]
    terms, articles = registered[GlossaryTermPage], registered[PulseArticlePage]
    assert (terms.kind, terms.label, terms.description) == ("term", "Glossary terms", "description")
    assert (articles.kind, articles.label) == ("article", "Pulse articles")
    assert terms.names is not None and not terms.suggest_titles
    assert articles.names is None and articles.suggest_titles
    assert searchables.name_matchers() == [terms.names]


def test_a_second_different_registration_is_an_error():
    terms = next(s for s in searchables.searchables() if s.model is GlossaryTermPage)
    searchables.register(  # the same again (an app's ready() run twice): nothing changes
        GlossaryTermPage,
        fields=terms.fields,
        description=terms.description,
        names=terms.names,
        key_field=terms.key_field,
        flag=terms.flag,
    )
    with pytest.raises(ImproperlyConfigured):
        searchables.register(GlossaryTermPage, fields=(), description="title")


def test_the_cache_key_and_the_views_read_one_cleaned_query():
    long = "capacity " * 40 + "planning"
    request = RequestFactory().get("/search/", {"q": long})
    assert canonical_value("q", long) == requested_query(request)
    assert len(requested_query(request)) <= MAX_QUERY_LENGTH
    # Past the cap nothing is read, so nothing makes a stored page of its own.
    assert normalised_query(f"q={long}", ("q",)) == normalised_query(f"q={long}x", ("q",))


def test_one_reading_of_the_page_number():
    assert [page_number(value) for value in (" 2 ", "0", "x1", "１２", "1" * 10)] == [
        2, 0, None, None, None,
    ]  # fmt: skip
    assert canonical_value("page", " 02") == "2"
    assert canonical_value("page", "abc") is None


@mock.patch("glossary.names.uses_database", return_value=False)  # names matched in memory
class WarmUpTests(TestCase):
    def test_a_web_worker_warms_the_registered_name_matchers(self, _uses_database):
        worker = mock.Mock()
        with mock.patch("glossary.names.name_index") as name_index:
            post_worker_init(worker)
        name_index.assert_called_once_with()
        worker.log.exception.assert_not_called()

    def test_a_failed_warm_up_is_logged_and_the_worker_still_starts(self, _uses_database):
        worker = mock.Mock()
        with mock.patch("glossary.names.name_index", side_effect=RuntimeError("down")):
            post_worker_init(worker)
        worker.log.exception.assert_called_once()

    def test_nothing_to_warm_where_the_database_matches_names(self, uses_database):
        uses_database.return_value = True
        with mock.patch("glossary.names.name_index") as name_index:
            post_worker_init(mock.Mock())
        name_index.assert_not_called()
