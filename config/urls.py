from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from core import api as core_api
from core import views as core_views
from core.page_cache import SITEMAP, cache_publicly
from core.sitemaps import sections

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("search.urls")),  # /search/, /search/suggest/, /api/v2/search/
    path("api/v2/", core_api.api_router.urls),
    path(
        "sitemap.xml",
        cache_publicly(SITEMAP)(sitemap_views.index),
        {"sitemaps": sections(), "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_publicly(SITEMAP, params=("p",))(sitemap_views.sitemap),  # p: its page
        {"sitemaps": sections()},
        name="sitemap_section",
    ),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    # For clients that ask for /favicon.ico without reading the page's icon links.
    path("favicon.ico", core_views.favicon, name="favicon"),
    # Each app's own routes (named glossary_download, pulse_feed, pulse_feed_atom).
    path("glossary/", include("glossary.urls")),
    path("pulse/", include("pulse.urls")),
    path("feedback/", include("feedback.urls")),  # readers' suggestions and reports
]

if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", core_views.media)]

# Wagtail serves every other path from the page tree; this must come last.
urlpatterns += [path("", include(wagtail_urls))]

handler404 = "core.views.page_not_found"
handler500 = "core.operations.server_error"
