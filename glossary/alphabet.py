"""How terms are filed A to Z."""

from string import ascii_uppercase

from anyascii import anyascii

OTHER = "#"  # digits, symbols and letters with no Latin transliteration
LETTERS = [*ascii_uppercase, OTHER]
OTHER_SLUG = "0-9"


def letter_for(name: str) -> str:
    """'Zeta' -> 'Z', 'Ärger' -> 'A', '5S method' -> '#', '数据' -> '#'.

    Accented Latin letters file under their base letter, as readers look for them.
    """
    stripped = name.strip()
    if not stripped:
        return OTHER
    first = stripped[0]
    if not first.isalpha():
        return OTHER
    latin = anyascii(first)[:1].upper()
    # A non-Latin script transliterates too (数 -> "Shu"), but readers would not look for it under S.
    if latin in ascii_uppercase and (first.isascii() or _is_latin(first)):
        return latin
    return OTHER


def _is_latin(char):
    import unicodedata

    return unicodedata.name(char, "").startswith("LATIN")


def letter_slug(letter: str) -> str:
    return OTHER_SLUG if letter == OTHER else letter.lower()


def letter_from_slug(slug: str) -> str | None:
    """The letter of a letter page's slug, or None; only the lower-case slug is a letter's
    (the route redirects /letter/A/ to /letter/a/)."""
    if slug == OTHER_SLUG:
        return OTHER
    letter = slug.upper()
    return letter if slug.islower() and len(letter) == 1 and letter in ascii_uppercase else None
