"""Find the terms every page's body mentions now (after a deploy, or to repair).

    manage.py relink_mentions [--all]

Does the waiting relink requests, as the worker's task does; ``--all`` first asks for every
page (what the first migration of stored mentions asked for too), and writes the mentions'
rows of the reference index again (after ``rebuild_references_index``, which drops them).
"""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Store the terms each page's body mentions (the worker's relink, now)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Relink every page with a body.")

    def handle(self, *args, **options):
        from glossary import linking
        from glossary.models import RelinkRequest

        if options["all"]:
            RelinkRequest.objects.get_or_create(kind=RelinkRequest.ALL, object_id=0)
        started = time.monotonic()
        changed = linking.relink_requested()
        if options["all"]:
            linking.index_mention_references()
        self.stdout.write(
            f"{changed} pages' mentions changed ({time.monotonic() - started:.1f} s)."
        )
