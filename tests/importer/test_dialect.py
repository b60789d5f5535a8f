"""The front-matter dialect, read without a database."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer.dialect import decode, dump, parse
from importer.errors import FixtureError

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "glossary" / "000_54b8be97246d5048.txt"


def read(text, name="f.txt"):
    return parse(decode(text.encode("utf-8") if isinstance(text, str) else text, name), name)


def test_seed_record_reads_exactly():
    document = read(SEED.read_bytes())
    fields = document.fields
    assert fields["id"] == "e0c71804d0d3"
    assert fields["name"] == "Operations strategy"
    assert fields["category"] == "glossary"
    assert len(fields["key_words"]) == 10
    assert fields["key_words"][0] == "How does operations strategy align with business goals?"
    assert fields["related_articles_heading"] == "Recently published Pulse insights."
    items = fields["related_articles_items"]
    assert [item["related_article_slug"] for item in items] == [
        "elevating-workflows-with-ai-maven's-approach",
        "optimized-outcomes-with-ai-enabled-solutions",
        "maven-transforming-the-landscape-of-autonomous-vehicles",
    ]
    # Unquoted values keep their apostrophes; the trailing comma is a separator, not text.
    assert items[0]["related_article_title"] == "Elevating Workflows with AI Maven's Approach"
    assert items[0]["related_article_image"] == "/data_operations_boardroom.jpg"
    assert document.item_lines == {"related_articles_items": [13, 20, 27]}
    assert document.line_of("content_raw") == 7
    assert document.body == ""


def test_crlf_and_byte_order_mark_read_the_same():
    data = SEED.read_bytes()
    crlf = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    assert read(crlf).fields == read(data).fields


def test_plain_yaml_front_matter_loads():
    document = read(
        "---\n"
        "id: y1\n"
        "name: 'Service level: the basics'\n"
        "key_words:\n"
        "  - What is an SLA?\n"
        "  - Who owns it?\n"
        "related_articles_items:\n"
        "  - related_article_title: Uptime, explained\n"
        "    related_article_slug: uptime-explained\n"
        "---\n"
        "Body text.\n"
    )
    assert document.fields["name"] == "Service level: the basics"
    assert document.fields["key_words"] == ["What is an SLA?", "Who owns it?"]
    assert (
        document.fields["related_articles_items"][0]["related_article_slug"] == "uptime-explained"
    )
    assert document.body == "Body text.\n"


def test_dialect_scalars_are_kept_verbatim_where_yaml_would_change_them():
    document = read('---\nid: 1e10\nname: Ratio: cost # per unit\ntitle_note: "quoted: yes"\n---\n')
    assert document.fields["id"] == "1e10"
    assert document.fields["name"] == "Ratio: cost # per unit"
    assert document.fields["title_note"] == "quoted: yes"


def test_multi_line_json_list():
    document = read('---\nname: X\nkey_words: ["a?",\n  "b, c?"]\n---\n')
    assert document.fields["key_words"] == ["a?", "b, c?"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty"),
        ("   \n\n", 1, "empty"),
        ("id: 1\nname: x\n", 1, "must start with a '---'"),
        ("---\nid: 1\nname: x\n", 1, "never closed with '---'"),
        ('---\nid: 1\nkey_words: ["a", "b"\n---\n', 3, "broken list"),
        ('---\nid: 1\nkey_words: ["a", 2]\n---\n', 3, "list of strings"),
        ("---\nid: 1\nitems: [\n\t{\n\t\tk: v\n]\n---\n", 6, "never closed with '}'"),
        ("---\nid: 1\nitems: [\n\t{\n\t\tk: v\n\t},\n---\n", 3, "never closed with ']'"),
        ("---\nid: 1\nid: 2\n---\n", 3, "appears twice"),
        ("---\nid: 1\n\tstray: [x\n---\n", 3, "expected 'key: value'"),
    ],
)
def test_bad_front_matter_names_the_line(text, line, message):
    with pytest.raises(FixtureError) as caught:
        read(text, "fixtures/bad.txt")
    assert caught.value.path == "fixtures/bad.txt"
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"fixtures/bad.txt:{line}: ")


def test_undecodable_bytes_name_their_line():
    with pytest.raises(FixtureError) as caught:
        read(b"---\nid: 1\nname: caf\xe9\n---\n", "latin1.txt")
    assert caught.value.line == 3
    assert "not UTF-8" in caught.value.message


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True),
        st.text(
            alphabet=st.characters(
                blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"
            ),
            min_size=1,
            max_size=60,
        )
        .map(str.strip)
        .filter(lambda s: s and s[0] not in "[\"'" and s != "---"),
        max_size=6,
    )
)
def test_any_scalar_value_round_trips(fields):
    text = "---\n" + "".join(f"{key}: {value}\n" for key, value in fields.items()) + "---\n"
    assert read(text).fields == fields


# --- writing: what ``dump`` writes, ``parse`` reads back exactly ----------------------------

FIELD_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,12}", fullmatch=True)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
AWKWARD = st.sampled_from(
    [
        "",
        " lead",
        "trail ",
        "a, b",
        "it's",
        "'q'",
        '"q"',
        "[x]",
        "{",
        "}",
        "},",
        "x,",
        "---",
        "\t",
        "a\tb",
        "line\nbreak",
        "cr\rhere",
        "\\n",
        "# not a comment",
        "Ωμέγα 漢字 עברית",
    ]
)
VALUES = st.one_of(
    TEXT,
    AWKWARD,
    st.lists(st.one_of(TEXT, AWKWARD), max_size=4),
    st.lists(
        st.dictionaries(FIELD_NAMES, st.one_of(TEXT, AWKWARD), min_size=1, max_size=4),
        min_size=1,
        max_size=3,
    ),
)


@given(
    fields=st.dictionaries(FIELD_NAMES, VALUES, max_size=6),
    body=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r"), max_size=80),
)
def test_dump_is_read_back_exactly(fields, body):
    document = read(dump(fields, body))
    assert document.fields == fields
    assert document.body == body


def test_dump_writes_plain_values_as_the_seed_does():
    text = dump(
        {
            "name": "Lead time",
            "key_words": ["What is it?"],
            "items": [{"title": "Maven's way, again", "slug": "a-b"}],
            "odd": " spaced",
        },
        "Body\n",
    )
    assert text == (
        '---\nname: Lead time\nkey_words: ["What is it?"]\nitems: [\n\t{\n'
        '\t\ttitle: Maven\'s way, again,\n\t\tslug: a-b\n\t}\n]\nodd: " spaced"\n---\nBody\n'
    )


def test_the_seed_is_written_back_to_its_own_fields():
    seed = read(SEED.read_bytes())
    assert read(dump(seed.fields, seed.body)).fields == seed.fields
