"""The CSV download: one row a term, written chunk by chunk (``glossary.downloads``)."""

import csv

from core.spreadsheets import safe_cell

CSV_COLUMNS = [
    "id",
    "name",
    "slug",
    "url",
    "category",
    "description",
    "synonyms",
    "key questions",
    "related terms",
    "updated",
    "sources",
    # Appended (issue 24): "current" or "deprecated", and the replacing term's id.
    "status",
    "replaced_by",
    "broader",  # the ids of the broader terms (as the import's ``broader`` key names them)
]
LIST_SEPARATOR = "; "  # between key questions, related terms and source URLs in one CSV cell
# Between synonyms: the editor's own separator (the field is comma-separated), so no synonym
# holds one; a synonym may hold "; " ("Plan; do"), which LIST_SEPARATOR would split.
SYNONYM_SEPARATOR = ", "


class CsvWriter:
    """UTF-8 with a byte-order mark (spreadsheet programs then read it as UTF-8), cells that
    could run as formulas made text."""

    def __init__(self, out, scheme_url, title):
        out.write("\ufeff")
        self.writer = csv.writer(out)
        self.writer.writerow(CSV_COLUMNS)

    def write(self, terms):
        for term in terms:
            row = [
                term.term_id,
                term.name,
                term.slug,
                term.url,
                term.category,
                term.description,
                SYNONYM_SEPARATOR.join(term.synonyms),
                LIST_SEPARATOR.join(term.key_questions),
                LIST_SEPARATOR.join(name for name, _url in term.related),
                term.updated[:10],  # the date: what the term page shows
                LIST_SEPARATOR.join(url for _title, url, _publisher in term.sources),
                term.status,
                term.replaced_by[0] if term.replaced_by else "",
                LIST_SEPARATOR.join(term_id for term_id, _name, _url in term.broader),
            ]
            self.writer.writerow([safe_cell(cell) for cell in row])

    def finish(self):
        pass
