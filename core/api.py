"""The read API: Wagtail's API v2 at /api/v2/ (pages, images) and a bounded search.

Read-only (GET only), live and public pages only (Wagtail's base queryset), cached by the page
cache under the ``api`` scope that every content change bumps, and rate-limited when computed
(``API_RATE_LIMIT``). Varnish passes /api/ (``deploy/varnish.vcl``): its bans are by path, and
an API listing has no one page's path, so only the page cache, which is never stale, keeps it.

Absolute URLs (``detail_url``, ``html_url``, the ``find/`` redirect) are the address of the
Site the request is on, as pages' canonical URLs are: ``WAGTAILAPI_BASE_URL`` is left unset.

Pages' ``?search=`` (Wagtail's backend ranks every match before returning any, so its time
grows with the glossary: ``bench/RESULTS.md``) is refused; ``/api/v2/search/?q=`` answers from
the site's own bounded search instead (``search.api``).
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.urls import path

from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from core.page_cache import ALL_PARAMETERS, API, cache_publicly
from core.security import rate_limited

# Far past any listing's end; a larger offset overflowed the database's integer (a 500).
MAX_OFFSET = 1_000_000_000


def _cached(view):
    return cache_publicly(API, params=ALL_PARAMETERS)(rate_limited("api", "API_RATE_LIMIT")(view))


class CachedEndpointMixin:
    """Every URL of the endpoint cached and rate-limited like the site's own views."""

    @classmethod
    def get_urlpatterns(cls):
        return [
            path(str(pattern.pattern), _cached(pattern.callback), name=pattern.name)
            for pattern in super().get_urlpatterns()
        ]


class CheckedFindMixin:
    """``find/?id=`` with an id that is not a whole number (``1e9``, ``abc``) a 400: Wagtail
    hands it to the database layer, whose ValueError was a 500."""

    def find_object(self, queryset, request):
        if "id" in request.GET:
            value = request.GET["id"]
            if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_OFFSET))):
                raise BadRequestError("id must be a whole number")
        return super().find_object(queryset, request)


class BoundedPagination(WagtailPagination):
    """Wagtail's ``limit`` and ``offset``, with an offset the database cannot count to a 400."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if len(offset) > len(str(MAX_OFFSET)) or (offset.isdigit() and int(offset) > MAX_OFFSET):
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filters (``?letter=A``), with a value the field cannot hold a 400:
    Wagtail converts booleans, integers and keys itself but hands a date such as
    ``?published_date=abc`` to the database layer, whose ValidationError was a 500. A field
    that is a list of rows (a term's ``sources``, its ``changes``) is no filter: a 400."""

    def filter_queryset(self, request, queryset, view):
        for name in request.GET:
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and not field.concrete:
                raise BadRequestError(f"field filter error: {name!r} cannot be filtered on")
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValidationError, ValueError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise BadRequestError(f"field filter error: {' '.join(messages)}") from error


def _checked(backends):
    return [
        CheckedFieldsFilter if backend is FieldsFilter else backend
        for backend in backends
        if backend is not SearchFilter
    ]


class PagesEndpoint(CachedEndpointMixin, CheckedFindMixin, PagesAPIViewSet):
    """Terms and articles (and the index pages), filterable by ``type`` and, with a type, by
    any of its ``api_fields``: ``?type=glossary.GlossaryTermPage&letter=A&category=glossary``."""

    filter_backends = _checked(PagesAPIViewSet.filter_backends)
    pagination_class = BoundedPagination
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {
        "search",
        "search_operator",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        related = getattr(queryset.model, "route_select_related", ())
        queryset = queryset.select_related("locale", *related)  # meta.locale on every item
        # A type's own default order (terms A to Z as the index lists them); ``?order=`` wins.
        ordering = getattr(queryset.model, "api_default_ordering", ())
        return queryset.order_by(*ordering) if ordering else queryset

    def paginate_queryset(self, queryset):
        """One page of results, with what its pages show read for all of them at once."""
        pages = list(super().paginate_queryset(queryset))
        prefetch = getattr(queryset.model, "prefetch_for_listing", None)
        if prefetch is not None:
            prefetch(pages)
        return pages


class ImagesEndpoint(CachedEndpointMixin, CheckedFindMixin, ImagesAPIViewSet):
    known_query_parameters = ImagesAPIViewSet.known_query_parameters - {
        "search",
        "search_operator",
    }
    filter_backends = _checked(ImagesAPIViewSet.filter_backends)
    pagination_class = BoundedPagination


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
