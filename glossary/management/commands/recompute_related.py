"""Recompute every term's related, previous and next terms from the whole glossary.

manage.py recompute_related

The worker does this nightly and follows each change term by term in between; run it by hand
after restoring a database, or to see what the nightly run would change.
"""

import time

from django.core.management.base import BaseCommand

from glossary import effects, related
from glossary.models import GlossaryTermPage

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Recompute the related, previous and next terms of every live term (and the index "
        "the worker's term-by-term recompute reads) and print the terms whose lists changed."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        changed = related.recompute()
        effects.neighbourhood_recomputed(changed)
        seconds = time.monotonic() - started
        titles = dict(
            GlossaryTermPage.objects.filter(pk__in=sorted(changed)[:SHOWN]).values_list(
                "pk", "title"
            )
        )
        for term_id in sorted(changed)[:SHOWN]:
            self.stdout.write(f"  {term_id}: {titles.get(term_id, '(no longer live)')}")
        if len(changed) > SHOWN:
            self.stdout.write(f"  … and {len(changed) - SHOWN} more")
        self.stdout.write(
            f"{len(changed)} term(s) had their related, previous or next terms changed "
            f"({seconds:.1f} s)."
        )
