"""The import report: what one import did (or, dry, would do), for the command, the admin view,
the log and tests. (Not to be confused with ``glossary/reports.py``: the admin's Reports menu.)
"""

import logging
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from .verbs import FAILED, UNCHANGED, VERBS

logger = logging.getLogger("importer")


@dataclass
class Line:
    verb: str
    path: str
    label: str
    detail: str = ""
    line: int | None = None  # a failure's line in its file
    page_id: int | None = None  # the page it updates or leaves unchanged, when known

    def where(self):
        """ ", line N" for a failure whose label does not say its line already."""
        if self.line is None or self.label == f"line {self.line}":
            return ""
        return f"; line {self.line}" if self.detail else f"line {self.line}"


class Warning(NamedTuple):
    path: str
    message: str
    kind: str  # what went wrong, without the particulars: warnings are grouped by it


@dataclass(frozen=True)
class Notes:
    """A list a record kind adds to the report (``RecordKind.notes``), such as what its
    records point at that does not exist yet: counted with the warnings, listed under its own
    heading in the text and under its own key in the data."""

    key: str  # its key in ``Report.as_dict``
    heading: str  # the line above its notes in the text
    fields: tuple  # the names of a note's values: their keys in the data
    line: str  # one note in the text: ``str.format`` of its values by name

    def data(self, values):
        return dict(zip(self.fields, values, strict=True))

    def text(self, values):
        return self.line.format(**self.data(values))


def declared_notes():
    """Every registered kind's Notes, so the data has each key even when it has no notes."""
    from .kinds import KINDS

    return [notes for kind in KINDS.values() for notes in kind.notes]


# How many examples of each kind of warning the text report shows (``--verbose``: all).
EXAMPLES_PER_KIND = 3


@dataclass
class Report:
    dry_run: bool = False
    lines: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # Warning
    notes: dict = field(default_factory=dict)  # {Notes: [values, ...]}, added by the kinds
    stopped: str = ""  # why an import stopped before its end (the log has the traceback)
    # A dry run's updates field by field: {path: [(field, current value, file's value)]}.
    changes: dict = field(default_factory=dict, repr=False)
    _warned: set = field(default_factory=set, repr=False)

    def add(self, verb, path, label, detail="", line=None, page_id=None):
        self.lines.append(Line(verb, path, label, detail, line, page_id))

    def warn(self, path, message, kind):
        if (path, message) not in self._warned:
            self._warned.add((path, message))
            self.warnings.append(Warning(path, message, kind))

    def note(self, notes, *values):
        """Add one note (its ``values``, in the order of ``notes.fields``) to ``notes``."""
        self.notes.setdefault(notes, []).append(values)

    def note_lists(self):
        """(Notes, [values, ...]) for every registered kind's notes, then any other's."""
        lists = dict.fromkeys(declared_notes(), ())
        lists.update(self.notes)
        return lists.items()

    @property
    def counts(self):
        counts = Counter(line.verb for line in self.lines)
        result = {verb: counts.get(verb, 0) for verb in VERBS}
        result["warnings"] = len(self.warnings) + sum(map(len, self.notes.values()))
        return result

    @property
    def failed(self):
        return self.counts[FAILED] > 0 or bool(self.stopped)

    def log(self, user=None):
        """The report in the log too (JSON in production): one summary line with the counts,
        and one line per failure and warning, each naming its file."""
        who = getattr(user, "get_username", lambda: "command")()
        context = {"dry_run": self.dry_run, "imported_by": who}
        logger.info(
            "import %s: %s",
            "checked" if self.dry_run else "done",
            ", ".join(f"{count} {verb}" for verb, count in self.counts.items()),
            extra={**context, "counts": self.counts},
        )
        for line in self.lines:
            if line.verb == FAILED:
                logger.warning(
                    "import failed: %s: %s %s%s",
                    line.path,
                    line.label,
                    line.detail,
                    line.where(),
                    extra={**context, "path": line.path, "line": line.line},
                )
        if self.stopped:
            logger.error("import stopped: %s", self.stopped, extra=context)
        for path, message, kind in self.warnings:
            logger.warning(
                "import warning: %s: %s",
                path,
                message,
                extra={**context, "path": path, "kind": kind},
            )

    def as_dict(self):
        """Everything in the report as plain data (``import_fixtures --format json``)."""
        return {
            "dry_run": self.dry_run,
            "counts": self.counts,
            "stopped": self.stopped,
            # "line": only on failures, which always have one.
            "files": [
                {key: value for key, value in asdict(line).items() if value is not None}
                for line in self.lines
            ],
            "warnings": [warning._asdict() for warning in self.warnings],
            **{
                notes.key: [notes.data(values) for values in noted]
                for notes, noted in self.note_lists()
            },
        }

    def warning_groups(self):
        """{kind: [Warning, ...]} in the order each kind first came up."""
        groups = {}
        for warning in self.warnings:
            groups.setdefault(warning.kind, []).append(warning)
        return groups

    def render(self, verbose=False):
        """Plain text: one line per file, then warnings (grouped by kind with a few examples
        unless ``verbose``), then the summary table."""
        out = []
        prefix = "would be " if self.dry_run else ""
        for line in self.lines:
            detail = f"{line.detail}{line.where()}"
            detail = f" ({detail})" if detail else ""
            verb = line.verb if line.verb in (FAILED, UNCHANGED) else prefix + line.verb
            out.append(f"{verb:>20}  {line.path}: {line.label}{detail}")
        for notes, noted in self.notes.items():
            if noted:
                out.append("")
                out.append(notes.heading)
                out.extend(f"  {notes.text(values)}" for values in noted)
        if self.warnings:
            out.append("")
            out.append("Warnings:")
            for kind, warnings in self.warning_groups().items():
                shown = warnings if verbose else warnings[:EXAMPLES_PER_KIND]
                if len(shown) < len(warnings):
                    out.append(f"  {kind}: {len(warnings)} files, for example (--verbose: all)")
                out.extend(f"  {path}: {message}" for path, message, _ in shown)
        if self.stopped:
            out.append("")
            out.append(f"The import stopped before its end: {self.stopped}")
        out.append("")
        counts = self.counts
        header = " | ".join(f"{name:>9}" for name in counts)
        out.append(header)
        out.append("-" * len(header))
        out.append(" | ".join(f"{value:>9}" for value in counts.values()))
        return "\n".join(out)
