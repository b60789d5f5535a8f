"""Find fixture files and read each into a record, or a located error. Pure but for file reads."""

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .dialect import decode, parse
from .errors import FixtureError
from .kinds import build_record, kind_of
from .records import STRUCTURE_VERSION

SUFFIXES = {".md", ".txt"}
# Notes for people beside the fixtures (fixtures/README.md), never read as records.
NOT_FIXTURES = {"readme.md", "readme.txt"}


def display_path(path: Path) -> str:
    """Paths inside the project are shown relative to it: stable across machines."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(_project_root(settings.BASE_DIR)))
    except ValueError:
        return str(path)


@functools.cache
def _project_root(base_dir) -> Path:
    return Path(base_dir).resolve()


def fixture_files(paths) -> list[Path]:
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUFFIXES
                    and p.name.lower() not in NOT_FIXTURES
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"No fixture file or folder at {raw}")
    return files


def file_digest(data: bytes) -> str:
    """Identifies a file's bytes under the current structuring rules."""
    return hashlib.sha256(f"{STRUCTURE_VERSION}:".encode() + data).hexdigest()


@dataclass(frozen=True)
class Source:
    name: str  # as reports show it
    data: bytes


def load_sources(sources) -> list[Source]:
    """Paths, or (name, bytes) pairs for uploads and tests, as Sources."""
    loaded = []
    for source in sources:
        if isinstance(source, Source):
            loaded.append(source)
        elif isinstance(source, tuple):
            loaded.append(Source(*source))
        else:
            loaded.append(Source(display_path(source), Path(source).read_bytes()))
    return loaded


def read_source(source: Source, digest: str):
    """The record a source holds (``digest``: its ``file_digest``, computed once by the caller)."""
    record = build_record(parse(decode(source.data, source.name), source.name))
    return dataclasses.replace(record, digest=digest, raw=source.data)


@dataclass
class ReadResult:
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # FixtureError
    unchanged: list = field(default_factory=list)  # (name, kind, key) not parsed again


def read_all(sources: list[Source], imported=None) -> ReadResult:
    """Read ``sources`` (see ``load_sources``); one bad file never stops the others.

    ``imported`` maps a file name to the (digest, kind, key) of its last import: a file whose
    bytes have not changed since is not parsed again. Keys must be unique across the run: a
    second file with a term id or article slug already seen fails, naming the file that had it
    first.
    """
    imported = imported or {}
    result = ReadResult()
    seen = {}
    for source in sources:
        digest = file_digest(source.data)
        last_digest, kind, key = imported.get(source.name, (None, None, None))
        if last_digest == digest:
            seen[(kind, key)] = source.name
            result.unchanged.append((source.name, kind, key))
            continue
        try:
            record = read_source(source, digest)
        except FixtureError as error:
            result.errors.append(error)
            continue
        identity = (record.kind, record.key)
        if identity in seen:
            what = kind_of(record).key_name
            result.errors.append(
                FixtureError(
                    record.path, 1, f"the {what} {record.key!r} is already used by {seen[identity]}"
                )
            )
            continue
        seen[identity] = record.path
        result.records.append(record)
    return result
