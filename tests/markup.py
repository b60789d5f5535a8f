"""What in a rendered page could run: the check every markup test makes of a public page.

A page is parsed as a browser would tokenise it (the standard library's HTML parser), so text
that merely looks like markup (``&lt;script&gt;``, ``href="javascript:`` inside a paragraph)
is not counted, and markup that is written oddly (``<SCRIPT>``, ``jav&#x09;ascript:``) is.
"""

import re
from html.parser import HTMLParser

# Elements that run code or load another document, whatever their attributes.
ACTIVE_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "applet", "base", "form"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
# The site's own scripts (base.html) and data (JSON-LD), which are not the attack.
OWN_SCRIPT = re.compile(r"^/static/")
DATA_TYPES = {"application/ld+json"}


def _unsafe_url(value):
    # Browsers drop control characters and whitespace before reading the scheme.
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value or "").lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            source = attributes.get("src") or ""
            if attributes.get("type") in DATA_TYPES or OWN_SCRIPT.match(source):
                pass
            else:
                self.found.append(f"<script {attrs}>")
        elif tag in ACTIVE_ELEMENTS - {"form"}:
            self.found.append(f"<{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in URL_ATTRIBUTES and _unsafe_url(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name == "style":
                self.found.append(f"<{tag} style=…>")

    handle_startendtag = handle_starttag


def active_markup(html):
    """Descriptions of each piece of ``html`` that could run or redirect: [] when none."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
