"""Editorial rules shared by the admin and the importer (pure: no models)."""

# Search engines show about this much of a meta description; the seed's is 240 characters.
DESCRIPTION_MAX_LENGTH = 320
