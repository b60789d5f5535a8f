"""Turn a parsed fixture into a record: repair text, recover structure, normalise slugs.

Pure functions: text in, records out, no database. The rules are heuristics for real, dirty
exports; each is small and tested on its own.
"""

import datetime
import json
import re

import ftfy
from anyascii import anyascii

from django.utils.html import escape
from django.utils.text import slugify

from core.rich_text import sanitise_stream_data
from glossary.blocks import TermBodyBlock
from glossary.rules import (
    DESCRIPTION_MAX_LENGTH,
    TERM_ID_MAX_LENGTH,
    TERM_ID_RULE,
    is_valid_term_id,
)
from pulse.blocks import ArticleBodyBlock

from .errors import FixtureError
from .records import ArticleRecord, Block, CardRecord, SectionRecord, TermRecord

TERM_FIELDS = {
    "id",
    "name",
    "slug",
    "category",
    "description",
    "key_words",
    "content_raw",
    "related_articles_heading",
    "related_articles_subheading",
    "related_articles_description",
    "related_articles_category",
    "related_articles_items",
    "synonyms",
    "related_terms",
    "body_format",
}
CARD_FIELDS = {
    "related_article_title",
    "related_article_subheading",
    "related_article_image",
    "related_article_buttontext",
    "related_article_slug",
}
ARTICLE_FIELDS = {
    "title",
    "slug",
    "subheading",
    "category",
    "image",
    "published",
    "summary",
    "body_format",
}
# ``body_format: blocks``: the text after the front matter is the page's body as Wagtail
# blocks in JSON (what the export writes for a page an editor changed), not text to structure.
BLOCKS_FORMAT = "blocks"


# --- text ---------------------------------------------------------------------------------


def repair(text: str) -> str:
    """Undo mojibake (UTF-8 read as Windows-1252 and the like) and nothing else.

    ftfy's ``fix_encoding`` only reverses encoding mix-ups; it leaves curly quotes, dashes
    and other text that was already right alone.
    """
    # Pure ASCII cannot hold mojibake: skip the (comparatively slow) check.
    return text if text.isascii() else ftfy.fix_encoding(text)


def normalise_slug(value: str) -> str:
    """Lowercase, ASCII, URL-safe: "AI Maven's Approach" -> "ai-mavens-approach"."""
    return slugify(anyascii(value))[:255].strip("-")


def paragraph_html(text: str) -> str:
    """Fixture text is text: markup in it is escaped, so it can never run."""
    return f"<p>{escape(text)}</p>"


# --- flattened headings in content_raw ------------------------------------------------------

# Words that may sit lower-case inside a title-cased heading.
MINOR_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "of", "on", "or",
    "the", "to", "vs", "with", "your", "our", "their", "is", "are", "how", "why", "what",
}  # fmt: skip
# Words that often open a sentence after a heading that shares no word with it.
SENTENCE_OPENERS = {"A", "An", "The", "This", "These", "It", "In", "For", "When", "Many", "Most"}
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
# Longer runs of capitalised words are not headings; the bound keeps recovery linear.
MAX_HEADING_WORDS = 14


# The last word of many organisation names: a run ending in one is a name, not a heading
# glued to a sentence ("Plexsive Consulting Group helps ...").
ORGANISATION_WORDS = {
    "Agency", "Associates", "Association", "Bank", "Board", "Co", "Co.", "Company", "Consulting",
    "Corp", "Corp.", "Corporation", "Council", "Foundation", "Group", "Inc", "Inc.", "Institute",
    "LLC", "Ltd", "Ltd.", "Partners", "University", "City", "County", "State", "Assembly",
    "Authority", "Commission", "Committee", "Department", "Ministry", "Office", "Union",
}  # fmt: skip
# A candidate split is taken when its evidence reaches this score (see ``_split_score``).
HEADING_SCORE = 3


def _is_capitalised(token):
    return token[:1].isupper() and not re.search(r"[.,;:!?]$", token)


def _is_heading_word(token):
    return _is_capitalised(token) or token in MINOR_WORDS


def _shares_stem(word, heading):
    stem = word.lower()[:5]
    return len(stem) >= 4 and any(h.lower().startswith(stem) for h in heading)


def _bare(token):
    return token.strip(".,;:!?\"'()[]“”‘’")


class TextStatistics:
    """How words are used across one text, for telling a glued heading from a name.

    Counted once per text (linear): which words occur in lower case (common words), which
    open sentences, and which occur capitalised right after an ordinary lower-case word
    ("we asked Northwind"): names recur that way, heading words (after a capitalised or a
    minor word) do not.
    """

    def __init__(self, chunks):
        self.lower = set()
        self.sentence_starts = {}
        self.capitalised_inside = {}
        for tokens in chunks:
            sentence_start, previous = True, ""
            for token in tokens:
                word = _bare(token)
                if word[:1].islower():
                    self.lower.add(word)
                elif word[:1].isupper() and sentence_start:
                    self.sentence_starts[word] = self.sentence_starts.get(word, 0) + 1
                elif word[:1].isupper() and previous[:1].islower() and previous not in MINOR_WORDS:
                    self.capitalised_inside[word] = self.capitalised_inside.get(word, 0) + 1
                sentence_start, previous = bool(SENTENCE_END.search(token)), word


def _split_score(heading, opener, statistics, after_sentence):
    """Evidence that ``heading`` is a heading glued to a sentence opening with ``opener``.

    Decisive: the opener echoes a heading word, or is a usual sentence opener; the run ends in
    an organisation word (a name). Otherwise points for: the opener is a word the text also
    uses in lower case (2), or that opens other sentences (2); a heading of three or more
    capitalised words not opening with an article (2); coming right after a sentence end
    (1). Against: a word of the run recurs capitalised in running prose (names do).
    """
    capitalised = [token for token in heading if _is_capitalised(token)]
    if _shares_stem(opener, capitalised) or (opener in SENTENCE_OPENERS and len(capitalised) >= 2):
        return HEADING_SCORE
    word = _bare(opener)
    if word in ORGANISATION_WORDS:
        return 0
    score = 2 * (word.lower() in statistics.lower)
    score += 2 * (statistics.sentence_starts.get(word, 0) >= 1)
    score += 2 * (len(capitalised) >= 3 and heading[0] not in SENTENCE_OPENERS)
    score += after_sentence
    if any(_bare(token) in statistics.capitalised_inside for token in [*capitalised, word]):
        score -= 3
    return score


def _heading_at(tokens, start, statistics):
    """The length of a heading run into the sentence starting at ``start``, or 0.

    A flattened heading is a run of title-cased words glued to the next sentence, whose first
    word is the last capitalised word before the text turns lower-case:
    "Defining Operations Strategy | Operations strategy is ...". The split is taken when the
    evidence for it (``_split_score``) is strong enough, so sentences that open with a name
    ("Plexsive Consulting Group helps ...") are not cut.
    """
    end = start
    while end < len(tokens) and _is_heading_word(tokens[end]):
        end += 1
        if end - start > MAX_HEADING_WORDS:
            return 0
    if end >= len(tokens) or not tokens[end][:1].islower():
        return 0
    opener = max((i for i in range(start, end) if _is_capitalised(tokens[i])), default=start)
    if any(tokens[i] not in MINOR_WORDS for i in range(opener + 1, end)):
        return 0
    heading = tokens[start:opener]
    if len(heading) < 2 or not _is_capitalised(heading[-1]):
        return 0
    if _split_score(heading, tokens[opener], statistics, start > 0) >= HEADING_SCORE:
        return len(heading)
    return 0


def recover_headings(text: str) -> list[Block]:
    """Split flattened text into heading and paragraph blocks, keeping every word in order."""
    blocks = []
    chunks = [chunk.split() for chunk in re.split(r"\n\s*\n", text)]
    statistics = TextStatistics(chunks)
    for tokens in chunks:
        paragraph_start, index = 0, 0
        sentence_start = True
        while index < len(tokens):
            length = _heading_at(tokens, index, statistics) if sentence_start else 0
            if length:
                if index > paragraph_start:
                    blocks.append(_paragraph(tokens[paragraph_start:index]))
                blocks.append(_heading(" ".join(tokens[index : index + length])))
                index += length
                paragraph_start = index
            sentence_start = (
                bool(SENTENCE_END.search(tokens[index])) if index < len(tokens) else False
            )
            index += 1
        if paragraph_start < len(tokens):
            blocks.append(_paragraph(tokens[paragraph_start:]))
    return blocks


def _heading(text, size="h2"):
    return Block("heading", {"heading_text": text, "size": size})


def _paragraph(tokens):
    return Block("paragraph", paragraph_html(" ".join(tokens)))


# --- Pulse article text ---------------------------------------------------------------------

# Page furniture scraped along with articles; dropped only from the end of the text.
FURNITURE = [
    re.compile(r"^Visited [\d,]+ times?, [\d,]+ visits? today$", re.IGNORECASE),
    re.compile(r"^Leave a (Reply|Comment)$", re.IGNORECASE),
    re.compile(r"^Your email address will not be published\.( Required fields are marked \*)?$"),
    re.compile(r"^(Share this|Like this|Related|Post navigation)\s*:?$", re.IGNORECASE),
]
FAQ_HEADINGS = {"faq", "faqs", "frequently asked questions"}
QUESTION = re.compile(r"^Q[.:]\s*")
ANSWER = re.compile(r"^A[.:]\s*")
MAX_HEADING_WORDS = 14


def _is_heading_line(text):
    return (
        "\n" not in text
        and len(text.split()) <= MAX_HEADING_WORDS
        and not re.search(r"[.!?:;,…\"”]$", text)
        and not QUESTION.match(text)
    )


def _same_text(a, b):
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def structure_article(text: str, title: str) -> tuple[list[Block], list[str]]:
    """Blocks for an article's text, and the furniture lines dropped from its end."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    # The first line is the title; exports often repeat it.
    while paragraphs and _same_text(paragraphs[0], title):
        paragraphs.pop(0)
    dropped = []
    while paragraphs and any(pattern.match(paragraphs[-1]) for pattern in FURNITURE):
        dropped.insert(0, paragraphs.pop())

    blocks, faq = [], None
    for paragraph in paragraphs:
        if faq is not None:
            if QUESTION.match(paragraph):
                faq["items"].append({"question": QUESTION.sub("", paragraph), "answer": ""})
                continue
            if faq["items"] and not _is_heading_line(paragraph):
                item = faq["items"][-1]
                item["answer"] += paragraph_html(ANSWER.sub("", paragraph))
                continue
            blocks.append(Block("faq", faq))
            faq = None
        if paragraph.casefold() in FAQ_HEADINGS:
            faq = {"heading_text": paragraph, "items": []}
        elif _is_heading_line(paragraph):
            blocks.append(_heading(paragraph))
        else:
            blocks.append(Block("paragraph", paragraph_html(paragraph)))
    if faq is not None:
        blocks.append(Block("faq", faq))
    return blocks, dropped


# --- records --------------------------------------------------------------------------------


def _text(document, key, required=False):
    value = document.fields.get(key, "")
    if not isinstance(value, str):
        raise FixtureError(
            document.path, document.line_of(key), f"{key!r} must be text, not a list"
        )
    value = repair(value.strip())
    if required and not value:
        raise FixtureError(document.path, document.line_of(key), f"{key!r} is missing or empty")
    return value


def _unknown_fields(document, known):
    return tuple(
        (f"line {document.line_of(key)}: unknown field {key!r} ignored", "unknown field")
        for key in document.fields
        if key not in known
    )


def _reserved_term_slug(document, slug):
    """The term's slug, renamed (with a warning) when the glossary index keeps it for its own
    pages: a term at /glossary/letter/ would hide every letter page."""
    from glossary.models import GlossaryIndexPage
    from glossary.rules import unreserved_slug

    free = unreserved_slug(slug, GlossaryIndexPage.reserved_slugs())
    if free == slug:
        return slug, ()
    line = document.line_of("slug" if "slug" in document.fields else "name")
    message = (
        f"line {line}: the slug {slug!r} is reserved for the glossary's own pages; "
        f"the term gets {free!r} instead"
    )
    return free, ((message, "reserved slug renamed"),)


def _strings(document, key):
    values = document.fields.get(key, [])
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise FixtureError(
            document.path, document.line_of(key), f"{key!r} must be a list of strings"
        )
    return values


def _blocks(document, stream_block):
    """The body as blocks when the file says ``body_format: blocks``; None when it is text.

    Only the shape is checked here (a list of known block types with values); each value is
    checked by the block itself when the page is saved.
    """
    body_format = _text(document, "body_format")
    if not body_format:
        return None
    if body_format != BLOCKS_FORMAT:
        raise FixtureError(
            document.path,
            document.line_of("body_format"),
            f"'body_format' is {BLOCKS_FORMAT!r} or absent, not {body_format!r}",
        )
    try:
        data = json.loads(document.body)
    except json.JSONDecodeError as error:
        line = document.body_line + error.lineno - 1
        raise FixtureError(document.path, line, f"the blocks are not JSON: {error.msg}") from None
    except RecursionError:
        raise FixtureError(
            document.path, document.body_line, "the blocks nest too deeply"
        ) from None
    allowed = stream_block.base_blocks
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and set(item) == {"type", "value"} and item["type"] in allowed
        for item in data
    ):
        raise FixtureError(
            document.path,
            document.body_line,
            'the blocks must be a JSON list of {"type": …, "value": …} with types '
            + ", ".join(sorted(allowed)),
        )
    return tuple(Block(item["type"], item["value"]) for item in data)


def _stored_body(document, stream_block, body):
    """``body`` as it will be stored: its rich text reduced to what the editor allows
    (``core.rich_text``, as the page's save does), so that a record equals its saved page.
    Returns the body and the warnings for markup removed from a file's own blocks."""
    data = [{"type": block.kind, "value": block.value} for block in body]
    cleaned = sanitise_stream_data(stream_block(), data)
    warnings = ()
    if cleaned != data and _text(document, "body_format"):
        warnings = (
            (
                f"line {document.body_line}: markup the editor does not allow (scripts, frames, "
                "event handlers, unsafe links) was removed from the body",
                "markup removed",
            ),
        )
    return tuple(Block(item["type"], item["value"]) for item in cleaned), warnings


def _identity(document, key, slug, source_slug, known_fields):
    """What records of every kind have: where they come from, their key, slug and category."""
    return {
        "key": key,
        "path": document.path,
        "slug": slug,
        "source_slug": source_slug,
        "category": _text(document, "category"),
        "warnings": _unknown_fields(document, known_fields),
    }


def _term_id(document):
    """The record's id, checked: it becomes the page's ``term_id`` and the export's file name."""
    key = _text(document, "id", required=True)
    if not is_valid_term_id(key):
        shown = key if len(key) <= 80 else key[:80] + "…"
        problem = f"has {len(key)} characters" if len(key) > TERM_ID_MAX_LENGTH else "is not valid"
        raise FixtureError(
            document.path, document.line_of("id"), f"the id {shown!r} {problem}: {TERM_ID_RULE}"
        )
    return key


def build_term(document):
    key = _term_id(document)
    name = _text(document, "name", required=True)
    source_slug = _text(document, "slug")
    slug, renamed = _reserved_term_slug(
        document, normalise_slug(source_slug or name) or normalise_slug(key)
    )
    questions = _strings(document, "key_words")
    description = _text(document, "description")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise FixtureError(
            document.path,
            document.line_of("description"),
            f"the description has {len(description)} characters; "
            f"at most {DESCRIPTION_MAX_LENGTH} fit a meta description",
        )
    raw = document.fields.get("content_raw", "")
    if not isinstance(raw, str):
        raise FixtureError(
            document.path, document.line_of("content_raw"), "'content_raw' must be text"
        )
    blocks = _blocks(document, TermBodyBlock)
    body, removed = _stored_body(
        document, TermBodyBlock, recover_headings(repair(raw)) if blocks is None else blocks
    )
    identity = _identity(document, key, slug, source_slug, TERM_FIELDS)
    return TermRecord(
        **{**identity, "warnings": identity["warnings"] + renamed + removed},
        name=name,
        description=description,
        key_questions=tuple(repair(q.strip()) for q in questions if q.strip()),
        body=body,
        content_raw=raw,
        synonyms=_text(document, "synonyms"),
        pinned=tuple(_strings(document, "related_terms")),
        section=SectionRecord(
            heading=_text(document, "related_articles_heading"),
            subheading=_text(document, "related_articles_subheading"),
            description=_text(document, "related_articles_description"),
            category=_text(document, "related_articles_category"),
        ),
        cards=tuple(_cards(document)),
    )


def _cards(document):
    items = document.fields.get("related_articles_items", [])
    if not isinstance(items, list):
        raise FixtureError(
            document.path,
            document.line_of("related_articles_items"),
            "'related_articles_items' must be a list",
        )
    seen = set()
    for position, item in enumerate(items):
        line = (
            document.item_lines[position]
            if position < len(document.item_lines)
            else document.line_of("related_articles_items")
        )
        if not isinstance(item, dict):
            raise FixtureError(
                document.path, line, "each related article must be a '{ key: value, ... }' item"
            )
        unknown = set(item) - CARD_FIELDS
        if unknown:
            raise FixtureError(
                document.path, line, f"unknown related-article field {sorted(unknown)[0]!r}"
            )
        title = repair(str(item.get("related_article_title", "")).strip())
        source_slug = str(item.get("related_article_slug", "")).strip()
        slug = normalise_slug(source_slug)
        if not title or not slug:
            missing = "related_article_title" if not title else "related_article_slug"
            raise FixtureError(document.path, line, f"the related article has no {missing}")
        if slug in seen:
            continue  # the same article twice on one term is shown once
        seen.add(slug)
        yield CardRecord(
            title=title,
            subheading=repair(str(item.get("related_article_subheading", "")).strip()),
            image=str(item.get("related_article_image", "")).strip(),
            button_text=repair(str(item.get("related_article_buttontext", "")).strip())
            or "Read Pulse",
            slug=slug,
            source_slug=source_slug,
            line=line,
        )


def build_article(document):
    title = _text(document, "title", required=True)
    source_slug = _text(document, "slug")
    slug = normalise_slug(source_slug or title)
    if not slug:
        raise FixtureError(
            document.path, document.line_of("title"), "the title gives no usable slug; add a 'slug'"
        )
    published = _text(document, "published")
    if published:
        try:
            published = datetime.date.fromisoformat(published[:10]).isoformat()
        except ValueError:
            raise FixtureError(
                document.path,
                document.line_of("published"),
                f"'published' must be an ISO date (YYYY-MM-DD), not {published!r}",
            ) from None
    blocks = _blocks(document, ArticleBodyBlock)
    if blocks is None:
        body, dropped = structure_article(repair(document.body), title)
    else:
        body, dropped = blocks, ()
    body, removed = _stored_body(document, ArticleBodyBlock, body)
    identity = _identity(document, slug, slug, source_slug, ARTICLE_FIELDS)
    return ArticleRecord(
        **{**identity, "warnings": identity["warnings"] + removed},
        title=title,
        subheading=_text(document, "subheading"),
        image=_text(document, "image"),
        published=published,
        summary=_text(document, "summary"),
        body=body,
        dropped=tuple(dropped),
    )
