"""What depends on what: every cache scope of the page cache, declared once.

A *scope* names a set of cacheable responses that change together. A response depends on
``site`` and on the scopes its view declares (``cache_publicly``, a page type's
``cache_depends_on``), and each page on its own ``page:<id>`` scope. Each shared scope is
declared here, by the app that owns it, with:

- the URL names (Django's ``reverse`` names, with their arguments) of the responses it
  covers: the front cache purges them (``core.frontend``) and the warmer re-renders them
  (``core.warming``), so no path is written twice;
- ``everything``: it covers every response (the front cache bans everything);
- ``warm``: whether its URLs are re-rendered after a change (not search results, whose
  queries are the visitors');
- ``dated``: its token carries the local date too (``dated_token``), so what depends on it
  (the term of the day) renders afresh after midnight with no write at all.

A page scope's URLs are the page's own: ``Page.get_url`` and ``get_cached_paths`` (the
glossary index lists its letter pages there).

The core declares the scopes of the whole site (``core.page_cache``); apps declare theirs in
``AppConfig.ready`` (``pulse`` the feeds, ``glossary`` the downloads). What follows a change
(which scopes and pages it touches) is decided by the handlers the apps register with the
dispatcher, ``core.events``.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class Scope:
    name: str
    # (url name, kwargs) pairs, or a callable returning them (read when first needed: the
    # sitemap's sections are known only once the apps are loaded).
    routes: object = ()
    everything: bool = False
    warm: bool = True
    help: str = ""
    dated: bool = False

    def paths(self):
        routes = self.routes() if callable(self.routes) else self.routes
        return [reverse(name, kwargs=kwargs or None) for name, kwargs in routes]


_scopes = {}


def declare(name, *, routes=(), everything=False, warm=True, help="", dated=False):  # noqa: A002
    """Declare the scope ``name`` (once: a second, different declaration is an error) and
    return its name. ``routes``: url names, or (name, kwargs) pairs, or a callable."""
    if not callable(routes):
        routes = tuple((route, {}) if isinstance(route, str) else route for route in routes)
    scope = Scope(name, routes, everything, warm, help, dated)
    if name in _scopes and _scopes[name] != scope:
        raise ImproperlyConfigured(f"The cache scope {name!r} is declared twice.")
    _scopes[name] = scope
    return name


def scope(name):
    try:
        return _scopes[name]
    except KeyError:
        raise ImproperlyConfigured(f"The cache scope {name!r} was never declared.") from None


def dated_token(name, token):
    """A scope's generation token as stored responses keep it: with today's local date for a
    ``dated`` scope, so it changes at midnight by itself (page scopes are never dated)."""
    declared_scope = _scopes.get(name)
    if declared_scope is not None and declared_scope.dated:
        return f"{token}:{timezone.localdate().isoformat()}"
    return token


def declared():
    """Every declared scope by name."""
    return dict(_scopes)


def covers_everything(scopes):
    return any(scope(name).everything for name in scopes if not is_page_scope(name))


def paths(scopes, *, warm=False):
    """The paths of the responses the shared ``scopes`` cover (only those re-rendered after a
    change with ``warm``), in the order given."""
    found = []
    for name in scopes:
        if is_page_scope(name):
            continue
        declared_scope = scope(name)
        if warm and not declared_scope.warm:
            continue
        found.extend(path for path in declared_scope.paths() if path not in found)
    return found


def is_page_scope(name):
    return name.startswith("page:")
