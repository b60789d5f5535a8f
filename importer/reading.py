"""Find fixture files and read each into a record, or a located error. Pure but for file reads."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .dialect import decode, parse
from .errors import FixtureError
from .structure import build_record

SUFFIXES = {".md", ".txt"}


def display_path(path: Path) -> str:
    """Paths inside the project are shown relative to it: stable across machines."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def fixture_files(paths) -> list[Path]:
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"No fixture file or folder at {raw}")
    return files


def read_record(path: Path):
    name = display_path(path)
    return build_record(parse(decode(Path(path).read_bytes(), name), name))


def read_text(text: str, name: str):
    """The same pipeline for uploaded or generated text."""
    return build_record(parse(decode(text.encode("utf-8"), name), name))


@dataclass
class ReadResult:
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # FixtureError


def read_all(sources) -> ReadResult:
    """Read ``sources`` (paths, or (name, bytes) pairs); one bad file never stops the others.

    Keys must be unique across the run: a second file with a term id or article slug already
    seen fails, naming the file that had it first.
    """
    result = ReadResult()
    seen = {}
    for source in sources:
        try:
            if isinstance(source, tuple):
                name, data = source
                record = build_record(parse(decode(data, name), name))
            else:
                record = read_record(source)
        except FixtureError as error:
            result.errors.append(error)
            continue
        identity = (record.kind, record.key)
        if identity in seen:
            what = "id" if record.kind == "term" else "slug"
            result.errors.append(
                FixtureError(
                    record.path, 1, f"the {what} {record.key!r} is already used by {seen[identity]}"
                )
            )
            continue
        seen[identity] = record.path
        result.records.append(record)
    return result
