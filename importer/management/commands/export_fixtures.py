"""Write every term and article as fixture files the import reads.

manage.py export_fixtures DIR [--drafts]
"""

from django.core.management.base import BaseCommand

from importer.exporting import export


class Command(BaseCommand):
    help = (
        "Export glossary terms and Pulse articles as fixture files (DIR/glossary, DIR/pulse, "
        "DIR/images): unchanged imports byte for byte, everything else in the same dialect."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write; created if missing.")
        parser.add_argument(
            "--drafts",
            action="store_true",
            help="Write each page's latest revision, drafts and unpublished pages included "
            "(default: what visitors see).",
        )

    def handle(self, *args, directory, drafts, **options):
        report = export(directory, drafts=drafts)
        self.stdout.write(report.render())
