"""Terms written straight to the database with the importer's bulk path, with a vocabulary shaped
like a real glossary's: a few common words, many rare ones (log-uniform draws), so related lists
are not empty as they are with ``devkit.corpus``'s 32 words. Faster than importing files: for
the neighbourhood's tests and benchmark at thousands of terms. Needs Django set up.
"""

import random


def vocabulary(size):
    """``size`` made-up words of letters only (4 letters or more)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = []
    for number in range(size):
        word, value = "", number + 26**3
        while value:
            value, digit = divmod(value, 26)
            word = letters[digit] + word
        words.append("q" + word)
    return words


def draw(rng, words):
    """A word, the first ones far more often (log-uniform rank)."""
    return words[int(len(words) ** rng.random()) - 1]


def synthetic_terms(count, seed=1, start=0, glossary=None):
    """Unsaved terms numbered from ``start``: names of two words and a number, a description
    and two questions, from a vocabulary sized for a ``glossary`` of that many terms."""
    from glossary.alphabet import letter_for
    from glossary.models import GlossaryTermPage

    rng = random.Random(seed * 1_000_003 + start)  # noqa: S311 - test data
    words = vocabulary(max(2_000, (glossary or start + count) // 2))
    terms = []
    for number in range(start, start + count):
        title = f"{draw(rng, words).capitalize()} {draw(rng, words)} {number}"
        terms.append(
            GlossaryTermPage(
                title=title,
                slug=f"term-{number}",
                term_id=f"n{number:08d}",
                letter=letter_for(title),
                description=" ".join(draw(rng, words) for _ in range(15)).capitalize() + ".",
                key_questions=[
                    ("question", f"How does {draw(rng, words)} {draw(rng, words)} work?")
                    for _ in range(2)
                ],
                body=[],
            )
        )
    return terms


def add_terms(count, start, batch=2_000):
    """``count`` synthetic terms under the glossary index, numbered from ``start``, in
    transactions of ``batch``."""
    from django.db import transaction

    from glossary.models import GlossaryIndexPage
    from importer.bulk import create_pages

    parent = GlossaryIndexPage.objects.get()
    for offset in range(0, count, batch):
        with transaction.atomic():
            create_pages(parent, synthetic_terms(min(batch, count - offset), start=start + offset))
