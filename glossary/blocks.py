"""The body of a glossary term."""

from wagtail import blocks

from core.blocks import CalloutBlock, HeadingBlock, ImageBlock, QuoteBlock, paragraph_block


class TermBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = paragraph_block()
    quote = QuoteBlock()
    image = ImageBlock()
    callout = CalloutBlock()


class KeyQuestionsBlock(blocks.StreamBlock):
    """The questions a term page answers, in the order editors give them."""

    question = blocks.CharBlock(
        max_length=500, icon="help", label="Question", help_text="One question, e.g. 'What is …?'"
    )
