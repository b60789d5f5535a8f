"""The glossary's vocabulary as the linking and the name search read it, once per version.

Every live, public term's name, synonyms, address and description (``vocabulary_rows``) is
what both the linking automaton (``glossary.linked_html``) and the search's name index
(``glossary.names``) are built from. Each process builds each of them at most once per
*vocabulary version*, a token in the shared cache that ``refresh_vocabulary`` moves (on the
worker) when what they hold changed; a web process therefore never rebuilds them per request.
"""

import hashlib
import threading
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.utils.html import escape

from core.internals import public_pages

from .wordforms import normalise

VERSION_KEY = "glossary:term-index-version"

_lock = threading.RLock()  # re-entered: one build may ask for another (the rows)
_built = {}  # builder: (version, what it built)
# How many times this process built each structure: tests check that a web request builds none.
builds = defaultdict(int)


def _live_terms():
    from .models import GlossaryTermPage

    return public_pages(GlossaryTermPage.objects.live()).order_by("pk")


def vocabulary_rows():
    """(id, title, synonyms, url_path, description) of every live, public term."""
    return _live_terms().values_list("id", "title", "synonyms", "url_path", "description")


def linkable_rows():
    """``vocabulary_rows`` of the terms other pages link: current ones. A deprecated term is
    still found by name in the search, but its mentions link its replacement when that lists
    the name as a synonym, else nothing."""
    from .models import TermStatus

    return vocabulary_rows().exclude(status=TermStatus.DEPRECATED)


def vocabulary_fingerprint():
    digest = hashlib.sha256()
    # The "never link" switch and the status too: the automaton leaves those terms out.
    for row in _live_terms().values_list(
        "id", "title", "synonyms", "url_path", "description", "never_link", "status"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


def never_linked(term_ids=None):
    """Ids of the terms (among ``term_ids``, or all) an editor asked never to link."""
    from .models import GlossaryTermPage

    rows = GlossaryTermPage.objects.filter(never_link=True)
    if term_ids is not None:
        rows = rows.filter(pk__in=term_ids)
    return set(rows.values_list("pk", flat=True))


def refresh_vocabulary():
    """Move the vocabulary version if what the automaton holds changed; return whether it did.

    The version is a fingerprint of the vocabulary plus a random part, set now and again after
    commit: a process that rebuilt from the database before the commit rebuilds once more.
    """
    fingerprint = vocabulary_fingerprint()
    stored = cache.get(VERSION_KEY) or ""
    if stored.split(":")[0] == fingerprint:
        return False

    def set_version():
        cache.set(VERSION_KEY, f"{fingerprint}:{uuid.uuid4().hex[:8]}", timeout=None)

    set_version()
    transaction.on_commit(set_version)
    return True


def _current_version():
    # A random token, not a counter: a cleared cache can never bring back an old version.
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def per_vocabulary(build):
    """What ``build()`` makes of the vocabulary, made at most once per version per process
    (the linking automaton here, the search's name index in ``glossary.names``)."""
    version = _current_version()
    built = _built.get(build)
    if built is None or built[0] != version:
        with _lock:
            built = _built.get(build)
            if built is None or built[0] != version:
                built = _built[build] = (version, build())
                builds[getattr(build, "__module__", "") + "." + build.__name__] += 1
    return built[1]


def vocabulary():
    """The rows of ``vocabulary_rows``, read once per version per process for every structure
    built from them."""
    return list(vocabulary_rows())


def linkable_vocabulary():
    """The rows of ``linkable_rows``, read once per version per process (the automaton's)."""
    return list(linkable_rows())


def phrase_keys(title, synonyms):
    """A term's phrases as the automaton holds them: HTML-escaped, lower case, two letters or
    more, the name first. Quotes stay as they are: the sanitised bodies hold them so
    ("Porter's", not "Porter&#x27;s")."""
    keys = []
    for phrase in [title, *split_synonyms(synonyms)]:
        key = escape(phrase.strip()).replace("&#x27;", "'").replace("&quot;", '"')
        key = normalise(key.lower())
        if len(key) >= 2 and key not in keys:
            keys.append(key)
    return keys


def split_synonyms(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]
