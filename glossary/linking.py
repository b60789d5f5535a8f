"""Link the first mention of each glossary term in a body of HTML to the term's page.

One Aho-Corasick automaton (pyahocorasick) holds every live term's name and synonyms, so a page
is scanned once whatever the number of terms: never a regex per term per request. Each
process builds it once per *vocabulary version*, kept in the shared cache (Redis, or the
file cache every process on the host shares), and rebuilds when the version moves.
``refresh_vocabulary`` (called by ``glossary.effects`` after terms change) moves it only when
what the automaton holds changed: a name, synonym, description, address or the set of live,
public terms; an edit of a term's body leaves every other page's links as they were.
"""

import bisect
import hashlib
import re
import threading
import uuid
from html.parser import HTMLParser

import ahocorasick

from django.core.cache import cache
from django.db import transaction
from django.utils.html import escape

VERSION_KEY = "glossary:term-index-version"
SKIP_INSIDE = {
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "script",
    "style",
    "code",
    "pre",
    "button",
    "label",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# A character reference in raw HTML text: a term is never matched starting or ending inside one.
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")

_lock = threading.RLock()  # re-entered: one build may ask for another (the rows)
_built = {}  # builder: (version, what it built)


def vocabulary_rows():
    """(id, title, synonyms, url_path, description) of every live, public term."""
    from core.internals import public_pages

    from .models import GlossaryTermPage

    return (
        public_pages(GlossaryTermPage.objects.live())
        .order_by("pk")
        .values_list("id", "title", "synonyms", "url_path", "description")
    )


def vocabulary_fingerprint():
    digest = hashlib.sha256()
    for row in vocabulary_rows():
        digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


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
    return built[1]


def automaton():
    """The automaton of live terms for the current version."""
    return per_vocabulary(_build)


def vocabulary():
    """The rows of ``vocabulary_rows``, read once per version per process for every structure
    built from them."""
    return list(vocabulary_rows())


def _build():
    rows = per_vocabulary(vocabulary)
    site_paths = _site_path_prefix()
    return build_automaton(
        (page_id, title, synonyms, site_paths(url_path), description)
        for page_id, title, synonyms, url_path, description in rows
    )


def build_automaton(terms):
    """An automaton of (id, name, synonyms, url, description) rows; None when there are none."""
    machine = ahocorasick.Automaton()
    for page_id, title, synonyms, url, description in terms:
        for phrase in [title, *split_synonyms(synonyms)]:
            key = escape(phrase.strip()).lower()
            if len(key) < 2:
                continue
            # The first term to claim a phrase keeps it.
            if key not in machine:
                machine.add_word(key, (len(key), page_id, url, title, description))
    if len(machine) == 0:
        return None
    machine.make_automaton()
    return machine


def _site_path_prefix():
    """Turn a page's url_path into its path on the default site (one query, not one per term)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.url_path if site else "/"
    return lambda url_path: "/" + url_path[len(root) :] if url_path.startswith(root) else url_path


def split_synonyms(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _is_word_char(char):
    return char.isalnum() or char == "_"


class LinkedBody:
    """A body's HTML with its terms linked, and the terms it mentions (in order of mention)."""

    def __init__(self, html, terms):
        self.html = html
        self.terms = terms  # [(url, title)]

    def __str__(self):
        return self.html


def link_terms(body_html, exclude_page_id=None):
    """``body_html`` with each term's first mention linked (outside headings and links)."""
    return linked_body(body_html, exclude_page_id).html


def linked_body(body_html, exclude_page_id=None, machine=None):
    """Like ``link_terms``, returning a LinkedBody; ``machine`` defaults to the live terms'."""
    machine = machine or automaton()
    if machine is None or not body_html:
        return LinkedBody(body_html, [])
    linked = {}
    parts = [
        _link_text(raw, machine, linked, exclude_page_id) if linkable else raw
        for raw, linkable in text_runs(str(body_html))
    ]
    return LinkedBody("".join(parts), list(linked.values()))


class _TokenBoundaries(HTMLParser):
    """Where each token of an HTML string starts, from the standard library's HTML tokenizer.

    The tokenizer decides what is a tag (quoted ``>`` in attributes, comments, ``<script>``
    contents); the pieces are cut from the source itself, so nothing is re-serialised.
    """

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.marks = []  # (line, column, kind, tag)

    def _mark(self, kind, tag=None):
        self.marks.append((*self.getpos(), kind, tag))

    def handle_starttag(self, tag, attrs):
        self._mark("open", tag)

    def handle_startendtag(self, tag, attrs):
        self._mark("void", tag)

    def handle_endtag(self, tag):
        self._mark("close", tag)

    def handle_data(self, data):
        self._mark("text")

    handle_entityref = handle_charref = handle_data

    def handle_comment(self, data):
        self._mark("other")

    handle_decl = handle_pi = unknown_decl = handle_comment


def text_runs(html):
    """Split ``html`` into ``(raw piece, linkable)`` in order; the pieces join back to ``html``.

    A piece is linkable when it is text (character references included) outside any element
    in ``SKIP_INSIDE``. Linear in the input.
    """
    parser = _TokenBoundaries()
    parser.feed(html)
    parser.close()
    line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
    offsets = [
        (line_starts[line - 1] + column, kind, tag) for line, column, kind, tag in parser.marks
    ]
    offsets.append((len(html), "end", None))
    if offsets[0][0] > 0:
        yield html[: offsets[0][0]], False
    depth = dict.fromkeys(SKIP_INSIDE, 0)
    run_start = None
    for (start, kind, tag), (end, _, _) in zip(offsets, offsets[1:], strict=False):
        if kind == "text" and not any(depth.values()) and not html.startswith("<", start):
            if run_start is None:
                run_start = start
            continue
        if run_start is not None:
            yield html[run_start:start], True
            run_start = None
        if tag in depth and tag not in VOID:
            if kind == "open":
                depth[tag] += 1
            elif kind == "close":
                depth[tag] = max(0, depth[tag] - 1)
        yield html[start:end], False
    if run_start is not None:
        yield html[run_start:], True


def _link_text(text, machine, linked, exclude_page_id):
    lowered = text.lower()
    if len(lowered) != len(text):  # case-folding changed the length: leave this text alone
        return text
    references = [match.span() for match in CHARACTER_REFERENCE.finditer(text)]
    reference_starts = [span[0] for span in references]

    def cuts_a_reference(index):
        """Whether a match starting at ``index`` (or ending just before it) splits a reference."""
        found = bisect.bisect_right(reference_starts, index) - 1
        return found >= 0 and references[found][0] < index < references[found][1]

    out, position = [], 0
    for end, (length, page_id, url, title, description) in machine.iter_long(lowered):
        start = end - length + 1
        if page_id in linked or page_id == exclude_page_id or start < position:
            continue
        before = text[start - 1] if start > 0 else " "
        after = text[end + 1] if end + 1 < len(text) else " "
        if _is_word_char(before) or _is_word_char(after):
            continue
        if cuts_a_reference(start) or cuts_a_reference(end + 1):
            continue
        linked[page_id] = (url, title)
        preview = f"term-preview-{page_id}"
        out.append(text[position:start])
        out.append(
            f'<a class="term-link" href="{escape(url)}" aria-describedby="{preview}">{text[start : end + 1]}</a>'
            f'<span class="term-preview" id="{preview}" role="tooltip">{escape(title)}: {escape(description)}</span>'
        )
        position = end + 1
    out.append(text[position:])
    return "".join(out)
