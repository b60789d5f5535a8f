"""The text rules records are built with: repair text, recover structure, normalise slugs.

Pure functions: text in, blocks out, no database (the kinds build records with them). The
rules are heuristics for real, dirty exports; each is small and tested on its own.
"""

import re

import ftfy
from anyascii import anyascii

from django.utils.html import escape
from django.utils.text import slugify

from .records import Block

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
