"""Input that once tied up a worker: every parser refuses what would blow up and fails with
its own error naming file and line, never anything else. How long they take (linear in the
input) is measured by ``python -m bench.parsers``, not here: no test depends on the machine's
speed."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer import dialect
from importer.dialect import decode, parse
from importer.errors import FixtureError
from importer.kinds import build_record
from importer.structure import recover_headings


def read(text, name="upload.txt"):
    return parse(decode(text.encode("utf-8"), name), name)


def test_yaml_aliases_are_refused_with_their_line():
    # 7 nested levels of ten aliases each: 10**7 strings once expanded (6 s before).
    levels = ["a0: &a0", *["  - lol"] * 10]
    for level in range(1, 8):
        levels += [f"a{level}: &a{level}", *[f"  - *a{level - 1}"] * 10]
    text = "---\nname: Bomb\n" + "\n".join(levels) + "\n---\n"
    with pytest.raises(FixtureError) as caught:
        read(text)
    assert caught.value.line == 15  # the first '*a0'

    assert "aliases" in caught.value.message


def test_deep_yaml_nesting_is_refused():
    text = "---\nname: Deep\nvalue: " + "[" * 5000 + "]" * 5000 + "\n---\n"
    with pytest.raises(FixtureError) as caught:
        read(text)
    assert "deeper" in caught.value.message or "broken list" in caught.value.message
    text = "---\nname: Deep\nvalue:\n" + "".join("  " * n + "- \n" for n in range(100)) + "---\n"
    with pytest.raises(FixtureError) as caught:
        read(text)
    assert "deeper than" in caught.value.message


def test_an_inline_list_that_never_closes_is_read_once():
    # 96 KB of lines after an open '[' took 24 s when the list was decoded again each line.
    text = '---\nname: Open\nkey_words: ["a",\n' + '"more words in the list",\n' * 4000 + "---\n"
    with pytest.raises(FixtureError) as caught:
        read(text)
    assert caught.value.line == 3
    assert "broken list" in caught.value.message


def test_multi_line_lists_still_read():
    text = '---\nname: X\nkey_words: ["a [b]",\n "c \\" ] d",\n "e"]\ncategory: g\n---\n'
    fields = read(text).fields
    assert fields["key_words"] == ["a [b]", 'c " ] d', "e"]
    assert fields["category"] == "g"


def test_files_too_large_or_too_long_are_refused(monkeypatch):
    with pytest.raises(FixtureError) as caught:
        read("---\nname: X\n---\n" + "\n" * dialect.MAX_LINES)
    assert caught.value.line == dialect.MAX_LINES + 1
    monkeypatch.setattr(dialect, "MAX_FILE_BYTES", 1000)
    with pytest.raises(FixtureError, match="bytes; a fixture may have 1,000"):
        read("---\nname: X\n---\n" + "x" * 1000)


def test_heading_recovery_is_linear_on_runs_of_capitalised_sentence_ends():
    # 40 KB of "Ab.)" took 25 s: each sentence start scanned the whole run.
    text = "Ab.) " * 8000
    blocks = recover_headings(text)
    words = " ".join(
        block.value if block.kind == "paragraph" else block.value["heading_text"]
        for block in blocks
    )
    assert words.count("Ab.)") == 8000


PIECES = st.sampled_from(
    [
        "---",
        "\n",
        "\t",
        " ",
        "{",
        "}",
        "},",
        "[",
        "]",
        '"',
        "'",
        ",",
        ":",
        "key: ",
        "name: ",
        "id: ",
        "related_articles_items: [",
        "key_words: [",
        "content_raw: ",
        "&a ",
        "*a",
        "- ",
        "Ab.) ",
        "Title Case Words ",
        "and lower words. ",
        "é",
        "\\",
        "#",
    ]
)


@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(PIECES, max_size=300),
    st.integers(min_value=1, max_value=60),
)
def test_any_input_parses_or_fails_with_file_and_line(pieces, repeat):
    text = "---\n" + "".join(pieces) * repeat + "\n---\n" + "".join(pieces)
    try:
        document = parse(decode(text.encode("utf-8"), "upload.txt"), "upload.txt")
        build_record(document)
    except FixtureError as error:
        assert error.path == "upload.txt"
        assert error.line >= 1
