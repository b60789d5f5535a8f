import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.alphabet import LETTERS, OTHER, letter_for, letter_from_slug, letter_slug


@pytest.mark.parametrize(
    ("name", "letter"),
    [
        ("Operations strategy", "O"),
        ("operations strategy", "O"),
        ("  Zeta", "Z"),
        ("Ärger management", "A"),
        ("Œuvre", "O"),
        ("5S method", OTHER),
        ("3PL", OTHER),
        ("数据治理", OTHER),
        ("Ωmega", OTHER),
        ("“Quoted” term", OTHER),
        ("", OTHER),
    ],
)
def test_letter_for(name, letter):
    assert letter_for(name) == letter


@given(st.text(max_size=30))
def test_every_name_has_a_letter_with_a_url(name):
    letter = letter_for(name)
    assert letter in LETTERS
    assert letter_from_slug(letter_slug(letter)) == letter


def test_bad_slugs():
    assert letter_from_slug("aa") is None
    assert letter_from_slug("ä") is None
    assert letter_from_slug("#") is None
    # Letters that upper-case into A-Z are no letter's slug: no duplicate of /letter/s/.
    assert letter_from_slug("ſ") is None
    assert letter_from_slug("ı") is None
    assert letter_from_slug("S") is None
