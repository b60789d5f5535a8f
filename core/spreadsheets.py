"""Cells that spreadsheet programs read as text, never as formulas (OWASP "CSV injection")."""

# Characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a leading apostrophe where it could run as a formula; programs show the
    apostrophe's cell as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
