"""Find and store the glossary terms each page's body mentions: the worker's half of linking.

Rendering links a body from what is stored here (``glossary.linked_html``), so no web process
holds the glossary's vocabulary. The worker matches each body with the automaton of every live
term (built once per vocabulary version: ``glossary.vocabulary``) and stores, per page, which
terms it mentions and by which phrase (``TermMention``). ``relink_after_commit`` (the one call
``glossary.effects`` makes) asks for it: a page whose body changed is relinked; a term whose
names or synonyms moved relinks only the pages that mentioned it and the pages whose text
holds one of its new phrases (a text search in the database), all pages in chunks when too
many phrases moved at once. Until then a page shows its previous links, restricted when it is
rendered to terms live and public now: never a link to a term that left (a 404), and always
the term's current address, name and description.
"""

import hashlib
import html as html_module
import json
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Lower

from .linked_html import automaton, linked_body
from .vocabulary import builds, linkable_rows, never_linked, phrase_keys, refresh_vocabulary
from .wordforms import linking_keys

RELINK_CHUNK = 200  # pages rendered and written per round
# More new phrases than this at once (an import): every page is relinked rather than searched.
PHRASE_SEARCH_LIMIT = 100


def _body_models():
    from pulse.models import PulseArticlePage

    from .models import GlossaryTermPage

    return [GlossaryTermPage, PulseArticlePage]


def body_html_for_linking(page):
    """The page's body as the worker renders it to find mentions (blocks need no request)."""
    body = getattr(page, "body", None)
    if not body:
        return ""
    builds["body render"] += 1
    return str(body.render_as_block({"page": page, "self": page}))


def _body_hashes(page_ids):
    """{page id: digest of its stored body and its "no linked terms" switch} (bodies read as
    text: nothing rendered)."""
    hashes = {}
    for model in _body_models():
        for page_id, text, unlinked in (
            model.objects.filter(pk__in=page_ids)
            .annotate(body_text=Cast("body", TextField()))
            .values_list("pk", "body_text", "no_linked_terms")
        ):
            digest = hashlib.md5((text or "").encode(), usedforsecurity=False)
            if unlinked:
                digest.update(b"\0no linked terms")
            hashes[page_id] = digest.hexdigest()
    return hashes


def relink_pages(page_ids, only_changed_bodies=False, backlinks_moved=None):
    """Find and store the mentions of each page's body with the automaton of every live term
    (worker only); with ``only_changed_bodies``, of the pages whose body moved since. Returns
    the pages whose stored mentions changed; ``backlinks_moved`` (a set), when given, gains
    the terms a live article started or stopped mentioning (their "Mentioned in" lists,
    ``glossary.backlinks``). Idempotent."""
    from wagtail.models import Page

    from .backlinks import lists_mentions
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
            # "No linked terms on this page": nothing found, nothing stored.
            if machine is not None and not getattr(page, "no_linked_terms", False):
                found = linked_body(body_html_for_linking(page), page.pk, machine).mentions
            if found != stored.get(page.pk, []):
                changed.add(page.pk)
                if backlinks_moved is not None and lists_mentions(page):
                    before = {term_id for term_id, _phrase in stored.get(page.pk, [])}
                    backlinks_moved |= before ^ {term_id for term_id, _phrase in found}
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


def _shown(url_path, title, description, never_link=False):
    """What other pages show of a term: its address, name and description (as one digest)."""
    shown = [url_path, title, description] + (["never linked"] if never_link else [])
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:32]


def _current_terms(term_ids=None):
    """{id: (phrases, shown)} of the live, public, current terms (among ``term_ids``, or all):
    the phrases with their word forms (a page may mention the term by its plural only); none,
    and shown differently, for a term never to be linked (pages linking it render afresh at
    once). A term deprecated leaves, so the pages that mentioned it are relinked."""
    rows = linkable_rows()
    if term_ids is not None:
        rows = rows.filter(pk__in=term_ids)
    unlinked = never_linked(term_ids)
    current = {}
    for term_id, title, synonyms, url_path, description in rows:
        if term_id in unlinked:
            current[term_id] = ("", _shown(url_path, title, description, never_link=True))
        else:
            phrases = "\n".join(linking_keys(phrase_keys(title, synonyms)))
            current[term_id] = (phrases, _shown(url_path, title, description))
    return current


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


def shortest_phrases(phrases):
    """``phrases`` without those holding another of them: a text holding "kpis" holds "kpi",
    so searching for the shorter finds both (a word's forms cost no extra search)."""
    kept = []
    for phrase in sorted(phrases, key=len):
        if not any(shorter in phrase for shorter in kept):
            kept.append(phrase)
    return set(kept)


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
    if len(new_phrases) <= PHRASE_SEARCH_LIMIT * 8:  # else every page anyway: not worth it
        new_phrases = shortest_phrases(new_phrases)
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
        changed, showing, backlinks_moved = _relink(requests)
    except Exception:
        RelinkRequest.objects.bulk_create(
            [RelinkRequest(kind=kind, object_id=object_id) for _pk, kind, object_id in requests],
            ignore_conflicts=True,
        )
        raise
    if changed or showing or backlinks_moved:
        # With the terms whose "Mentioned in" moved: their pages, and the read API's.
        page_cache.invalidate(
            scopes={page_cache.API} if backlinks_moved else set(),
            pages=changed | showing | backlinks_moved,
        )
    return len(changed)


def _relink(requests):
    from .models import RelinkRequest

    refresh_vocabulary()  # the worker's automaton follows the terms as they are now
    kinds = defaultdict(set)
    for _pk, kind, object_id in requests:
        kinds[kind].add(object_id)
    changed, backlinks_moved = set(), set()
    if kinds[RelinkRequest.ALL]:
        relink, showing = vocabulary_moved()
        # Every other page: rendered again only if its body moved (an import's new pages).
        changed |= relink_pages(
            _all_body_pages() - relink, only_changed_bodies=True, backlinks_moved=backlinks_moved
        )
    else:
        terms = kinds[RelinkRequest.TERM]
        relink, showing = vocabulary_moved(terms) if terms else (set(), set())
        relink |= kinds[RelinkRequest.PAGE] | terms
    changed |= relink_pages(relink, backlinks_moved=backlinks_moved)
    return changed, showing, backlinks_moved
