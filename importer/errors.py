class FixtureError(Exception):
    """A problem with one fixture file, located to the line, said plainly."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


class ExportError(Exception):
    """Why the export stopped before writing somewhere it must not: names the page or file."""


class ApplyError(Exception):
    """A record Wagtail refuses, with the line of the field it refuses."""

    def __init__(self, message, line=1):
        super().__init__(message)
        self.line = line


def short_reason(error):
    """One line for the report: the error's kind and first line, never a traceback."""
    if isinstance(error, ApplyError):
        return str(error)
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(error).__name__}: {first}"[:300] if first else type(error).__name__
