"""Topics: a term's category is a topic with a page of its own, /glossary/topics/<slug>/,
showing its terms as a tree by broader and narrower terms, and /glossary/topics/ listing them.

Routes of the glossary index (``TopicRoutesMixin`` on ``GlossaryIndexPage``), so they are
cached and invalidated with the index and its letter pages: any change of a live term (its
category or broader terms among them) renders them afresh (``glossary.effects``).

A topic's slug is Django's ``slugify`` of the category; categories that differ only in case
or punctuation ("Data ops", "data-ops") are one topic, named by its most used spelling. A
category with no letters or digits (its slug empty) has no topic page.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.text import slugify

from wagtail.contrib.routable_page.models import path

from core.filters import listing_page
from core.internals import public_pages
from core.seo import canonical_listing_url

from .hierarchy import LINK_FIELDS, GlossaryTermBroader


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    count: int
    categories: tuple  # the categories as terms spell them


def topics_of(counts):
    """Topics A to Z from {category: number of terms}."""
    grouped = defaultdict(list)
    for category, count in counts.items():
        slug = slugify(category)
        if slug:
            grouped[slug].append((category, count))
    topics = []
    for slug, spellings in grouped.items():
        name = min(spellings, key=lambda item: (-item[1], item[0]))[0]
        total = sum(count for _, count in spellings)
        topics.append(Topic(slug, name, total, tuple(sorted(c for c, _ in spellings))))
    return sorted(topics, key=lambda topic: (topic.name.casefold(), topic.slug))


def topic_tree(root_ids, children, rows):
    """Nested {"term", "children"} nodes below each of ``root_ids``; a term under two broader
    terms of the topic appears under both, and a path never visits a term twice."""

    def node(pk, path):
        below = [child for child in children.get(pk, ()) if child not in path]
        return {"term": rows[pk], "children": [node(child, path | {child}) for child in below]}

    return [node(pk, {pk}) for pk in root_ids]


def descendants(root_ids, children):
    found, stack = set(root_ids), list(root_ids)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def topic_description(topic, items):
    count = topic.count
    text = f"{count} glossary term{'s' if count != 1 else ''} in the topic “{topic.name}”"
    names = [node["term"].title for node in items[:5]]
    if names:
        text += ": " + ", ".join(names) + (", …" if len(items) > len(names) else "")
    if items.paginator.num_pages > 1:
        text += f" (page {items.number} of {items.paginator.num_pages})"
    return text + "."


class TopicRoutesMixin:
    """For ``GlossaryIndexPage``: the topic pages."""

    roots_per_topic_page = 50

    def live_terms(self):
        from .pages import GlossaryTermPage

        return public_pages(GlossaryTermPage.objects.child_of(self).live())

    def topics(self):
        """Every topic of the live, public terms: one grouped query."""
        counts = dict(
            self.live_terms()
            .exclude(category="")
            .order_by()
            .values_list("category")
            .annotate(Count("id"))
        )
        return topics_of(counts)

    def topic_url(self, slug, request=None):
        return self.get_url(request) + self.reverse_subpage("topic", args=[slug])

    def topic_paths(self):
        """The topic pages' paths below the index, for the front cache's purges."""
        return ["/topics/"] + [f"/topics/{topic.slug}/" for topic in self.topics()]

    def topic_sitemap_urls(self, request=None):
        base = self.get_full_url(request)
        if base is None:
            return []
        topics = self.topics()
        if not topics:
            return []
        return [{"location": f"{base}topics/"}] + [
            {"location": f"{base}topics/{topic.slug}/"} for topic in topics
        ]

    @path("topics/", name="topics")
    def topics_route(self, request):
        context = self.get_context(request)
        context["topics"] = self.topics()
        context["canonical_url"] = f"{self.full_url}topics/"
        count = len(context["topics"])
        context["meta_description"] = (
            f"The glossary's {count} topic{'s' if count != 1 else ''}: "
            + ", ".join(topic.name for topic in context["topics"][:8])
            + ("…" if count > 8 else "")
            + "."
            if count
            else "The glossary's topics."
        )
        return self.render(
            request, context_overrides=context, template="glossary/glossary_topics_page.html"
        )

    @path("topics/<str:slug>/", name="topic")
    def topic_route(self, request, slug):
        topics = {topic.slug: topic for topic in self.topics()}
        topic = topics.get(slug)
        if topic is None:
            if slug.lower() != slug and slug.lower() in topics:
                query = request.META.get("QUERY_STRING", "")
                target = self.reverse_subpage("topic", args=[slug.lower()])
                return HttpResponsePermanentRedirect(
                    f"{self.url}{target}" + (f"?{query}" if query else "")
                )
            raise Http404("No such topic")
        context = self.get_context(request)
        members = self.live_terms().filter(category__in=topic.categories)
        ordered = list(members.order_by("sort_key", "pk").values_list("pk", flat=True))
        position = {pk: number for number, pk in enumerate(ordered)}
        links = GlossaryTermBroader.objects.filter(
            page_id__in=members.values("pk"), term_id__in=members.values("pk")
        ).values_list("page_id", "term_id")
        children, has_parent = defaultdict(list), set()
        for narrower, broader in links:
            if narrower != broader:
                children[broader].append(narrower)
                has_parent.add(narrower)
        for below in children.values():
            below.sort(key=position.__getitem__)  # A to Z
        roots = [pk for pk in ordered if pk not in has_parent]
        # A cycle among stored terms (refused on save, but possible in old data): its terms
        # would have no root; the first of them A to Z stands in for one.
        unreached = set(ordered) - descendants(roots, children)
        while unreached:
            first = min(unreached, key=position.__getitem__)
            roots.append(first)
            unreached -= descendants([first], children)
        roots.sort(key=position.__getitem__)
        page = listing_page(request, roots, self.roots_per_topic_page, len(roots))
        shown = descendants(page.object_list, children)
        rows = members.filter(pk__in=shown).only(*LINK_FIELDS).in_bulk()
        page.object_list = topic_tree(page.object_list, children, rows)
        context.update(topic=topic, tree=page, topic_terms=page)
        context["canonical_url"] = canonical_listing_url(f"{self.full_url}topics/{slug}/", page)
        context["meta_description"] = topic_description(topic, page)
        return self.render(
            request, context_overrides=context, template="glossary/glossary_topic_page.html"
        )
