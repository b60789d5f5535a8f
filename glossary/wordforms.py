"""The English word forms a term's names are linked by: plurals and possessives.

``KPIs`` links to "KPI", ``service level agreements`` to "Service level agreement" and
``SLA's`` / ``SLAs'`` to "SLA". The forms are extra phrases in the linking automaton
(``glossary.linked_html``), mapped to the same term, so matching stays one linear pass; an exact
name or synonym of another term always wins over a form.

Only the last word of a phrase is inflected ("service level agreements", never "services level
agreement"), by the regular rules: ``s``; ``es`` after s, x, z, ch and sh; ``ies`` after a
consonant and y; ``'s`` and ``s'`` for possessives. Irregular plurals are not known: no
maintained library giving them is among the project's dependencies (``inflect`` would be), and
a wrong form only costs a phrase nobody writes. Words shorter than ``MIN_LETTERS`` get no forms:
"IT" must not link "its" or "it's".

Phrases are keys as the automaton holds them (HTML-escaped, lower case). Bodies are matched
with typographic apostrophes (’) read as straight ones (``normalise``), so one form serves both.
"""

MIN_LETTERS = 3
APOSTROPHE = "'"
TYPOGRAPHIC_APOSTROPHE = "\u2019"
CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


def normalise(lowered):
    """Text as forms are matched in: same length, typographic apostrophes made straight."""
    return lowered.replace(TYPOGRAPHIC_APOSTROPHE, APOSTROPHE)


def plural(word):
    """The regular English plural of a lower-case ``word``, or "" when it looks plural already
    ("indicators") or ends in no letter ("ISO 9001")."""
    if not word[-1:].isalpha():
        return ""
    if word.endswith(("ss", "us", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("s"):  # "indicators", "KPIs", "analysis": a plural already, or irregular
        return ""
    if word.endswith("y") and len(word) > 1 and word[-2] in CONSONANTS:
        return word[:-1] + "ies"
    return word + "s"


def word_forms(key):
    """The forms of a phrase key other than itself: plural, possessives (its last word's)."""
    head, _, last = key.rpartition(" ")
    if len(last) < MIN_LETTERS or not last[-1].isalnum():
        return []
    prefix = f"{head} " if head else ""
    many = plural(last)
    if many:
        forms = [last + APOSTROPHE + "s", many, many + APOSTROPHE]
    elif last[-1].isalpha():  # a plural already: "KPIs' targets"
        forms = [last + APOSTROPHE]
    else:  # "ISO 9001's"
        forms = [last + APOSTROPHE + "s"]
    return [prefix + form for form in forms]


def linking_keys(keys):
    """``keys`` followed by their forms, each once (what a term is linked by)."""
    found = dict.fromkeys(keys)
    for key in keys:
        found.update(dict.fromkeys(word_forms(key)))
    return list(found)
