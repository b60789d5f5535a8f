"""The body of a Pulse article."""

from core.blocks import (
    FAQBlock,
    HeadingBlock,
    ImageBlock,
    QuoteBlock,
    SanitisedStreamBlock,
    paragraph_block,
)


class ArticleBodyBlock(SanitisedStreamBlock):
    heading = HeadingBlock()
    paragraph = paragraph_block()
    quote = QuoteBlock()
    image = ImageBlock()
    faq = FAQBlock()
