"""Link the first mention of each glossary term in a body of HTML to the term's page.

Two halves, so that no web process holds the glossary's vocabulary:

- **The worker finds the mentions** (``relink_pages``): one Aho-Corasick automaton
  (pyahocorasick) holds every live term's name and synonyms, so a body is scanned once whatever
  the number of terms. The worker builds it once per *vocabulary version* (kept in the shared
  cache) and stores, per page, which terms its body mentions and by which phrase
  (``TermMention``). ``relink_after_commit`` (the one call ``glossary.effects`` makes) asks
  for it: a page whose body changed is relinked; a term whose names or synonyms moved relinks
  only the pages that mentioned it and the pages whose text holds one of its new phrases (a
  text search in the database), all pages in chunks when too many phrases moved at once.
- **Rendering links them** (``stored_linked_body``): a tiny automaton of the page's own stored
  phrases, restricted in the same query to terms that are live and public now; so a page
  whose mentions the worker has not recomputed yet shows its previous links, never a link to
  a term that left (a 404), and always the term's current address, name and description.
"""

import bisect
import hashlib
import html as html_module
import json
import re
import threading
import uuid
from collections import defaultdict
from html.parser import HTMLParser

import ahocorasick

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Lower
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
# How many times this process built each structure: tests check that a web request builds none.
builds = defaultdict(int)


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
                builds[getattr(build, "__module__", "") + "." + build.__name__] += 1
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
        for key in phrase_keys(title, synonyms):
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


def phrase_keys(title, synonyms):
    """A term's phrases as the automaton holds them: HTML-escaped, lower case, two letters or
    more, the name first."""
    keys = []
    for phrase in [title, *split_synonyms(synonyms)]:
        key = escape(phrase.strip()).lower()
        if len(key) >= 2 and key not in keys:
            keys.append(key)
    return keys


def split_synonyms(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


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


# --- mentions stored with the page (found by the worker, linked when rendering) -----------------

RELINK_CHUNK = 200  # pages rendered and written per round
# More new phrases than this at once (an import): every page is relinked rather than searched.
PHRASE_SEARCH_LIMIT = 100


def _body_models():
    from pulse.models import PulseArticlePage

    from .models import GlossaryTermPage

    return [GlossaryTermPage, PulseArticlePage]


def _site_url(url_path):
    """A page's path on its site from its url_path, from Wagtail's cached site roots (no
    query once the cache is warm)."""
    from wagtail.models import Site

    for root in sorted((r.root_path for r in Site.get_site_root_paths()), key=len, reverse=True):
        if url_path.startswith(root):
            return "/" + url_path[len(root) :]
    return url_path


def stored_linked_body(body_html, page_id):
    """``body_html`` with the mentions the worker stored for ``page_id`` linked: only terms that
    are live and public now, at their current address (one query; nothing glossary-sized)."""
    from core.internals import public_pages

    from .models import GlossaryTermPage, TermMention

    if not body_html or page_id is None:
        return LinkedBody(body_html, [])
    rows = (
        TermMention.objects.filter(
            page_id=page_id,
            term_id__in=public_pages(GlossaryTermPage.objects.live()).values("pk"),
        )
        .order_by("position")
        .values_list("phrase", "term_id", "term__url_path", "term__title", "term__description")
    )
    machine = ahocorasick.Automaton()
    for phrase, term_id, url_path, title, description in rows:
        if phrase not in machine:
            machine.add_word(
                phrase, (len(phrase), term_id, _site_url(url_path), title, description)
            )
    if len(machine) == 0:
        return LinkedBody(body_html, [])
    machine.make_automaton()
    return linked_body(body_html, exclude_page_id=page_id, machine=machine)


def body_html_for_linking(page):
    """The page's body as the worker renders it to find mentions (blocks need no request)."""
    body = getattr(page, "body", None)
    if not body:
        return ""
    builds["body render"] += 1
    return str(body.render_as_block({"page": page, "self": page}))


def _body_hashes(page_ids):
    """{page id: digest of its stored body} (bodies read as text: nothing rendered)."""
    hashes = {}
    for model in _body_models():
        for page_id, text in (
            model.objects.filter(pk__in=page_ids)
            .annotate(body_text=Cast("body", TextField()))
            .values_list("pk", "body_text")
        ):
            hashes[page_id] = hashlib.md5((text or "").encode(), usedforsecurity=False).hexdigest()
    return hashes


def relink_pages(page_ids, only_changed_bodies=False):
    """Find and store the mentions of each page's body with the automaton of every live term
    (worker only); with ``only_changed_bodies``, of the pages whose body moved since. Returns
    the pages whose stored mentions changed. Idempotent."""
    from wagtail.models import Page

    from .models import LinkedPage, TermMention

    machine = automaton()
    changed = set()
    ids = sorted(set(page_ids))
    for start in range(0, len(ids), RELINK_CHUNK):
        chunk = ids[start : start + RELINK_CHUNK]
        hashes = _body_hashes(chunk)
        if only_changed_bodies:
            known = dict(
                LinkedPage.objects.filter(page_id__in=chunk).values_list("page_id", "body_hash")
            )
            chunk = [page for page in chunk if known.get(page) != hashes.get(page)]
            if not chunk:
                continue
        stored = defaultdict(list)
        for page_id, term_id, phrase in (
            TermMention.objects.filter(page_id__in=chunk)
            .order_by("page_id", "position")
            .values_list("page_id", "term_id", "phrase")
        ):
            stored[page_id].append((term_id, phrase))
        rows, existing = [], set()
        for page in Page.objects.filter(pk__in=chunk).specific(defer=False):
            existing.add(page.pk)
            found = []
            if machine is not None:
                found = linked_body(body_html_for_linking(page), page.pk, machine).mentions
            if found != stored.get(page.pk, []):
                changed.add(page.pk)
                rows += [
                    TermMention(page_id=page.pk, position=number, term_id=term_id, phrase=phrase)
                    for number, (term_id, phrase) in enumerate(found)
                ]
        rewritten = (changed & set(chunk)) | (set(stored) - existing)
        with transaction.atomic():
            TermMention.objects.filter(page_id__in=rewritten).delete()
            TermMention.objects.bulk_create(rows)
            index_mention_references(rewritten, rows)
            LinkedPage.objects.filter(page_id__in=chunk).delete()
            LinkedPage.objects.bulk_create(
                LinkedPage(page_id=page, body_hash=hashes[page])
                for page in existing
                if page in hashes
            )
    return changed


def _shown(url_path, title, description):
    """What other pages show of a term: its address, name and description (as one digest)."""
    return hashlib.sha256(json.dumps([url_path, title, description]).encode()).hexdigest()[:32]


def _current_terms(term_ids=None):
    """{id: (phrases, shown)} of the live, public terms (among ``term_ids``, or all)."""
    rows = vocabulary_rows()
    if term_ids is not None:
        rows = rows.filter(pk__in=term_ids)
    return {
        term_id: ("\n".join(phrase_keys(title, synonyms)), _shown(url_path, title, description))
        for term_id, title, synonyms, url_path, description in rows
    }


def _stored_terms(term_ids=None):
    from .models import LinkedVocabulary

    rows = LinkedVocabulary.objects.all()
    if term_ids is not None:
        rows = rows.filter(term_id__in=term_ids)
    return {
        term_id: (phrases, shown)
        for term_id, phrases, shown in rows.values_list("term_id", "phrases", "shown")
    }


def pages_containing(phrases):
    """Live pages with a body whose stored text holds one of ``phrases`` (as escaped by the
    automaton, or as typed): the pages a new name or synonym may now be linked on. One
    sequential text search per body model, in the database."""
    condition = Q()
    for phrase in phrases:
        for form in {phrase, html_module.unescape(phrase).lower()}:
            condition |= Q(body_text__contains=form)
    found = set()
    for model in _body_models():
        found |= set(
            model.objects.live()
            .annotate(body_text=Lower(Cast("body", TextField())))
            .filter(condition)
            .values_list("pk", flat=True)
        )
    return found


def _all_body_pages():
    found = set()
    for model in _body_models():
        found |= set(model.objects.live().values_list("pk", flat=True))
    return found


def vocabulary_moved(term_ids=None):
    """Compare the terms' phrases and what pages show of them with what the stored mentions
    last saw; record the new ones. Returns (pages to relink, pages to render afresh)."""
    from .models import LinkedVocabulary, TermMention

    current = _current_terms(term_ids)
    stored = _stored_terms(term_ids)
    moved, new_phrases = set(), set()
    for term_id in set(current) | set(stored):
        now, before = current.get(term_id, ("", "")), stored.get(term_id, ("", ""))
        if now != before:
            moved.add(term_id)
            if now[0] != before[0]:
                new_phrases |= set(now[0].split("\n")) - set(before[0].split("\n")) - {""}
    if not moved:
        return set(), set()
    showing = set(TermMention.objects.filter(term_id__in=moved).values_list("page_id", flat=True))
    if len(new_phrases) > PHRASE_SEARCH_LIMIT:
        relink = _all_body_pages()
    else:
        relink = showing | (pages_containing(new_phrases) if new_phrases else set())
    LinkedVocabulary.objects.filter(term_id__in=moved).delete()
    LinkedVocabulary.objects.bulk_create(
        LinkedVocabulary(term_id=term_id, phrases=current[term_id][0], shown=current[term_id][1])
        for term_id in moved
        if term_id in current
    )
    return relink, showing


def index_mention_references(page_ids=None, mentions=()):
    """Record each page's linked mentions (``page_ids``, ``mentions`` their new rows; None:
    every page, from the stored mentions) in Wagtail's reference index, so a term's "Usage"
    counts the pages that link to it by mention.

    Wagtail extracts references from a page's own fields only; mentions are found later, by
    the worker. So the rows are written here, one per page and term, under the page (its
    ``base_content_type`` and id: the usage view shows and links the page) with
    ``TermMention`` as the model holding the reference (``model_path`` ``term``). Wagtail
    re-indexing the page on save keeps them, as it keeps rows recorded under another model;
    deleting the page or the term removes them with the rest. Hand-written: Wagtail has no
    API for references found outside the object's fields.
    """
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page, ReferenceIndex

    from .models import TermMention

    mention_type = ContentType.objects.get_for_model(TermMention)
    page_type = ContentType.objects.get_for_model(Page)
    rows = ReferenceIndex.objects.filter(content_type=mention_type, base_content_type=page_type)
    if page_ids is None:  # every page's (manage.py relink_mentions --all)
        mentions = TermMention.objects.only("page_id", "term_id")
    elif not page_ids:
        return
    else:
        rows = rows.filter(object_id__in=[str(pk) for pk in page_ids])
    rows.delete()
    linked = {(mention.page_id, mention.term_id) for mention in mentions}
    ReferenceIndex.objects.bulk_create(
        ReferenceIndex(
            content_type=mention_type,
            base_content_type=page_type,
            object_id=str(page_id),
            to_content_type=page_type,
            to_object_id=str(term_id),
            model_path="term",
            content_path=f"linked_mentions.{term_id}",
            content_path_hash=ReferenceIndex._get_content_path_hash(f"linked_mentions.{term_id}"),
        )
        for page_id, term_id in sorted(linked)
    )


def relink_after_commit(pages=(), terms=(), everything=False):
    """What ``glossary.effects`` calls after pages or terms change: their mentions are found
    again by the worker (``glossary.tasks.relink_mentions``, coalesced), or at once with
    ``LINKS_RELINK = "inline"`` (the tests). A term that left or moved address is unlinked
    from every cached page at once: those pages render afresh now (from their stored mentions,
    which link live terms only), not when the worker comes."""
    from core import page_cache, queue

    from . import tasks
    from .models import RelinkRequest, TermMention

    requests = [RelinkRequest(kind=RelinkRequest.PAGE, object_id=pk) for pk in pages]
    requests += [RelinkRequest(kind=RelinkRequest.TERM, object_id=pk) for pk in terms]
    if everything:
        requests.append(RelinkRequest(kind=RelinkRequest.ALL, object_id=0))
    if not requests:
        return
    RelinkRequest.objects.bulk_create(requests, ignore_conflicts=True)
    if terms:
        current = {term_id: shown for term_id, (_p, shown) in _current_terms(terms).items()}
        stored = {term_id: shown for term_id, (_p, shown) in _stored_terms(terms).items()}
        left = {term for term in terms if term in stored and current.get(term) != stored[term]}
        if left:
            page_cache.invalidate(
                pages=set(
                    TermMention.objects.filter(term_id__in=left).values_list("page_id", flat=True)
                )
            )
    if getattr(settings, "LINKS_RELINK", "task") == "inline":
        relink_requested()
    else:
        queue.enqueue_coalesced(tasks.relink_mentions)


def relink_requested():
    """Do the waiting ``RelinkRequest``s (the worker's task): bounded by what changed, except
    after a change of everything (an import), which checks every page's body in chunks.
    Returns the number of pages whose mentions changed."""
    from core import page_cache

    from .models import RelinkRequest

    requests = list(RelinkRequest.objects.values_list("pk", "kind", "object_id"))
    if not requests:
        return 0
    # Taken before anything is read: a change committed from now on asks again (its request
    # is not lost to the unique constraint), and is done by the next run.
    RelinkRequest.objects.filter(pk__in=[pk for pk, _kind, _id in requests]).delete()
    try:
        changed, showing = _relink(requests)
    except Exception:
        RelinkRequest.objects.bulk_create(
            [RelinkRequest(kind=kind, object_id=object_id) for _pk, kind, object_id in requests],
            ignore_conflicts=True,
        )
        raise
    if changed or showing:
        page_cache.invalidate(pages=changed | showing)
    return len(changed)


def _relink(requests):
    from .models import RelinkRequest

    refresh_vocabulary()  # the worker's automaton follows the terms as they are now
    kinds = defaultdict(set)
    for _pk, kind, object_id in requests:
        kinds[kind].add(object_id)
    changed = set()
    if kinds[RelinkRequest.ALL]:
        relink, showing = vocabulary_moved()
        # Every other page: rendered again only if its body moved (an import's new pages).
        changed |= relink_pages(_all_body_pages() - relink, only_changed_bodies=True)
    else:
        terms = kinds[RelinkRequest.TERM]
        relink, showing = vocabulary_moved(terms) if terms else (set(), set())
        relink |= kinds[RelinkRequest.PAGE] | terms
    changed |= relink_pages(relink)
    return changed, showing
