"""What an editor's publish reads stays bounded by the change, not by the glossary."""

import pytest

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from core.page_roles import listing_page_ids
from glossary.effects import _drop_links_to_gone_terms
from glossary.models import GlossaryTermPage, TermNeighbour
from tests.factories import GlossaryTermPageFactory


class TitleClashIndexTests(TestCase):
    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own index")
    def test_the_name_clash_check_can_use_an_index(self):
        """``clean``'s ``title__iexact`` is served by the UPPER(title) index, whatever the
        planner would choose on a table this small."""
        query = GlossaryTermPage.objects.filter(title__iexact="Lead time").values("title")
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)  # noqa: S608 - Django's own SQL
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("glossary_page_upper_title", plan)

    def test_a_second_term_of_the_same_name_is_still_refused(self):
        GlossaryTermPageFactory(title="Lead time", slug="lead-time")
        twin = GlossaryTermPageFactory.build(title="LEAD TIME", slug="lead-time-2")
        with self.assertRaisesMessage(Exception, "There is already a term named"):
            twin.clean()


class ListingPagesIndexTests(TestCase):
    def test_the_listing_pages_lookup_uses_an_index(self):
        """Each publish finds the pages that list it by their type
        (``core.page_roles.listing_page_ids``): the content type's index serves it. Found by
        depth, it read the whole page table (every term) on each publish (issue 20's profile
        in bench/RESULTS.md)."""
        listing_page_ids()  # the content types, read once per process, are not the lookup
        with CaptureQueriesContext(connection) as captured:
            listing_page_ids()
        (query,) = captured.captured_queries
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")  # whatever the table's size
                cursor.execute(f"EXPLAIN {query['sql']}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plan = "\n".join(str(row) for row in cursor.fetchall())
        self.assertRegex(plan, r"wagtailcore_page_content_type_id\w*")


@override_settings(RELATED_RECOMPUTE="inline")
class GoneTermLinksTests(TestCase):
    def test_only_the_links_to_the_changed_terms_that_left_are_dropped(self):
        staying, leaving, other = (
            GlossaryTermPageFactory(title=title, slug=title.lower())
            for title in ("Kanban", "Kaizen", "Lean")
        )
        TermNeighbour.objects.all().delete()  # the rows below only
        rows = ((other, staying), (other, leaving), (staying, other))
        for position, (term, neighbour) in enumerate(rows):
            TermNeighbour.objects.create(
                term=term, other=neighbour, kind=TermNeighbour.RELATED, position=position
            )
        GlossaryTermPage.objects.filter(pk__in=[leaving.pk, other.pk]).update(live=False)
        # ``other`` left too, but only ``staying`` and ``leaving`` are the change: links to
        # ``other`` are the nightly recompute's, not this publish's.
        _drop_links_to_gone_terms([staying.pk, leaving.pk])
        self.assertEqual(
            set(TermNeighbour.objects.values_list("term_id", "other_id")),
            {(other.pk, staying.pk), (staying.pk, other.pk)},
        )
