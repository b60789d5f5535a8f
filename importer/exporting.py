"""Write pages back out as fixture files the import reads: the way out, as faithful as the way in.

A page still as its last import left it is written as the file it came from, byte for byte
(``ImportedRecord.source_bytes``). Any other page (edited or made in the admin) is written
in the same dialect by ``RecordKind.export_fields``, with its body as blocks where it is no
longer what the import would build from the text. Images go to ``DIR/images/`` under the
names the files use. So import -> export -> import changes nothing, and export -> import
into an empty database -> export gives the same files.

The export writes only inside ``DIR``: every file name is a checked term id, slug, imported
file name or image name (never a path), and each path it writes is resolved, symlinks
followed, and refused unless it stays inside ``DIR``. A folder that already holds fixture
files is refused unless ``replace``; then the export's own files it no longer writes are
removed, so a page deleted since the last export does not come back with the next import.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from wagtail.images import get_image_model
from wagtail.images.utils import get_allowed_image_extensions

from .dialect import dump
from .errors import ExportError
from .kinds import KINDS
from .models import ImportedRecord
from .reading import NOT_FIXTURES, SUFFIXES, Source, file_digest, fixture_files, read_source
from .streams import IMAGE_BLOCK, plain_blocks, with_images

IMAGES_FOLDER = "images"
MAX_NAME_BYTES = 255  # the longest file name common file systems take


@dataclass
class ExportReport:
    directory: Path
    counts: Counter = field(default_factory=Counter)  # "as imported", "from the page", "images"
    warnings: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # files of an earlier export, no longer written

    def render(self):
        lines = [
            f"Exported to {self.directory}: {self.counts['as imported']} file(s) as imported, "
            f"{self.counts['from the page']} written from the page, {self.counts['images']} image(s)."
        ]
        if self.removed:
            lines.append(f"Removed {len(self.removed)} file(s) the export no longer writes.")
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def is_safe_file_name(name, suffixes):
    """Whether ``name`` is one plain file name ending in one of ``suffixes``: no folder part,
    not '.' or '..', not hidden, no NUL or other control character, short enough to write.

    Hand-written: Django's ``get_valid_filename`` rewrites names (spaces to '_'), and an image
    or fixture file's name must stay the one the files use, spaces and all."""
    return (
        isinstance(name, str)
        and name.isprintable()
        and PurePath(name).name == name
        and "\\" not in name
        and not name.startswith(".")
        and len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
        and PurePath(name).suffix.lower() in suffixes
    )


def is_fixture_name(name):
    return is_safe_file_name(name, SUFFIXES) and name.lower() not in NOT_FIXTURES


def image_suffixes():
    return {f".{extension.lower()}" for extension in get_allowed_image_extensions()}


class Folder:
    """The export's folder: every path it writes is checked to stay inside it."""

    def __init__(self, directory):
        self.path = Path(directory)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except (OSError, ValueError) as error:
            raise ExportError(f"cannot make the export folder {directory}: {error}") from None
        self.root = self._resolve(self.path, f"the export folder {directory}")
        self.written = set()

    @staticmethod
    def _resolve(path, what):
        try:
            return path.resolve()
        except (OSError, RuntimeError, ValueError) as error:
            raise ExportError(f"{what}: cannot resolve {path}: {error}") from None

    def inside(self, path, what):
        """``path`` if it resolves (symlinks followed) inside the folder; else ExportError."""
        if not self._resolve(path, what).is_relative_to(self.root):
            raise ExportError(
                f"{what}: {path} leads outside {self.path} (to {path.resolve()}); nothing is "
                "written there. Remove the symlink or export into another folder"
            )
        return path

    def subfolder(self, name):
        folder = self.inside(self.path / name, f"the folder {name}/")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def write(self, path, data, what):
        self.inside(path, what).write_bytes(data)
        self.written.add(path)

    def own_files(self):
        """The files already here that look like an export's own: fixture files in each kind's
        folder and images in images/. Nothing else is ever removed."""
        layout = [(kind.folder, is_fixture_name) for kind in KINDS.values()]
        suffixes = image_suffixes()
        layout.append((IMAGES_FOLDER, lambda name: is_safe_file_name(name, suffixes)))
        found = set()
        for name, looks_own in layout:
            folder = self.path / name
            if folder.is_dir():
                found |= {
                    path
                    for path in folder.iterdir()
                    if (path.is_file() or path.is_symlink()) and looks_own(path.name)
                }
        return found

    def other_fixture_files(self):
        """Files the import would read here that are not in the export's layout."""
        own = self.own_files()
        return [path for path in fixture_files([self.path]) if path not in own]


class Images:
    """The image files the exported files name, each written once under that name."""

    def __init__(self, folder, report):
        self.folder, self.report = folder, report
        self.directory = None  # made when the first image is written
        self.written = {}  # file name -> image id
        self.suffixes = image_suffixes()

    def name_of(self, image):
        """The file name the export gives ``image``: its own when safe, else one from its id."""
        name = PurePath(image.file.name).name
        if is_safe_file_name(name, self.suffixes):
            return name
        suffix = PurePath(name.replace("\0", "")).suffix.lower()
        if suffix not in self.suffixes:
            raise ExportError(
                f"image {image.title!r} (id {image.pk}): its file {image.file.name!r} is not one "
                f"of the image types {', '.join(sorted(self.suffixes))}"
            )
        return f"image-{image.pk}{suffix}"

    def reference(self, image):
        """How exported files name ``image`` (the import looks it up by the file name)."""
        return f"{IMAGES_FOLDER}/{self.name_of(image)}"

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

    def add(self, reference, image, source=None):
        """Write ``image`` under the name ``reference`` gives it (``source``: the imported
        file the reference comes from, which may name it unsafely: then it is not written)."""
        if not reference or image is None:
            return
        name = PurePath(reference.lstrip("/")).name
        if not is_safe_file_name(name, self.suffixes):
            self.report.warnings.append(
                f"{source}: the image reference {reference!r} is not a plain image file name; "
                "the image was not written"
            )
            return
        if name in self.written:
            if self.written[name] != image.pk:
                self.report.warnings.append(f"two images are both named {name!r}; kept the first")
            return
        if self.directory is None:
            self.directory = self.folder.subfolder(IMAGES_FOLDER)
        with image.open_file() as handle:
            data = handle.read()
        self.folder.write(self.directory / name, data, f"image {image.title!r} (id {image.pk})")
        self.written[name] = image.pk
        self.report.counts["images"] += 1


def export(directory, drafts=False, replace=False):
    """Write every page (the published state; ``drafts``: the latest revision) under
    ``directory``, one folder per kind; returns an ExportReport. ExportError when a file would
    land outside ``directory``, or the folder holds fixture files and not ``replace``."""
    folder = Folder(directory)
    report = ExportReport(folder.path)
    earlier = _check_earlier_export(folder, replace)
    images = Images(folder, report)
    for kind in KINDS.values():
        kind_folder = folder.subfolder(kind.folder)
        imported = {item.page_id: item for item in ImportedRecord.objects.filter(kind=kind.name)}
        names = set()
        for page in kind.pages_to_export(drafts):
            state = page.get_latest_revision_as_object() if drafts else page
            record = imported.get(page.pk)
            revision = page.latest_revision_id if drafts else page.live_revision_id
            if (
                record
                and record.source_bytes
                and record.revision_id == revision
                and kind.source_still_true(state, record)
            ):
                data = bytes(record.source_bytes)
                _add_source_images(kind, state, record, data, images)
                report.counts["as imported"] += 1
            else:
                fields, body = kind.export_fields(state, images)
                data = dump(fields, body).encode("utf-8")
                report.counts["from the page"] += 1
            name = _file_name(kind, state, record, names)
            names.add(name)
            folder.write(kind_folder / name, data, kind.describe(state))
    if replace:
        _remove_unwritten(folder, earlier, report)
    return report


def _check_earlier_export(folder, replace):
    """The export's own files already in the folder; refused unless ``replace``."""
    own = folder.own_files()
    others = folder.other_fixture_files()
    if (own or others) and not replace:
        example = sorted(own or others)[0]
        raise ExportError(
            f"{folder.path} already holds {len(own) + len(others)} fixture or image file(s) "
            f"(e.g. {example}). Export into an empty folder, or pass --replace to overwrite "
            "them and remove the ones this export no longer writes"
        )
    return own


def _file_name(kind, page, record, taken):
    """The imported file's own name when it is a plain fixture file name, else one built from
    the page's checked key; a page whose name another page took gets its page id added."""
    name = PurePath(record.source_path).name if record else ""
    if not is_fixture_name(name) or name in taken:
        name = kind.file_name(page)
    if name in taken:
        path = PurePath(name)
        name = f"{path.stem}-page{page.pk}{path.suffix}"
    return name


def _remove_unwritten(folder, earlier, report):
    for path in sorted(earlier - folder.written):
        path.unlink()  # a symlink is removed itself, never what it points at
        report.removed.append(path)
    for path in folder.other_fixture_files():
        report.warnings.append(
            f"{path} is not where the export writes, so it was left; the import reads it too"
        )


def _add_source_images(kind, page, record, data, images):
    """The images a file written as imported names, found on its page by reference."""
    parsed = read_source(Source(record.source_path, data), file_digest(data))
    for reference, image in kind.image_references(page, parsed):
        images.add(reference, image, source=record.source_path)
