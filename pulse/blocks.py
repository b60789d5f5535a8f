"""The body of a Pulse article."""

from wagtail import blocks

from core.blocks import FAQBlock, HeadingBlock, ImageBlock, QuoteBlock, paragraph_block


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = paragraph_block()
    quote = QuoteBlock()
    image = ImageBlock()
    faq = FAQBlock()
