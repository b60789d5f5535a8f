"""A term's broader terms in its file: ``broader: [TERM_ID, …]`` (optional, omitted from the
export when the term has none).

The ids are read and checked with the file (``read_broader``: valid ids, not the term's own).
Whether each names a term, and whether the run's links close a cycle, only the whole run can
tell: ``run_problems`` fails, before anything is written, each record that names an unknown
term or closes a cycle, with the line of its ``broader`` key (a dry run reports the same).
The links are written like pinned related terms (``TermRelations``): a term named by a later
file of the run gets its links when that file has been written.
"""

from glossary.rules import TERM_ID_RULE, cycle_from, is_valid_term_id

from ..errors import FixtureError
from ..schema import OMIT, field_line, strings

KEY = "broader"


def read_broader(document, key):
    """The broader term ids, each once, in order."""
    values = strings(document, key)
    own = document.fields.get("id")
    found = []
    for value in values:
        value = value.strip()
        if not is_valid_term_id(value):
            raise FixtureError(
                document.path,
                document.line_of(key),
                f"broader term id {value[:80]!r} is not valid: {TERM_ID_RULE}",
            )
        if value == own:
            raise FixtureError(
                document.path, document.line_of(key), "a term cannot be its own broader term"
            )
        if value not in found:
            found.append(value)
    return tuple(found)


def export_broader(page, images):
    ids = [row.term.term_id for row in page.broader_terms.all()]
    return ids or OMIT


def stored_links():
    """{term id: [broader term id, …]} as the glossary has them now (one query)."""
    from glossary.models import GlossaryTermBroader

    links = {}
    rows = GlossaryTermBroader.objects.order_by("page_id", "sort_order", "pk").values_list(
        "page__term_id", "term__term_id"
    )
    for term_id, broader_id in rows:
        links.setdefault(term_id, []).append(broader_id)
    return links


def run_problems(writing, every_record):
    """{record key: (line, reason)} for the term records of ``writing`` whose broader terms
    are unknown (neither a term nor a record of the run) or close a cycle, given the stored
    hierarchy as the run leaves it."""
    from glossary.models import GlossaryTermPage

    wanted = [record for record in writing if getattr(record, KEY, ())]
    if not wanted:
        return {}
    named = {key for record in wanted for key in record.broader}
    known = set(
        GlossaryTermPage.objects.filter(term_id__in=named).values_list("term_id", flat=True)
    )
    known |= {record.key for record in every_record if hasattr(record, KEY)}
    links = stored_links()
    links.update((record.key, list(record.broader)) for record in writing if hasattr(record, KEY))
    problems = {}
    for record in wanted:
        unknown = [key for key in record.broader if key not in known]
        if unknown:
            reason = f"broader term id {unknown[0]!r} is not a term (nor in this import)"
        else:
            cycle = cycle_from(record.key, links)
            reason = cycle and "the broader terms make a cycle: " + " → ".join(cycle)
        if reason:
            problems[record.key] = (field_line(record, KEY), reason)
    return problems
