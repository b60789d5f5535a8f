"""What the site's search finds: page models registered by the apps that own them.

The search (the ``search`` app) knows no page type by name. Each app registers its searchable
page models in ``AppConfig.ready`` with what the search needs from them:

- ``fields``: the model's fields ranking reads (besides the title), fetched as values with the
  candidates;
- ``description``: the field shown as a result's description when its search description is
  empty;
- ``names``: a forgiving matcher of the pages' names (``Names``; the glossary's terms);
- ``suggest_titles``: the search box suggests live, public pages of the model whose titles
  start like the query (Wagtail's ``autocomplete``; Pulse's articles).

A model's kind (the results page's ``?kind=`` filter) is its ``search_kind`` attribute; its
label there is its plural verbose name. The base imports no app: apps import this.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import capfirst


@dataclass(frozen=True)
class Names:
    """A forgiving matcher of page names (misspelt, cut short, plural, by initials).

    ``match(query, limit, ignored=..., min_prefix=..., configured=...)`` returns matches, best
    first, each with ``term_id`` (the page's id), ``title``, ``url_path``, ``exact`` (the query
    is the whole name), ``starts`` (it starts the name) and ``words`` (the names' words it
    stood for), and a writable ``url``. ``configured``: the caller's transaction has
    ``database_settings()`` applied already (the search sets them with its time limit, in one
    statement). ``warm`` builds what ``match`` holds in memory, if anything: each web worker
    calls it before its first request (``config/gunicorn.py``).
    """

    match: Any
    database_settings: Any = dict
    warm: Any = None


@dataclass(frozen=True)
class Searchable:
    model: type
    fields: tuple
    description: str
    names: Names | None = None
    suggest_titles: bool = False

    @property
    def kind(self):
        """The results page's filter value (``?kind=term``)."""
        return self.model.search_kind

    @property
    def label(self):
        """The filter's label: "Glossary terms"."""
        return capfirst(self.model._meta.verbose_name_plural)


_registry = {}


def register(model, *, fields, description, names=None, suggest_titles=False):
    """Make ``model``'s live, public pages found by the site's search (once: a second,
    different registration is an error)."""
    searchable = Searchable(model, tuple(fields), description, names, suggest_titles)
    if _registry.get(model, searchable) != searchable:
        raise ImproperlyConfigured(f"{model.__name__} is registered as searchable twice.")
    _registry[model] = searchable


def searchables():
    """Every registered searchable model's registration, in the order registered."""
    return list(_registry.values())


def name_matchers():
    """The registered name matchers (``Names``), in the order registered."""
    return [searchable.names for searchable in _registry.values() if searchable.names]


def database_settings():
    """The PostgreSQL settings every name matcher needs in the search's transaction."""
    return {
        key: value for names in name_matchers() for key, value in names.database_settings().items()
    }


def warm_up():
    """Build what the name matchers hold in memory (a web worker, before its first request)."""
    for names in name_matchers():
        if names.warm is not None:
            names.warm()


def content_search_fields(*weighted):
    """A content page's index: Page's (its title first), the ``weighted`` fields, then what
    every content type shares: its body's words, a category filter and its title
    autocompleted (the search box's suggestions and the admin's choosers)."""
    from wagtail.models import Page
    from wagtail.search import index

    return Page.search_fields + [
        *weighted,
        index.SearchField("body"),
        index.FilterField("category"),
        index.AutocompleteField("title"),
    ]
