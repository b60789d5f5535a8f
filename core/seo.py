"""What search engines and link previews read: meta tags and schema.org JSON-LD."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from wagtail.admin.panels import FieldPanel
from wagtail.api.utils import get_full_url
from wagtail.models import Page, Site
from wagtail.search import index

from core.images import HERO_RENDITION

# The image link previews and Article JSON-LD fall back to when a page has none of its own:
# the site's logo (512 × 512, over the 50,000 pixels Google's Article guidance asks for).
DEFAULT_IMAGE = ("icons/icon-512.png", 512, 512)


def site_url(request, path):
    """``path`` on the address of the request's Site (as canonical links, the sitemap and the
    API write it), not on whatever Host header the request came with."""
    return get_full_url(request, path)


def default_image_url(request):
    return site_url(request, static(DEFAULT_IMAGE[0]))


def organisation(request):
    """The organisation behind the site, as schema.org's author and publisher of articles."""
    return {
        "@type": "Organization",
        "name": settings.SITE_ORGANISATION_NAME,
        "url": site_url(request, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": default_image_url(request),
            "width": DEFAULT_IMAGE[1],
            "height": DEFAULT_IMAGE[2],
        },
    }


def canonical_listing_url(url, items, category=""):
    """A list's own address: its category (one the list offers) and its page number past the
    first. Each page of a list is its own canonical, not a duplicate of page 1."""
    query = [("category", category)] if category else []
    if items.number > 1:
        query.append(("page", items.number))
    return f"{url}?{urlencode(query)}" if query else url


def as_json_ld(data) -> str:
    """JSON for a <script type="application/ld+json">: '<', '>' and '&' escaped so text can't end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def breadcrumb_trail(page):
    """Home ... page (the breadcrumb and JSON-LD both use it)."""
    return page.breadcrumb_pages


def breadcrumb_name(item, request):
    """An item's name in the breadcrumb: "Home" for the request's Site's root page (found
    whatever its place in the tree; Wagtail's routing caches the Site on the request)."""
    site = Site.find_for_request(request)
    is_home = site is not None and item.pk == site.root_page_id
    return "Home" if is_home else item.title


def breadcrumb_list(page, request):
    items = breadcrumb_trail(page)
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": breadcrumb_name(item, request),
                "item": item.get_full_url(request),
            }
            for position, item in enumerate(items, start=1)
        ],
    }


class SeoMixin:
    """What every page type tells search engines and link previews; each overrides what it has.

    ``page_seo`` reads these on any page of the site, so a new page type gets sound defaults
    by inheriting this, never by ``page_seo`` guessing what a page might have.
    """

    og_type = "website"  # Open Graph type: "article" for articles

    def get_meta_description(self):
        """The editor's search description; page types with an introduction or a summary fall
        back to it, so no public page goes without one."""
        return self.search_description

    def social_image(self):
        """The image link previews show, or None."""
        return None

    def schema_org(self, request):
        """The page's own schema.org document (without ``@context``), or None."""
        return None


class IntroducedListingMixin(SeoMixin):
    """A page that opens with an introduction and lists other pages (the home page, the section
    indexes). Declared once here: the ``introduction`` field itself stays on each model, whose
    help text says what it introduces.

    Its introduction describes it to search engines; its schema.org document is a set of
    ``schema_type``; a change of a page it lists shows on it (``core.page_roles``)."""

    lists_pages = True
    schema_type = "CollectionPage"
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    def get_meta_description(self):
        return self.search_description or self.introduction

    def schema_org(self, request):
        return {
            "@type": self.schema_type,
            "name": self.title,
            "description": self.get_meta_description(),
            "url": self.get_full_url(request),
        }


def page_seo(page, request):
    """Title, description, canonical URL, image and JSON-LD documents for a page."""
    image = page.social_image()
    rendition = image.get_rendition(HERO_RENDITION) if image is not None else None
    documents = [breadcrumb_list(page, request)]
    own = page.schema_org(request)
    if own is not None:
        documents.insert(0, {"@context": "https://schema.org", **own})
    if rendition is not None:
        image = {"url": site_url(request, rendition.url), "large": True}
        image.update(width=rendition.width, height=rendition.height)
    else:
        image = {"url": default_image_url(request), "large": False}
        image.update(width=DEFAULT_IMAGE[1], height=DEFAULT_IMAGE[2])
    return {
        "title": page.seo_title or page.title,
        "description": page.get_meta_description(),
        "url": page.get_full_url(request),
        "type": page.og_type,
        "image": image,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "json_ld": [as_json_ld(document) for document in documents],
    }
