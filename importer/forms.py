"""The admin import's upload: loose .md/.txt files, or one .zip of them, checked before storing.

A zip is checked from its directory (no member is unpacked in the request): the number of
members, each one's size and compression ratio (a zip bomb declares a small packed size and a
huge unpacked one), and each one's path (no absolute path, no "..", no symlink). The task that
reads it enforces the same sizes again as it unpacks (``importer.uploads``), since a zip's
directory can lie.
"""

import stat
import zipfile
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .reading import NOT_FIXTURES, SUFFIXES

# A text file packs to at best about a tenth of its size; a member packed a hundred times
# smaller or more is not a fixture file.
MAX_ZIP_RATIO = 100


def max_bytes():
    return settings.IMPORT_UPLOAD_MAX_BYTES


def max_files():
    return settings.IMPORT_UPLOAD_MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented way to accept several files in one field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".md,.txt,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def is_fixture_name(name):
    return PurePosixPath(name).suffix.lower() in SUFFIXES


def zip_members(archive, limit=None):
    """The fixture members of an open ZipFile, in order, or a ValidationError naming the
    first member that is refused. Folders and README files are left out, as the command
    leaves them out of a fixtures folder."""
    limit = max_bytes() if limit is None else limit
    members, names, unpacked = [], set(), 0
    for info in archive.infolist():
        name = info.filename
        path = PurePosixPath(name)
        if info.is_dir():
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            raise forms.ValidationError(f"{name}: the zip holds a symbolic link.")
        if path.is_absolute() or ".." in path.parts or "\\" in name or ":" in path.parts[0]:
            raise forms.ValidationError(f"{name}: a member's path must stay inside the zip.")
        if path.name.lower() in NOT_FIXTURES:
            continue
        if not is_fixture_name(name):
            raise forms.ValidationError(f"{name}: only .md and .txt files can be imported.")
        if name in names:
            raise forms.ValidationError(f"{name}: the zip holds this name twice.")
        if info.file_size > info.compress_size * MAX_ZIP_RATIO + 1024:
            raise forms.ValidationError(
                f"{name}: packed {info.file_size // max(info.compress_size, 1)} times smaller "
                f"than its size; not a fixture file (a zip bomb?)."
            )
        unpacked += info.file_size
        if unpacked > limit:
            raise forms.ValidationError(
                f"{name}: the zip unpacks to more than {filesizeformat(limit)}."
            )
        names.add(name)
        members.append(info)
        if len(members) > max_files():
            raise forms.ValidationError(
                f"{name}: the zip holds more than {max_files()} fixture files."
            )
    if not members:
        raise forms.ValidationError("The zip holds no .md or .txt file.")
    return members


class UploadFixturesForm(forms.Form):
    files = MultipleFileField(
        label="Fixture files",
        help_text="Any number of .md or .txt files in the fixtures' front-matter format (or "
        "plain YAML front matter), or one .zip of them (folders inside are kept in the names).",
    )
    draft = forms.BooleanField(required=False, label="Save changes as drafts for review")
    force = forms.BooleanField(required=False, label="Overwrite pages edited in the admin")

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = max_bytes()
        if sum(upload.size for upload in files) > limit:
            raise forms.ValidationError(f"Upload at most {filesizeformat(limit)} at a time.")
        if len(files) > max_files():
            raise forms.ValidationError(f"Upload at most {max_files()} files at a time.")
        zips = [upload for upload in files if upload.name.lower().endswith(".zip")]
        if zips:
            if len(files) > 1:
                raise forms.ValidationError("Upload one .zip alone, or .md and .txt files.")
            try:
                with zipfile.ZipFile(zips[0]) as archive:
                    zip_members(archive, limit)
            except (zipfile.BadZipFile, OSError, EOFError):
                raise forms.ValidationError(f"{zips[0].name}: not a readable zip file.") from None
            zips[0].seek(0)
            return files
        for upload in files:
            if not is_fixture_name(upload.name):
                raise forms.ValidationError(
                    f"{upload.name}: only .md and .txt files can be imported."
                )
        return files
