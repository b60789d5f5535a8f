"""A record's body: text the kind structures, or Wagtail blocks the file gives as JSON.

``body_format: blocks`` says the text after the front matter is the page's body as blocks in
JSON (what the export writes for a page an editor changed), not text to structure. Either way
the body is stored as the editor would store it (``stored_body``), so a record equals its
saved page.
"""

import json

from core.rich_text import sanitise_stream_data

from .errors import FixtureError
from .records import Block
from .schema import text

BODY_FORMAT = "body_format"  # the front-matter key
BLOCKS_FORMAT = "blocks"  # its one value


def blocks_text(blocks):
    """A body of blocks as the JSON the import reads under ``body_format: blocks``."""
    items = [{"type": kind, "value": value} for kind, value in blocks]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def record_blocks(record):
    return [(block.kind, block.value) for block in record.body]


def file_blocks(document, stream_block):
    """The body as blocks when the file says ``body_format: blocks``; None when it is text.

    Only the shape is checked here (a list of known block types with values); each value is
    checked by the block itself when the page is saved.
    """
    body_format = text(document, BODY_FORMAT)
    if not body_format:
        return None
    if body_format != BLOCKS_FORMAT:
        raise FixtureError(
            document.path,
            document.line_of(BODY_FORMAT),
            f"'body_format' is {BLOCKS_FORMAT!r} or absent, not {body_format!r}",
        )
    try:
        data = json.loads(document.body)
    except json.JSONDecodeError as error:
        line = document.body_line + error.lineno - 1
        raise FixtureError(document.path, line, f"the blocks are not JSON: {error.msg}") from None
    except RecursionError:
        raise FixtureError(
            document.path, document.body_line, "the blocks nest too deeply"
        ) from None
    allowed = stream_block.base_blocks
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and set(item) == {"type", "value"} and item["type"] in allowed
        for item in data
    ):
        raise FixtureError(
            document.path,
            document.body_line,
            'the blocks must be a JSON list of {"type": …, "value": …} with types '
            + ", ".join(sorted(allowed)),
        )
    return tuple(Block(item["type"], item["value"]) for item in data)


def stored_body(document, stream_block, body):
    """``body`` as it will be stored: its rich text reduced to what the editor allows
    (``core.rich_text``, as the page's save does), so that a record equals its saved page.
    Returns the body and the warnings for markup removed from a file's own blocks."""
    data = [{"type": block.kind, "value": block.value} for block in body]
    cleaned = sanitise_stream_data(stream_block(), data)
    warnings = ()
    if cleaned != data and text(document, BODY_FORMAT):
        warnings = (
            (
                f"line {document.body_line}: markup the editor does not allow (scripts, frames, "
                "event handlers, unsafe links) was removed from the body",
                "markup removed",
            ),
        )
    return tuple(Block(item["type"], item["value"]) for item in cleaned), warnings
