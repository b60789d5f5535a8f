class FixtureError(Exception):
    """A problem with one fixture file, located to the line, said plainly."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


class ExportError(Exception):
    """Why the export stopped before writing somewhere it must not: names the page or file."""
