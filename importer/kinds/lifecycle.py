"""A term's lifecycle in the fixtures: ``status: deprecated`` (left out for a current term)
and ``replaced_by: TERM_ID``, the term to use instead (``glossary.models.lifecycle``).

The replacement may be a term of a later file of the same run: it is resolved like pinned
related terms (``importer.kinds.related.TermRelations``). Whether the id names a term, and
whether following replacements comes back to the term, is checked with the whole run before
anything is written (``replacement_problems``, called by ``importer.planning.check``): such a
record fails alone, with its file and the line of its ``replaced_by``.
"""

from ..errors import FixtureError
from ..schema import OMIT, field_line, text

DEPRECATED = "deprecated"  # glossary.models.TermStatus.DEPRECATED (reading is pure)
STATUSES = ("current", DEPRECATED)


def status(document, key):
    """The term's status: "deprecated", or "" for a current one (written or not)."""
    value = text(document, key).lower()
    if value not in ("", *STATUSES):
        raise FixtureError(
            document.path,
            document.line_of(key),
            f"{key!r} must be one of {', '.join(STATUSES)}, not {value!r}",
        )
    return "" if value == "current" else value


def replacement(document, key):
    """The id of the term that replaces this one: only a deprecated term has one, and not
    itself (whether the id is a term, and chains, are checked with the run: ``run_problems``)."""
    from .term import term_id

    value = term_id(document, key)
    if not value:
        return ""
    line = document.line_of(key)
    if status(document, "status") != DEPRECATED:
        raise FixtureError(
            document.path, line, f"{key!r} is only for a deprecated term: add 'status: deprecated'"
        )
    if value == text(document, "id"):
        raise FixtureError(document.path, line, f"a term cannot replace itself ({key}: {value})")
    return value


def replacement_id(page, images):
    return page.replaced_by.term_id if page.replaced_by_id else OMIT


def replacement_problems(records):
    """{record key: (line, reason)} for the term records among ``records`` whose
    ``replaced_by`` names no term (neither a page nor a record of the run), or leads back to
    the record itself through the replacements the pages have and the run gives."""
    from glossary.models import GlossaryTermPage

    replacing = [record for record in records if getattr(record, "replaced_by", "")]
    if not replacing:
        return {}
    wanted = {record.replaced_by for record in replacing}
    known = set(
        GlossaryTermPage.objects.filter(term_id__in=wanted).values_list("term_id", flat=True)
    )
    known |= {record.key for record in records}
    # Every replacement the pages have (deprecated terms only: few), the run's on top.
    chain = dict(
        GlossaryTermPage.objects.filter(replaced_by__isnull=False).values_list(
            "term_id", "replaced_by__term_id"
        )
    )
    chain.update((record.key, getattr(record, "replaced_by", "")) for record in records)
    problems = {}
    for record in replacing:
        if record.replaced_by not in known:
            problems[record.key] = (
                field_line(record, "replaced_by"),
                f"replaced_by: {record.replaced_by!r} is not a term id "
                "(no term has it, and no file of this import)",
            )
            continue
        seen, current = set(), record.replaced_by
        while current and current not in seen:
            if current == record.key:
                problems[record.key] = (
                    field_line(record, "replaced_by"),
                    f"replaced_by: {record.replaced_by!r} leads back to this term "
                    "(a term cannot be replaced by a term it replaces)",
                )
                break
            seen.add(current)
            current = chain.get(current)
    return problems
