"""The body of a Pulse article."""

from core.blocks import BodyBlock, FAQBlock


class ArticleBodyBlock(BodyBlock):
    faq = FAQBlock()
