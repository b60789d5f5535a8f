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
    """The letter whose page's slug is exactly ``slug``, or None: one address per letter (the
    route redirects /letter/A/ to /letter/a/; "ſ" or "ı", which upper-case to S and I, are
    no letter's)."""
    if slug == OTHER_SLUG:
        return OTHER
    letter = slug.upper()
    if len(letter) == 1 and letter in ascii_uppercase and letter_slug(letter) == slug:
        return letter
    return None
