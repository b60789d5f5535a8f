"""The import report: its data form, and warnings grouped so 10,000 files stay readable."""

import json

from importer.report import EXAMPLES_PER_KIND, Report


def report_with_warnings(count):
    report = Report()
    for n in range(count):
        report.add("created", f"glossary/{n:03d}.txt", f"term t{n}")
        report.warn(
            f"glossary/{n:03d}.txt", f"line 3: unknown field 'x{n}' ignored", "unknown field"
        )
    report.warn("glossary/007.txt", "image '/a.jpg' not found; shown without it", "image not found")
    report.warn("glossary/007.txt", "image '/a.jpg' not found; shown without it", "image not found")
    return report


def test_repeated_warnings_are_grouped_with_a_count_and_a_few_examples():
    text = report_with_warnings(40).render()
    assert "unknown field: 40 files, for example (--verbose: all)" in text
    assert text.count("unknown field 'x") == EXAMPLES_PER_KIND
    assert "glossary/007.txt: image '/a.jpg' not found; shown without it" in text
    assert text.count("image '/a.jpg'") == 1  # the same warning twice is said once


def test_verbose_text_and_the_data_keep_every_warning():
    report = report_with_warnings(40)
    assert report.render(verbose=True).count("unknown field 'x") == 40
    data = json.loads(json.dumps(report.as_dict()))
    assert len(data["warnings"]) == 41
    assert data["warnings"][0] == {
        "path": "glossary/000.txt",
        "message": "line 3: unknown field 'x0' ignored",
        "kind": "unknown field",
    }
    assert data["counts"]["created"] == 40
    assert data["counts"]["warnings"] == 41
    assert data["files"][1] == {
        "verb": "created",
        "path": "glossary/001.txt",
        "label": "term t1",
        "detail": "",
    }


def test_a_few_warnings_are_listed_as_they_are():
    text = report_with_warnings(2).render()
    assert "for example" not in text
    assert text.count("unknown field 'x") == 2


def test_a_kinds_notes_are_counted_listed_and_in_the_data():
    from importer.kinds.related import MISSING_ARTICLES

    report = Report()
    assert report.as_dict()["missing_articles"] == []  # a registered kind's key, even empty
    report.note(MISSING_ARTICLES, "glossary/a.txt", "Kanban", "kanban-in-practice")
    assert report.counts["warnings"] == 1
    assert (
        "\nCards whose Pulse article does not exist yet (shown without a link):\n"
        "  glossary/a.txt: 'Kanban' -> /pulse/kanban-in-practice/\n"
    ) in report.render()
    assert report.as_dict()["missing_articles"] == [
        {"path": "glossary/a.txt", "card_title": "Kanban", "slug": "kanban-in-practice"}
    ]
