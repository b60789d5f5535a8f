from django import forms

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented way to accept several files in one field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".md,.txt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadFixturesForm(forms.Form):
    files = MultipleFileField(
        label="Fixture files",
        help_text="One or more .md or .txt files in the fixtures' front-matter format (or plain YAML front matter).",
    )
    draft = forms.BooleanField(required=False, label="Save changes as drafts for review")
    force = forms.BooleanField(required=False, label="Overwrite pages edited in the admin")

    def clean_files(self):
        files = self.cleaned_data["files"]
        if sum(upload.size for upload in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Upload at most 5 MB at a time.")
        for upload in files:
            if not upload.name.lower().endswith((".md", ".txt")):
                raise forms.ValidationError(
                    f"{upload.name}: only .md and .txt files can be imported."
                )
        return files
