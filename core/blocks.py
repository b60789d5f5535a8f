"""StreamField blocks shared by glossary terms and Pulse articles.

Each block renders through its own template under ``templates/blocks/`` so that pages stay
cheap to render and the blocks look the same wherever they are used.
See https://docs.wagtail.org/en/stable/topics/streamfield.html
"""

import json

from django.utils.text import slugify

from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

from core.rich_text import sanitise_stream_data


def contents_of(body):
    """(anchor, text, level) of the headings a body shows, for its contents list: heading
    blocks and the FAQ's heading, with the anchors their templates give them."""
    contents = []
    for block in body:
        if block.block_type == "heading":
            text, level = block.value["heading_text"], block.value["size"]
        elif block.block_type == "faq":
            text, level = block.value["heading_text"], "h2"
        else:
            continue
        contents.append((slugify(text), text, level))
    return contents


class SanitisedStreamBlock(blocks.StreamBlock):
    """A stream whose rich text is sanitised as it is stored, whoever stores it: the admin's
    form (whatever was posted), the import, or code. Cleaning the stored form catches lazy
    items too, which Wagtail saves as they were given (a body assigned as JSON)."""

    def get_prep_value(self, value):
        return sanitise_stream_data(self, super().get_prep_value(value))


class SanitisedStreamField(StreamField):
    """A StreamField whose stored form is sanitised even when it is written without a block
    value: ``QuerySet.update(body=[...])`` or JSON text skip the stream block's save, so the
    list (or the JSON it holds) is cleaned here. Anything else is Wagtail's."""

    def get_prep_value(self, value):
        if isinstance(value, list):
            value = sanitise_stream_data(self.stream_block, value)
        elif isinstance(value, str):
            try:
                data = json.loads(value)
            except ValueError:
                data = None  # plain text: Wagtail stores it as raw text, never rendered
            if isinstance(data, list):
                value = json.dumps(sanitise_stream_data(self.stream_block, data))
        return super().get_prep_value(value)


# Editors get a small, predictable rich-text toolbar; imported text stays plain paragraphs.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class AnchoredBlock(blocks.StructBlock):
    """A block with a ``heading_text``: its template gets an ``anchor`` derived from the text
    (as ``contents_of`` derives it), so links to it are stable."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["anchor"] = slugify(value["heading_text"])
        return context


class HeadingBlock(AnchoredBlock):
    """A section heading; its anchor is derived from the text so links to it are stable."""

    heading_text = blocks.CharBlock(max_length=255, help_text="The heading as visitors see it.")
    size = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Sub-section (H3)")],
        default="h2",
        help_text="H2 for sections, H3 for parts of a section.",
    )

    class Meta:
        icon = "title"
        label = "Heading"
        description = (
            "A section heading; it appears in the page's contents list and gets a link anchor."
        )
        preview_value = {"heading_text": "Why operations strategy matters", "size": "h2"}
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text="The quoted words, without quotation marks.")
    attribution = blocks.CharBlock(required=False, help_text="Who said or wrote it.")

    class Meta:
        icon = "openquote"
        label = "Quote"
        description = "A quotation set apart from the text, with who said it."
        preview_value = {
            "quote": "Strategy is a commodity; execution is an art.",
            "attribution": "Peter Drucker",
        }
        template = "blocks/quote_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        help_text="Describe the image for people who cannot see it; leave empty if decorative.",
    )
    caption = blocks.CharBlock(required=False, help_text="Shown under the image.")

    class Meta:
        icon = "image"
        label = "Image"
        description = "An image from the library, with alt text and a caption."
        template = "blocks/image_block.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, help_text="A short lead-in, e.g. 'Key point'.")
    text = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "help"
        label = "Call-out"
        description = "A highlighted box for a key point or a warning."
        preview_value = {"title": "Key point", "text": "<p>Align every process with a goal.</p>"}
        template = "blocks/callout_block.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=500, help_text="The question, as a reader asks it.")
    answer = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "help"
        label = "Question and answer"


class FAQBlock(AnchoredBlock):
    heading_text = blocks.CharBlock(default="FAQs", help_text="Heading above the questions.")
    items = blocks.ListBlock(FAQItemBlock())

    class Meta:
        icon = "list-ul"
        label = "FAQ"
        description = "Questions and their answers, as readers ask them."
        preview_value = {
            "heading_text": "FAQs",
            "items": [
                {"question": "What is process strategy?", "answer": "<p>How work should flow.</p>"}
            ],
        }
        template = "blocks/faq_block.html"


def paragraph_block():
    return blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        icon="pilcrow",
        label="Paragraph",
        description="Text with bold, italic, links and lists.",
        preview_value="<p>Operations strategy is the plan that aligns processes and resources with goals.</p>",
        template="blocks/paragraph_block.html",
    )


class BodyBlock(SanitisedStreamBlock):
    """The blocks every body has; a term's adds the call-out, an article's the FAQ."""

    heading = HeadingBlock()
    paragraph = paragraph_block()
    quote = QuoteBlock()
    image = ImageBlock()
