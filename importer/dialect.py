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

Files come from the admin upload too, so reading is bounded: a file is at most
``MAX_FILE_BYTES`` and ``MAX_LINES``, every step is linear in its input, and YAML aliases
(which expand exponentially: "billion laughs") and deep nesting are refused.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

import yaml

from .errors import FixtureError

FENCE = "---"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINES = 20_000
MAX_YAML_DEPTH = 20
KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(?P<value>.*))?$")


@dataclass
class Document:
    """A file's front matter (values are str, or lists of str and dicts) and its body."""

    path: str
    fields: dict
    lines: dict = field(default_factory=dict)  # key -> line number, for later errors
    body: str = ""
    body_line: int = 0
    # key -> the line of each item of its block list ('[' ... ']' over several lines)
    item_lines: dict = field(default_factory=dict)

    def line_of(self, key):
        return self.lines.get(key, 1)

    def item_line(self, key, position):
        """The line of item ``position`` of the list ``key`` (else the key's own line)."""
        lines = self.item_lines.get(key, ())
        return lines[position] if position < len(lines) else self.line_of(key)


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
    if len(data) > MAX_FILE_BYTES:
        raise FixtureError(
            path, 1, f"the file is {len(data):,} bytes; a fixture may have {MAX_FILE_BYTES:,}"
        )
    lines = data.count(b"\n") + 1
    if lines > MAX_LINES:
        raise FixtureError(
            path, MAX_LINES + 1, f"the file has {lines:,} lines; at most {MAX_LINES:,}"
        )
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
        try:
            fields = _parse_yaml(front, first_line=2) if dialect_error.structural else None
        except _DialectError as error:
            raise FixtureError(path, error.line, error.message) from None
        if fields is None:
            raise FixtureError(path, dialect_error.line, dialect_error.message) from None
        try:
            key_lines, item_lines = _yaml_key_lines(front, first_line=2), {}
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
    fields, key_lines, item_lines = {}, {}, {}
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
            items, index, item_lines[key] = _read_block_list(front, index, first_line, number)
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
    """A JSON list, on one line or continued until its brackets close.

    The lines it spans are found first, by carrying the bracket depth from line to line, and
    then decoded once: linear, where decoding again after every added line was quadratic.
    """
    state = _BracketState()
    state.feed(value)
    parts = [value]
    while state.depth > 0 and index < len(front):
        state.feed("\n")
        state.feed(front[index])
        parts.append(front[index])
        index += 1
    try:
        items = json.loads("\n".join(parts))
    except json.JSONDecodeError as exc:
        raise _DialectError(opened_on, f"broken list: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise _DialectError(opened_on, "broken list: nested too deeply") from None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise _DialectError(opened_on, "expected a list of strings")
    return items, index


class _BracketState:
    """How many '[' are open so far, outside JSON strings, fed a piece at a time."""

    def __init__(self):
        self.depth, self.quoted, self.escaped = 0, False, False

    def feed(self, text):
        for char in text:
            if self.escaped:
                self.escaped = False
            elif char == "\\":
                self.escaped = self.quoted
            elif char == '"':
                self.quoted = not self.quoted
            elif not self.quoted and char == "[":
                self.depth += 1
            elif not self.quoted and char == "]":
                self.depth -= 1


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


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (each may expand the document exponentially)
    and nesting deeper than ``MAX_YAML_DEPTH`` (the composer recurses once a level)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _DialectError(mark.line + 1, "YAML aliases ('*name') are not accepted")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise _DialectError(
                    mark.line + 1, f"the YAML nests deeper than {MAX_YAML_DEPTH} levels"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _parse_yaml(front, first_line):
    """Plain YAML front matter, with values turned into the dialect's plain strings."""
    try:
        data = yaml.load("\n".join(front), Loader=_BoundedLoader)  # noqa: S506 - a SafeLoader
    except _DialectError as error:
        raise _DialectError(first_line + error.line - 1, error.message) from None
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


# --- writing --------------------------------------------------------------------------------

# Characters a plain (unquoted) value may not hold: line breaks and other controls would end or
# bend the line, and the reader strips surrounding white space.
_NEEDS_QUOTES = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def dump(fields: dict, body: str = "") -> str:
    """The text ``parse`` reads back as exactly ``fields`` and ``body`` (the export's writer).

    Values are str, lists of str (one JSON line), or lists of dicts of str (the seed's tabbed
    block of items). A value is written as it is where the reader gives it back unchanged, as
    the seed does, and as a JSON string where it would not (quotes, brackets, surrounding
    spaces, control characters, a trailing comma in an item).
    """
    if "\r" in body:
        raise ValueError("the body holds a carriage return, which reading turns into a newline")
    lines = [FENCE]
    for key, value in fields.items():
        if not KEY_VALUE.match(f"{key}: x"):
            raise ValueError(f"{key!r} is not a field name the reader accepts")
        if isinstance(value, str):
            lines.append(f"{key}: {scalar(value)}")
        elif all(isinstance(item, str) for item in value):
            lines.append(f"{key}: {json.dumps(list(value), ensure_ascii=False)}")
        else:
            lines.append(f"{key}: [")
            for position, item in enumerate(value):
                lines.append("\t{")
                entries = list(item.items())
                for index, (name, text) in enumerate(entries):
                    comma = "," if index < len(entries) - 1 else ""
                    lines.append(f"\t\t{name}: {scalar(text, in_item=True)}{comma}")
                lines.append("\t}," if position < len(value) - 1 else "\t}")
            lines.append("]")
    lines.append(FENCE)
    return "\n".join(lines) + "\n" + body


def scalar(value: str, in_item=False) -> str:
    """One value as written after `key: `: plain where the reader gives it back unchanged."""
    plain = (
        value
        and value == value.strip()
        and not value.startswith(('"', "'", "[", "{"))
        and not (in_item and value.endswith((",", "}")))
        and not _NEEDS_QUOTES.search(value)
    )
    return value if plain else json.dumps(value, ensure_ascii=False)
