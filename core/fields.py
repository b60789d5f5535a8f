"""Model fields the apps declare alike."""

from django.db import models


def optional_key(to, help_text, related_name="+"):
    """An optional link to another row; deleting that row empties the field."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        help_text=help_text,
    )
