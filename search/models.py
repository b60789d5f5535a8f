"""What the site keeps of its visitors' searches: a count a query a day, nothing of who asked."""

from django.db import models


class SearchQueryDay(models.Model):
    """How often one normalised query was searched on one day, and what it last found.

    Written only by the worker (``search.log.flush``), from counters buffered in the cache:
    a visitor's search never writes to the database. No address, user or cookie is kept.
    """

    query = models.CharField(
        max_length=200,
        help_text="The query as searched: lower-cased, white space collapsed, capped.",
    )
    day = models.DateField(help_text="The day of the searches, in the site's time zone.")
    searches = models.PositiveIntegerField(
        default=0, help_text="How many searches for the query that day (results pages and API)."
    )
    results = models.PositiveIntegerField(
        default=0, help_text="How many results the day's latest search for it found."
    )

    class Meta:
        verbose_name = "search query day"
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="search_query_day_unique"),
        ]
        indexes = [models.Index(fields=["query", "day"], name="search_query_day_query")]

    def __str__(self):
        return f"{self.query} ({self.day}: {self.searches})"
