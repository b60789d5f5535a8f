"""Write every term and article as fixture files the import reads.

manage.py export_fixtures DIR [--drafts] [--replace]
"""

from django.core.management.base import BaseCommand, CommandError

from importer.errors import ExportError
from importer.exporting import export


class Command(BaseCommand):
    help = (
        "Export glossary terms and Pulse articles as fixture files (DIR/glossary, DIR/pulse, "
        "DIR/images): unchanged imports byte for byte, everything else in the same dialect. "
        "Nothing is written outside DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write; created if missing.")
        parser.add_argument(
            "--drafts",
            action="store_true",
            help="Write each page's latest revision, drafts and unpublished pages included "
            "(default: what visitors see).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="DIR may hold an earlier export: overwrite its files and remove the fixture "
            "files and images this export no longer writes (so deleted pages stay deleted). "
            "Without it, a DIR holding fixture files is refused. Other files are never removed.",
        )

    def handle(self, *args, directory, drafts, replace, **options):
        try:
            report = export(directory, drafts=drafts, replace=replace)
        except ExportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(report.render())
