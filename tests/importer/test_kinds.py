"""The record kinds: what tells them apart in a file, and what each says to the other steps."""

import pytest

from importer.dialect import parse
from importer.errors import FixtureError
from importer.kinds import KINDS, TermKind, build_record, kind_of, register, write_order
from importer.models import ImportedRecord

TERM = "---\nid: t-1\nname: Lead Time\n---\n"
ARTICLE = "---\ntitle: On Lead Times\n---\nBody text.\n"


def record(text):
    return build_record(parse(text, "x.md"))


def test_each_kind_is_found_by_its_marker_and_labelled_by_its_title():
    term, article = record(TERM), record(ARTICLE)
    assert (kind_of(term).name, kind_of(term).label(term)) == ("term", "term 'Lead Time'")
    assert (kind_of(article).name, kind_of(article).label(article)) == (
        "article",
        "article 'On Lead Times'",
    )


def test_a_record_with_two_kinds_markers_fails_at_the_later_one():
    with pytest.raises(FixtureError) as caught:
        record("---\nid: t-1\nname: Lead Time\nslug: x\ntitle: Lead Time\n---\n")
    assert caught.value.line == 5
    assert "'name' (term) or a 'title' (article), not both" in caught.value.message


def test_a_record_of_no_kind_names_every_marker():
    with pytest.raises(FixtureError) as caught:
        record("---\nid: t-1\n---\n")
    assert caught.value.line == 1
    assert "'title' (Pulse article) or 'name' (glossary term)" in caught.value.message


def test_articles_are_written_before_terms():
    # A term's cards find an article of the same run only if the article is written first.
    assert sorted([record(TERM), record(ARTICLE)], key=write_order)[0].kind == "article"


def test_every_kind_can_be_recorded_as_imported():
    # The column has no choices (the registry is the list); a kind's name must only fit it.
    column = ImportedRecord._meta.get_field("kind")
    assert not column.choices
    assert all(len(name) <= column.max_length for name in KINDS)


@pytest.mark.parametrize("text", [TERM, ARTICLE])
def test_page_values_are_fields_of_the_kinds_page_and_include_its_key(text):
    item = record(text)
    kind = kind_of(item)
    values = kind.page_values(item)
    field_names = {field.name for field in kind.model._meta.get_fields()}
    assert set(values) <= field_names
    assert values[kind.key_field] == item.key
    assert kind.model in kind.parent_model.allowed_subpage_models()


def test_a_kind_is_registered_once_by_name():
    with pytest.raises(ValueError, match="already registered"):
        register(TermKind())
    assert list(KINDS) == ["article", "term"]
