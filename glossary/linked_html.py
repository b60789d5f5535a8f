"""Link the first mention of each glossary term in a body of HTML to the term's page.

One Aho-Corasick automaton (pyahocorasick) holds the phrases to find, so a body is scanned
once whatever the number of terms. The worker matches with the automaton of every live term
(``automaton``, once per vocabulary version: ``glossary.vocabulary``) and stores what it found
(``glossary.linking``); rendering (``stored_linked_body``) matches with a tiny automaton of the
page's own stored phrases. Text is linked only outside headings, links, code and controls
(``text_runs``), never inside a word or a character reference.
"""

import bisect
import re
from html.parser import HTMLParser

import ahocorasick

from django.utils.html import escape

from wagtail.models import Site

from core.internals import path_on_site, public_pages

from .vocabulary import linkable_vocabulary, never_linked, per_vocabulary, phrase_keys
from .wordforms import normalise, word_forms

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


def automaton():
    """The automaton of live, current terms for the current version (deprecated ones are not
    linked: ``glossary.vocabulary.linkable_rows``)."""
    return per_vocabulary(_build)


def _build():
    rows = per_vocabulary(linkable_vocabulary)
    unlinked = never_linked()  # "Never link this term": left out of the automaton
    # Addresses on the default site (one query, not one per term).
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    roots = [site.root_page.url_path if site else "/"]
    return build_automaton(
        (page_id, title, synonyms, path_on_site(url_path, roots) or url_path, description)
        for page_id, title, synonyms, url_path, description in rows
        if page_id not in unlinked
    )


def build_automaton(terms):
    """An automaton of (id, name, synonyms, url, description) rows; None when there are none.

    Names and synonyms first, then their word forms (``glossary.wordforms``): a form that is
    another term's name links that term. Among equals the first term to claim a phrase keeps it.
    """
    machine = ahocorasick.Automaton()
    forms = []
    for page_id, title, synonyms, url, description in terms:
        for key in phrase_keys(title, synonyms):
            if key not in machine:
                machine.add_word(key, (len(key), page_id, url, title, description))
            forms.append((key, (page_id, url, title, description)))
    for key, value in forms:
        for form in word_forms(key):
            if form not in machine:
                machine.add_word(form, (len(form), *value))
    if len(machine) == 0:
        return None
    machine.make_automaton()
    return machine


def _is_word_char(char):
    return char.isalnum() or char == "_"


class LinkedBody:
    """A body's HTML with its terms linked, and the terms it mentions (in order of mention)."""

    def __init__(self, html, terms, mentions=()):
        self.html = html
        self.terms = terms  # [(url, title)]
        self.mentions = list(mentions)  # [(term id, phrase as the automaton holds it)]

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
    return LinkedBody(
        "".join(parts),
        [(url, title) for url, title, _key in linked.values()],
        [(page_id, key) for page_id, (_url, _title, key) in linked.items()],
    )


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
    lowered = normalise(text.lower())
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
        linked[page_id] = (url, title, lowered[start : end + 1])
        preview = f"term-preview-{page_id}"
        out.append(text[position:start])
        out.append(
            f'<a class="term-link" href="{escape(url)}" aria-describedby="{preview}">{text[start : end + 1]}</a>'
            f'<span class="term-preview" id="{preview}" role="tooltip">{escape(title)}: {escape(description)}</span>'
        )
        position = end + 1
    out.append(text[position:])
    return "".join(out)


# --- rendering: the mentions the worker stored with the page (``glossary.linking``) ------------


def stored_linked_body(body_html, page_id):
    """``body_html`` with the mentions the worker stored for ``page_id`` linked: only terms that
    are live, public and current now (a term deprecated since is unlinked before the worker
    relinks), at their current address (one query; nothing glossary-sized)."""
    from .models import GlossaryTermPage, TermMention, TermStatus

    if not body_html or page_id is None:
        return LinkedBody(body_html, [])
    rows = (
        TermMention.objects.filter(
            page_id=page_id,
            term_id__in=public_pages(GlossaryTermPage.objects.live().filter(never_link=False))
            .exclude(status=TermStatus.DEPRECATED)
            .values("pk"),
        )
        .order_by("position")
        .values_list("phrase", "term_id", "term__url_path", "term__title", "term__description")
    )
    # Addresses from Wagtail's cached site roots: no query once the cache is warm.
    roots = [root.root_path for root in Site.get_site_root_paths()]
    machine = ahocorasick.Automaton()
    for phrase, term_id, url_path, title, description in rows:
        if phrase not in machine:
            url = path_on_site(url_path, roots) or url_path
            machine.add_word(phrase, (len(phrase), term_id, url, title, description))
    if len(machine) == 0:
        return LinkedBody(body_html, [])
    machine.make_automaton()
    return linked_body(body_html, exclude_page_id=page_id, machine=machine)
