"""Search results' snippets with the matched words marked, escaped piece by piece."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

MIN_PREFIX = 3  # a shorter query word marks only whole words


@register.filter
def highlight(text, words):
    """``text`` escaped, with every word that is, or starts with, one of ``words`` in
    ``<mark>``. The text is split first and each piece escaped on its own, so neither the text
    nor the words can ever add markup."""
    text = str(text or "")
    words = sorted({word for word in words or () if word}, key=len, reverse=True)
    if not text or not words:
        return escape(text)
    alternatives = "|".join(
        re.escape(word) + (r"\w*" if len(word) >= MIN_PREFIX else r"\b") for word in words
    )
    pattern = re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above
