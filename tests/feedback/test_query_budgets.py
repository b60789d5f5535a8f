"""Query budgets of the readers' forms: what each costs whatever the glossary's size (the
site and its navigation come from the cache; a report reads its one term). Never cached, so always this."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.test.utils import WagtailPageTestCase

from tests.factories import GlossaryTermPageFactory

# The navigation and the site come from the cache; a report's term (live, public) is one query.
BUDGETS = {"suggest": 0, "report": 1, "thanks": 0}


class FeedbackBudgetTests(WagtailPageTestCase):
    def test_each_form_within_its_budget(self):
        for n in range(5):
            GlossaryTermPageFactory(title=f"Term {n}", slug=f"term-{n}")
        term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
        urls = {
            "suggest": "/feedback/suggest/?q=kaizen",
            "report": f"/feedback/report/{term.pk}/",
            "thanks": "/feedback/thanks/",
        }
        for kind, url in urls.items():
            self.client.get(url)  # per-process caches (the site, the navigation) warmed once
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            with self.subTest(page=kind):
                self.assertEqual(response.status_code, 200)
                sql = [query["sql"] for query in queries.captured_queries]
                self.assertLessEqual(len(sql), BUDGETS[kind], "\n".join(sql))
