"""Cells that spreadsheet programs read as text, never as formulas (OWASP "CSV injection")."""

# Characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a leading apostrophe where it could run as a formula; programs show the
    apostrophe's cell as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetMixin:
    """For Wagtail's report and listing views: CSV cells that could run as formulas get a
    leading apostrophe (Wagtail already does the same for XLSX)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return safe_cell(value) if export_format == self.FORMAT_CSV else value


def export_columns(**headings):
    """A report's ``list_export`` and ``export_headings`` from one mapping (field=heading, in
    the spreadsheet's order): each field named once."""
    return list(headings), headings
