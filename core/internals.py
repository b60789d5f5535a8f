"""The one place where the site leans on Wagtail's internals, checked against the version.

Wagtail routes a URL one tree level at a time, two queries a level, then looks the page's
ancestors up again to check view restrictions. At 10,000 terms those queries are most of a
term page's cost, so the site root routes in one query instead:

- ``OneQueryRoutingMixin.route`` (on the site root) fetches every page along the URL, with a
  flag for "has a view restriction", in one query; the deepest page found goes on routing
  the rest of the path itself, as Wagtail's ``Page.route`` would (so RoutablePageMixin,
  ``live`` checks and 404s behave as before).
- ``RoutedPageMixin`` (on every page type) keeps that chain: the breadcrumb reads it, and
  ``get_view_restrictions`` answers "none" without a query when no page on the chain has a
  restriction or is an alias, and asks Wagtail otherwise.

- ``SiteLookupMiddleware`` answers "which Site is this request for?" from the cache.

- ``postgres_candidates`` (search on PostgreSQL) queries modelsearch's ``IndexEntry`` table
  directly, as Wagtail's own backend does: its ``title``/``body`` vectors and ``title_norm``.

- ``path_on_site`` turns a page's ``url_path`` into its path on a site without a query.

- ``ManualCullMixin`` (the development file cache, ``core.cache``) overrides Django's
  private ``FileBasedCache._cull`` and calls its ``_list_cache_files`` and ``_is_expired``.

What this relies on, checked in Wagtail 8.0: ``Site.find_for_request`` memoises its answer as
``request._wagtail_site``; ``Page.route_for_request`` calls
``site.root_page.specific.route(request, components)``; ``url_path`` is kept in step with
slugs for every page and starts with its site root's; Wagtail's ``check_view_restrictions``
hook calls ``page.get_view_restrictions()``; treebeard's ``get_parent`` reads
``_cached_parent_obj``. Checked in Django 5.2: ``FileBasedCache.set``, ``add`` and ``touch``
call ``_cull``; ``_cull`` deletes a ``1/CULL_FREQUENCY`` share of ``_list_cache_files()`` past
``MAX_ENTRIES``; ``_is_expired`` deletes an expired file it reads.
``require_checked_versions`` fails loudly at start-up on any other version (the
importer's private parts, in ``importer/bulk.py``, use the same check), so an
upgrade makes someone read this module again.
"""

import contextlib
from importlib.metadata import version

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import CombinedSearchVector, SearchQuery, SearchRank
from django.core.exceptions import DisallowedHost, ImproperlyConfigured
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http.request import split_domain_port
from django.utils.functional import cached_property

from wagtail.models import Page, PageViewRestriction
from wagtail.search.backends import get_search_backend

CHECKED_VERSIONS = {"wagtail": (8, 0), "modelsearch": (1, 3), "django": (5, 2)}


def require_checked_versions(module="core/internals.py", checked=CHECKED_VERSIONS):
    """Refuse to start on a version of a package ``module`` was not checked against.

    ``checked`` maps a distribution name to the (major, minor) version the module's use of
    its private parts was read against; this module's and ``importer/bulk.py``'s.
    """
    for distribution, wanted in checked.items():
        found = version(distribution)
        if tuple(int(part) for part in found.split(".")[:2]) != tuple(wanted):
            raise ImproperlyConfigured(
                f"{module} was checked against {distribution} {wanted[0]}.{wanted[1]}, "
                f"not {found}: read it again, then update its CHECKED_VERSIONS."
            )


SITES_KEY = "wagtail:sites-by-host"


class SiteLookupMiddleware:
    """Find the request's Wagtail Site from the shared cache instead of a query per request.

    Wagtail memoises the site on the request (``request._wagtail_site``, read by
    ``Site.find_for_request``); this fills that memo from a small cached map, which
    ``forget_sites`` empties whenever a Site is saved or deleted.

    The map is bounded by the Site table, not by the Host headers visitors send: a host that
    ``ALLOWED_HOSTS`` refuses is never looked up here, and every other address falls into one
    of at most ``2 × sites + 1`` classes that Wagtail's ``get_site_for_hostname`` answers
    alike: a Site's exact hostname and port, a Site's hostname on another port, or a hostname
    that no Site has (the default site). So ``ALLOWED_HOSTS = ["*"]`` and a million random
    Host headers still make one entry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.cache import cache

        from wagtail.models import Site

        try:
            request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # answered 400 below; nothing to look up
        sites = cache.get(SITES_KEY)
        if sites is None:
            sites = {"addresses": set(Site.objects.values_list("hostname", "port")), "found": {}}
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        port = int(port) if str(port).isdigit() else None
        if hostname not in {name for name, _ in sites["addresses"]}:
            kind = "default"
        elif (hostname, port) in sites["addresses"]:
            kind = f"{hostname}:{port}"
        else:
            kind = f"{hostname}:other-port"
        if kind in sites["found"]:
            request._wagtail_site = sites["found"][kind]
        else:
            site = Site.find_for_request(request)
            sites["found"][kind] = site
            cache.set(SITES_KEY, sites, timeout=None)
        return self.get_response(request)


def forget_sites(**kwargs):
    from django.core.cache import cache

    cache.delete(SITES_KEY)


def path_on_site(url_path, root_paths):
    """A page's path on its site ("/terms/x/") from its ``url_path`` ("/home/terms/x/") and the
    ``url_path`` of site roots, the deepest root holding it (what ``Page.get_url_parts``
    computes, without a query per page); None when no root holds it."""
    for root in sorted(root_paths, key=len, reverse=True):
        if url_path.startswith(root):
            return "/" + url_path[len(root) :]
    return None


def _ancestor_paths(path, steplen=Page.steplen):
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def public_pages(queryset):
    """``queryset.public()`` in the same SQL statement.

    Wagtail's ``public()`` first reads every view restriction (one more query each time it is
    called); this asks the database instead whether a restricted page is an ancestor of (or
    is) the page: ``restricted.path`` is a prefix of ``page.path``. Not for querysets that
    are then searched: the search backends accept plain field lookups only.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length(F("page__path")))
    )
    return queryset.exclude(Exists(restricted))


class OneQueryRoutingMixin:
    """For the site root: route any URL below it with one query for the pages on the way."""

    def route(self, request, path_components):
        wanted = [
            self.url_path + "".join(f"{part}/" for part in path_components[:length])
            for length in range(1, len(path_components) + 1)
        ]
        rows = list(
            Page.objects.filter(
                Q(path__startswith=self.path, url_path__in=wanted)
                | Q(path__in=_ancestor_paths(self.path))
            )
            .annotate(restricted=Exists(PageViewRestriction.objects.filter(page=OuterRef("pk"))))
            .order_by("depth")
        )
        chain = []
        for row in rows:
            # Each page must be the child of the one before: a stale or odd url_path cannot
            # route anywhere the tree itself would not.
            if chain and not (
                row.depth == chain[-1].depth + 1 and row.path.startswith(chain[-1].path)
            ):
                break
            chain.append(row)
        found = [row for row in chain if row.depth > self.depth]
        if not found:
            self._route_chain = [row for row in chain if row.depth <= self.depth]
            return super().route(request, path_components)
        deepest = found[-1]
        page = deepest.specific_class.routing_queryset().get(pk=deepest.pk)
        page._route_chain = chain[:-1] + [deepest]
        page._cached_parent_obj = chain[-2] if len(chain) > 1 else None
        consumed = deepest.depth - self.depth
        return page.route(request, path_components[consumed:])


class RoutedPageMixin:
    """For every page type: the ancestors found while routing, reused instead of re-queried."""

    # Relations every view of the page reads, fetched with it when it is routed.
    route_select_related = ()

    @classmethod
    def routing_queryset(cls):
        return cls.objects.select_related(*cls.route_select_related)

    def route_chain(self):
        """Root ... this page, as found by routing, or None when the page was not routed."""
        chain = getattr(self, "_route_chain", None)
        if chain is None or chain[-1].pk != self.pk:
            return None
        return chain

    @cached_property
    def breadcrumb_pages(self):
        """Home ... this page (the tree root left out): from routing when the page was routed,
        else one query."""
        chain = self.route_chain()
        if chain is None:
            chain = [*self.get_ancestors(), self]
        return [page for page in chain[:-1] if not page.is_root()] + [self]

    def get_view_restrictions(self):
        chain = self.route_chain()
        if chain is None or any(row.alias_of_id or row.restricted for row in chain):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()


# --- search candidates (search.candidates) -------------------------------------------------


def postgres_candidates(query, models, limit):
    """Ids (at most ``limit``) of pages of ``models`` whose search entry holds every word of
    ``query``, those matching in their name first (``search.ranking`` ranks them).

    Reads modelsearch's PostgreSQL ``IndexEntry`` (title and body vectors, ``title_norm``),
    the table Wagtail's own backend queries; ``(title || body) @@ query`` is Wagtail's own
    match and is served by the GIN index of migration ``core.0001_squashed_0008``.
    """
    from wagtail.search.models import IndexEntry

    config = get_search_backend().config
    words = SearchQuery(query, search_type="plain", config=config)
    entries = IndexEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(*models).values()
    )
    in_name = (
        entries.filter(title=words)
        .annotate(rank=SearchRank(F("title"), words) * F("title_norm"))
        .order_by("-rank")
        .values_list("object_id")[:limit]
    )
    text = CombinedSearchVector(F("title"), "||", F("body"), config)
    anywhere = entries.alias(text=text).filter(text=words).values_list("object_id")[:limit]
    ids = dict.fromkeys(int(object_id) for (object_id,) in in_name.union(anywhere, all=True))
    return list(ids)[:limit]


# --- the development file cache (core.cache) ---------------------------------------------------


class ManualCullMixin:
    """For Django's ``FileBasedCache``: no ``set``, ``add`` or ``touch`` culls (Django's would
    list the whole folder each time); ``cull()`` runs Django's cull on demand."""

    def _cull(self):
        """Called by ``set``/``add``/``touch``: do nothing there."""

    def entry_count(self):
        return len(self._list_cache_files())

    def cull(self):
        """Django's cull: expired files first, then a ``1/CULL_FREQUENCY`` share of the rest
        when there are more than ``MAX_ENTRIES``."""
        for path in self._list_cache_files():
            with contextlib.suppress(FileNotFoundError), open(path, "rb") as file:
                self._is_expired(file)  # deletes the file when it has expired
        super()._cull()
