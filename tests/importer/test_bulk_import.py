"""A generated corpus through the batched path: the same result Wagtail's own path gives."""

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from devkit.corpus import write_corpus
from glossary.models import GlossaryIndexPage, GlossaryTermPage, RelatedArticleCard
from pulse.models import PulseArticlePage

TERMS, ARTICLES = 40, 6


class BulkImportTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.corpus = Path(tempfile.mkdtemp(prefix="corpus-"))
        write_corpus(cls.corpus, terms=TERMS, articles=ARTICLES, seed=7)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.corpus, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        cache.clear()
        self.output = self.run_import()

    def run_import(self, **options):
        out = StringIO()
        call_command("import_fixtures", str(self.corpus), stdout=out, **options)
        return out.getvalue()

    def test_every_record_became_a_live_page_in_a_sound_tree(self):
        self.assertEqual(GlossaryTermPage.objects.live().count(), TERMS)
        self.assertEqual(PulseArticlePage.objects.live().count(), ARTICLES)
        self.assertEqual(GlossaryIndexPage.objects.get().numchild, TERMS)
        out = StringIO()
        call_command("fixtree", stdout=out)
        self.assertEqual(out.getvalue().count("No problems found."), 2, out.getvalue())

    def test_revisions_and_log_entries_belong_to_their_pages(self):
        for page in Page.objects.type(GlossaryTermPage, PulseArticlePage).select_related(
            "latest_revision"
        ):
            revision = page.latest_revision
            self.assertEqual(revision.object_id, str(page.pk))
            self.assertEqual(page.live_revision_id, revision.pk)
            self.assertEqual(revision.content["pk"], page.pk)
            self.assertEqual(revision.as_object().title, page.title)
        self.assertEqual(
            PageLogEntry.objects.filter(action="wagtail.publish").count(), TERMS + ARTICLES
        )

    def test_pages_render_with_linked_cards(self):
        term = GlossaryTermPage.objects.order_by("pk").first()
        response = self.client.get(term.url)
        self.assertEqual(response.status_code, 200)
        linked = [c for c in term.cards() if c.target_page_id]
        for card in linked:
            self.assertContains(response, f'href="{card.target_page.url}"')
        self.assertEqual(
            RelatedArticleCard.objects.filter(target_page__isnull=True)
            .exclude(target_slug__in=PulseArticlePage.objects.values("slug"))
            .count(),
            RelatedArticleCard.objects.filter(target_page__isnull=True).count(),
            "every card whose article exists links to it",
        )

    def test_search_and_reference_indexes_are_filled(self):
        term = GlossaryTermPage.objects.order_by("pk").last()
        self.assertIn(term.pk, [page.pk for page in GlossaryTermPage.objects.search(term.title)])
        card = term.related_cards.first().card
        users = ReferenceIndex.get_references_to(card).values_list("object_id", flat=True)
        self.assertIn(str(term.pk), list(users))

    def test_reference_index_equals_wagtails_own(self):
        columns = (
            "content_type",
            "base_content_type",
            "object_id",
            "to_content_type",
            "to_object_id",
            "model_path",
            "content_path",
            "content_path_hash",
        )
        ours = sorted(ReferenceIndex.objects.values_list(*columns))
        self.assertTrue(any(row[5] == "related_cards.item.card" for row in ours))
        ReferenceIndex.objects.all().delete()
        for model in (GlossaryTermPage, PulseArticlePage, RelatedArticleCard, get_image_model()):
            for obj in model.objects.all():
                ReferenceIndex.create_or_update_for_object(obj)
        theirs = sorted(ReferenceIndex.objects.values_list(*columns))
        self.assertEqual(set(ours) - set(theirs), set())
        self.assertEqual(set(theirs) - set(ours), set())
        self.assertEqual(ours, theirs)

    def test_rerun_is_unchanged_and_edits_are_protected(self):
        revisions = Revision.objects.count()
        report = json.loads(self.run_import(format="json"))
        self.assertEqual(report["counts"]["unchanged"], TERMS + ARTICLES)
        self.assertEqual(Revision.objects.count(), revisions)

        term = GlossaryTermPage.objects.order_by("pk").first()
        editor = get_user_model().objects.create_superuser("ed", "ed@example.com", "pw")
        self.client.force_login(editor)
        self.assertEqual(self.client.get(f"/admin/pages/{term.pk}/edit/").status_code, 200)
        edited = term.get_latest_revision_as_object()
        edited.description = "Edited by a person."
        edited.save_revision(user=editor).publish()

        source = self.corpus / "glossary" / "000000.txt"
        original = source.read_text(encoding="utf-8")
        try:
            source.write_text(
                original.replace("category: glossary", "category: operations"), encoding="utf-8"
            )
            output = self.run_import()
        finally:
            source.write_text(original, encoding="utf-8")
        self.assertIn("edited in the admin", output)
        term.refresh_from_db()
        self.assertEqual(term.description, "Edited by a person.")
