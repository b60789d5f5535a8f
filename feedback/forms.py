"""The readers' two forms. Each carries a honeypot, ``website``: hidden from people by a CSS
class (no inline style: CSP) and skipped by keyboards and screen readers, so only a robot
filling every field fills it; such a submission is thanked and dropped."""

from django import forms

from .models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH

QUERY_MAX_LENGTH = 200  # the ``?q=`` that prefills a suggestion's name


class ReaderForm(forms.Form):
    text = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX_LENGTH}),
    )
    email = forms.EmailField(
        required=False,
        label="Your email (optional)",
        help_text="Only if you would like an answer; it is shown to the editors and nobody else.",
    )
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_robot(self):
        return bool(self.cleaned_data.get("website"))

    def clean_text(self):
        return self.cleaned_data["text"].strip()


class SuggestionForm(ReaderForm):
    field_order = ["name", "text", "email", "website"]
    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        label="The term",
        help_text="The word or phrase you looked for.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "What does it mean, or where did you meet it?"

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class ReportForm(ReaderForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "What is wrong or missing?"
