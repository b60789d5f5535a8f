"""Links one app puts on another app's public pages: a form beside a term, a suggestion under
a search. The page's template names a *place* (``{% reader_links "term_page" page=page %}``)
and the app that fills it registers a builder in its ``AppConfig.ready``; a place no installed
app fills renders nothing, so neither app imports the other.

A builder is called on every render of the place (cached pages included) with the template's
arguments and returns a ``ReaderLink`` or None; it must read no database.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReaderLink:
    url: str
    text: str
    css_class: str
    lead: str = ""  # words shown before the link


_builders = {}


def register(place, build):
    """Add ``build`` to ``place`` (once: ``ready`` may run twice in tests)."""
    builders = _builders.setdefault(place, [])
    if build not in builders:
        builders.append(build)


def links(place, **arguments):
    """The links of ``place`` for these arguments, in registration order."""
    return [link for build in _builders.get(place, ()) if (link := build(**arguments))]
