"""How terms are filed and ordered A to Z."""

import re
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


# Digits in a name compare as numbers ("Lean 9" before "Lean 83"): each run is padded to this
# many digits (longer runs still compare as numbers among themselves, mostly).
NUMBER_WIDTH = 12
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"[0-9]+")


def _padded(match):
    digits = match.group().lstrip("0") or "0"
    return digits.rjust(NUMBER_WIDTH, "0")


def sort_key(name: str) -> bytes:
    """Where a name stands A to Z, as bytes: the one order of the index, the letter pages,
    previous and next, the downloads, the API and the admin.

    Readers expect "Capacity planning" before "Capacity Supply", "Ärger" among the A's and
    "Lean 9" before "Lean 83": the key is the letter's place (A to Z, then "#"), then the
    name's words transliterated to ASCII (anyascii), case-folded and with numbers padded, then
    the name itself to break ties. Bytes, not text, because databases compare text by their
    collation (PostgreSQL's locale differs from SQLite's binary order) but bytes byte by byte:
    the same order on both, and in Python. Hand-written: PyICU's collation keys would need a
    C library and still differ from a database's own ordering of text.
    """
    group = LETTERS.index(letter_for(name))
    words = _WORD.findall(anyascii(name).casefold())
    folded = " ".join(_NUMBER.sub(_padded, word) for word in words)
    return b"\0".join((f"{group:02d}".encode(), folded.encode(), name.strip().encode()))
