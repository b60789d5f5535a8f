"""Write pages back out as fixture files the import reads: the way out, as faithful as the way in.

A page still as its last import left it is written as the file it came from, byte for byte
(``ImportedRecord.source_bytes``). Any other page (edited or made in the admin) is written
in the same dialect by ``RecordKind.export_fields``, with its body as blocks where it is no
longer what the import would build from the text. Images go to ``DIR/images/`` under the
names the files use. So import -> export -> import changes nothing, and export -> import
into an empty database -> export gives the same files.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from wagtail.images import get_image_model

from .dialect import dump
from .kinds import KINDS
from .models import ImportedRecord
from .reading import Source, file_digest, read_source
from .streams import IMAGE_BLOCK, plain_blocks, with_images


@dataclass
class ExportReport:
    directory: Path
    counts: Counter = field(default_factory=Counter)  # "as imported", "from the page", "images"
    warnings: list = field(default_factory=list)

    def render(self):
        lines = [
            f"Exported to {self.directory}: {self.counts['as imported']} file(s) as imported, "
            f"{self.counts['from the page']} written from the page, {self.counts['images']} image(s)."
        ]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


class Images:
    """The image files the exported files name, each written once under that name."""

    def __init__(self, directory, report):
        self.directory, self.report = directory / "images", report
        self.written = {}  # file name -> image id

    def reference(self, image):
        """How exported files name ``image`` (the import looks it up by the file name)."""
        return f"images/{PurePath(image.file.name).name}"

    def blocks(self, stream_value):
        """A page's blocks as records hold them, image ids turned into file references."""
        blocks = plain_blocks(stream_value)
        ids = [value.get("image") for kind, value in blocks if kind == IMAGE_BLOCK]
        found = get_image_model().objects.in_bulk([pk for pk in ids if pk])

        def reference(pk):
            image = found.get(pk)
            if image is None:
                return None
            self.add(self.reference(image), image)
            return self.reference(image)

        return with_images(blocks, reference)

    def add(self, reference, image):
        if not reference or image is None:
            return
        name = PurePath(reference.lstrip("/")).name
        if name in self.written:
            if self.written[name] != image.pk:
                self.report.warnings.append(f"two images are both named {name!r}; kept the first")
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with image.open_file() as handle:
            (self.directory / name).write_bytes(handle.read())
        self.written[name] = image.pk
        self.report.counts["images"] += 1


def export(directory, drafts=False):
    """Write every page (the published state; ``drafts``: the latest revision) under
    ``directory``, one folder per kind; returns an ExportReport."""
    directory = Path(directory)
    report = ExportReport(directory)
    images = Images(directory, report)
    for kind in KINDS.values():
        folder = directory / kind.folder
        folder.mkdir(parents=True, exist_ok=True)
        imported = {item.page_id: item for item in ImportedRecord.objects.filter(kind=kind.name)}
        names = set()
        for page in kind.pages_to_export(drafts):
            state = page.get_latest_revision_as_object() if drafts else page
            record = imported.get(page.pk)
            revision = page.latest_revision_id if drafts else page.live_revision_id
            if record and record.source_bytes and record.revision_id == revision:
                data = bytes(record.source_bytes)
                _add_source_images(kind, state, record, data, images)
                report.counts["as imported"] += 1
            else:
                fields, body = kind.export_fields(state, images)
                data = dump(fields, body).encode("utf-8")
                report.counts["from the page"] += 1
            name = PurePath(record.source_path).name if record else kind.file_name(state)
            if name in names:  # two sources of one name in different folders
                name = kind.file_name(state)
            names.add(name)
            (folder / name).write_bytes(data)
    return report


def _add_source_images(kind, page, record, data, images):
    """The images a file written as imported names, found on its page by reference."""
    parsed = read_source(Source(record.source_path, data), file_digest(data))
    for reference, image in kind.image_references(page, parsed):
        images.add(reference, image)
