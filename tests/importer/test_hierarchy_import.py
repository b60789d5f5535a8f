"""The ``broader`` key of term files: read, resolved across files, checked (unknown ids and
cycles fail that record alone, with file and line) and exported only when a term has one."""

import json

from django.test import TestCase

from devkit.corpus import write_corpus
from glossary.models import GlossaryTermBroader, GlossaryTermPage

from .helpers import FIXTURES, ExportTestCase, ImportTestMixin, files_of, term_text
from .test_bad_records import failures, written


def broader_of(key):
    page = GlossaryTermPage.objects.get(term_id=key)
    return [row.term.term_id for row in page.broader_terms.all()]


def with_broader(key, name, *broader):
    return term_text(key=key, name=name, extra=f"broader: {json.dumps(list(broader))}\n")


# The line of ``broader:`` in those files.
LINE = with_broader("a", "A", "b").splitlines().index('broader: ["b"]') + 1


class BroaderImportTests(ImportTestMixin, TestCase):
    def test_broader_terms_resolve_across_files_in_either_order(self):
        # "a-capacity" is read first and names a term written by a later file.
        self.write("glossary/a.txt", with_broader("capacity", "Capacity planning", "planning"))
        self.write("glossary/b.txt", with_broader("planning", "Planning", "strategy"))
        self.write("glossary/c.txt", term_text(key="strategy", name="Strategy"))
        report = self.import_report()
        self.assertEqual(report["counts"]["failed"], 0, report)
        self.assertEqual(broader_of("capacity"), ["planning"])
        self.assertEqual(broader_of("planning"), ["strategy"])
        self.assertEqual(broader_of("strategy"), [])
        # Imported again unchanged: nothing to do.
        again = self.import_report()
        self.assertEqual(written(again, "unchanged"), ["a.txt", "b.txt", "c.txt"])

    def test_a_changed_broader_term_updates_the_page(self):
        self.write("glossary/a.txt", with_broader("capacity", "Capacity planning", "planning"))
        self.write("glossary/b.txt", term_text(key="planning", name="Planning"))
        self.write("glossary/c.txt", term_text(key="strategy", name="Strategy"))
        self.import_report()
        self.write("glossary/a.txt", with_broader("capacity", "Capacity planning", "strategy"))
        report = self.import_report()
        self.assertEqual(written(report, "updated"), ["a.txt"])
        self.assertEqual(broader_of("capacity"), ["strategy"])

    def test_a_run_that_reverses_a_link_is_written_whole(self):
        """Halfway through the run the database still has the old link: the run's own check
        (of the state it leaves) decides, not a check against that halfway state."""
        self.write("glossary/a.txt", term_text(key="alpha", name="Alpha"))
        self.write("glossary/b.txt", with_broader("beta", "Beta", "alpha"))
        self.import_report()
        self.write("glossary/a.txt", with_broader("alpha", "Alpha", "beta"))
        self.write("glossary/b.txt", term_text(key="beta", name="Beta"))
        report = self.import_report()
        self.assertEqual(report["counts"]["failed"], 0, report)
        self.assertEqual((broader_of("alpha"), broader_of("beta")), (["beta"], []))

    def test_an_unknown_id_fails_that_record_alone_with_its_line(self):
        self.write("glossary/a.txt", with_broader("capacity", "Capacity planning", "nowhere"))
        self.write("glossary/b.txt", term_text(key="planning", name="Planning"))
        output, error = self.run_failing(format="json")
        report = json.loads(output)
        self.assertIn("1 file(s) failed", error)
        [(name, line, _label, detail)] = failures(report)
        self.assertEqual((name, line), ("a.txt", LINE))
        self.assertIn("'nowhere' is not a term", detail)
        self.assertTrue(GlossaryTermPage.objects.filter(term_id="planning").exists())
        self.assertFalse(GlossaryTermPage.objects.filter(term_id="capacity").exists())

    def test_a_cycle_fails_the_records_that_close_it_and_names_it(self):
        self.write("glossary/a.txt", with_broader("capacity", "Capacity planning", "planning"))
        self.write("glossary/b.txt", with_broader("planning", "Planning", "capacity"))
        self.write("glossary/c.txt", with_broader("demand", "Demand planning", "strategy"))
        self.write("glossary/d.txt", term_text(key="strategy", name="Strategy"))
        dry, _ = self.run_failing(dry_run=True, format="json")
        output, error = self.run_failing(format="json")
        self.assertEqual(failures(json.loads(dry)), failures(json.loads(output)))
        found = {name: (line, detail) for name, line, _, detail in failures(json.loads(output))}
        self.assertEqual(sorted(found), ["a.txt", "b.txt"])
        self.assertEqual(found["a.txt"][0], LINE)
        self.assertIn("cycle: capacity → planning → capacity", found["a.txt"][1])
        self.assertEqual(broader_of("demand"), ["strategy"])

    def test_a_cycle_with_a_stored_term_fails(self):
        self.write("glossary/a.txt", with_broader("capacity", "Capacity planning", "planning"))
        self.write("glossary/b.txt", term_text(key="planning", name="Planning"))
        self.import_report()
        self.write("glossary/b.txt", with_broader("planning", "Planning", "capacity"))
        output, _ = self.run_failing(format="json")
        [(name, _line, _label, detail)] = failures(json.loads(output))
        self.assertEqual(name, "b.txt")
        self.assertIn("planning → capacity → planning", detail)
        self.assertEqual(broader_of("planning"), [])

    def test_its_own_id_is_refused_when_read(self):
        self.write("glossary/a.txt", with_broader("capacity", "Capacity planning", "capacity"))
        output, _ = self.run_failing(format="json")
        [(_name, line, _label, detail)] = failures(json.loads(output))
        self.assertEqual(line, LINE)
        self.assertIn("own broader term", detail)


class BroaderExportTests(ExportTestCase):
    def test_the_seed_export_has_no_broader_key(self):
        self.run_import(FIXTURES)
        exported = files_of(self.export())
        self.assertFalse(any(b"broader:" in text for text in exported.values()))

    def test_broader_terms_round_trip(self):
        corpus = self.new_directory()
        write_corpus(corpus, terms=12, articles=2, seed=5)
        self.run_import(corpus)
        self.assertEqual(files_of(self.export()), files_of(corpus))  # no key added
        terms = list(GlossaryTermPage.objects.order_by("term_id"))
        first = terms[0].get_latest_revision_as_object()
        first.broader_terms = [
            GlossaryTermBroader(term=terms[2], sort_order=0),
            GlossaryTermBroader(term=terms[1], sort_order=1),
        ]
        first.save_revision().publish()
        exported = self.export()
        [text] = [
            content.decode()
            for name, content in files_of(exported).items()
            if f"\nid: {first.term_id}\n".encode() in content
        ]
        self.assertIn(f'broader: ["{terms[2].term_id}", "{terms[1].term_id}"]', text)
        before = {t.term_id: broader_of(t.term_id) for t in GlossaryTermPage.objects.all()}
        self.assert_survives_an_empty_site()
        after = {t.term_id: broader_of(t.term_id) for t in GlossaryTermPage.objects.all()}
        self.assertEqual(after, before)
