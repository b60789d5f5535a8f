from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = "Glossary"

    def ready(self):
        """Tell the base what the glossary adds to the site: its downloads' cache scope, its
        sitemap section, its answers to content events, its nightly recompute, its searchable
        terms and its models' images (shown to visitors)."""
        from core import dependencies, images, page_cache, searchables, sitemaps
        from core.tasks import register_periodic

        from . import backlinks, daily, effects, hierarchy, history, names, review, tasks
        from .models import GlossaryTermPage, TermStatus

        dependencies.declare(
            page_cache.DOWNLOADS,
            routes=[("glossary_download", {"format": name}) for name in ("csv", "ttl", "jsonld")],
            # Rebuilt by their own task (glossary.downloads), not rendered by the warmer.
            warm=False,
            help="The glossary as CSV, SKOS and JSON-LD: every live term.",
        )
        from .changes import TERM_FEEDS

        dependencies.declare(
            TERM_FEEDS,
            routes=["glossary_feed", "glossary_feed_atom", "glossary_whats_new"],
            help="The feeds of new and changed terms, and What's new: every live, public term.",
        )
        from .sitemaps import GlossarySitemap

        sitemaps.register_section("glossary", GlossaryTermPage, GlossarySitemap)
        effects.register()
        review.connect()  # a Moderator's approval of a term records the review
        history.connect()  # the "Updated" date and "Changes", kept at publish
        hierarchy.register()  # broader and narrower terms shown on each other's pages
        backlinks.register()  # the terms that list an article, when it changes
        register_periodic(tasks.recompute_all_neighbourhoods, nightly=True)
        daily.register()  # the term of the day: its cache scope, handlers and roll-over
        images.show_images_of(self.label)  # its pages', cards' and sections' images

        # The site's search: terms, found forgivingly by name (glossary.names).
        searchables.register(
            GlossaryTermPage,
            # Ranked after the name: the key questions and synonyms, then the description.
            fields=(("key_questions", "synonyms"), ("description",)),
            description="description",
            names=searchables.Names(
                match=names.match_names,
                database_settings=names.database_settings,
                warm=names.warm,
            ),
            key_field="term_id",
            # Deprecated terms are still found, labelled, after current terms matching as well.
            flag=searchables.Flag("status", TermStatus.DEPRECATED, TermStatus.DEPRECATED.label),
        )
