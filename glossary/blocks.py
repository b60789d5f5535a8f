"""The body of a glossary term."""

from django.core.exceptions import ValidationError

from wagtail import blocks

from core.blocks import BodyBlock, CalloutBlock


class TermBodyBlock(BodyBlock):
    callout = CalloutBlock()


class QuestionBlock(blocks.CharBlock):
    """One key question; a question ends with a question mark."""

    def clean(self, value):
        value = super().clean(value)
        if not value.rstrip().endswith("?"):
            raise ValidationError("A key question is a question: end it with a question mark.")
        return value


class KeyQuestionsBlock(blocks.StreamBlock):
    """The questions a term page answers, in the order editors give them."""

    question = QuestionBlock(
        max_length=500, icon="help", label="Question", help_text="One question, e.g. 'What is …?'"
    )
