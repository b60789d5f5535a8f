"""Read the fixtures' front-matter dialect.

Hand-written because no maintained library reads it: the seed record is not YAML (PyYAML and
python-frontmatter reject its tab-indented flow mappings with unquoted values that hold
apostrophes and commas). The grammar, from the seed:

    ---
    key: scalar that runs to the end of the line
    key_words: ["a JSON-style", "list of strings"]
    related_articles_items: [
    <tab>{
    <tab><tab>key: unquoted value, with commas and apostrophes,
    <tab><tab>key: last value
    <tab>},
    ]
    ---
    optional body

Ordinary YAML front matter is read with PyYAML when the dialect cannot read it, so editors can
write plain YAML files. Every error names the line it is about.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

import yaml

from .errors import FixtureError

FENCE = "---"
KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(?P<value>.*))?$")


@dataclass
class Document:
    """A file's front matter (values are str, or lists of str and dicts) and its body."""

    path: str
    fields: dict
    lines: dict = field(default_factory=dict)  # key -> line number, for later errors
    body: str = ""
    body_line: int = 0
    item_lines: list = field(default_factory=list)  # line of each related_articles_items entry

    def line_of(self, key):
        return self.lines.get(key, 1)


class _DialectError(Exception):
    """``structural``: the dialect cannot read the line at all, so the file may be YAML."""

    def __init__(self, line, message, structural=False):
        super().__init__(message)
        self.line = line
        self.message = message
        self.structural = structural


def decode(data: bytes, path) -> str:
    """UTF-8 (with or without a byte-order mark), CRLF or LF; undecodable bytes are an error."""
    if not data.strip():
        raise FixtureError(path, 1, "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FixtureError(
            path, line, f"bytes that are not UTF-8 ({data[exc.start : exc.start + 4]!r})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, path) -> Document:
    """Split front matter from body and read the front matter."""
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        raise FixtureError(
            path, 1, "the file must start with a '---' line opening the front matter"
        )
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if closing is None:
        raise FixtureError(path, 1, "the front matter opened on line 1 is never closed with '---'")
    front = lines[1:closing]
    body = "\n".join(lines[closing + 1 :])
    try:
        fields, key_lines, item_lines = _parse_dialect(front, first_line=2)
    except _DialectError as dialect_error:
        fields = _parse_yaml(front) if dialect_error.structural else None
        if fields is None:
            raise FixtureError(path, dialect_error.line, dialect_error.message) from None
        try:
            key_lines, item_lines = _yaml_key_lines(front, first_line=2), []
        except _DialectError as error:
            raise FixtureError(path, error.line, error.message) from None
    return Document(
        path=str(path),
        fields=fields,
        lines=key_lines,
        body=body,
        body_line=closing + 2,
        item_lines=item_lines,
    )


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _parse_dialect(front, first_line):
    fields, key_lines, item_lines = {}, {}, []
    index = 0
    while index < len(front):
        line, number = front[index], first_line + index
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = KEY_VALUE.match(line)
        if not match:
            raise _DialectError(
                number, f"expected 'key: value', found {line.strip()[:60]!r}", structural=True
            )
        key, value = match["key"], (match["value"] or "").strip()
        if key in fields:
            raise _DialectError(
                number, f"the key {key!r} appears twice (first on line {key_lines[key]})"
            )
        key_lines[key] = number
        if value == "[":
            items, index, item_lines = _read_block_list(front, index, first_line, number)
            fields[key] = items
        elif value.startswith("["):
            fields[key], index = _read_inline_list(front, index, first_line, number, value)
        elif value == "":
            # "key:" alone opens a YAML block (a list or mapping): leave it to YAML.
            if index < len(front) and front[index][:1] in (" ", "\t", "-"):
                raise _DialectError(number, f"{key!r} has no value", structural=True)
            fields[key] = ""
        else:
            fields[key] = _unquote(value)
    return fields, key_lines, item_lines


def _read_inline_list(front, index, first_line, opened_on, value):
    """A JSON list, on one line or continued until its brackets close."""
    text = value
    while True:
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            if _open_brackets(text) > 0 and index < len(front):
                text += "\n" + front[index]
                index += 1
                continue
            raise _DialectError(opened_on, f"broken list: {exc.msg} (column {exc.colno})") from None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise _DialectError(opened_on, "expected a list of strings")
        return items, index


def _open_brackets(text):
    depth, quoted, escaped = 0, False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and char == "[":
            depth += 1
        elif not quoted and char == "]":
            depth -= 1
    return depth


def _read_block_list(front, index, first_line, opened_on):
    """A '[' ... ']' list over several lines, of '{ key: value, ... }' objects or scalars."""
    items, item_lines, current = [], [], None
    while index < len(front):
        raw, number = front[index], first_line + index
        index += 1
        line = raw.strip()
        if not line:
            continue
        if line in ("]", "],"):
            if current is not None:
                raise _DialectError(
                    number, f"the item opened on line {item_lines[-1]} is never closed with '}}'"
                )
            return items, index, item_lines
        if line == "{":
            if current is not None:
                raise _DialectError(number, "'{' inside an item that is still open")
            current = {}
            items.append(current)
            item_lines.append(number)
        elif line in ("}", "},"):
            if current is None:
                raise _DialectError(number, "'}' without an item to close")
            current = None
        elif current is not None:
            match = KEY_VALUE.match(line)
            if not match:
                raise _DialectError(
                    number, f"expected 'key: value' inside the item, found {line[:60]!r}"
                )
            key = match["key"]
            if key in current:
                raise _DialectError(number, f"the key {key!r} appears twice in this item")
            value = (match["value"] or "").strip()
            # A trailing comma separates entries; it is not part of the value.
            current[key] = _unquote(value[:-1].rstrip() if value.endswith(",") else value)
        else:
            items.append(_unquote(line[:-1].rstrip() if line.endswith(",") else line))
            item_lines.append(number)
    raise _DialectError(opened_on, f"the list opened on line {opened_on} is never closed with ']'")


def _parse_yaml(front):
    """Plain YAML front matter, with values turned into the dialect's plain strings."""
    try:
        data = yaml.safe_load("\n".join(front))
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    return {str(key): _plain(value) for key, value in data.items()}


def _plain(value):
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _yaml_key_lines(front, first_line):
    """Top-level keys' lines; a key given twice is an error (PyYAML would keep the last)."""
    lines = {}
    for offset, line in enumerate(front):
        match = KEY_VALUE.match(line)
        if not match:
            continue
        if match["key"] in lines:
            raise _DialectError(first_line + offset, f"the key {match['key']!r} appears twice")
        lines[match["key"]] = first_line + offset
    return lines
