"""StreamField content in the plain form records hold: (type, value) pairs, no block ids.

Wagtail stores a stream as ``{"type", "value", "id"}`` dicts, and list items wrapped the same
way. Records (and so fixture files) leave out the ids, which Wagtail makes anew on save, and
the item wrappers, so that comparing a page with its record, and exporting a page, see only
content. Image blocks name their image file in records and exports, and its id in pages.
"""

IMAGE_BLOCK = "image"  # the block type whose value holds an image (core.blocks.ImageBlock)


def plain_blocks(stream_value):
    """A page's StreamField value as [(type, value), ...] without ids or item wrappers."""
    return [(block["type"], _unwrapped(block["value"])) for block in stream_value.get_prep_value()]


def _unwrapped(value):
    if isinstance(value, list):
        return [
            _unwrapped(item["value"]) if _is_list_item(item) else _unwrapped(item) for item in value
        ]
    if isinstance(value, dict):
        return {key: _unwrapped(item) for key, item in value.items()}
    return value


def _is_list_item(item):
    return (
        isinstance(item, dict)
        and item.get("type") == "item"
        and "value" in item
        and set(item) <= {"type", "value", "id"}
    )


def with_images(blocks, image_for):
    """``blocks`` with each image block's ``image`` replaced by ``image_for(image)``; a block
    whose image gives None is left out (a page cannot show an image it does not have)."""
    result = []
    for kind, value in blocks:
        if kind == IMAGE_BLOCK and isinstance(value, dict):
            image = image_for(value.get("image"))
            if image is None:
                continue
            value = {**value, "image": image}
        result.append((kind, value))
    return result
