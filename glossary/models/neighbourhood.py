"""What ``glossary.related`` keeps so that a change recomputes only the neighbourhoods it can
move: the live, public terms in A to Z order, the words each holds, how many terms hold each
word, and the terms changed since the worker last looked.

Term ids here are plain integers, not foreign keys: when a term is deleted its row must
outlive it, so the worker can still see where it stood and which words it held.
"""

from django.db import models


class IndexedTerm(models.Model):
    """A live, public term as the neighbourhood index last saw it: its place A to Z."""

    term_id = models.IntegerField(
        primary_key=True, help_text="The term's page id (kept after the page is deleted)."
    )
    sort_key = models.BinaryField(
        unique=True,
        help_text="The term's own sort key and its id, as bytes: compared byte by byte it "
        "orders terms A to Z the same way on every database.",
    )

    class Meta:
        verbose_name = "indexed term (derived)"

    def __str__(self):
        return str(self.term_id)


class TermWord(models.Model):
    """A word a live, public term holds in its name, synonyms, questions or description."""

    term_id = models.IntegerField(db_index=True, help_text="The term's page id.")
    word = models.CharField(max_length=64, help_text="Lower case, as ``words_of`` finds it.")
    weight = models.FloatField(help_text="The weight of the best field the term has it in.")
    query_position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Its place among the words the term's related terms are found by; empty "
        "when it is not one of them.",
    )

    class Meta:
        verbose_name = "term word (derived)"
        constraints = [
            models.UniqueConstraint(fields=["word", "term_id"], name="unique_term_word"),
        ]

    def __str__(self):
        return f"{self.term_id}: {self.word}"


class WordFrequency(models.Model):
    """How many live, public terms hold a word: its weight, and whether it is too common to
    say anything (``COMMON_WORD_TERMS``), read without counting the glossary."""

    word = models.CharField(primary_key=True, max_length=64, help_text="Lower case.")
    terms = models.PositiveIntegerField(default=0, help_text="How many terms hold it.")

    class Meta:
        verbose_name = "word frequency (derived)"
        verbose_name_plural = "word frequencies (derived)"

    def __str__(self):
        return f"{self.word}: {self.terms}"


class PendingNeighbourhood(models.Model):
    """A term whose change the neighbourhood has not caught up with: written in the change's
    own transaction, read and deleted by the worker's recompute. Durable, so a flushed cache
    or a restarted worker loses nothing; a term may be listed more than once."""

    term_id = models.IntegerField(
        null=True,
        blank=True,
        help_text="The changed term's page id; empty: every term (an import, a view restriction).",
    )

    class Meta:
        verbose_name = "pending neighbourhood change"

    def __str__(self):
        return "every term" if self.term_id is None else str(self.term_id)
