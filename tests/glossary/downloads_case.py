"""The terms every download test starts from: three public (one a spreadsheet formula, one in
Greek), one private and one draft, with related terms across two chunks of two."""

from unittest import mock

from django.core.cache import cache

from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from glossary import downloads
from glossary.models import GlossaryTermPage, TermNeighbour
from tests.factories import GlossaryTermPageFactory

BASE = "http://localhost"  # the default Site's address: IRIs never come from a request


def body(response):
    return b"".join(response.streaming_content)


class DownloadTestCase(WagtailPageTestCase):
    def setUp(self):
        cache.clear()
        # Two terms a chunk: every file below is written in two chunks (three public terms).
        chunks = mock.patch.object(downloads, "CHUNK_SIZE", 2)
        chunks.start()
        self.addCleanup(chunks.stop)
        self.lead = GlossaryTermPageFactory(
            title="Lead time",
            slug="lead-time",
            term_id="lt-1",
            synonyms="LT, delivery time",
            description='Time from order to delivery, "door to door".',
        )
        self.formula = GlossaryTermPageFactory(
            title='=HYPERLINK("http://evil")', slug="hyperlink", term_id="x-2"
        )
        self.greek = GlossaryTermPageFactory(title="Ωμέγα", slug="omega", term_id="om-3")
        self.private = GlossaryTermPageFactory(title="Shadow plan", slug="shadow", term_id="sh-4")
        PageViewRestriction.objects.create(
            page=self.private, restriction_type=PageViewRestriction.LOGIN
        )
        self.draft = GlossaryTermPageFactory(title="Unready", slug="unready", term_id="dr-5")
        self.draft.unpublish()
        TermNeighbour.objects.filter(kind=TermNeighbour.RELATED).delete()
        # Ωμέγα sorts after "Lead time": related across two chunks.
        for position, other in enumerate([self.greek, self.private]):
            TermNeighbour.objects.create(
                term=self.lead, other=other, kind=TermNeighbour.RELATED, position=position
            )
        cache.clear()

    def download(self, name, **headers):
        response = self.client.get(f"/glossary/download/glossary.{name}", headers=headers)
        self.assertEqual(response.status_code, 200)
        return response

    def content(self, name):
        return body(self.download(name))

    def public_terms(self):
        return {"lt-1", "x-2", "om-3"}

    def publish_title(self, page, title):
        page = GlossaryTermPage.objects.get(pk=page.pk)
        page.title = title
        page.save_revision().publish()
