"""Rich text is reduced to what its editor allows before it is stored, whichever way it came.

``sanitise_html`` is the one function every door uses: the import (``body_format: blocks``
and the bodies it structures from text), the admin and code (``SanitisedStreamBlock`` cleans
a stream as it is saved), and the data migrations that cleaned the rows stored before. It
keeps exactly the elements and attributes of Wagtail's database format for the field's
rich-text features (``<a linktype="page" id="3">`` survives, ``<script>`` and ``on…`` do
not), using nh3 (the Ammonia sanitiser) to do the cleaning.

The allowed markup is read from Wagtail's own feature registry: each feature's contentstate
rule names the elements it reads back from the database (``'a[linktype="page"]'``, ``'b'``,
``'li'``). What the registry does not say, the few attributes each kind of link or embed
carries and Draftail's ``data-block-key``, is the table below, written by hand because no
library derives an nh3 policy from Wagtail's features.
"""

import functools
import re

import nh3

from wagtail import blocks
from wagtail.rich_text import features as feature_registry
from wagtail.whitelist import ALLOWED_URL_SCHEMES

# Every rich text has paragraphs and line breaks, whatever its features.
ALWAYS_ALLOWED = {"p": set(), "br": set()}
# The attributes Wagtail's handlers read from a link or embed of each type, besides the type.
TYPED_ATTRIBUTES = {"a": {"id"}, "embed": {"id", "format", "alt", "url"}}
TYPE_ATTRIBUTE = {"a": "linktype", "embed": "embedtype"}
# Draftail writes a stable key on each block element (paragraphs, headings, list items).
BLOCK_KEY = "data-block-key"

SELECTOR = re.compile(
    r'^(?P<tag>[a-z0-9]+)(?:\[(?P<attribute>[a-z-]+)(?:="(?P<value>[^"]*)")?\])?$'
)


@functools.cache
def _policy(features):
    """nh3's arguments for a rich text with ``features`` (a tuple; None: Wagtail's default)."""
    names = feature_registry.get_default_features() if features is None else features
    attributes = {tag: set(allowed) for tag, allowed in ALWAYS_ALLOWED.items()}
    typed_values = {}
    for name in names:
        rule = feature_registry.get_converter_rule("contentstate", name) or {}
        for selector in rule.get("from_database_format", {}):
            match = SELECTOR.match(selector)
            if match is None:
                continue
            tag, attribute, value = match["tag"], match["attribute"], match["value"]
            allowed = attributes.setdefault(tag, set())
            if attribute and value is not None and attribute == TYPE_ATTRIBUTE.get(tag):
                typed_values.setdefault(tag, set()).add(value)
                allowed |= TYPED_ATTRIBUTES[tag]
            elif attribute:
                allowed.add(attribute)
    for allowed in attributes.values():
        allowed.add(BLOCK_KEY)
    typed_values = {tag: {TYPE_ATTRIBUTE[tag]: values} for tag, values in typed_values.items()}
    return {
        "tags": set(attributes),
        "attributes": attributes,
        "tag_attribute_values": typed_values,
    }


def sanitise_html(html, features=None):
    """``html`` with only the elements and attributes a rich text with ``features`` allows.

    Scripts and styles go with their content; other elements not allowed go, their text
    stays; links keep only Wagtail's schemes; comments go.
    """
    if not html:
        return html
    policy = _policy(tuple(features) if features is not None else None)
    return nh3.clean(
        html,
        tags=policy["tags"],
        attributes=policy["attributes"],
        tag_attribute_values=policy["tag_attribute_values"],
        clean_content_tags={"script", "style"},
        url_schemes=set(ALLOWED_URL_SCHEMES),  # the admin's own link check,
        link_rel=None,
        attribute_filter=_typed_ids_only,
    )


def _typed_ids_only(element, attribute, value):
    """A link's or embed's ``id`` is the number of the page, document or image it points to:
    any other value (``id="main"``) would give the element an id on the page (DOM clobbering,
    a spoofed skip link) and is dropped."""
    if attribute == "id" and element in TYPED_ATTRIBUTES and not value.isdigit():
        return None
    return value


def sanitise_stream_data(block, data):
    """The stored (JSON) form ``data`` of ``block`` with every rich text in it sanitised.

    Works on the stored form, not on block values, so that it needs no database (the import
    checks files before it touches one; migrations have no models' methods) and sees lazy
    stream items that Wagtail saves without converting them.
    """
    if isinstance(block, blocks.RichTextBlock):
        return sanitise_html(data, block.features) if isinstance(data, str) else data
    if isinstance(block, blocks.StreamBlock):
        if not isinstance(data, list):
            return data
        children = block.child_blocks
        return [
            {**item, "value": sanitise_stream_data(children[item["type"]], item.get("value"))}
            if isinstance(item, dict) and item.get("type") in children
            else item
            for item in data
        ]
    if isinstance(block, blocks.StructBlock):
        if not isinstance(data, dict):
            return data
        return {
            name: sanitise_stream_data(block.child_blocks[name], value)
            if name in block.child_blocks
            else value
            for name, value in data.items()
        }
    if isinstance(block, blocks.ListBlock):
        if not isinstance(data, list):
            return data
        return [_list_item(block.child_block, item) for item in data]
    return data


def _list_item(child, item):
    # A ListBlock stores {"type": "item", "value": …, "id": …}; older data the bare values.
    if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
        return {**item, "value": sanitise_stream_data(child, item["value"])}
    return sanitise_stream_data(child, item)


def sanitise_stored_pages(apps, app_label, model_name, stream_blocks):
    """Clean the rich text already stored in ``app_label.model_name``'s StreamFields, and in
    its revisions (so that publishing an old draft or reverting brings none of it back).

    For data migrations: ``stream_blocks`` maps a field name to its stream block, given by
    the migration from today's block definitions (the historical model has no block methods).
    """
    import json

    model = apps.get_model(app_label, model_name)
    for page in model.objects.only("pk", *stream_blocks).iterator(chunk_size=500):
        changed = {}
        for name, block in stream_blocks.items():
            data = [dict(item) for item in getattr(page, name).raw_data]  # as stored
            cleaned = sanitise_stream_data(block, data)
            if cleaned != data:
                changed[name] = model._meta.get_field(name).to_python(json.dumps(cleaned))
        if changed:
            model.objects.filter(pk=page.pk).update(**changed)

    content_type = apps.get_model("contenttypes", "ContentType").objects.filter(
        app_label=app_label, model=model_name.lower()
    )
    revisions = apps.get_model("wagtailcore", "Revision").objects.filter(
        content_type__in=content_type
    )
    for revision in revisions.only("pk", "content").iterator(chunk_size=500):
        content = dict(revision.content)
        for name, block in stream_blocks.items():
            value = content.get(name)
            data = json.loads(value) if isinstance(value, str) and value else value
            cleaned = sanitise_stream_data(block, data)
            if cleaned != data:
                content[name] = json.dumps(cleaned) if isinstance(value, str) else cleaned
        if content != revision.content:
            type(revision).objects.filter(pk=revision.pk).update(content=content)
