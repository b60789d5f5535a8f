"""A term's "Usage" in the admin: the pages that link to it, by mention or rich-text link."""

from tests.factories import (
    GlossaryTermPageFactory,
    PulseArticlePageFactory,
)
from tests.glossary.editors import AdminTestCase


class TermUsageTests(AdminTestCase):
    """A term's "Usage" counts the pages that link to it, by mention or by a rich-text link."""

    def setUp(self):
        self.term = GlossaryTermPageFactory(title="Capacity planning", slug="capacity-planning")
        self.login()

    def usage(self):
        return self.client.get(f"/admin/pages/{self.term.pk}/usage/")

    def edit_panel(self):
        return self.client.get(f"/admin/pages/{self.term.pk}/edit/")

    def test_an_article_mentioning_the_term_is_counted_and_listed(self):
        article = PulseArticlePageFactory(
            title="Planning ahead",
            body=[("paragraph", "<p>Good capacity planning avoids outages.</p>")],
        )
        self.assertContains(self.edit_panel(), "Referenced 1 time")
        response = self.usage()
        self.assertContains(response, "Planning ahead")
        self.assertContains(response, f"/admin/pages/{article.pk}/edit/")
        self.assertContains(response, "Linked mention in the body")

        # Wagtail re-indexing the article on a save that keeps the mention keeps the row.
        article.title = "Planning further ahead"
        article.save_revision().publish()
        self.assertContains(self.edit_panel(), "Referenced 1 time")

        # Without the mention, the reference goes.
        article = article.get_latest_revision_as_object()
        article.body = [("paragraph", "<p>Nothing about it now.</p>")]
        article.save_revision().publish()
        self.assertContains(self.edit_panel(), "Referenced 0 times")

    def test_a_rich_text_link_counts_once_with_a_mention(self):
        PulseArticlePageFactory(
            title="Linked by hand",
            body=[
                (
                    "paragraph",
                    f'<p>See <a linktype="page" id="{self.term.pk}">the term</a>'
                    " on capacity planning.</p>",
                )
            ],
        ).save_revision().publish()
        PulseArticlePageFactory(
            title="Linked only by hand",
            body=[("paragraph", f'<p><a linktype="page" id="{self.term.pk}">here</a></p>')],
        ).save_revision().publish()
        self.assertContains(self.edit_panel(), "Referenced 2 times")

    def test_relink_all_writes_them_again_after_a_rebuild_of_the_index(self):
        from io import StringIO

        from django.core.management import call_command

        PulseArticlePageFactory(body=[("paragraph", "<p>Capacity planning again.</p>")])
        call_command("rebuild_references_index", stdout=StringIO())
        self.assertContains(self.edit_panel(), "Referenced 0 times")
        call_command("relink_mentions", "--all", stdout=StringIO())
        self.assertContains(self.edit_panel(), "Referenced 1 time")

    def test_the_migration_indexes_mentions_stored_before_it(self):
        from importlib import import_module

        from django.apps import apps

        from wagtail.models import ReferenceIndex

        PulseArticlePageFactory(body=[("paragraph", "<p>Capacity planning again.</p>")])
        ReferenceIndex.objects.filter(model_path="term").delete()
        self.assertContains(self.edit_panel(), "Referenced 0 times")
        migration = import_module("glossary.migrations.0017_admin_labels_and_mention_references")
        migration.index_stored_mentions(apps, None)  # it reads no schema editor
        self.assertContains(self.edit_panel(), "Referenced 1 time")

    def test_deleting_the_article_removes_its_references(self):
        article = PulseArticlePageFactory(body=[("paragraph", "<p>Capacity planning again.</p>")])
        self.assertContains(self.edit_panel(), "Referenced 1 time")
        article.delete()
        self.assertContains(self.edit_panel(), "Referenced 0 times")
