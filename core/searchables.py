"""What the site's search finds: page models registered by the apps that own them.

The search (the ``search`` app) knows no page type by name. Each app registers its searchable
page models in ``AppConfig.ready`` with what the search needs from them:

- ``fields``: the model's fields ranking reads besides the title, by tier: a page whose
  ``fields[0]`` hold every query word ranks in tier 1 (after those whose title holds them),
  ``fields[1]`` tier 2, and so on (the glossary: ``(("key_questions", "synonyms"),
  ("description",))``; Pulse: ``((), ("summary",))``, its summary a tier 2 like a term's
  description). They are fetched as values with the candidates; a ``StreamField``'s words
  are its blocks' (``Searchable.text``), read from the model, not declared;
- ``description``: the field shown as a result's description when its search description is
  empty;
- ``names``: a forgiving matcher of the pages' names (``Names``; the glossary's terms);
- ``suggest_titles``: the search box suggests live, public pages of the model whose titles
  start like the query (Wagtail's ``autocomplete``; Pulse's articles);
- ``key_field``: a field whose exact value (any case) puts the page first in the admin's page
  search (the glossary's term ids, which editors copy from fixtures);
- ``flag``: a state that labels a page in the results and the suggestions and ranks it after
  the unflagged pages with the same match (``Flag``; the glossary's deprecated terms).

A model's kind (the results page's ``?kind=`` filter) is its ``search_kind`` attribute; its
label there is its plural verbose name. The base imports no app: apps import this.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import capfirst

from wagtail.fields import StreamField


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
class Flag:
    """Pages whose ``field`` holds ``value`` are shown with ``label`` ("Deprecated") and rank
    after the other pages that match as well: still found, no longer first."""

    field: str
    value: Any
    label: str

    def label_of(self, row):
        """``label`` for a fetched row that has the state, else ""."""
        return self.label if row.get(self.field) == self.value else ""


@dataclass(frozen=True)
class Searchable:
    model: type
    fields: tuple  # tiers of field names: ``fields[0]`` ranks in tier 1, ``fields[1]`` tier 2...
    description: str
    names: Names | None = None
    suggest_titles: bool = False
    key_field: str | None = None
    flag: Flag | None = None

    @property
    def columns(self):
        """Every field ranking reads besides the title, once: what is fetched as values."""
        flagged = (self.flag.field,) if self.flag else ()
        return tuple(dict.fromkeys([*(name for tier in self.fields for name in tier), *flagged]))

    def status_label(self, row):
        """What a result shows beside its kind ("Deprecated"), or "" (fetched ``row``)."""
        return self.flag.label_of(row) if self.flag else ""

    def flagged_ids(self, ids):
        """The pages among ``ids`` that have the flag's state (one query; none without a
        flag or ids): the suggestions, which come from the name matchers, label them."""
        if self.flag is None or not ids:
            return set()
        rows = self.model.objects.filter(pk__in=ids, **{self.flag.field: self.flag.value})
        return set(rows.values_list("pk", flat=True))

    @cached_property
    def _streams(self):
        return {
            field.name for field in self.model._meta.get_fields() if isinstance(field, StreamField)
        }

    def text(self, row, name):
        """The text of field ``name`` in ``row`` (fetched values): a stream's blocks joined."""
        value = row.get(name) or ""
        if name in self._streams:
            return " ".join(str(block.value) for block in value)
        return value

    @property
    def kind(self):
        """The results page's filter value (``?kind=term``)."""
        return self.model.search_kind

    @property
    def label(self):
        """The filter's label: "Glossary terms"."""
        return capfirst(self.model._meta.verbose_name_plural)


_registry = {}


def register(
    model, *, fields, description, names=None, suggest_titles=False, key_field=None, flag=None
):
    """Make ``model``'s live, public pages found by the site's search (once: a second,
    different registration is an error). ``fields``: tiers of field names (the module's
    docstring)."""
    if isinstance(fields, str) or any(isinstance(tier, str) for tier in fields):
        raise ImproperlyConfigured(
            f"{model.__name__}: searchable fields are tiers, tuples of field names."
        )
    fields = tuple(tuple(tier) for tier in fields)
    searchable = Searchable(model, fields, description, names, suggest_titles, key_field, flag)
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
