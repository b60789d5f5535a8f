"""The schema.org JSON-LD download, written item by item (``glossary.downloads``)."""

import json


class JsonLdWriter:
    """A schema.org DefinedTermSet holding every term as a DefinedTerm: one JSON document,
    written item by item (``json`` has no streaming writer; each item is ``json.dumps``).

    A term's status and replacement are not written: schema.org has no property for a
    deprecated ``DefinedTerm`` (``supersededBy`` is for schema.org's own classes and
    properties), and a made-up key would be read as nothing or as an error. The SKOS
    (``owl:deprecated``, ``dct:isReplacedBy``) and CSV downloads and the API carry them."""

    def __init__(self, out, set_url, title):
        self.out, self.set_url, self.first = out, set_url, True
        head = {
            "@context": "https://schema.org",
            "@type": "DefinedTermSet",
            "@id": set_url,
            "name": title,
            "url": set_url,
        }
        for key, value in head.items():
            out.write(("{\n " if key == "@context" else ",\n ") + _json(key) + ": " + _json(value))
        out.write(',\n "hasDefinedTerm": [')

    def write(self, terms):
        for term in terms:
            item = {
                "@type": "DefinedTerm",
                "@id": term.url,
                "url": term.url,
                "name": term.name,
                "termCode": term.term_id,
                "description": term.description,
                **({"alternateName": list(term.synonyms)} if term.synonyms else {}),
                "inDefinedTermSet": self.set_url,
                **({"dateModified": term.updated} if term.updated else {}),
                **(
                    {"citation": [_citation(*source) for source in term.sources]}
                    if term.sources
                    else {}
                ),
            }
            self.out.write(("\n  " if self.first else ",\n  ") + _json(item))
            self.first = False

    def finish(self):
        self.out.write("\n ]\n}\n")


def _citation(title, url, publisher):
    work = {"@type": "CreativeWork", "name": title, "url": url}
    if publisher:
        work["publisher"] = {"@type": "Organization", "name": publisher}
    return work


def _json(value):
    return json.dumps(value, ensure_ascii=False)
