"""Load glossary terms and Pulse articles from fixture files.

manage.py import_fixtures [PATH ...] [--dry-run] [--draft] [--force] [--strict]
                          [--images DIR] [--verbose] [--format text|json]
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from importer.locking import ImportLocked
from importer.pipeline import ImportOptions, run_import
from importer.reading import fixture_files
from importer.verbs import FAILED


class Command(BaseCommand):
    help = "Import glossary terms and Pulse articles from fixture files or folders (fixtures/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="Files, or folders searched for *.md and *.txt."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print what would happen."
        )
        parser.add_argument(
            "--draft", action="store_true", help="Save changes as drafts for review."
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite pages edited in the admin."
        )
        parser.add_argument(
            "--strict", action="store_true", help="All or nothing: any failure writes nothing."
        )
        parser.add_argument(
            "--images",
            help="Folder of the images the files name (default: an 'images' folder in a "
            "given folder, as the export writes, else fixtures/images).",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="List every warning (by default: a count and a few examples of each kind).",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: the whole report as one JSON object, for scripts.",
        )

    def handle(
        self, *args, paths, dry_run, draft, force, strict, images, verbose, format, **options
    ):
        try:
            files = fixture_files(paths or [settings.FIXTURES_DIR])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        if not files:
            raise CommandError(f"No *.md or *.txt fixture files in {', '.join(map(str, paths))}")
        interactive = self.stdout.isatty() and format == "text"
        progress = self.progress if interactive and len(files) > 1 else None
        if images is None:
            beside = [Path(path) / "images" for path in paths if (Path(path) / "images").is_dir()]
            images = beside[0] if beside else None
        try:
            how = ImportOptions(
                draft=draft, force=force, strict=strict, images_dir=images, progress=progress
            )
            report = run_import(files, how, dry_run=dry_run)
        except ImportLocked as error:
            raise CommandError(str(error)) from None
        if progress:
            self.stdout.write("")
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(report.render(verbose=verbose or options["verbosity"] > 1))
        if report.stopped:
            raise CommandError(f"The import stopped before its end: {report.stopped}")
        if report.failed:
            raise CommandError(
                f"{report.counts[FAILED]} file(s) failed; see the lines marked {FAILED!r} above."
            )

    def progress(self, done, total, width=30):
        filled = width * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
